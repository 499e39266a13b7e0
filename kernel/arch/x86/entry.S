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
	pushl	%esp			/* struct trap_frame * */
	call	trap
	addl	$4, %esp
	.globl trap_return
trap_return:
	popal
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	addl	$8, %esp		/* vector number and error code */
	iret
