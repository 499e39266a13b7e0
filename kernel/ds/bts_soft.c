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
 *  - fast (default): decode ahead to the next branch of the basic
 *    block, stop there with a debug-register execute breakpoint, and
 *    emulate the branch in the kernel (arch/x86/emulate.c): one trap
 *    per executed branch.  What it cannot emulate (far transfers, a
 *    fault on the stack) it single-steps once, as the reference does.
 * Both modes record exactly the same branches: tests compare them.
 *
 * What is recorded is what a CPU with BTS_OFF_OS leaves visible to a
 * ptrace user: user-mode branches.  Transfers into the kernel (int
 * $0x80, faults) would carry a kernel address and are filtered from
 * user space anyway; returns from the kernel start in ring 0, which
 * BTS_OFF_OS suppresses.
 */
#include <asm/decode.h>
#include <asm/emulate.h>
#include <asm/step.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <spoor/cmdline.h>
#include <spoor/ds.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>

#define DEBUGCTL_TR		(1u << 6)
#define DEBUGCTL_BTS		(1u << 7)
#define DEBUGCTL_BTINT		(1u << 8)
#define DEBUGCTL_BTS_OFF_OS	(1u << 9)
#define DEBUGCTL_BTS_OFF_USR	(1u << 10)
#define SCAN_MAX		256	/* instructions decoded per block */

static int fast_mode = 1;
struct bts_soft_stats bts_soft_stats;

/* Would the CPU record user-mode branches with @debugctl? */
static int records_user(uint64_t debugctl)
{
	return (debugctl & (DEBUGCTL_TR | DEBUGCTL_BTS)) ==
		       (DEBUGCTL_TR | DEBUGCTL_BTS) &&
	       !(debugctl & DEBUGCTL_BTS_OFF_USR);
}

/* Does @in end a basic block (a transfer that is not into the kernel)? */
static int ends_block(const struct insn *in)
{
	return in->cls != INSN_OTHER && in->cls != INSN_INT &&
	       in->cls != INSN_SYSENTER;
}

/* Step mode's rule: did the instruction @in at @from, now followed by
 * @to, branch? */
static int taken(uint32_t from, const struct insn *in, uint32_t to)
{
	switch (in->cls) {
	case INSN_OTHER:
	case INSN_INVALID:
	case INSN_INT:		/* into the kernel: see above */
	case INSN_INT3:
	case INSN_INTO:
	case INSN_SYSENTER:
		return 0;
	case INSN_JCC_REL:
	case INSN_LOOP:
	case INSN_JCXZ:
		return to != from + in->len;	/* not taken: falls through */
	default:
		return 1;	/* jmp, call, ret, indirect, far, iret */
	}
}

static void record(struct task_struct *t, uint32_t from, uint32_t to)
{
	struct thread_struct *th = &t->thread;

	bts_soft_stats.records++;
	if (bts_model_record(ds_layout(), th->soft_area,
			     !!(th->soft_debugctl & DEBUGCTL_BTINT), from, to))
		ds_overflow_interrupt();	/* what the CPU would raise */
}

/* Read and decode the user instruction at @addr; its length or -1. */
static int fetch(uint32_t addr, struct insn *in)
{
	uint8_t bytes[INSN_MAX];
	size_t got = INSN_MAX - copy_safe_user(bytes, addr, INSN_MAX);

	return insn_decode(in, bytes, got);
}

void bts_soft_step(struct task_struct *t, uint32_t from,
		   const struct insn *in, uint32_t to)
{
	struct thread_struct *th = &t->thread;

	if (!th->soft_step)
		return;
	bts_soft_stats.traps++;
	bts_soft_stats.branches += ends_block(in);
	if (taken(from, in, to))
		record(t, from, to);
	if (th->soft_once) {		/* fast mode's one step is done */
		th->soft_once = 0;
		th->soft_step = 0;
	}
}

static void disarm(struct task_struct *t)
{
	if (!t->thread.soft_armed)
		return;
	t->thread.soft_armed = 0;
	debugregs_sync(t);
}

/* A debug register the tracer leaves free, or -1 when it uses all four. */
static int free_slot(const struct task_struct *t)
{
	int slot;

	for (slot = 3; slot >= 0; slot--)
		if (!(t->thread.debugreg[7] & (3u << (2 * slot))))
			return slot;
	return -1;
}

/*
 * Decode from @eip to the block's last instruction: the first control
 * transfer (or an undecodable instruction, which the CPU will fault
 * on; or, after SCAN_MAX instructions, just a place to scan on from).
 * Calls into the kernel do not end a block: they come back to the
 * next instruction.
 */
static uint32_t scan_block(uint32_t eip)
{
	struct insn in;
	int i, len;

	for (i = 0; i < SCAN_MAX; i++) {
		len = fetch(eip, &in);
		if (len < 0 || ends_block(&in))
			return eip;
		eip += len;
	}
	return eip;
}

/*
 * On every return to user mode of a recording task (fast mode): keep
 * the breakpoint if eip is still in the block it guards, else scan the
 * new block and arm its branch.  A pending single step disarms.
 */
void bts_soft_exit(struct trap_frame *tf)
{
	struct thread_struct *th = &current->thread;
	int slot;

	if (!th->soft_on || !fast_mode) {
		disarm(current);
		return;
	}
	if (th->soft_once) {
		th->soft_step = 1;
		disarm(current);
		return;
	}
	if (th->soft_armed && tf->eip >= th->soft_block &&
	    tf->eip <= th->soft_bp)
		return;
	slot = free_slot(current);
	if (slot < 0) {			/* no register: step this one */
		th->soft_once = 1;
		th->soft_step = 1;
		disarm(current);
		return;
	}
	th->soft_block = tf->eip;
	th->soft_bp = scan_block(tf->eip);
	th->soft_slot = slot;
	th->soft_armed = 1;
	debugregs_sync(current);
}

int bts_soft_breakpoint(struct trap_frame *tf, uint32_t dr6)
{
	struct thread_struct *th = &current->thread;
	uint32_t from = tf->eip;
	struct insn in;
	int was_taken;

	if (!th->soft_armed || !(dr6 & (1u << th->soft_slot)))
		return 0;
	th->soft_armed = 0;		/* rescan on the way out */
	bts_soft_stats.traps++;
	if (!th->soft_on)
		return 1;
	if (fetch(from, &in) < 0 || !ends_block(&in))
		return 1;		/* the CPU runs it, we scan on */
	if (emulate_branch(tf, &in, &was_taken)) {
		th->soft_once = 1;	/* let the CPU do it, one step */
		return 1;		/* (the step counts the branch) */
	}
	bts_soft_stats.branches++;
	if (was_taken)
		record(current, from, tf->eip);
	/* The branch ran: a single step someone asked for ends here. */
	if (th->user_tf || (current->ptrace & PT_FORCED_TF))
		force_sig_fault(SIGTRAP, TRAP_TRACE, tf->eip);
	return 1;
}

const char *bts_soft_mode(void)
{
	return fast_mode ? "fast" : "step";
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
	       "breakpoint per branch, emulated (fast mode), 64-bit DS layout" :
	       "single-steps every instruction (step mode), 64-bit DS layout");
}

static void soft_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	struct thread_struct *th = &task->thread;

	th->soft_area = area;
	th->soft_debugctl = debugctl;
	th->soft_on = records_user(debugctl);
	th->soft_step = th->soft_on && !fast_mode;
	th->soft_once = 0;
	th->soft_armed = 0;		/* rescan: the code may have changed */
}

static void soft_stop(struct task_struct *task)
{
	task->thread.soft_on = 0;
	task->thread.soft_step = 0;
	task->thread.soft_once = 0;
	disarm(task);
}

const struct bts_unit bts_soft_unit = {
	.name = "software",
	.probe = soft_probe,
	.load = soft_load,
	.stop = soft_stop,
};
