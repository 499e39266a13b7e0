/* Emulating one user-mode control transfer (the software BTS unit). */
#ifndef ASM_EMULATE_H
#define ASM_EMULATE_H

#include <stdint.h>

struct trap_frame;
struct insn;

/*
 * Perform the control transfer @in (decoded at @tf->eip) as the CPU
 * would: the new eip, and the instruction's other effects (push and
 * pop for call and ret, ecx for loop).  Sets *@taken when the CPU
 * would record a branch: always for an unconditional transfer, when
 * its condition held for a conditional one (whatever its target).  Returns 0, -EFAULT when a
 * memory access failed (nothing changed: let the CPU run it and
 * fault), or -EINVAL for a transfer it does not emulate (far, iret,
 * int, 16-bit operand or address size).
 */
int emulate_branch(struct trap_frame *tf, const struct insn *in, int *taken);

/*
 * Did the control transfer @in branch, judged from @after, the state
 * it left?  An unconditional one always; a conditional one (jcc, loop,
 * jcxz) when its condition held, even if its target is the next
 * instruction, where eip alone cannot tell.  Meaningless for @in that
 * is no control transfer.
 */
int branch_taken_after(const struct insn *in, const struct trap_frame *after);

#endif
