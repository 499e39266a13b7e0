/*
 * PTRACE_BTS_* (40-45): the Linux 2.6.29 branch trace requests on top
 * of the DS driver.  Spoor differs from 2.6.29 in three places, each
 * marked below: PTRACE_BTS_O_SIGNAL works (and PTRACE_BTS_O_EXACT,
 * Spoor's own flag, exists), DRAIN checks the caller's
 * buffer against records * 24 bytes, and no record with a kernel
 * address is handed to user space (such records are skipped: they do
 * not count in SIZE, GET or DRAIN).
 *
 * The buffer is kmalloc memory charged to the tracer (at most
 * BTS_CHARGE_MAX bytes per tracer, and all buffers together at most
 * an eighth of memory, so that many tracers cannot starve fork and
 * exec) and given back on every end of tracing, by x86_ptrace_untrace.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/ds.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>

#define BTS_CHARGE_MAX	(1u << 20)	/* buffer bytes one tracer may hold */
#define BTS_SYSTEM_SHARE 8		/* all buffers: 1/8 of memory */
#define BTS_O_ALL                                                        \
	(PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SCHED | PTRACE_BTS_O_SIGNAL | \
	 PTRACE_BTS_O_ALLOC | PTRACE_BTS_O_EXACT)

static size_t charged_in_all;		/* every tracer's buffer bytes */

/* What all buffers together may hold: a share of memory. */
static size_t system_limit(void)
{
	return nr_total_pages() * PAGE_SIZE / BTS_SYSTEM_SHARE;
}

/* Release the DS tracer (recording stops), keep the buffer. */
static void bts_release_tracer(struct task_struct *child)
{
	if (child->bts) {
		ds_release_bts(child->bts);
		child->bts = NULL;
	}
}

/* Give the buffer back and uncharge the tracer. */
static void bts_free_buffer(struct task_struct *child)
{
	if (child->parent && child->parent->bts_charged >= child->bts_size)
		child->parent->bts_charged -= child->bts_size;
	charged_in_all -= child->bts_size;
	kfree(child->bts_buffer);
	child->bts_buffer = NULL;
	child->bts_size = 0;
}

static int bts_alloc_buffer(struct task_struct *child, size_t size)
{
	struct task_struct *tracer = child->parent;
	void *buf;

	bts_free_buffer(child);
	if (!size)
		return 0;
	if (size > BTS_CHARGE_MAX - tracer->bts_charged)	/* per tracer */
		return -ENOMEM;
	if (size > system_limit() - charged_in_all)		/* in all */
		return -ENOMEM;
	buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	child->bts_buffer = buf;
	child->bts_size = size;
	tracer->bts_charged += size;
	charged_in_all += size;
	return 0;
}

static long bts_config(struct task_struct *child, uintptr_t ucfg, size_t n)
{
	struct ptrace_bts_config cfg;
	unsigned flags = 0;
	int err;

	if (n < sizeof(cfg))
		return -EIO;
	if (copy_from_user(&cfg, (void *)ucfg, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags & ~BTS_O_ALL)
		return -EINVAL;
	if ((cfg.flags & PTRACE_BTS_O_SIGNAL) &&
	    (cfg.signal < 1 || cfg.signal > _NSIG))
		return -EINVAL;
	if (!ds_available())	/* before anything is released or allocated */
		return -EOPNOTSUPP;
	bts_release_tracer(child);
	/* Spoor: O_SIGNAL works (2.6.29 answered EOPNOTSUPP). */
	child->thread.bts_ovfl_signal = (cfg.flags & PTRACE_BTS_O_SIGNAL) ?
						cfg.signal :
						0;
	if ((cfg.flags & PTRACE_BTS_O_ALLOC) && cfg.size != child->bts_size) {
		err = bts_alloc_buffer(child, cfg.size);
		if (err)
			return err;
	}
	if (cfg.flags & PTRACE_BTS_O_TRACE)
		flags |= BTS_USER;
	if (cfg.flags & PTRACE_BTS_O_SCHED)
		flags |= BTS_TIMESTAMPS;
	if (cfg.flags & PTRACE_BTS_O_SIGNAL)
		flags |= BTS_OVERFLOW;
	if (cfg.flags & PTRACE_BTS_O_EXACT)	/* Spoor's extension */
		flags |= BTS_EXACT;
	child->bts = ds_request_bts(child, child->bts_buffer, child->bts_size,
				    flags, &err);
	if (!child->bts) {
		bts_free_buffer(child);
		return err;
	}
	return sizeof(cfg);
}

static long bts_status(struct task_struct *child, uintptr_t ucfg, size_t n)
{
	struct ptrace_bts_config cfg;
	struct bts_trace trace;

	if (n < sizeof(cfg))
		return -EIO;
	if (!child->bts)
		return -EPERM;
	ds_read_bts(child->bts, &trace);
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = trace.end - trace.begin;
	cfg.signal = child->thread.bts_ovfl_signal;
	cfg.bts_size = sizeof(struct bts_struct);
	if (cfg.signal)
		cfg.flags |= PTRACE_BTS_O_SIGNAL;
	if (trace.flags & BTS_USER)
		cfg.flags |= PTRACE_BTS_O_TRACE;
	if (trace.flags & BTS_TIMESTAMPS)
		cfg.flags |= PTRACE_BTS_O_SCHED;
	if (trace.flags & BTS_EXACT)
		cfg.flags |= PTRACE_BTS_O_EXACT;
	return copy_to_user((void *)ucfg, &cfg, sizeof(cfg)) ?
		       -EFAULT :
		       (long)sizeof(cfg);
}

/* Spoor: a record naming a kernel address never reaches user space. */
static int bts_visible(const struct bts_struct *r)
{
	if (r->qualifier == BTS_BRANCH)
		return r->variant.lbr.from < KERNEL_BASE &&
		       r->variant.lbr.to < KERNEL_BASE;
	return r->qualifier != BTS_INVALID;
}

/*
 * The records in the buffer, oldest first: from the index onwards if
 * the CPU has wrapped (the slot at the index holds a record), then
 * from the base up to the index.
 */
struct bts_iter {
	struct bts_trace t;
	size_t rs;
	uint8_t *p;
	size_t left;		/* records still to visit */
	int wide;		/* the 64-bit layout */
};

static void bts_iter_start(struct bts_iter *it, struct task_struct *child)
{
	struct bts_struct r;
	size_t n;

	ds_read_bts(child->bts, &it->t);
	it->rs = it->t.layout->record_size;
	it->wide = it->t.layout->field_size == 8;
	n = (it->t.end - it->t.begin) / it->rs;
	bts_record_read(it->t.layout,
			it->t.top == it->t.end ? it->t.begin : it->t.top, &r);
	if (it->t.top != it->t.end && r.qualifier != BTS_INVALID) {
		it->p = it->t.top;		/* wrapped: oldest at the index */
		it->left = n;
	} else {
		it->p = it->t.begin;
		it->left = (it->t.top - it->t.begin) / it->rs;
	}
}

/*
 * The next visible record, oldest first; 0 at the end.  Inlined with
 * a constant @wide (the layout) at DRAIN's call site, its inner loop.
 */
static inline __attribute__((always_inline)) int
bts_iter_next(struct bts_iter *it, int wide, struct bts_struct *r)
{
	while (it->left) {
		bts_record_decode(wide, it->p, r);
		it->p += DS_RECORD_SIZE(wide);
		if (it->p == it->t.end)
			it->p = it->t.begin;
		it->left--;
		if (bts_visible(r))
			return 1;
	}
	return 0;
}

static size_t bts_count(struct task_struct *child)
{
	struct bts_iter it;
	struct bts_struct r;
	size_t n = 0;

	bts_iter_start(&it, child);
	while (bts_iter_next(&it, it.wide, &r))
		n++;
	return n;
}

static long bts_size(struct task_struct *child)
{
	if (!child->bts)
		return -EPERM;
	return bts_count(child);
}

/* GET: index 0 is the newest record, count - 1 the oldest. */
static long bts_get(struct task_struct *child, uintptr_t index, uintptr_t uout)
{
	struct bts_iter it;
	struct bts_struct r;
	size_t count, i;

	if (!child->bts)
		return -EPERM;
	count = bts_count(child);
	if (index >= count)
		return -EINVAL;
	bts_iter_start(&it, child);
	for (i = 0; i < count - index; i++)
		bts_iter_next(&it, it.wide, &r);
	return copy_to_user((void *)uout, &r, sizeof(r)) ? -EFAULT :
							   (long)sizeof(r);
}

static long bts_clear(struct task_struct *child)
{
	if (!child->bts)
		return -EPERM;
	ds_reset_bts(child->bts);
	ds_resume_bts(child->bts);	/* if an overflow had stopped it */
	return 0;
}

#define DRAIN_CHUNK 32		/* records staged per copy_to_user */

/* Records written since the last clear, kernel ones included. */
static size_t bts_written(struct task_struct *child)
{
	struct bts_iter it;

	bts_iter_start(&it, child);
	return it.left;
}

/*
 * DRAIN: copy every visible record, oldest first, to the caller's
 * array of @n bytes, then clear.  Spoor checks @n against the 24-byte
 * records it writes (2.6.29 compared it with raw record bytes).  The
 * whole destination is checked first, so a fault loses no record.
 * Only when the written records would not fit but some may be kernel
 * ones (not copied) does it count the visible ones exactly first.
 */
/* Copy the visible records to @uout in chunks; the number, or -EFAULT. */
static inline __attribute__((always_inline)) long
drain_copy(struct bts_iter *it, int wide, uintptr_t uout)
{
	struct bts_struct chunk[DRAIN_CHUNK];
	size_t done = 0, k = 0;

	while (bts_iter_next(it, wide, &chunk[k])) {
		if (++k < DRAIN_CHUNK)
			continue;
		if (copy_to_user((struct bts_struct *)uout + done, chunk,
				 sizeof(chunk)))
			return -EFAULT;
		done += k;
		k = 0;
	}
	if (k && copy_to_user((struct bts_struct *)uout + done, chunk,
			      k * sizeof(chunk[0])))
		return -EFAULT;
	return done + k;
}

static long bts_drain(struct task_struct *child, uintptr_t uout, size_t n)
{
	size_t room = n / sizeof(struct bts_struct), count;
	struct bts_iter it;
	long done;

	if (!child->bts)
		return -EPERM;
	count = bts_written(child);
	if (room < count && room < (count = bts_count(child)))
		return -EIO;
	if (count && !user_range_ok(uout, count * sizeof(struct bts_struct)))
		return -EFAULT;
	bts_iter_start(&it, child);
	/* One copy of the loop per layout, each with constant offsets. */
	done = it.wide ? drain_copy(&it, 1, uout) : drain_copy(&it, 0, uout);
	if (done >= 0)
		bts_clear(child);
	return done;
}

long ptrace_bts_request(struct task_struct *child, long request, uintptr_t addr,
			uintptr_t data)
{
	switch (request) {
	case PTRACE_BTS_CONFIG:
		return bts_config(child, addr, data);
	case PTRACE_BTS_STATUS:
		return bts_status(child, addr, data);
	case PTRACE_BTS_SIZE:
		return bts_size(child);
	case PTRACE_BTS_GET:
		return bts_get(child, data, addr);
	case PTRACE_BTS_CLEAR:
		return bts_clear(child);
	case PTRACE_BTS_DRAIN:
		return bts_drain(child, addr, data);
	default:
		return -EIO;
	}
}

/*
 * Every end of tracing (x86_ptrace_untrace, as in Linux 2.6.29): stop
 * recording, release the DS context, free the buffer, in that order.
 * The caller has not yet given @child back to its real parent:
 * child->parent is the tracer, whom bts_free_buffer uncharges.
 */
void ptrace_bts_untrace(struct task_struct *child)
{
	/* LAB(untrace) BEGIN release: stub = releases nothing */
	bts_release_tracer(child);
	child->thread.bts_ovfl_signal = 0;
	bts_free_buffer(child);
	/* LAB(untrace) END */
}

/* Overflow with O_SIGNAL: the tracee gets its signal (and so stops). */
static void bts_overflow(struct task_struct *task)
{
	if (task->thread.bts_ovfl_signal)
		send_sig(task->thread.bts_ovfl_signal, task);
}

struct bts_charge ptrace_bts_charge(void)
{
	return (struct bts_charge){ charged_in_all, system_limit() };
}

void ptrace_bts_init(void)
{
	ds_set_overflow_handler(bts_overflow);
}
