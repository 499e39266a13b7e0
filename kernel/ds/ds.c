/*
 * The DS driver: one DS context (save area) per traced task, owned by
 * that task through thread.ds_ctx, and the DEBUGCTL value it runs with
 * in thread.debugctlmsr.  A task without a context runs with branch
 * recording off, and switching between two such tasks costs nothing.
 */
#include <spoor/bts_unit.h>
#include <spoor/compiler.h>
#include <spoor/ds.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/time.h>

#define DS_ALIGN	64	/* the save area: a cache line of its own */
#define OVFL_SLACK	4	/* records between threshold and the end */

struct ds_context {
	uint8_t area_buf[DS_AREA_SIZE_64 + DS_ALIGN];
	void *area;		/* area_buf aligned to DS_ALIGN */
	struct task_struct *task;
};

struct bts_tracer {
	struct ds_context ctx;
	uint8_t *buf;
	size_t size;		/* bytes in use: a multiple of the record */
	unsigned flags;
	uint64_t debugctl;	/* what the task runs with while active */
	int suspended;
};

static const struct bts_unit *unit;
static const struct ds_layout *layout;
static struct debugctl_bits bits;
static bts_ovfl_fn ovfl_handler;

const struct bts_unit *ds_set_unit(const struct bts_unit *u,
				   const struct ds_layout *l,
				   const struct debugctl_bits *b)
{
	const struct bts_unit *old = unit;

	unit = u;
	layout = l;
	if (b)
		bits = *b;
	return old;
}

int ds_available(void)
{
	return unit != NULL;
}

const char *ds_unit_name(void)
{
	return unit ? unit->name : "none";
}

const struct ds_layout *ds_layout(void)
{
	return layout;
}

void ds_set_overflow_handler(bts_ovfl_fn fn)
{
	ovfl_handler = fn;
}

/* DEBUGCTL for @flags: TR|BTS, user-only or kernel-only, BTINT. */
static uint64_t debugctl_for(unsigned flags)
{
	uint64_t v = bits.tr | bits.bts;

	if (!(flags & (BTS_USER | BTS_KERNEL)))
		return 0;		/* timestamps only: no branches */

	if (!(flags & BTS_KERNEL))
		v |= bits.off_os;	/* 0 where the CPU has no DS-CPL */
	if (!(flags & BTS_USER))
		v |= bits.off_usr;
	if (flags & BTS_OVERFLOW)
		v |= bits.btint;
	return v;
}

/* Point @t's DS area at @buf: base, index, maximum and threshold. */
static void ds_setup_area(struct bts_tracer *t)
{
	uint64_t base = (uintptr_t)t->buf, absmax = base + t->size;
	uint64_t rs = layout->record_size;

	memset(t->ctx.area, 0, layout->area_size);
	ds_set(layout, t->ctx.area, DS_BTS_BASE, base);
	ds_set(layout, t->ctx.area, DS_BTS_INDEX, base);
	ds_set(layout, t->ctx.area, DS_BTS_ABSMAX, absmax);
	/*
	 * Circular mode: clearing BTINT is not enough, the threshold must
	 * lie beyond the maximum (SDM).  Overflow mode: a few records
	 * before the end, so the interrupt comes while there is room.
	 */
	ds_set(layout, t->ctx.area, DS_BTS_THRESHOLD,
	       (t->flags & BTS_OVERFLOW) ? absmax - OVFL_SLACK * rs :
					   absmax + rs);
}

/* Apply @task's current DEBUGCTL value now if it is running. */
static void ds_reload(struct task_struct *task)
{
	if (task != current)
		return;		/* takes effect when it next runs */
	unit->stop(task);
	if (task->thread.ds_ctx && task->thread.debugctlmsr)
		unit->load(task, task->thread.ds_ctx->area,
			   task->thread.debugctlmsr);
}

struct bts_tracer *ds_request_bts(struct task_struct *task, void *buf,
				  size_t size, unsigned flags, int *err)
{
	size_t n, min = (flags & BTS_OVERFLOW) ? OVFL_SLACK + 2 : 2;
	struct bts_tracer *t;

	*err = -EOPNOTSUPP;
	if (!unit)
		return NULL;
	*err = -EBUSY;
	if (task->thread.ds_ctx)
		return NULL;
	*err = -EINVAL;
	n = size / layout->record_size;
	/* The SDM leaves a maximum below base + one record + 1 undefined. */
	if (!buf || ((uintptr_t)buf & 3) || n < min)
		return NULL;
	*err = -ENOMEM;
	t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->ctx.area = (void *)ALIGN_UP((uintptr_t)t->ctx.area_buf, DS_ALIGN);
	t->ctx.task = task;
	t->buf = buf;
	t->size = n * layout->record_size;
	t->flags = flags;
	t->debugctl = debugctl_for(flags);
	memset(buf, 0, size);
	ds_setup_area(t);
	task->thread.ds_ctx = &t->ctx;
	task->thread.debugctlmsr = t->debugctl;
	if (unit->request)
		unit->request(task, flags);
	ds_reload(task);
	*err = 0;
	return t;
}

void *ds_context_area(struct ds_context *ctx)
{
	return ctx->area;
}

static struct bts_tracer *tracer_of(struct ds_context *ctx)
{
	return container_of(ctx, struct bts_tracer, ctx);
}

void ds_release_bts(struct bts_tracer *t)
{
	struct task_struct *task = t->ctx.task;

	/* The CPU may still be writing records: recording off first. */
	task->thread.debugctlmsr = 0;
	if (task == current)
		unit->stop(task);
	if (unit->release)
		unit->release(task);
	task->thread.ds_ctx = NULL;
	kfree(t);
}

void ds_suspend_bts(struct bts_tracer *t)
{
	t->suspended = 1;
	t->ctx.task->thread.debugctlmsr = 0;
	ds_reload(t->ctx.task);
}

void ds_resume_bts(struct bts_tracer *t)
{
	t->suspended = 0;
	t->ctx.task->thread.debugctlmsr = t->debugctl;
	ds_reload(t->ctx.task);
}

void ds_read_bts(struct bts_tracer *t, struct bts_trace *trace)
{
	trace->layout = layout;
	trace->begin = t->buf;
	trace->end = t->buf + t->size;
	trace->top = (uint8_t *)(uintptr_t)ds_get(layout, t->ctx.area,
						  DS_BTS_INDEX);
	trace->flags = t->flags;
}

void ds_reset_bts(struct bts_tracer *t)
{
	memset(t->buf, 0, t->size);
	ds_set(layout, t->ctx.area, DS_BTS_INDEX, (uintptr_t)t->buf);
}

/* Overflow: stop recording and let the ptrace layer act (signal). */
static void ds_overflow(struct bts_tracer *t)
{
	ds_suspend_bts(t);
	if (ovfl_handler)
		ovfl_handler(t->ctx.task);
}

void ds_write_bts(struct bts_tracer *t, const struct bts_struct *rec)
{
	if (bts_model_write(layout, t->ctx.area, t->flags & BTS_OVERFLOW, rec))
		ds_overflow(t);
}

/* A task-arrives/-departs record in @task's own buffer. */
static void ds_timestamp(struct task_struct *task, unsigned q)
{
	struct bts_tracer *t = tracer_of(task->thread.ds_ctx);
	struct bts_struct rec = { .qualifier = q };

	if (!(t->flags & BTS_TIMESTAMPS) || t->suspended)
		return;
	rec.variant.timestamp.jiffies = jiffies;
	rec.variant.timestamp.pid = task->pid;
	ds_write_bts(t, &rec);
}

/*
 * Called on every context switch.  Recording stops before anything of
 * @prev's changes; @next's DS area is loaded before its DEBUGCTL.
 */
void ds_switch_to(struct task_struct *prev, struct task_struct *next)
{
	if (!prev->thread.ds_ctx && !next->thread.ds_ctx)
		return;
	if (!unit)
		return;
	if (prev->thread.ds_ctx) {
		unit->stop(prev);
		ds_timestamp(prev, BTS_TASK_DEPARTS);
	}
	if (next->thread.ds_ctx) {
		ds_timestamp(next, BTS_TASK_ARRIVES);
		if (next->thread.debugctlmsr)
			unit->load(next, next->thread.ds_ctx->area,
				   next->thread.debugctlmsr);
	}
}

/*
 * The BTS interrupt.  Check that current's index really reached the
 * threshold (the vector could be shared), then stop and report.
 */
void ds_overflow_interrupt(void)
{
	struct ds_context *ctx = current->thread.ds_ctx;
	struct bts_tracer *t;

	if (!ctx)
		return;
	t = tracer_of(ctx);
	if (!(t->flags & BTS_OVERFLOW) ||
	    ds_get(layout, ctx->area, DS_BTS_INDEX) <
		    ds_get(layout, ctx->area, DS_BTS_THRESHOLD))
		return;
	ds_overflow(t);
}

/*
 * The unit's software hooks (spoor/bts_unit.h): a no-op where there is
 * no unit, or the unit needs none (the hardware records by itself).
 */
void ds_unit_fork(struct task_struct *child, struct task_struct *parent)
{
	if (unit && unit->fork)
		unit->fork(child, parent);
}

void ds_unit_exec(struct task_struct *task)
{
	if (unit && unit->exec)
		unit->exec(task);
}

void ds_unit_exit_to_user(struct trap_frame *tf)
{
	if (unit && unit->exit_to_user)
		unit->exit_to_user(tf);
}

int ds_unit_breakpoint(struct trap_frame *tf)
{
	return unit && unit->breakpoint && unit->breakpoint(tf);
}

void ds_unit_single_step(struct task_struct *task, uint32_t from,
			 const struct insn *in, const struct trap_frame *after)
{
	if (unit && unit->single_step)
		unit->single_step(task, from, in, after);
}

void ds_unit_peek(struct task_struct *task, uint32_t addr, uint8_t *buf,
		  size_t len)
{
	if (unit && unit->peek)
		unit->peek(task, addr, buf, len);
}

void ds_unit_poke(struct task_struct *task, uint32_t addr, size_t len)
{
	if (unit && unit->poke)
		unit->poke(task, addr, len);
}

size_t ds_unit_stats(char *buf, size_t size)
{
	return unit && unit->stats ? unit->stats(buf, size) : 0;
}
