/*
 * ktest suite "ds": the DS driver and PTRACE_BTS_* with the fake BTS
 * unit.  Branches are produced with bts_model_record, the CPU model the
 * software unit also uses, so these cases check what a tracer would
 * read after the CPU wrote records: wrap, threshold interrupt, GET
 * (0 = newest), DRAIN (oldest first, then empty), CLEAR, both layouts.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/mm.h>
#include <spoor/ptrace.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include "kt_user.h"

/* A traced task that never runs: its tracer is the test (current). */
static struct task_struct child;

struct ds_env {
	const struct bts_unit *old_unit;
	const struct ds_layout *old_layout;
	unsigned long heap;
};

static void env_enter(struct ds_env *e, const struct ds_layout *l)
{
	e->heap = kmalloc_bytes_in_use();
	e->old_layout = ds_layout();
	e->old_unit = ds_set_unit(&bts_fake_unit, l, &debugctl_bits_core);
	memset(&child, 0, sizeof(child));
	child.pid = 4242;
	child.ptrace = PT_PTRACED;
	child.parent = child.real_parent = current;
	memset(&bts_fake_state, 0, sizeof(bts_fake_state));
}

static void env_leave(struct kt_test *t, struct ds_env *e)
{
	ptrace_bts_untrace(&child);
	ds_set_unit(e->old_unit, e->old_layout, NULL);
	KT_EXPECT_PTR_EQ(t, child.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, child.thread.debugctlmsr, 0);
	KT_EXPECT_EQ(t, current->bts_charged, 0);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), e->heap);
}

static void layouts(struct kt_test *t)
{
	uint8_t a32[DS_AREA_SIZE_64] = { 0 }, a64[DS_AREA_SIZE_64] = { 0 };

	KT_EXPECT_EQ(t, ds_layout_32.record_size, 12);
	KT_EXPECT_EQ(t, ds_layout_64.record_size, 24);
	ds_set(&ds_layout_32, a32, DS_BTS_THRESHOLD, 0x11223344);
	KT_EXPECT_EQ(t, a32[0x0c], 0x44);	/* 32-bit: threshold at 0x0C */
	KT_EXPECT_EQ(t, ds_get(&ds_layout_32, a32, DS_BTS_THRESHOLD),
		     0x11223344);
	ds_set(&ds_layout_64, a64, DS_BTS_INDEX, 0x55667788);
	ds_set(&ds_layout_64, a64, DS_BTS_THRESHOLD, 0x1ull << 40);
	KT_EXPECT_EQ(t, a64[0x08], 0x88);	/* 64-bit: index at 0x08 */
	KT_EXPECT_EQ(t, a64[0x1d], 0x01);	/* threshold at 0x18, 8 bytes */
	KT_EXPECT_EQ(t, ds_get(&ds_layout_64, a64, DS_BTS_INDEX), 0x55667788);
}

static void record_codec(struct kt_test *t)
{
	const struct ds_layout *ls[] = { &ds_layout_32, &ds_layout_64 };
	unsigned i;

	for (i = 0; i < 2; i++) {
		uint8_t raw[24];
		struct bts_struct in = { .qualifier = BTS_BRANCH }, out;

		in.variant.lbr.from = 0x08048123;
		in.variant.lbr.to = 0x08049000;
		bts_record_write(ls[i], raw, &in);
		bts_record_read(ls[i], raw, &out);
		KT_EXPECT_EQ(t, out.qualifier, BTS_BRANCH);
		KT_EXPECT_EQ(t, out.variant.lbr.from, 0x08048123);
		KT_EXPECT_EQ(t, out.variant.lbr.to, 0x08049000);
		memset(&in, 0, sizeof(in));
		in.qualifier = BTS_TASK_DEPARTS;
		in.variant.timestamp.jiffies = 777;
		in.variant.timestamp.pid = 42;
		bts_record_write(ls[i], raw, &in);
		bts_record_read(ls[i], raw, &out);
		KT_EXPECT_EQ(t, out.qualifier, BTS_TASK_DEPARTS);
		KT_EXPECT_EQ(t, out.variant.timestamp.jiffies, 777);
		KT_EXPECT_EQ(t, out.variant.timestamp.pid, 42);
		memset(raw, 0, sizeof(raw));
		bts_record_read(ls[i], raw, &out);
		KT_EXPECT_EQ(t, out.qualifier, BTS_INVALID);
	}
}

/* The DS area the driver programs, in both modes. */
static void area_programming(struct kt_test *t)
{
	struct ds_env e;
	struct bts_tracer *tr;
	uint8_t *area, *buf;
	uint64_t base;
	int err;

	env_enter(&e, &ds_layout_64);
	buf = kmalloc(10 * 24 + 5);
	KT_ASSERT_PTR_NE(t, buf, NULL);
	base = (uintptr_t)buf;
	tr = ds_request_bts(&child, buf, 10 * 24 + 5, BTS_USER, &err);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	area = ds_context_area(child.thread.ds_ctx);
	KT_EXPECT_EQ(t, (uintptr_t)area & 63, 0);
	KT_EXPECT_EQ(t, ds_get(&ds_layout_64, area, DS_BTS_BASE), base);
	KT_EXPECT_EQ(t, ds_get(&ds_layout_64, area, DS_BTS_INDEX), base);
	/* 245 bytes hold 10 whole records; the maximum is one past them. */
	KT_EXPECT_EQ(t, ds_get(&ds_layout_64, area, DS_BTS_ABSMAX), base + 240);
	/* Circular: the threshold lies beyond the maximum. */
	KT_EXPECT_GT(t, ds_get(&ds_layout_64, area, DS_BTS_THRESHOLD),
		     base + 240);
	KT_EXPECT_EQ(t, child.thread.debugctlmsr, (1 << 6) | (1 << 7) | (1 << 9));
	KT_EXPECT_PTR_EQ(t, ds_request_bts(&child, buf, 240, BTS_USER, &err),
			 NULL);
	KT_EXPECT_EQ(t, err, -EBUSY);
	ds_release_bts(tr);
	KT_EXPECT_EQ(t, child.thread.debugctlmsr, 0);
	KT_EXPECT_PTR_EQ(t, child.thread.ds_ctx, NULL);

	tr = ds_request_bts(&child, buf, 10 * 24, BTS_USER | BTS_OVERFLOW, &err);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	area = ds_context_area(child.thread.ds_ctx);
	/* Overflow: BTINT, threshold a few records before the end. */
	KT_EXPECT_EQ(t, ds_get(&ds_layout_64, area, DS_BTS_THRESHOLD),
		     base + 240 - 4 * 24);
	KT_EXPECT_EQ(t, child.thread.debugctlmsr,
		     (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9));
	ds_release_bts(tr);
	KT_EXPECT_PTR_EQ(t, ds_request_bts(&child, buf, 24, BTS_USER, &err),
			 NULL);
	KT_EXPECT_EQ(t, err, -EINVAL);	/* below base + record + 1 */
	kfree(buf);
	env_leave(t, &e);
}

/*
 * The CPU model against a raw DS area: circular mode wraps at the
 * maximum and never interrupts; overflow mode interrupts exactly when
 * the index reaches the threshold.
 */
static void model_wrap_and_threshold(struct kt_test *t)
{
	const struct ds_layout *l = &ds_layout_32;
	uint8_t area[DS_AREA_SIZE_64], buf[DS_RECORD_SIZE_32 * 4];
	uint64_t base = (uintptr_t)buf;
	int i, irq = 0;

	memset(area, 0, sizeof(area));
	ds_set(l, area, DS_BTS_BASE, base);
	ds_set(l, area, DS_BTS_INDEX, base);
	ds_set(l, area, DS_BTS_ABSMAX, base + 48);
	ds_set(l, area, DS_BTS_THRESHOLD, base + 48 + 12);
	for (i = 0; i < 6; i++)
		irq |= bts_model_record(l, area, 0, 0x1000 + i, 0x2000 + i);
	KT_EXPECT_EQ(t, irq, 0);
	KT_EXPECT_EQ(t, ds_get(l, area, DS_BTS_INDEX), base + 24);
	KT_EXPECT_EQ(t, *(uint32_t *)(buf + 12), 0x1005);	/* 6th wrote slot 1 */

	ds_set(l, area, DS_BTS_INDEX, base);
	ds_set(l, area, DS_BTS_THRESHOLD, base + 36);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 1, 2), 0);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 1, 2), 0);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 1, 2), 1);	/* index 36 */
}

/* Current's scratch address space, and a traced child with a buffer. */
struct bts_env {
	struct ds_env ds;
	struct kt_user u;
	struct ptrace_bts_config *cfg;	/* user pointers into the page */
	struct bts_struct *out;
};

static int bts_enter(struct kt_test *t, struct bts_env *b,
		     const struct ds_layout *l, uint32_t size, uint32_t flags)
{
	long ret;

	env_enter(&b->ds, l);
	if (kt_user_enter(&b->u, 2))
		return -ENOMEM;
	b->cfg = (struct ptrace_bts_config *)b->u.base;
	b->out = (struct bts_struct *)(b->u.base + 64);
	b->cfg->size = size;
	b->cfg->flags = flags | PTRACE_BTS_O_ALLOC;
	b->cfg->signal = SIGUSR1;
	ret = ptrace_bts_request(&child, PTRACE_BTS_CONFIG, (uintptr_t)b->cfg,
				 16);
	if (ret != 16)
		kt_log(t, "PTRACE_BTS_CONFIG: %ld", ret);
	return ret == 16 ? 0 : -EINVAL;
}

static void bts_leave(struct kt_test *t, struct bts_env *b)
{
	kt_user_leave(&b->u);
	env_leave(t, &b->ds);
}

/* Write @n branches i = 1..n as {0x1000 + i, 0x2000 + i}. */
static int branches(int first, int n)
{
	void *area = ds_context_area(child.thread.ds_ctx);
	int i, irq = 0;

	for (i = first; i < first + n; i++)
		irq |= bts_model_record(ds_layout(), area,
					child.thread.debugctlmsr & (1 << 8),
					0x1000 + i, 0x2000 + i);
	return irq;
}

static long bts(long req, uintptr_t addr, uintptr_t data)
{
	return ptrace_bts_request(&child, req, addr, data);
}

static void get_newest_first(struct kt_test *t, const struct ds_layout *l)
{
	struct bts_env b;

	KT_ASSERT_EQ(t, bts_enter(t, &b, l, 8 * l->record_size,
				  PTRACE_BTS_O_TRACE), 0);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 0);
	branches(1, 3);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 3);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 0), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.from, 0x1003);	/* newest */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 2), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.to, 0x2001);	/* oldest */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 3), -EINVAL);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, 0xC0000000, 0), -EFAULT);
	/* Wrap: 8 slots, 11 branches: the 8 newest remain. */
	branches(4, 8);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 8);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 0), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.from, 0x100b);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 7), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.from, 0x1004);
	bts_leave(t, &b);
}

static void get_newest_first_32(struct kt_test *t)
{
	get_newest_first(t, &ds_layout_32);
}

static void get_newest_first_64(struct kt_test *t)
{
	get_newest_first(t, &ds_layout_64);
}

static void drain_oldest_first(struct kt_test *t, const struct ds_layout *l)
{
	struct bts_env b;
	int i, ok = 1;

	KT_ASSERT_EQ(t, bts_enter(t, &b, l, 16 * l->record_size,
				  PTRACE_BTS_O_TRACE), 0);
	branches(1, 5);
	/* Spoor: the buffer is checked against 5 x 24 bytes, not 5 x 12. */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_DRAIN, (uintptr_t)b.out, 5 * 24 - 1),
		     -EIO);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 5);	/* nothing lost */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_DRAIN, (uintptr_t)b.out, 5 * 24), 5);
	for (i = 0; i < 5; i++)
		ok &= b.out[i].qualifier == BTS_BRANCH &&
		      b.out[i].variant.lbr.from == (uint64_t)0x1001 + i;
	KT_EXPECT_TRUE(t, ok);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 0);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_DRAIN, (uintptr_t)b.out, 0), 0);
	bts_leave(t, &b);
}

static void drain_oldest_first_32(struct kt_test *t)
{
	drain_oldest_first(t, &ds_layout_32);
}

static void drain_oldest_first_64(struct kt_test *t)
{
	drain_oldest_first(t, &ds_layout_64);
}

/*
 * Record i of drain_batches: every 5th names a kernel address, every
 * 7th is a timestamp (jiffies and pid i, so visible), and 13 has a
 * `from` above 4 GiB (a kernel address in the 64-bit layout; the
 * 32-bit one keeps its low half).
 */
static struct bts_struct batch_record(unsigned i)
{
	struct bts_struct r = { .qualifier = BTS_BRANCH };

	r.variant.lbr.from = 0x1000 + i;
	r.variant.lbr.to = i % 5 ? 0x2000 + i : 0xC0002000 + i;
	if (i == 13)
		r.variant.lbr.from += 1ull << 32;
	if (i % 7 == 0) {
		r.qualifier = BTS_TASK_ARRIVES;
		r.variant.timestamp.jiffies = i;
		r.variant.timestamp.pid = i;
	}
	return r;
}

/* Fill the stack below us, so that a byte DRAIN leaves unset shows. */
static __attribute__((noinline)) void poison_stack(void)
{
	volatile uint8_t junk[2048];

	memset((void *)junk, 0xa5, sizeof(junk));
}

/*
 * DRAIN, SIZE and GET across batches and the wrap: 40 slots, 50
 * records of every kind; exactly the visible ones of the 40 newest
 * come out, oldest first.
 */
static void drain_batches(struct kt_test *t, const struct ds_layout *l)
{
	unsigned want[40], i;
	struct bts_struct r;
	struct bts_env b;
	int n = 0, ok = 1;

	KT_ASSERT_EQ(t, bts_enter(t, &b, l, 40 * l->record_size,
				  PTRACE_BTS_O_TRACE), 0);
	for (i = 1; i <= 50; i++) {
		r = batch_record(i);
		bts_model_write(l, ds_context_area(child.thread.ds_ctx), 0,
				&r);
		if (i > 10 && (i % 7 == 0 ||
			       (i % 5 && (i != 13 || l->field_size == 4))))
			want[n++] = i;
	}
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), n);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, n - 1), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.from, 0x1000 + want[0]);
	poison_stack();
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_DRAIN, (uintptr_t)b.out, n * 24), n);
	for (i = 0; i < (unsigned)n; i++) {
		r = batch_record(want[i]);
		r.variant.lbr.from &= 0xffffffff;	/* 13, 32-bit layout */
		ok &= !memcmp(&b.out[i], &r, sizeof(r));	/* padding too */
	}
	KT_EXPECT_TRUE(t, ok);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 0);
	bts_leave(t, &b);
}

static void drain_batches_32(struct kt_test *t)
{
	drain_batches(t, &ds_layout_32);
}

static void drain_batches_64(struct kt_test *t)
{
	drain_batches(t, &ds_layout_64);
}

static void clear_and_kernel_filter(struct kt_test *t)
{
	struct bts_env b;

	KT_ASSERT_EQ(t, bts_enter(t, &b, &ds_layout_64, 8 * 24,
				  PTRACE_BTS_O_TRACE), 0);
	branches(1, 2);
	bts_model_record(ds_layout(), ds_context_area(child.thread.ds_ctx), 0,
			 0x08048000, 0xC0101234);	/* into the kernel */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 2);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 0), 24);
	KT_EXPECT_EQ(t, b.out->variant.lbr.from, 0x1002);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CLEAR, 0, 0), 0);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), 0);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_GET, (uintptr_t)b.out, 0), -EINVAL);
	bts_leave(t, &b);
}

/* O_SIGNAL: the interrupt at the threshold stops recording, signals. */
static void overflow_signals(struct kt_test *t)
{
	struct bts_env b;

	KT_ASSERT_EQ(t, bts_enter(t, &b, &ds_layout_64, 10 * 24,
				  PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SIGNAL), 0);
	KT_EXPECT_EQ(t, branches(1, 5), 0);
	KT_EXPECT_EQ(t, branches(6, 1), 1);	/* index reached 10 - 4 */
	/* The BTS interrupt arrives while the child runs: */
	KT_EXPECT_TRUE(t, child.thread.debugctlmsr & (1 << 8));
	{
		struct task_struct *saved = current;

		current = &child;
		ds_overflow_interrupt();
		current = saved;
	}
	KT_EXPECT_EQ(t, child.thread.debugctlmsr, 0);	/* stopped */
	KT_EXPECT_TRUE(t, child.sig.pending & sigmask(SIGUSR1));
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_STATUS, (uintptr_t)b.cfg, 16), 16);
	KT_EXPECT_EQ(t, b.cfg->flags, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SIGNAL);
	KT_EXPECT_EQ(t, b.cfg->signal, SIGUSR1);
	KT_EXPECT_EQ(t, b.cfg->size, 240);
	KT_EXPECT_EQ(t, b.cfg->bts_size, 24);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CLEAR, 0, 0), 0);	/* resumes */
	KT_EXPECT_NE(t, child.thread.debugctlmsr, 0);
	bts_leave(t, &b);
}

/* Bad inputs: documented errno, nothing allocated, nothing changed. */
static void config_errors(struct kt_test *t)
{
	struct bts_env b;
	unsigned long heap;

	KT_ASSERT_EQ(t, bts_enter(t, &b, &ds_layout_64, 4 * 24,
				  PTRACE_BTS_O_TRACE), 0);
	heap = kmalloc_bytes_in_use();
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, (uintptr_t)b.cfg, 15), -EIO);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, 0, 16), -EFAULT);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, 0xC0000000, 16), -EFAULT);
	b.cfg->flags = 0x80;
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, (uintptr_t)b.cfg, 16), -EINVAL);
	b.cfg->flags = PTRACE_BTS_O_SIGNAL;
	b.cfg->signal = 0;
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, (uintptr_t)b.cfg, 16), -EINVAL);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), heap);
	KT_EXPECT_PTR_NE(t, child.bts, NULL);	/* the old config stands */
	b.cfg->flags = PTRACE_BTS_O_ALLOC | PTRACE_BTS_O_TRACE;
	b.cfg->size = 64 << 20;			/* over the 1 MiB charge */
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_CONFIG, (uintptr_t)b.cfg, 16), -ENOMEM);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_STATUS, (uintptr_t)b.cfg, 16), -EPERM);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_SIZE, 0, 0), -EPERM);
	KT_EXPECT_EQ(t, bts(PTRACE_BTS_DRAIN, (uintptr_t)b.out, 100), -EPERM);
	KT_EXPECT_EQ(t, current->bts_charged, 0);
	bts_leave(t, &b);
}

/* Without a unit CONFIG fails with EOPNOTSUPP and allocates nothing. */
static void no_unit(struct kt_test *t)
{
	struct ds_env e;
	struct kt_user u;
	struct ptrace_bts_config *cfg;
	const struct bts_unit *fake;

	env_enter(&e, &ds_layout_64);
	fake = ds_set_unit(NULL, NULL, NULL);
	KT_ASSERT_EQ(t, kt_user_enter(&u, 1), 0);
	cfg = (struct ptrace_bts_config *)u.base;
	cfg->size = 4096;
	cfg->flags = PTRACE_BTS_O_ALLOC | PTRACE_BTS_O_TRACE;
	KT_EXPECT_EQ(t, ptrace_bts_request(&child, PTRACE_BTS_CONFIG,
					   (uintptr_t)cfg, 16), -EOPNOTSUPP);
	KT_EXPECT_PTR_EQ(t, child.bts_buffer, NULL);
	kt_user_leave(&u);
	ds_set_unit(fake, &ds_layout_64, NULL);
	env_leave(t, &e);
}

/* Context switches: nothing for untraced tasks; off, area, then on. */
static void switch_hook(struct kt_test *t)
{
	static struct task_struct plain;
	struct bts_env b;

	KT_ASSERT_EQ(t, bts_enter(t, &b, &ds_layout_64, 4 * 24,
				  PTRACE_BTS_O_TRACE), 0);
	memset(&bts_fake_state, 0, sizeof(bts_fake_state));
	ds_switch_to(&plain, current);
	KT_EXPECT_EQ(t, bts_fake_state.loads + bts_fake_state.stops, 0);
	ds_switch_to(&plain, &child);
	KT_EXPECT_EQ(t, bts_fake_state.loads, 1);
	KT_EXPECT_PTR_EQ(t, bts_fake_state.task, &child);
	KT_EXPECT_EQ(t, bts_fake_state.debugctl, child.thread.debugctlmsr);
	ds_switch_to(&child, &plain);
	KT_EXPECT_EQ(t, bts_fake_state.stops, 1);
	KT_EXPECT_EQ(t, bts_fake_state.debugctl, 0);
	bts_leave(t, &b);
}

KT_SUITE(ds_suite, "ds",
	 KT_CASE(layouts),
	 KT_CASE(record_codec),
	 KT_CASE(area_programming),
	 KT_CASE(model_wrap_and_threshold),
	 KT_CASE(get_newest_first_32),
	 KT_CASE(get_newest_first_64),
	 KT_CASE(drain_oldest_first_32),
	 KT_CASE(drain_oldest_first_64),
	 KT_CASE(drain_batches_32),
	 KT_CASE(drain_batches_64),
	 KT_CASE(clear_and_kernel_filter),
	 KT_CASE(overflow_signals),
	 KT_CASE(config_errors),
	 KT_CASE(no_unit),
	 KT_CASE(switch_hook));
