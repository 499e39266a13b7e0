/*
 * The software BTS unit: a model of the CPU's branch trace store for
 * machines without one (every QEMU TCG guest, KVM guests, AMD).  While
 * the traced task runs in user mode with DEBUGCTL.TR and .BTS set (and
 * not BTS_OFF_USR), the unit watches every control transfer the task
 * makes and writes the record the CPU would write, through the same
 * CPU model (bts_model_record) into the same DS area the driver
 * programmed: the driver cannot tell it from the hardware.
 *
 * Two modes (boot option bts_soft=fast|step):
 *  - step, the reference: single-step every instruction (EFLAGS.TF);
 *    after each, decide from the decoded instruction and the new eip
 *    whether a branch was taken.
 *  - fast (default): an int3 on the branch that ends each basic block
 *    (kernel/ds/soft_text.c), and the branch performed in the kernel
 *    (arch/x86/emulate.c): one trap per executed branch.  What it does
 *    not emulate (far transfers, a fault on the stack) it single-steps
 *    once, as the reference does.
 * Both modes record exactly the same branches: the tests compare them.
 *
 * What is recorded is what a CPU with BTS_OFF_OS leaves visible to a
 * ptrace user: user-mode branches.  Transfers into the kernel (int
 * $0x80, faults) would carry a kernel address and are filtered from
 * user space anyway; returns from the kernel start in ring 0, which
 * BTS_OFF_OS suppresses.
 */
#include <asm/emulate.h>
#include <asm/trap.h>
#include <spoor/cmdline.h>
#include <spoor/ds.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include "soft_text.h"

#define DEBUGCTL_TR		(1u << 6)
#define DEBUGCTL_BTS		(1u << 7)
#define DEBUGCTL_BTINT		(1u << 8)
#define DEBUGCTL_BTS_OFF_OS	(1u << 9)
#define DEBUGCTL_BTS_OFF_USR	(1u << 10)

static int fast_mode = 1;
struct bts_soft_stats bts_soft_stats;

const char *bts_soft_mode(void)
{
	return fast_mode ? "fast" : "step";
}

/* Would the CPU record user-mode branches with @debugctl? */
static int records_user(uint64_t debugctl)
{
	return (debugctl & (DEBUGCTL_TR | DEBUGCTL_BTS)) ==
		       (DEBUGCTL_TR | DEBUGCTL_BTS) &&
	       !(debugctl & DEBUGCTL_BTS_OFF_USR);
}

static int is_branch(const struct insn *in)
{
	return in->cls != INSN_OTHER && in->cls != INSN_INVALID &&
	       in->cls != INSN_INT && in->cls != INSN_INT3 &&
	       in->cls != INSN_INTO && in->cls != INSN_SYSENTER;
}

/*
 * The reference rule: did the instruction @in at @from, now followed
 * by @to, branch?  An unconditional transfer always counts, a
 * conditional one when control left the fall-through.
 */
static int taken(uint32_t from, const struct insn *in, uint32_t to)
{
	if (!is_branch(in))
		return 0;
	if (in->cls == INSN_JCC_REL || in->cls == INSN_LOOP ||
	    in->cls == INSN_JCXZ)
		return to != from + in->len;
	return 1;
}

static void record(struct task_struct *t, uint32_t from, uint32_t to)
{
	struct thread_struct *th = &t->thread;

	if (!th->soft_on)
		return;		/* suspended: the branch runs, unrecorded */
	bts_soft_stats.records++;
	if (bts_model_record(ds_layout(), th->soft_area,
			     !!(th->soft_debugctl & DEBUGCTL_BTINT), from, to))
		ds_overflow_interrupt();	/* what the CPU would raise */
}

void bts_soft_step(struct task_struct *t, uint32_t from,
		   const struct insn *in, uint32_t to)
{
	struct thread_struct *th = &t->thread;
	struct soft_patch *p;

	if (!th->soft_step)
		return;
	bts_soft_stats.traps++;
	bts_soft_stats.branches += is_branch(in);
	if (taken(from, in, to))
		record(t, from, to);
	if (!th->soft_once)
		return;
	/* Fast mode's single step is done: its int3 goes back in. */
	th->soft_once = 0;
	th->soft_step = 0;
	p = soft_patch_find(t, th->soft_repatch);
	if (p)
		soft_patch_arm(t, p);
}

/*
 * On every return to user mode of a recording task (fast mode): make
 * sure the branch ending the block that eip is in carries its int3.
 * (Cheap when eip is still in the block checked last time.)
 */
void bts_soft_exit(struct trap_frame *tf)
{
	struct thread_struct *th = &current->thread;
	uint32_t bp;

	if (!fast_mode || !th->soft_on || th->soft_once)
		return;
	if (tf->eip >= th->soft_block && tf->eip <= th->soft_bp)
		return;
	bp = soft_block_ensure(current, tf->eip);
	if (!bp) {			/* no room to patch: step instead */
		th->soft_step = 1;
		return;
	}
	th->soft_block = tf->eip;
	th->soft_bp = bp;
}

int bts_soft_int3(struct trap_frame *tf)
{
	struct thread_struct *th = &current->thread;
	uint32_t from = tf->eip - 1;	/* int3 traps after itself */
	struct soft_patch *p = soft_patch_find(current, from);
	int was_taken;

	if (!p)
		return 0;		/* the program's own int3 */
	bts_soft_stats.traps++;
	tf->eip = from;
	th->soft_block = th->soft_bp = 0;
	if (p->emulate && !emulate_branch(tf, &p->in, &was_taken)) {
		bts_soft_stats.branches++;
		if (was_taken)
			record(current, from, tf->eip);
		/* The branch ran: a single step someone asked for ends. */
		if (th->user_tf || (current->ptrace & PT_FORCED_TF))
			force_sig_fault(SIGTRAP, TRAP_TRACE, tf->eip);
		return 1;
	}
	/* Let the CPU run the original instruction, single-stepped. */
	soft_patch_disarm(current, p);
	th->soft_repatch = from;
	th->soft_once = 1;
	th->soft_step = 1;
	return 1;
}

void bts_soft_fork(struct task_struct *child, struct task_struct *parent)
{
	struct soft_text *st = parent->thread.soft_text;
	unsigned i;

	/* The child's pages are a copy of ours, int3s and all. */
	for (i = 0; st && child->mm && i < st->cap; i++)
		if (st->patch[i].addr)
			soft_patch_disarm(child, &st->patch[i]);
	child->thread.soft_text = NULL;
	child->thread.soft_on = 0;
	child->thread.soft_step = 0;
	child->thread.soft_once = 0;
	child->thread.soft_area = NULL;
	child->thread.soft_debugctl = 0;
	child->thread.soft_block = child->thread.soft_bp = 0;
}

void bts_soft_exec(struct task_struct *t)
{
	soft_text_release(t, 0);
	t->thread.soft_once = 0;
	t->thread.soft_step = t->thread.soft_on && !fast_mode;
}

static void soft_probe(struct bts_probe *p)
{
	static const struct debugctl_bits bits = {
		.tr = DEBUGCTL_TR, .bts = DEBUGCTL_BTS,
		.btint = DEBUGCTL_BTINT, .off_os = DEBUGCTL_BTS_OFF_OS,
		.off_usr = DEBUGCTL_BTS_OFF_USR,
	};
	const char *mode = cmdline_get("bts_soft");

	fast_mode = !mode || strcmp(mode, "step");
	p->ok = 1;
	p->layout = &ds_layout_64;
	p->bits = bits;
	strcpy(p->reason, fast_mode ?
	       "an int3 per branch, emulated (fast mode), 64-bit DS layout" :
	       "single-steps every instruction (step mode), 64-bit DS layout");
}

static void soft_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	struct thread_struct *th = &task->thread;

	th->soft_area = area;
	th->soft_debugctl = debugctl;
	th->soft_on = records_user(debugctl);
	if (!th->soft_once)
		th->soft_step = th->soft_on && !fast_mode;
}

/* Switched out: nothing to stop (a suspended task keeps its int3s). */
static void soft_stop(struct task_struct *task)
{
	task->thread.soft_on = 0;
	if (!task->thread.soft_once)
		task->thread.soft_step = 0;
}

/* Tracing ended: the program's text is its own again. */
static void soft_release(struct task_struct *task)
{
	soft_text_release(task, 1);
	task->thread.soft_on = 0;
	task->thread.soft_step = 0;
	task->thread.soft_once = 0;
}

const struct bts_unit bts_soft_unit = {
	.name = "software",
	.probe = soft_probe,
	.load = soft_load,
	.stop = soft_stop,
	.release = soft_release,
};
