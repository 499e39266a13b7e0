/*
 * void __restore_rt(void)
 *
 * The return address of every signal handler (sa_restorer, installed by
 * sigaction with SA_RESTORER). The handler's ret lands here with esp at
 * the kernel's rt signal frame; rt_sigreturn restores the interrupted
 * context from it. No prologue: esp must not move before the call.
 */
#include <sys/syscall.h>

	.text
	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:
	movl	$__NR_rt_sigreturn, %eax
	int	$0x80
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
