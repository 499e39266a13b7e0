/* Emulating one user-mode control transfer (the software BTS unit). */
#ifndef ASM_EMULATE_H
#define ASM_EMULATE_H

#include <stdint.h>

struct trap_frame;
struct insn;

/*
 * Perform the control transfer @in (decoded at @tf->eip) as the CPU
 * would: the new eip, and the instruction's other effects (push and
 * pop for call and ret, ecx for loop).  Sets *@taken when control
 * went anywhere but the next instruction.  Returns 0, -EFAULT when a
 * memory access failed (nothing changed: let the CPU run it and
 * fault), or -EINVAL for a transfer it does not emulate (far, iret,
 * int, 16-bit operand or address size).
 */
int emulate_branch(struct trap_frame *tf, const struct insn *in, int *taken);

#endif
