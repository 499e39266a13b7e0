/*
 * switch_stacks(&prev->thread.esp, next->thread.esp): save the
 * callee-saved registers on the current kernel stack, store that
 * stack pointer through the first argument, load the second, and
 * return on the new stack into whatever that task was doing.
 *
 * A new task's stack is made by copy_thread to look as if it had
 * called switch_stacks from ret_from_fork.
 */
	.text
	.globl switch_stacks
switch_stacks:
	movl	4(%esp), %eax		/* where to save our esp */
	movl	8(%esp), %edx		/* the esp to load */
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%edx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* First return of a forked task: out to user mode, through the same
   last checks (signals, preemption) as every other return. */
	.globl ret_from_fork
ret_from_fork:
	call	schedule_tail
	pushl	%esp			/* the trap frame: signals (a traced */
	call	return_to_user		/* child's SIGSTOP) come first */
	addl	$4, %esp
	jmp	trap_return

/* First return of a task made by kernel_thread_frame: run the function
   in ebx, then leave for user mode through the trap frame it set up. */
	.globl ret_from_kernel_thread
ret_from_kernel_thread:
	call	schedule_tail
	call	*%ebx
	jmp	trap_return
