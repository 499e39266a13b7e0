/*
 * Single stepping with three owners.  The CPU has one trap flag, but a
 * program may set it for itself (and expects its own SIGTRAP), a
 * tracer may ask for PTRACE_SINGLESTEP, and the software BTS unit
 * steps a traced program to see each branch.  Each owner's wish is
 * kept apart (thread.user_tf, PT_FORCED_TF, thread.bts_soft); TF is
 * set on the way out to user mode if anyone wants it, and everything
 * the program or its tracer can read (GETREGS, signal frames, pushf)
 * shows the program's own bit only.
 */
#include <asm/decode.h>
#include <asm/step.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/bts_unit.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>

void step_exit_slow(struct trap_frame *tf)
{
	struct thread_struct *th = &current->thread;

	ds_unit_exit_to_user(tf);	/* may patch a branch or ask a step */
	if (th->user_tf || step_kernel_owned(current)) {
		tf->eflags |= X86_EFLAGS_TF;
		th->step_eip = tf->eip;
	} else {
		tf->eflags &= ~X86_EFLAGS_TF;
	}
}

uint32_t step_visible_eflags(struct task_struct *t, uint32_t eflags)
{
	eflags &= ~X86_EFLAGS_TF;
	return eflags | (t->thread.user_tf ? X86_EFLAGS_TF : 0);
}

void step_set_user_eflags(struct task_struct *t, uint32_t eflags)
{
	t->thread.user_tf = !!(eflags & X86_EFLAGS_TF);
}

/*
 * The stepped instruction pushed EFLAGS with the kernel's TF in it:
 * put the program's own bit there instead.  (For a 16-bit pushf the
 * word is 2 bytes; TF is bit 8 either way.)
 */
static void fix_pushed_tf(struct trap_frame *tf)
{
	uint16_t low;

	if (copy_from_user(&low, (void *)tf->esp, 2))
		return;
	low = (low & ~X86_EFLAGS_TF) |
	      (current->thread.user_tf ? X86_EFLAGS_TF : 0);
	copy_to_user((void *)tf->esp, &low, 2);
}

/* Decode the instruction at @addr of current; its length or -1. */
static int fetch(uint32_t addr, struct insn *in)
{
	uint8_t bytes[INSN_MAX];
	size_t got = INSN_MAX - copy_safe_user(bytes, addr, INSN_MAX);

	return insn_decode(in, bytes, got);
}

/* mov ...,%ss (8E /2) or pop %ss (17): a load of the stack segment. */
static int loads_ss(const struct insn *in)
{
	if (in->two_byte)
		return 0;
	return in->opcode == 0x17 ||
	       (in->opcode == 0x8e && ((in->modrm >> 3) & 7) == 2);
}

int step_trap(struct trap_frame *tf)
{
	struct thread_struct *th = &current->thread;
	/*
	 * When the kernel did not want this step, TF was the program's
	 * when the instruction began, though a popf may have just cleared
	 * it (and step_enter_from_user copied that into user_tf): the
	 * trap is the program's all the same, as on Linux.
	 */
	int wanted = th->user_tf || (current->ptrace & PT_FORCED_TF) ||
		     !step_kernel_owned(current);
	uint32_t eip = th->step_eip;
	struct insn in;

	if (fetch(eip, &in) < 0)
		return wanted;
	/*
	 * A stack-segment load holds the single-step trap back for one
	 * instruction (SDM vol. 3A, "MOV SS and POP SS"): this trap comes
	 * after the next instruction too.  The load itself is no branch;
	 * the one after it, which ran unseen, may be: it is what this
	 * trap reports.  (Were it a system call, the trap is taken in the
	 * kernel and dropped there, and the next step starts afresh.)
	 */
	if (loads_ss(&in)) {
		eip += in.len;
		if (fetch(eip, &in) < 0)
			return wanted;
	}
	if (in.opcode == 0x9c && !in.two_byte)		/* pushf */
		fix_pushed_tf(tf);
	if (in.opcode == 0x9d && !in.two_byte)		/* popf: its own TF */
		th->user_tf = !!(tf->eflags & X86_EFLAGS_TF);
	ds_unit_single_step(current, eip, &in, tf);
	return wanted;
}
