/*
 * _start: where execve enters every program.
 *
 * The kernel leaves esp at argc, then argv[0..argc-1], NULL,
 * envp[...], NULL (the Linux i386 layout); other registers are undefined.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp	/* outermost frame: stack walks end here */
	movl	%esp, %eax
	andl	$-16, %esp	/* i386 SysV ABI: 16-byte aligned at calls */
	subl	$12, %esp
	pushl	%eax
	call	__libc_start
	ud2			/* __libc_start does not return */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
