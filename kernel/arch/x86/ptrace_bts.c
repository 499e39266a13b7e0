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
 * Any record but a branch between two user addresses: the decoder, then
 * the rule.  Returns 1 if @out is visible.  Out of line so that the
 * fast path below keeps its loop in registers.
 */
static __attribute__((noinline)) int
bts_decode_other(int wide, const uint8_t *raw, struct bts_struct *out)
{
	/* A timestamp leaves 4 bytes after pid: no kernel stack for them. */
	memset(out, 0, sizeof(*out));
	bts_record_decode(wide, raw, out);
	return bts_visible(out);
}

/*
 * Decode the @n raw records at @raw (@wide: the 64-bit layout) into
 * @out, which has room for @n, keeping only the visible ones; returns
 * how many it kept.
 *
 * Why the loop is shaped this way: DRAIN runs it once per record, and
 * nearly every record is a branch between two user addresses.  That
 * one is recognised on the raw 32-bit words (high halves zero, both
 * addresses below KERNEL_BASE, not the empty slot) and stored at once,
 * with no 64-bit arithmetic.  Every other record (the driver's own,
 * one holding a kernel address, an empty slot) goes through the
 * decoder and bts_visible, the one statement of the rule; for the
 * records the fast test accepts, both ways give the same result.
 */
static inline __attribute__((always_inline)) size_t
bts_decode_visible(int wide, const uint8_t *raw, size_t n,
		   struct bts_struct *out)
{
	const uint8_t *end = raw + n * DS_RECORD_SIZE(wide);
	struct bts_struct *o = out;

	for (; raw != end; raw += DS_RECORD_SIZE(wide)) {
		const uint32_t *w = (const uint32_t *)raw;
		uint32_t from = w[0], to = w[wide ? 2 : 1];
		uint32_t hi = wide ? w[1] | w[3] : 0;

		if (!hi && from < KERNEL_BASE && to < KERNEL_BASE &&
		    (from | to)) {
			o->qualifier = BTS_BRANCH;
			o->variant.lbr.from = from;
			o->variant.lbr.to = to;
			o++;
		} else {
			o += bts_decode_other(wide, raw, o);
		}
	}
	return o - out;
}

/*
 * The records in the buffer, oldest first: from the index onwards if
 * the CPU has wrapped (the slot at the index holds a record), then
 * from the base up to the index.  They are visited in batches of at
 * most BTS_BATCH, each contiguous in the buffer, so that the decoder
 * never tests for the wrap and DRAIN copies to the user once a batch.
 */
#define BTS_BATCH 32

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
 * Decode the next batch into @out[BTS_BATCH]; *@kept is the number of
 * visible records it holds (perhaps 0).  Returns 0 at the end.
 */
static int bts_iter_batch(struct bts_iter *it, struct bts_struct *out,
			  size_t *kept)
{
	size_t n = (it->t.end - it->p) / it->rs;	/* up to the end */
	const uint8_t *raw = it->p;

	if (n > it->left)
		n = it->left;
	if (n > BTS_BATCH)
		n = BTS_BATCH;
	if (!n)
		return 0;
	it->p += n * it->rs;
	if (it->p == it->t.end)
		it->p = it->t.begin;
	it->left -= n;
	/* One copy of the loop per layout, each with constant offsets. */
	*kept = it->wide ? bts_decode_visible(1, raw, n, out) :
			   bts_decode_visible(0, raw, n, out);
	return 1;
}

static size_t bts_count(struct task_struct *child)
{
	struct bts_struct batch[BTS_BATCH];
	struct bts_iter it;
	size_t n = 0, kept;

	bts_iter_start(&it, child);
	while (bts_iter_batch(&it, batch, &kept))
		n += kept;
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
	struct bts_struct batch[BTS_BATCH];
	struct bts_iter it;
	size_t count, pos, kept;

	if (!child->bts)
		return -EPERM;
	count = bts_count(child);
	if (index >= count)
		return -EINVAL;
	pos = count - 1 - index;		/* from the oldest */
	bts_iter_start(&it, child);
	while (bts_iter_batch(&it, batch, &kept) && pos >= kept)
		pos -= kept;
	return copy_to_user((void *)uout, &batch[pos], sizeof(batch[0])) ?
		       -EFAULT :
		       (long)sizeof(batch[0]);
}

static long bts_clear(struct task_struct *child)
{
	if (!child->bts)
		return -EPERM;
	ds_reset_bts(child->bts);
	ds_resume_bts(child->bts);	/* if an overflow had stopped it */
	return 0;
}

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
static long bts_drain(struct task_struct *child, uintptr_t uout, size_t n)
{
	size_t room = n / sizeof(struct bts_struct), count, kept;
	struct bts_struct batch[BTS_BATCH];
	struct bts_struct *dst = (struct bts_struct *)uout;
	struct bts_iter it;

	if (!child->bts)
		return -EPERM;
	count = bts_written(child);
	if (room < count && room < (count = bts_count(child)))
		return -EIO;
	if (count && !user_range_ok(uout, count * sizeof(struct bts_struct)))
		return -EFAULT;
	bts_iter_start(&it, child);
	while (bts_iter_batch(&it, batch, &kept)) {
		if (kept && copy_to_user(dst, batch, kept * sizeof(batch[0])))
			return -EFAULT;
		dst += kept;
	}
	bts_clear(child);
	return dst - (struct bts_struct *)uout;
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
