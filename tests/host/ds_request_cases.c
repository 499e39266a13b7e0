/*
 * Host tests of ds_request_bts with the hardware unit on the fake CPU:
 * the DEBUGCTL value for each flag set and CPU family, the DS area
 * (offsets, threshold for circular and overflow mode, rounding), and
 * every refusal.  Part of the test_ds program (see test_ds.c).
 */
#include <spoor/compiler.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ds_cpu.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include "ds_env.h"
#include "fake_cpu.h"
#include "kernel_shim.h"

/* -- ds_request: DEBUGCTL value and DS area --------------------------- */

struct bits_case {
	unsigned flags;
	uint64_t debugctl;	/* the SDM's IA32_DEBUGCTL bits */
};

/*
 * Trace the current task with each @flags: the value the task runs
 * with, the value the CPU got (a bit the silicon lacks would #GP in
 * the fake CPU), and nothing recorded in the kernel for BTS_USER.
 */
static void check_bits(struct kt_test *t, const struct fake_cpu_profile *prof,
		       const struct bits_case *c, unsigned n)
{
	struct env e;
	unsigned i;

	KT_ASSERT_EQ(t, hw_enter(t, &e, prof), 0);
	current = &ta;
	for (i = 0; i < n; i++) {
		const struct fake_event *w;
		struct bts_tracer *tr;
		uint8_t *buf;

		fake_cpu_clear_log();
		tr = trace(&e, &ta, 16, 0, c[i].flags, &buf);
		KT_ASSERT_PTR_NE(t, tr, NULL);
		KT_EXPECT_EQ(t, ta.thread.debugctlmsr, c[i].debugctl);
		KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), c[i].debugctl);
		w = last_debugctl_write();
		KT_ASSERT_PTR_NE(t, w, NULL);
		KT_EXPECT_EQ(t, w->value, c[i].debugctl);
		KT_EXPECT_EQ(t, w->rc, 0);
		untrace(tr, buf);
	}
	hw_leave(t, &e);
}

static void user_only_bits_core2(struct kt_test *t)
{
	static const struct bits_case c[] = {
		{ BTS_USER, 0x2c0 },			/* TR|BTS|OFF_OS */
		{ BTS_USER | BTS_OVERFLOW, 0x3c0 },	/* + BTINT */
		{ BTS_KERNEL, 0x4c0 },			/* TR|BTS|OFF_USR */
		{ BTS_USER | BTS_KERNEL, 0xc0 },
		{ BTS_TIMESTAMPS, 0 },			/* no branches */
	};

	check_bits(t, &fake_core2, c, ARRAY_SIZE(c));
}

static void user_only_bits_netburst(struct kt_test *t)
{
	static const struct bits_case c[] = {
		{ BTS_USER, 0x2c },			/* TR 2|BTS 3|OS 5 */
		{ BTS_USER | BTS_OVERFLOW, 0x3c },	/* + BTINT 4 */
		{ BTS_KERNEL, 0x4c },			/* + OFF_USR 6 */
		{ BTS_USER | BTS_KERNEL, 0x0c },
	};

	check_bits(t, &fake_netburst, c, ARRAY_SIZE(c));
}

static void no_cpl_bits_pentium_m(struct kt_test *t)
{
	static const struct bits_case c[] = {
		{ BTS_USER, 0xc0 },			/* no BTS_OFF_OS */
		{ BTS_USER | BTS_OVERFLOW, 0x1c0 },
		{ BTS_KERNEL, 0xc0 },			/* no BTS_OFF_USR */
		{ BTS_TIMESTAMPS, 0 },
	};

	check_bits(t, &fake_pentium_m, c, ARRAY_SIZE(c));
}

/*
 * Circular mode: base and index at the buffer, the maximum one past
 * its last whole record, the threshold beyond the maximum (clearing
 * BTINT alone is not enough), PEBS half zero.  Then the CPU wraps.
 */
static void check_circular_area(struct kt_test *t,
				const struct fake_cpu_profile *prof,
				unsigned area_size)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf, *area;
	uint64_t base, absmax;
	unsigned i;
	int irq = 0;

	KT_ASSERT_EQ(t, hw_enter(t, &e, prof), 0);
	current = &ta;
	tr = trace(&e, &ta, 10, e.rs - 1, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	area = (uint8_t *)(uintptr_t)fake_cpu_msr(MSR_IA32_DS_AREA);
	KT_ASSERT_PTR_NE(t, area, NULL);
	KT_EXPECT_PTR_EQ(t, area, area_of(&ta));
	base = (uintptr_t)buf;
	absmax = base + 10 * e.rs;
	KT_EXPECT_EQ(t, raw(&e, area, F_BASE), base);
	KT_EXPECT_EQ(t, raw(&e, area, F_INDEX), base);
	KT_EXPECT_EQ(t, raw(&e, area, F_ABSMAX), absmax);
	KT_EXPECT_GT(t, raw(&e, area, F_THRESHOLD), absmax);
	for (i = 4 * e.fs; i < area_size; i++)
		irq |= area[i];
	KT_EXPECT_EQ(t, irq, 0);	/* PEBS fields */
	memset(buf + 10 * e.rs, 0xee, e.rs - 1);
	for (i = 0; i < 30; i++)
		irq |= bts_model_record(e.l, area, 0, 0x1000 + i, 0x2000 + i);
	KT_EXPECT_EQ(t, irq, 0);
	KT_EXPECT_EQ(t, raw(&e, area, F_INDEX), base);	/* 3 laps */
	KT_EXPECT_EQ(t, buf[10 * e.rs + e.rs - 2], 0xee);
	untrace(tr, buf);
	hw_leave(t, &e);
}

static void area_circular_32(struct kt_test *t)
{
	check_circular_area(t, &fake_netburst, 0x28);
}

static void area_circular_64(struct kt_test *t)
{
	check_circular_area(t, &fake_core2, 0x48);
}

/*
 * Overflow mode: BTINT on, the threshold a few whole records before
 * the end, so the interrupt comes while there is still room.
 */
static void check_overflow_area(struct kt_test *t,
				const struct fake_cpu_profile *prof,
				uint64_t btint)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf, *area;
	uint64_t base, absmax, thr, slack;
	int n = 0;

	KT_ASSERT_EQ(t, hw_enter(t, &e, prof), 0);
	tr = trace(&e, &ta, 16, 0, BTS_USER | BTS_OVERFLOW, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	KT_EXPECT_TRUE(t, ta.thread.debugctlmsr & btint);
	area = area_of(&ta);
	base = (uintptr_t)buf;
	absmax = base + 16 * e.rs;
	thr = raw(&e, area, F_THRESHOLD);
	KT_EXPECT_EQ(t, raw(&e, area, F_ABSMAX), absmax);
	KT_ASSERT_LT(t, thr, absmax);
	KT_ASSERT_GE(t, thr, base + e.rs);
	slack = absmax - thr;
	KT_EXPECT_EQ(t, slack % e.rs, 0);
	KT_EXPECT_GE(t, slack / e.rs, 1);
	KT_EXPECT_LE(t, slack / e.rs, 8);
	while (n < 16 && !bts_model_record(e.l, area, 1, 0x1000 + n, 0x2000))
		n++;
	KT_EXPECT_LT(t, n, 16);	/* interrupted before the end */
	KT_EXPECT_EQ(t, raw(&e, area, F_INDEX), thr);
	untrace(tr, buf);
	hw_leave(t, &e);
}

static void threshold_overflow_32(struct kt_test *t)
{
	check_overflow_area(t, &fake_netburst, 1 << 4);
}

static void threshold_overflow_64(struct kt_test *t)
{
	check_overflow_area(t, &fake_core2, 1 << 8);
}

/* Whatever the size, the driver uses whole records only. */
static void buffer_rounding(struct kt_test *t)
{
	const struct fake_cpu_profile *profs[] = {
		&fake_pentium_m, &fake_core2,
	};
	unsigned i, extra;

	for (i = 0; i < ARRAY_SIZE(profs); i++) {
		struct env e;

		KT_ASSERT_EQ(t, hw_enter(t, &e, profs[i]), 0);
		for (extra = 0; extra < e.rs; extra += e.rs / 3 + 1) {
			struct bts_trace trace_info;
			struct bts_tracer *tr;
			uint8_t *buf;

			tr = trace(&e, &ta, 5, extra, BTS_USER, &buf);
			KT_ASSERT_PTR_NE(t, tr, NULL);
			KT_EXPECT_EQ(t, raw(&e, area_of(&ta), F_ABSMAX),
				     (uintptr_t)buf + 5 * e.rs);
			ds_read_bts(tr, &trace_info);
			KT_EXPECT_EQ(t, trace_info.end - trace_info.begin,
				     5 * e.rs);
			untrace(tr, buf);
		}
		hw_leave(t, &e);
	}
}

/* A refused request leaves the task, the heap and the CPU untouched. */
static void expect_refused(struct kt_test *t, struct env *e,
			   struct task_struct *task, struct bts_tracer *tr,
			   int err, int want)
{
	KT_EXPECT_PTR_EQ(t, tr, NULL);
	KT_EXPECT_EQ(t, err, want);
	KT_EXPECT_PTR_EQ(t, task->thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, task->thread.debugctlmsr, 0);
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	KT_EXPECT_EQ(t, shim_kmalloc_objects(), e->objects + 1);  /* buf */
}

/*
 * One record is below "base + record size + 1": refused.  Overflow
 * mode needs room for the slack too: refused, or a threshold that is
 * inside the buffer with at least one record on each side.
 */
static void too_small_buffers(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	unsigned n;
	int err;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	current = &ta;
	buf = kmalloc(16 * e.rs);
	KT_ASSERT_PTR_NE(t, buf, NULL);
	for (n = 0; n <= 1; n++) {
		tr = ds_request_bts(&ta, buf, n * e.rs + e.rs - 1, BTS_USER,
				    &err);
		expect_refused(t, &e, &ta, tr, err, -EINVAL);
		tr = ds_request_bts(&ta, buf, n * e.rs, BTS_USER | BTS_OVERFLOW,
				    &err);
		expect_refused(t, &e, &ta, tr, err, -EINVAL);
	}
	tr = ds_request_bts(&ta, buf, 2 * e.rs, BTS_USER, &err);
	KT_EXPECT_PTR_NE(t, tr, NULL);
	if (tr)
		ds_release_bts(tr);
	for (n = 2; n <= 16; n++) {
		uint64_t base = (uintptr_t)buf, thr;

		fake_cpu_clear_log();
		tr = ds_request_bts(&ta, buf, n * e.rs, BTS_USER | BTS_OVERFLOW,
				    &err);
		if (!tr) {
			KT_EXPECT_LT(t, n, 16);
			expect_refused(t, &e, &ta, tr, err, -EINVAL);
			continue;
		}
		thr = raw(&e, area_of(&ta), F_THRESHOLD);
		KT_EXPECT_GE(t, thr, base + e.rs);
		KT_EXPECT_LE(t, thr, base + (n - 1) * e.rs);
		ds_release_bts(tr);
	}
	kfree(buf);
	hw_leave(t, &e);
}

/* The SDM wants a dword-aligned base; NULL is no buffer. */
static void bad_buffers(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	int err;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	current = &ta;
	buf = kmalloc(8 * e.rs + 4);
	KT_ASSERT_PTR_NE(t, buf, NULL);
	tr = ds_request_bts(&ta, buf + 2, 8 * e.rs, BTS_USER, &err);
	expect_refused(t, &e, &ta, tr, err, -EINVAL);
	tr = ds_request_bts(&ta, NULL, 8 * e.rs, BTS_USER, &err);
	expect_refused(t, &e, &ta, tr, err, -EINVAL);
	kfree(buf);
	hw_leave(t, &e);
}

static void no_unit_is_eopnotsupp(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	int err;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	ds_set_unit(NULL, NULL, NULL);
	current = &ta;
	buf = kmalloc(8 * 24);
	KT_ASSERT_PTR_NE(t, buf, NULL);
	tr = ds_request_bts(&ta, buf, 8 * 24, BTS_USER, &err);
	expect_refused(t, &e, &ta, tr, err, -EOPNOTSUPP);
	ds_switch_to(&ta, &idle);	/* no unit: never an MSR */
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	kfree(buf);
	hw_leave(t, &e);
}

/* A second request fails and leaves the first one exactly as it was. */
static void double_request_is_ebusy(struct kt_test *t)
{
	struct bts_tracer *tr, *tr2;
	struct env e;
	uint8_t *buf, *buf2, before[0x48];
	void *ctx;
	int err;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	current = &ta;
	tr = trace(&e, &ta, 8, 0, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	ctx = ta.thread.ds_ctx;
	memcpy(before, area_of(&ta), sizeof(before));
	buf2 = kmalloc(8 * e.rs);
	KT_ASSERT_PTR_NE(t, buf2, NULL);
	fake_cpu_clear_log();
	tr2 = ds_request_bts(&ta, buf2, 8 * e.rs, BTS_USER | BTS_OVERFLOW,
			     &err);
	KT_EXPECT_PTR_EQ(t, tr2, NULL);
	KT_EXPECT_EQ(t, err, -EBUSY);
	KT_EXPECT_PTR_EQ(t, ta.thread.ds_ctx, ctx);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0x2c0);
	KT_EXPECT_EQ(t, memcmp(before, area_of(&ta), sizeof(before)), 0);
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0x2c0);
	kfree(buf2);
	untrace(tr, buf);
	hw_leave(t, &e);
}

static void out_of_memory_is_enomem(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	int err;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	current = &ta;
	buf = kmalloc(8 * e.rs);
	KT_ASSERT_PTR_NE(t, buf, NULL);
	shim_kmalloc_fail(1);
	tr = ds_request_bts(&ta, buf, 8 * e.rs, BTS_USER, &err);
	shim_kmalloc_fail(0);
	expect_refused(t, &e, &ta, tr, err, -ENOMEM);
	kfree(buf);
	hw_leave(t, &e);
}

KT_SUITE(ds_request_suite, "ds_request",
	 KT_CASE(user_only_bits_core2),
	 KT_CASE(user_only_bits_netburst),
	 KT_CASE(no_cpl_bits_pentium_m),
	 KT_CASE(area_circular_32),
	 KT_CASE(area_circular_64),
	 KT_CASE(threshold_overflow_32),
	 KT_CASE(threshold_overflow_64),
	 KT_CASE(buffer_rounding),
	 KT_CASE(too_small_buffers),
	 KT_CASE(bad_buffers),
	 KT_CASE(no_unit_is_eopnotsupp),
	 KT_CASE(double_request_is_ebusy),
	 KT_CASE(out_of_memory_is_enomem));
