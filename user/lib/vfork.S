/*
 * pid_t vfork(void)
 *
 * The child borrows the parent's stack until it calls execve or _exit,
 * so vfork must not keep anything on that stack across the system call:
 * a C wrapper's return address would be overwritten by the child's
 * next call and the parent would return into garbage. The return
 * address is held in ecx instead, which the kernel preserves for both.
 */
#include <sys/syscall.h>

	.text
	.globl	vfork
	.type	vfork, @function
vfork:
	popl	%ecx
	movl	$__NR_vfork, %eax
	int	$0x80
	pushl	%ecx
	cmpl	$-4095, %eax
	jae	1f
	ret
1:	pushl	%eax
	call	__syscall_ret
	addl	$4, %esp
	ret
	.size	vfork, . - vfork

	.section .note.GNU-stack, "", @progbits
