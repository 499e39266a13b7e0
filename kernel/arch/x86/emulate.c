/*
 * Branch emulation for the software BTS unit's fast mode: instead of
 * single-stepping to see where a branch goes, the unit stops at the
 * branch (an int3 patched over its first byte, kernel/ds/soft_text.c),
 * and this file does what the CPU would have done, from the decoded instruction, EFLAGS, ECX and
 * user memory.  One trap per executed branch, none per instruction.
 *
 * Only near transfers with 32-bit operand and address size are done
 * here; anything rarer is left to the CPU (the unit single-steps it).
 * Memory is touched through copy_{from,to}_user, so a bad stack or
 * pointer gives -EFAULT before anything changed, and the CPU's own
 * execution then raises the fault the program would have seen.
 */
#include <asm/decode.h>
#include <asm/emulate.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>

/* General register number @r (ModRM order) of the user context. */
static uint32_t reg(const struct trap_frame *tf, unsigned r)
{
	/* clang-format off */
	switch (r & 7) {
	case 0: return tf->eax;
	case 1: return tf->ecx;
	case 2: return tf->edx;
	case 3: return tf->ebx;
	case 4: return tf->esp;		/* the user's, not the kernel's */
	case 5: return tf->ebp;
	case 6: return tf->esi;
	default: return tf->edi;
	}
	/* clang-format on */
}

/* The effective address of a ModRM memory operand (flat segments). */
static uint32_t modrm_address(const struct trap_frame *tf,
			      const struct insn *in)
{
	unsigned mod = in->modrm >> 6, rm = in->modrm & 7;
	uint32_t addr = in->disp;

	if (rm == 4) {			/* SIB */
		unsigned scale = in->sib >> 6, index = (in->sib >> 3) & 7;
		unsigned base = in->sib & 7;

		if (index != 4)
			addr += reg(tf, index) << scale;
		if (!(base == 5 && mod == 0))
			addr += reg(tf, base);
	} else if (!(rm == 5 && mod == 0)) {	/* else: disp32 alone */
		addr += reg(tf, rm);
	}
	return addr;
}

/* The target of an indirect jmp/call: a register or memory. */
static int indirect_target(const struct trap_frame *tf, const struct insn *in,
			   uint32_t *to)
{
	if ((in->modrm >> 6) == 3) {
		*to = reg(tf, in->modrm & 7);
		return 0;
	}
	return copy_from_user(to, (void *)modrm_address(tf, in), 4);
}

/* Does condition @cc (the tttn nibble of jcc) hold for @f? */
static int condition(unsigned cc, uint32_t f)
{
	/* LAB(branch-emu) BEGIN condition: stub = never holds */
	int cf = !!(f & X86_EFLAGS_CF), zf = !!(f & X86_EFLAGS_ZF);
	int sf = !!(f & X86_EFLAGS_SF), of = !!(f & X86_EFLAGS_OF);
	int pf = !!(f & X86_EFLAGS_PF), r;

	/* clang-format off */
	switch (cc >> 1) {
	case 0: r = of; break;			/* O */
	case 1: r = cf; break;			/* B */
	case 2: r = zf; break;			/* E */
	case 3: r = cf || zf; break;		/* BE */
	case 4: r = sf; break;			/* S */
	case 5: r = pf; break;			/* P */
	case 6: r = sf != of; break;		/* L */
	default: r = zf || sf != of; break;	/* LE */
	}
	/* clang-format on */
	return (cc & 1) ? !r : r;	/* odd codes are the negations */

	/* LAB(branch-emu) END */
}

static int push32(struct trap_frame *tf, uint32_t v)
{
	if (copy_to_user((void *)(tf->esp - 4), &v, 4))
		return -EFAULT;
	tf->esp -= 4;
	return 0;
}

/*
 * The condition of a conditional transfer (jcc, loop*, jcxz), from the
 * state @tf holds: for jcc and jcxz, which change neither the flags nor
 * ecx, before or after it alike; for loop, after its decrement (pass
 * the count it leaves).
 */
static int cond_holds(const struct trap_frame *tf, const struct insn *in,
		      uint32_t count)
{
	if (in->adsize16)		/* 67: cx is the counter */
		count &= 0xffff;
	switch (in->cls) {
	case INSN_JCC_REL:
		return condition(in->cond, tf->eflags);
	case INSN_JCXZ:
		return !count;
	case INSN_LOOP:
		return count && (in->cond == INSN_LOOP_ALWAYS ||
				 (in->cond == INSN_LOOP_E) ==
					 !!(tf->eflags & X86_EFLAGS_ZF));
	default:
		return 1;		/* unconditional */
	}
}

int branch_taken_after(const struct insn *in, const struct trap_frame *after)
{
	return cond_holds(after, in, after->ecx);
}

int emulate_branch(struct trap_frame *tf, const struct insn *in, int *taken)
{
	uint32_t next = tf->eip + in->len, to = next;

	if (in->opsize16 || in->adsize16)
		return -EINVAL;
	switch (in->cls) {
	/* LAB(branch-emu) BEGIN branches: stub = single-stepped instead */
	case INSN_JMP_REL:
	case INSN_JCC_REL:
	case INSN_JCXZ:
		to = insn_rel_target(in, tf->eip);
		break;
	case INSN_CALL_REL:
		if (push32(tf, next))
			return -EFAULT;
		to = insn_rel_target(in, tf->eip);
		break;
	case INSN_RET:
	case INSN_RET_IMM:
		if (copy_from_user(&to, (void *)tf->esp, 4))
			return -EFAULT;
		tf->esp += 4 +
			   (in->cls == INSN_RET_IMM ? (in->imm & 0xffff) : 0);
		break;
	case INSN_JMP_IND:
		if (indirect_target(tf, in, &to))
			return -EFAULT;
		break;
	case INSN_CALL_IND:
		/* The target is read before the push changes esp. */
		if (indirect_target(tf, in, &to) || push32(tf, next))
			return -EFAULT;
		break;
	case INSN_LOOP:
		tf->ecx--;
		to = insn_rel_target(in, tf->eip);
		break;
	/* LAB(branch-emu) END */
	default:
		return -EINVAL;
	}
	/*
	 * Taken when the condition holds, wherever the target: the CPU
	 * records a jcc to the very next instruction too.
	 */
	*taken = cond_holds(tf, in, tf->ecx);
	tf->eip = *taken ? to : next;
	return 0;
}
