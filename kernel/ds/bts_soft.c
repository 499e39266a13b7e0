/*
 * The software BTS unit: a model of the CPU's branch trace store for
 * machines without one (every QEMU TCG guest, KVM guests, AMD).  While
 * the traced task runs in user mode with DEBUGCTL.TR and .BTS set (and
 * not BTS_OFF_USR), the unit watches every control transfer the task
 * makes and writes the record the CPU would write, through the same
 * CPU model (bts_model_record) into the same DS area the driver
 * programmed: the driver cannot tell it from the hardware.
 *
 * Two modes, chosen per trace (BTS_EXACT, from ptrace's
 * PTRACE_BTS_O_EXACT, asks for step; boot option bts_soft=fast|step
 * sets the default):
 *  - step, the reference: single-step every instruction (EFLAGS.TF);
 *    after each, decide from the decoded instruction and the state it
 *    left whether a branch was taken.  Exact and invisible.
 *  - fast (default): an int3 on the branch that ends each basic block
 *    (kernel/ds/soft_text.c), and the branch performed in the kernel
 *    (arch/x86/emulate.c): one trap per executed branch.  What it does
 *    not emulate (far transfers, a fault on the stack) it single-steps
 *    once, as the reference does; a block whose branch lies inside
 *    another instruction it single-steps throughout.  Its one visible
 *    trace: a program reading its own text as data can see an int3.
 * Both modes record exactly the same branches: the tests compare them,
 * and compare both with QEMU's user-mode emulator (tests/harness/
 * oracle.py).
 *
 * What is recorded is what a CPU with BTS_OFF_OS leaves visible to a
 * ptrace user: user-mode branches.  Transfers into the kernel (int
 * $0x80, faults) would carry a kernel address and are filtered from
 * user space anyway; returns from the kernel start in ring 0, which
 * BTS_OFF_OS suppresses.
 */
#include <asm/emulate.h>
#include <asm/trap.h>
#include <spoor/bts_soft.h>
#include <spoor/bts_unit.h>
#include <spoor/cmdline.h>
#include <spoor/ds.h>
#include <spoor/format.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include "soft_text.h"

static int fast_default = 1;	/* bts_soft=: for traces that do not ask */

/* The unit's work, for /proc/bts and make bench. */
static struct {
	unsigned long traps;	/* breakpoint and single-step traps taken */
	unsigned long branches;	/* branch instructions executed */
	unsigned long records;	/* records written */
} stats;

/* Would the CPU record user-mode branches with @debugctl? */
static int records_user(uint64_t debugctl)
{
	return (debugctl & (DEBUGCTL_TR | DEBUGCTL_BTS)) ==
		       (DEBUGCTL_TR | DEBUGCTL_BTS) &&
	       !(debugctl & DEBUGCTL_BTS_OFF_USR);
}

/* How @s's task is watched, outside a one-off step. */
static enum bts_soft_mode steady_mode(const struct bts_soft_task *s)
{
	if (!records_user(s->debugctl))
		return BTS_SOFT_OFF;
	return s->exact ? BTS_SOFT_STEP_ALL : BTS_SOFT_PATCHED;
}

static int is_branch(const struct insn *in)
{
	return in->cls != INSN_OTHER && in->cls != INSN_INVALID &&
	       in->cls != INSN_INT && in->cls != INSN_INT3 &&
	       in->cls != INSN_INTO && in->cls != INSN_SYSENTER;
}

/*
 * The reference rule: did the instruction @in, which left @after,
 * branch?  An unconditional transfer always counts, a conditional one
 * when its condition held: a jcc taken to the next instruction is a
 * branch to the CPU, though eip alone cannot tell.
 */
static int taken(const struct insn *in, const struct trap_frame *after)
{
	return is_branch(in) && branch_taken_after(in, after);
}

static void record(struct task_struct *t, uint32_t from, uint32_t to)
{
	struct bts_soft_task *s = &t->thread.bts_soft;

	if (!records_user(s->debugctl))
		return;		/* suspended: the branch runs, unrecorded */
	stats.records++;
	if (bts_model_record(ds_layout(), s->area,
			     !!(s->debugctl & DEBUGCTL_BTINT), from, to))
		ds_overflow_interrupt();	/* what the CPU would raise */
}

static void soft_single_step(struct task_struct *t, uint32_t from,
			     const struct insn *in,
			     const struct trap_frame *after)
{
	struct bts_soft_task *s = &t->thread.bts_soft;
	struct soft_patch *p;

	if (!bts_soft_steps(s))
		return;
	stats.traps++;
	stats.branches += is_branch(in);
	if (taken(in, after))
		record(t, from, after->eip);
	if (s->mode == BTS_SOFT_STEP_BLOCK) {
		/* One step: the return to user mode looks again. */
		s->mode = steady_mode(s);
		return;
	}
	if (s->mode != BTS_SOFT_STEP_ONCE)
		return;
	/* Fast mode's single step is done: its int3 goes back in. */
	s->mode = steady_mode(s);
	p = soft_patch_find(t, s->repatch);
	if (p)
		soft_patch_arm(t, p);
}

/*
 * On every return to user mode of a recording task (fast mode): make
 * sure the branch ending the block that eip is in carries its int3, or
 * step the block if it cannot.  Cheap when eip is still on the
 * instructions of the block checked last time (a return from a system
 * call or an interrupt); a sigreturn or SETREGS may land anywhere,
 * hence the boundary check.
 */
static void soft_exit_to_user(struct trap_frame *tf)
{
	struct bts_soft_task *s = &current->thread.bts_soft;
	uint32_t bp;
	int stepped;

	if (s->exact || !records_user(s->debugctl) ||
	    s->mode == BTS_SOFT_STEP_ONCE)
		return;
	if (s->mode == BTS_SOFT_PATCHED && tf->eip >= s->block &&
	    tf->eip <= s->bp && soft_text_boundary(current, tf->eip))
		return;
	s->block = s->bp = 0;
	bp = soft_block_ensure(current, tf->eip, &stepped);
	if (!bp) {			/* no room to patch: step instead */
		s->mode = BTS_SOFT_STEP_ALL;
		return;
	}
	if (stepped) {			/* its branch lies inside another */
		s->mode = BTS_SOFT_STEP_BLOCK;
		return;
	}
	s->mode = BTS_SOFT_PATCHED;
	s->block = tf->eip;
	s->bp = bp;
}

static int soft_breakpoint(struct trap_frame *tf)
{
	struct bts_soft_task *s = &current->thread.bts_soft;
	uint32_t from = tf->eip - 1;	/* int3 traps after itself */
	struct soft_patch *p = soft_patch_find(current, from);
	int was_taken;

	if (!p || p->unsafe)
		return 0;		/* the program's own int3 */
	stats.traps++;
	tf->eip = from;
	s->block = s->bp = 0;
	if (p->emulate && !emulate_branch(tf, &p->in, &was_taken)) {
		stats.branches++;
		if (was_taken)
			record(current, from, tf->eip);
		/* The branch ran: a single step someone asked for ends. */
		if (current->thread.user_tf || (current->ptrace & PT_FORCED_TF))
			force_sig_fault(SIGTRAP, TRAP_TRACE, tf->eip);
		return 1;
	}
	/* Let the CPU run the original instruction, single-stepped. */
	soft_patch_disarm(current, p);
	s->repatch = from;
	s->mode = BTS_SOFT_STEP_ONCE;
	return 1;
}

static void soft_fork(struct task_struct *child, struct task_struct *parent)
{
	struct soft_text *st = parent->thread.bts_soft.text;
	unsigned i;

	/* The child's pages are a copy of ours, int3s and all. */
	for (i = 0; st && child->mm && i < st->cap; i++)
		if (st->patch[i].addr)
			soft_patch_disarm(child, &st->patch[i]);
	child->thread.bts_soft = (struct bts_soft_task){ .mode = BTS_SOFT_OFF };
}

/* exec: the patched image is gone; forget it. */
static void soft_exec(struct task_struct *t)
{
	struct bts_soft_task *s = &t->thread.bts_soft;

	soft_text_release(t, 0);
	s->mode = steady_mode(s);
}

/* A tracer's PEEK: the program's bytes, not the unit's int3s. */
static void soft_peek(struct task_struct *t, uint32_t addr, uint8_t *buf,
		      size_t len)
{
	soft_hide_patches(t, addr, buf, len);
}

/*
 * A tracer's POKE into [@addr, @addr + @len): every patch and every
 * scanned block goes, not just those in the range (a write anywhere in
 * a block can change where it ends); blocks are scanned again as they
 * run.  Writes are rare: a debugger's breakpoints.
 */
static void soft_poke(struct task_struct *t, uint32_t addr, size_t len)
{
	(void)addr;
	(void)len;
	soft_text_release(t, 1);
}

static size_t soft_stats(char *buf, size_t size)
{
	return snprintf(buf, size,
			"soft_mode %s\nsoft_traps %lu\nsoft_branches %lu\n"
			"soft_records %lu\n",
			fast_default ? "fast" : "step", stats.traps,
			stats.branches, stats.records);
}

static void soft_probe(struct bts_probe *p)
{
	const char *mode = cmdline_get("bts_soft");

	fast_default = !mode || strcmp(mode, "step");
	p->ok = 1;
	p->layout = &ds_layout_64;
	p->bits = debugctl_bits_core;
	strcpy(p->reason,
	       fast_default ?
		       "an int3 per branch, emulated (fast mode), 64-bit DS layout" :
		       "single-steps every instruction (step mode), 64-bit DS layout");
}

static void soft_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	struct bts_soft_task *s = &task->thread.bts_soft;

	s->area = area;
	s->debugctl = debugctl;
	if (s->mode != BTS_SOFT_STEP_ONCE)
		s->mode = steady_mode(s);
}

/* A new trace: the exact mode if it asks (or the boot option does). */
static void soft_request(struct task_struct *task, unsigned flags)
{
	task->thread.bts_soft.exact = (flags & BTS_EXACT) || !fast_default;
}

/*
 * Switched out, or recording suspended: DEBUGCTL 0, as the hardware
 * unit writes.  The int3s stay; a one-off step still re-arms its own.
 */
static void soft_stop(struct task_struct *task)
{
	struct bts_soft_task *s = &task->thread.bts_soft;

	s->debugctl = 0;
	if (s->mode != BTS_SOFT_STEP_ONCE)
		s->mode = BTS_SOFT_OFF;
}

/* Tracing ended: the program's text is its own again. */
static void soft_release(struct task_struct *task)
{
	soft_text_release(task, 1);
	task->thread.bts_soft = (struct bts_soft_task){ .mode = BTS_SOFT_OFF };
}

const struct bts_unit bts_soft_unit = {
	.name = "software",
	.probe = soft_probe,
	.load = soft_load,
	.request = soft_request,
	.stop = soft_stop,
	.release = soft_release,
	.fork = soft_fork,
	.exec = soft_exec,
	.exit_to_user = soft_exit_to_user,
	.breakpoint = soft_breakpoint,
	.single_step = soft_single_step,
	.peek = soft_peek,
	.poke = soft_poke,
	.stats = soft_stats,
};
