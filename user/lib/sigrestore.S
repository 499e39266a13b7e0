/*
 * void __restore(void), void __restore_rt(void)
 *
 * The return address of every signal handler (sa_restorer, installed by
 * sigaction with SA_RESTORER), one per kind of frame, as in glibc. The
 * handler's ret lands here with esp at the kernel's frame. No prologue:
 * esp must not move before the call, except __restore's popl of the
 * signal number, which sigreturn expects (the old frame then starts 8
 * bytes below esp).
 */
#include <sys/syscall.h>

	.text
	.globl	__restore
	.type	__restore, @function
__restore:			/* old frame: handler(sig) */
	popl	%eax
	movl	$__NR_sigreturn, %eax
	int	$0x80
	.size	__restore, . - __restore

	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:			/* rt frame: handler(sig, info, uc) */
	movl	$__NR_rt_sigreturn, %eax
	int	$0x80
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
