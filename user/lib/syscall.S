/*
 * The way into the kernel: int $0x80 with the Linux i386 convention,
 * number in eax, arguments in ebx, ecx, edx, esi, edi, ebp, result in eax.
 * ebx, esi, edi and ebp are callee-saved in the C ABI, so both entry
 * points save and restore them.
 */
#include <sys/syscall.h>

	.text

/* long __syscall(long nr, ...): five arguments at most; raw result. */
	.globl	__syscall
	.type	__syscall, @function
__syscall:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	8(%ebp), %eax
	movl	12(%ebp), %ebx
	movl	16(%ebp), %ecx
	movl	20(%ebp), %edx
	movl	24(%ebp), %esi
	movl	28(%ebp), %edi
	int	$0x80
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	__syscall, . - __syscall

/* long syscall(long nr, ...): six arguments; errno and -1 on failure. */
	.globl	syscall
	.type	syscall, @function
syscall:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	8(%ebp), %eax
	movl	12(%ebp), %ebx
	movl	16(%ebp), %ecx
	movl	20(%ebp), %edx
	movl	24(%ebp), %esi
	movl	28(%ebp), %edi
	/* Last: until here ebp addresses the arguments. */
	movl	32(%ebp), %ebp
	int	$0x80
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	pushl	%eax
	call	__syscall_ret
	addl	$4, %esp
	ret
	.size	syscall, . - syscall

	.section .note.GNU-stack, "", @progbits
