/*
 * The software BTS unit: a model of the CPU's branch trace store for
 * machines without one (every QEMU TCG guest, KVM guests, AMD).  While
 * the traced task runs in user mode with DEBUGCTL.TR and .BTS set (and
 * not BTS_OFF_USR), the task is single-stepped; after each instruction
 * the unit looks at what ran and, for a taken control transfer, writes
 * the record the CPU would write, through the same CPU model
 * (bts_model_record) and into the same DS area the driver programmed.
 *
 * What it records is what a CPU with BTS_OFF_OS leaves visible to a
 * ptrace user: user-mode branches.  Transfers into the kernel (int
 * $0x80, faults) would carry a kernel address and are filtered from
 * user space anyway; returns from the kernel start in ring 0, which
 * BTS_OFF_OS suppresses.
 */
#include <asm/decode.h>
#include <spoor/ds.h>
#include <spoor/sched.h>
#include <spoor/string.h>

#define DEBUGCTL_TR		(1u << 6)
#define DEBUGCTL_BTS		(1u << 7)
#define DEBUGCTL_BTINT		(1u << 8)
#define DEBUGCTL_BTS_OFF_OS	(1u << 9)
#define DEBUGCTL_BTS_OFF_USR	(1u << 10)

/* Would the CPU record user-mode branches with @debugctl? */
static int records_user(uint64_t debugctl)
{
	return (debugctl & (DEBUGCTL_TR | DEBUGCTL_BTS)) ==
		       (DEBUGCTL_TR | DEBUGCTL_BTS) &&
	       !(debugctl & DEBUGCTL_BTS_OFF_USR);
}

/* Did the instruction @in at @from, now followed by @to, branch? */
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

void bts_soft_step(struct task_struct *t, uint32_t from,
		   const struct insn *in, uint32_t to)
{
	struct thread_struct *th = &t->thread;

	if (!th->soft_step || !taken(from, in, to))
		return;
	if (bts_model_record(ds_layout(), th->soft_area,
			     !!(th->soft_debugctl & DEBUGCTL_BTINT), from, to))
		ds_overflow_interrupt();	/* what the CPU would raise */
}

static void soft_probe(struct bts_probe *p)
{
	static const struct debugctl_bits bits = {
		.tr = DEBUGCTL_TR, .bts = DEBUGCTL_BTS,
		.btint = DEBUGCTL_BTINT, .off_os = DEBUGCTL_BTS_OFF_OS,
		.off_usr = DEBUGCTL_BTS_OFF_USR,
	};

	p->ok = 1;
	p->layout = &ds_layout_64;
	p->bits = bits;
	strcpy(p->reason, "single-steps the traced task, 64-bit DS layout");
}

static void soft_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	task->thread.soft_area = area;
	task->thread.soft_debugctl = debugctl;
	task->thread.soft_step = records_user(debugctl);
}

static void soft_stop(struct task_struct *task)
{
	task->thread.soft_step = 0;
}

const struct bts_unit bts_soft_unit = {
	.name = "software",
	.probe = soft_probe,
	.load = soft_load,
	.stop = soft_stop,
};
