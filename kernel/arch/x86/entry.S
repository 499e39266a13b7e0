/*
 * Trap entry: one stub per vector pushes an error code (a dummy 0 when
 * the CPU pushes none) and the vector number, then all stubs share
 * trap_common, which builds a struct trap_frame and calls trap().
 * trap_return is also where a new task starts its life in user mode.
 */
#include <asm/segment.h>

.macro vector num
	.text
	.balign 16
vector\num:
	/* The CPU pushes an error code for 8, 10-14, 17 and 21 only. */
	.if !(\num == 8 || (\num >= 10 && \num <= 14) || \num == 17 || \num == 21)
	pushl	$0
	.endif
	pushl	$\num
	jmp	trap_common
	.section .rodata
	.long	vector\num
.endm

	.altmacro
	.section .rodata
	.balign 4
	.globl trap_vectors
trap_vectors:
	.set i, 0
	.rept 48
	vector %i
	.set i, i + 1
	.endr
	vector 128		/* int $0x80: system calls */
	vector 238		/* T_BTS: the BTS interrupt */
	.noaltmacro

	.text
trap_common:
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	cld			/* user code may have set DF; C assumes clear */
	mov	$__KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	/*
	 * The kernel does not use %fs and %gs: null them, so a switch
	 * to a task whose TLS entries differ never has to reload a
	 * selector of the last task (a trap taken in the kernel then
	 * saves and restores null ones).
	 */
	xorl	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	pushl	%esp			/* struct trap_frame * */
	call	trap
	addl	$4, %esp
	.globl trap_return
trap_return:
	popal
	/*
	 * A tracer, a signal frame or a TLS entry the task emptied can
	 * leave a selector with RPL 3 that names no usable segment.
	 * Loading it faults here, in the kernel: the fixup puts a null
	 * selector in its place and loads again, as Linux's exit path
	 * does.  The program faults on its next use of the register.
	 */
1:	popl	%gs
2:	popl	%fs
3:	popl	%es
4:	popl	%ds
	addl	$8, %esp		/* vector number and error code */
	iret

	.section .fixup, "ax"
5:	movl	$0, (%esp)
	jmp	1b
6:	movl	$0, (%esp)
	jmp	2b
7:	movl	$0, (%esp)
	jmp	3b
8:	movl	$0, (%esp)
	jmp	4b
	.previous
	.pushsection __ex_table, "a"
	.balign 4
	.long	1b, 5b
	.long	2b, 6b
	.long	3b, 7b
	.long	4b, 8b
	.popsection
