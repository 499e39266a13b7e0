/*
 * Exception fixup table.  An instruction that may fault on purpose
 * (rdmsr on a CPU without the MSR, a user-memory access) is listed with
 * the address to resume at; the trap handler looks the faulting eip up
 * here before it declares a kernel fault.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define _ASM_EXTABLE(from, to)				\
	".pushsection __ex_table, \"a\"\n"		\
	".balign 4\n"					\
	".long " #from ", " #to "\n"			\
	".popsection\n"

/*
 * The usual fixup, for inline asm whose faulting instruction is at
 * local label 1 and whose continuation is label 2: on a fault, move
 * @val into @dst (asm operand strings) and resume at 2.
 */
/* clang-format off */
#define _ASM_FIXUP_MOV(val, dst)			\
	".pushsection .fixup, \"ax\"\n"		\
	"3:	movl " val ", " dst "\n"		\
	"	jmp 2b\n"				\
	".popsection\n"				\
	_ASM_EXTABLE(1b, 3b)
/* clang-format on */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct extable_entry {
	uintptr_t insn;		/* address of the instruction that may fault */
	uintptr_t fixup;	/* where to continue if it does */
};

struct trap_frame;

/* The entry for the instruction at @eip, or NULL. */
const struct extable_entry *search_extable(uintptr_t eip);

/* If @tf's eip has a fixup, point eip at it and return 1; else 0. */
int fixup_exception(struct trap_frame *tf);
#endif

#endif
