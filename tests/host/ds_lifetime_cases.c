/*
 * Host tests of the lifetimes in the DS driver with the hardware unit
 * on the fake CPU: context switches, release, untrace (through
 * kernel/arch/x86/ptrace_bts.c), suspend/resume and the BTS interrupt.
 * kfree calls and MSR accesses share one log, so "DEBUGCTL = 0 before
 * the memory goes" is checked as an order, not as a final state.
 * Part of the test_ds program (see test_ds.c).
 *
 * The in-kernel ktests (kernel/tests/test_ds.c) cover PTRACE_BTS_*
 * with the fake unit; these cases cover what they cannot see: the MSR
 * sequences and the order of MSR writes and frees.
 */
#include <spoor/compiler.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ds_cpu.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/time.h>
#include "ds_env.h"
#include "fake_cpu.h"
#include "kernel_shim.h"

/* -- ds_switch_to: the MSR sequence of a context switch --------------- */

/* Between untraced tasks: not one MSR access, whoever else traces. */
static void switch_untraced_no_msr(struct kt_test *t)
{
	struct task_struct *other = &tracer_task;
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tr = trace(&e, other, 8, 0, BTS_USER, &buf);	/* not running */
	KT_ASSERT_PTR_NE(t, tr, NULL);
	fake_cpu_clear_log();
	switch_to_task(&idle, &ta);
	switch_to_task(&ta, &tb);
	switch_to_task(&tb, &idle);
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);
	untrace(tr, buf);
	hw_leave(t, &e);
}

/* Into a traced task: DEBUGCTL off, its DS area, then its DEBUGCTL. */
static void check_switch_in(struct kt_test *t,
			    const struct fake_cpu_profile *prof,
			    uint64_t user_only)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;

	KT_ASSERT_EQ(t, hw_enter(t, &e, prof), 0);
	tr = trace(&e, &ta, 8, 0, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);	/* ta is not running */
	{
		const struct fake_expect in[] = {
			X_WR(MSR_IA32_DEBUGCTL, 0),
			X_WR(MSR_IA32_DS_AREA, (uintptr_t)area_of(&ta)),
			X_WR(MSR_IA32_DEBUGCTL, user_only),
		};
		const struct fake_expect out[] = {
			X_WR(MSR_IA32_DEBUGCTL, 0),
		};

		switch_to_task(&idle, &ta);
		KT_EXPECT_TRUE(t, fake_cpu_expect(t, in, ARRAY_SIZE(in)));
		/* The area the CPU got describes ta's buffer. */
		KT_EXPECT_EQ(t, raw(&e, area_of(&ta), F_BASE), (uintptr_t)buf);
		KT_EXPECT_EQ(t, raw(&e, area_of(&ta), F_INDEX), (uintptr_t)buf);
		fake_cpu_clear_log();
		switch_to_task(&ta, &idle);
		KT_EXPECT_TRUE(t, fake_cpu_expect(t, out, ARRAY_SIZE(out)));
		KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
	}
	untrace(tr, buf);
	hw_leave(t, &e);
}

static void switch_in_and_out_core2(struct kt_test *t)
{
	check_switch_in(t, &fake_core2, 0x2c0);
}

static void switch_in_and_out_netburst(struct kt_test *t)
{
	check_switch_in(t, &fake_netburst, 0x2c);
}

static void switch_in_and_out_pentium_m(struct kt_test *t)
{
	check_switch_in(t, &fake_pentium_m, 0xc0);
}

/*
 * traced -> traced: the first access turns DEBUGCTL off; the DS area
 * changes exactly once, to next's, with DEBUGCTL off all the while;
 * the last access loads next's DEBUGCTL.
 */
static void expect_traced_switch(struct kt_test *t, void *next_area,
				 uint64_t next_ctl)
{
	unsigned i, n = fake_cpu_nlog(), area_writes = 0;
	int ok = n >= 3;

	for (i = 0; ok && i < n; i++) {
		const struct fake_event *ev = fake_cpu_event(i);

		if (ev->kind != FAKE_WR || ev->rc)
			ok = 0;
		else if (ev->msr == MSR_IA32_DS_AREA)
			ok = ++area_writes == 1 && i > 0 &&
			     ev->value == (uintptr_t)next_area;
		else if (i < n - 1)	/* everything else turns it off */
			ok = ev->msr == MSR_IA32_DEBUGCTL && ev->value == 0;
		else
			ok = ev->msr == MSR_IA32_DEBUGCTL &&
			     ev->value == next_ctl;
	}
	if (!ok || area_writes != 1)
		fake_cpu_dump(t);
	KT_EXPECT_TRUE(t, ok);
	KT_EXPECT_EQ(t, area_writes, 1);
}

static void switch_traced_to_traced(struct kt_test *t)
{
	struct bts_tracer *tra, *trb;
	struct env e;
	uint8_t *bufa, *bufb;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tra = trace(&e, &ta, 8, 0, BTS_USER, &bufa);
	trb = trace(&e, &tb, 8, 0, BTS_USER | BTS_OVERFLOW, &bufb);
	KT_ASSERT_PTR_NE(t, tra, NULL);
	KT_ASSERT_PTR_NE(t, trb, NULL);
	switch_to_task(&idle, &ta);
	fake_cpu_clear_log();
	switch_to_task(&ta, &tb);
	expect_traced_switch(t, area_of(&tb), 0x3c0);
	fake_cpu_clear_log();
	switch_to_task(&tb, &ta);
	expect_traced_switch(t, area_of(&ta), 0x2c0);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DS_AREA),
		     (uintptr_t)area_of(&ta));
	switch_to_task(&ta, &idle);
	untrace(tra, bufa);
	untrace(trb, bufb);
	hw_leave(t, &e);
}

/* A suspended task runs with BTS off; resuming it while it runs loads. */
static void switch_suspended_runs_with_bts_off(struct kt_test *t)
{
	const struct fake_event *w;
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tr = trace(&e, &ta, 8, 0, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	ds_suspend_bts(tr);
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);	/* not running */
	switch_to_task(&idle, &ta);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
	w = last_debugctl_write();
	KT_EXPECT_TRUE(t, !w || w->value == 0);
	fake_cpu_clear_log();
	ds_resume_bts(tr);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0x2c0);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DS_AREA),
		     (uintptr_t)area_of(&ta));
	fake_cpu_clear_log();
	ds_suspend_bts(tr);	/* while running: off at once */
	{
		const struct fake_expect off[] = { X_WR(MSR_IA32_DEBUGCTL, 0) };

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, off, ARRAY_SIZE(off)));
	}
	switch_to_task(&ta, &idle);
	untrace(tr, buf);
	hw_leave(t, &e);
}

/*
 * Timestamps: "departs" goes into the buffer only after DEBUGCTL is
 * off (the watched index has not moved at that write), "arrives" on
 * the way in; both carry the pid and jiffies.
 */
static void switch_timestamps_after_stop(struct kt_test *t)
{
	struct bts_struct r;
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	uint64_t base;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tr = trace(&e, &ta, 8, 0, BTS_USER | BTS_TIMESTAMPS, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	base = (uintptr_t)buf;
	fake_cpu_watch(e.l, area_of(&ta));
	jiffies = 1234;
	switch_to_task(&idle, &ta);
	bts_record_read(e.l, buf, &r);
	KT_EXPECT_EQ(t, r.qualifier, BTS_TASK_ARRIVES);
	KT_EXPECT_EQ(t, r.variant.timestamp.pid, 100);
	KT_EXPECT_EQ(t, r.variant.timestamp.jiffies, 1234);
	KT_EXPECT_EQ(t, raw(&e, area_of(&ta), F_INDEX), base + e.rs);
	fake_cpu_clear_log();
	jiffies = 1240;
	switch_to_task(&ta, &idle);
	KT_ASSERT_GE(t, fake_cpu_nlog(), 1);
	KT_EXPECT_EQ(t, fake_cpu_event(0)->msr, MSR_IA32_DEBUGCTL);
	KT_EXPECT_EQ(t, fake_cpu_event(0)->value, 0);
	KT_EXPECT_EQ(t, fake_cpu_event(0)->watch, base + e.rs);
	KT_EXPECT_EQ(t, raw(&e, area_of(&ta), F_INDEX), base + 2 * e.rs);
	bts_record_read(e.l, buf + e.rs, &r);
	KT_EXPECT_EQ(t, r.qualifier, BTS_TASK_DEPARTS);
	KT_EXPECT_EQ(t, r.variant.timestamp.pid, 100);
	KT_EXPECT_EQ(t, r.variant.timestamp.jiffies, 1240);
	fake_cpu_watch(NULL, NULL);
	untrace(tr, buf);
	hw_leave(t, &e);
}

KT_SUITE(ds_switch_suite, "ds_switch",
	 KT_CASE(switch_untraced_no_msr),
	 KT_CASE(switch_in_and_out_core2),
	 KT_CASE(switch_in_and_out_netburst),
	 KT_CASE(switch_in_and_out_pentium_m),
	 KT_CASE(switch_traced_to_traced),
	 KT_CASE(switch_suspended_runs_with_bts_off),
	 KT_CASE(switch_timestamps_after_stop));

/* -- release and untrace: stop before free ---------------------------- */

/* The DS area lives in the tracer: DEBUGCTL = 0 before it is freed. */
static void release_current_stops_before_free(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tr = trace(&e, &ta, 8, 0, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	switch_to_task(&idle, &ta);
	fake_cpu_clear_log();
	ds_release_bts(tr);
	{
		const struct fake_expect seq[] = {
			X_WR(MSR_IA32_DEBUGCTL, 0),
			X_FREE(tr),
		};

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	}
	KT_EXPECT_PTR_EQ(t, ta.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
	kfree(buf);
	fake_cpu_clear_log();
	switch_to_task(&ta, &idle);	/* no longer traced: free switch */
	switch_to_task(&idle, &ta);
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);
	hw_leave(t, &e);
}

/* Not running: BTS is already off for it, so no MSR access at all. */
static void release_not_current_no_msr(struct kt_test *t)
{
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	tr = trace(&e, &ta, 8, 0, BTS_USER, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	switch_to_task(&idle, &ta);
	switch_to_task(&ta, &idle);
	fake_cpu_clear_log();
	ds_release_bts(tr);
	{
		const struct fake_expect seq[] = { X_FREE(tr) };

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	}
	KT_EXPECT_PTR_EQ(t, ta.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0);
	kfree(buf);
	fake_cpu_clear_log();
	switch_to_task(&idle, &ta);
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);
	switch_to_task(&ta, &idle);
	hw_leave(t, &e);
}

/* PTRACE_BTS_CONFIG from tracer_task for ta: ta->bts, ta->bts_buffer. */
static int ptrace_config(struct kt_test *t, struct env *e)
{
	struct ptrace_bts_config *cfg = kzalloc(sizeof(*cfg));	/* "user" */
	long ret;

	if (!cfg)
		return -1;
	ptrace_bts_init();
	ta.parent = ta.real_parent = &tracer_task;
	cfg->size = 8 * e->rs;
	cfg->flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC;
	ret = ptrace_bts_request(&ta, PTRACE_BTS_CONFIG, (uintptr_t)cfg,
				 sizeof(*cfg));
	kfree(cfg);
	if (ret != sizeof(*cfg))
		kt_log(t, "PTRACE_BTS_CONFIG: %ld", ret);
	return ret == sizeof(*cfg) && ta.bts && ta.bts_buffer ? 0 : -1;
}

/*
 * The tracee's own exit (do_exit -> arch_ptrace_untrace, current is
 * the tracee): DEBUGCTL = 0, then the DS context, then the buffer.
 */
static void untrace_current_exit_path(struct kt_test *t)
{
	struct bts_tracer *tr;
	void *buf;
	struct env e;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	KT_ASSERT_EQ(t, ptrace_config(t, &e), 0);
	tr = ta.bts;
	buf = ta.bts_buffer;
	switch_to_task(&idle, &ta);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0x2c0);
	fake_cpu_clear_log();
	ptrace_bts_untrace(&ta);
	{
		const struct fake_expect seq[] = {
			X_WR(MSR_IA32_DEBUGCTL, 0),
			X_FREE(tr),
			X_FREE(buf),
		};

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	}
	KT_EXPECT_PTR_EQ(t, ta.bts, NULL);
	KT_EXPECT_PTR_EQ(t, ta.bts_buffer, NULL);
	KT_EXPECT_PTR_EQ(t, ta.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0);
	KT_EXPECT_EQ(t, tracer_task.bts_charged, 0);
	switch_to_task(&ta, &idle);
	hw_leave(t, &e);
}

/*
 * Detach, the tracer's exit, the reap: the tracee is not running, so
 * its BTS is already off; the memory goes back now, no MSR touched.
 */
static void untrace_not_current_detach_path(struct kt_test *t)
{
	struct bts_tracer *tr;
	void *buf;
	struct env e;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	KT_ASSERT_EQ(t, ptrace_config(t, &e), 0);
	tr = ta.bts;
	buf = ta.bts_buffer;
	switch_to_task(&idle, &ta);
	switch_to_task(&ta, &idle);
	current = &tracer_task;
	fake_cpu_clear_log();
	ptrace_bts_untrace(&ta);
	{
		const struct fake_expect seq[] = { X_FREE(tr), X_FREE(buf) };

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	}
	KT_EXPECT_PTR_EQ(t, ta.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, tracer_task.bts_charged, 0);
	hw_leave(t, &e);
}

/*
 * All tracers' buffers together may hold an eighth of memory: with
 * 32 KiB of it (4 KiB for buffers) a 2 KiB buffer fits, a 6 KiB one is
 * ENOMEM though the tracer's own quota would allow it, and nothing is
 * charged or allocated for the refusal.
 */
static void system_cap_is_enomem(struct kt_test *t)
{
	struct ptrace_bts_config *cfg;
	unsigned long objects;
	struct env e;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	cfg = kzalloc(sizeof(*cfg));
	KT_ASSERT_PTR_NE(t, cfg, NULL);
	ta.parent = ta.real_parent = &tracer_task;
	shim_total_pages = 8;
	cfg->flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC;
	cfg->size = 6 << 10;
	objects = shim_kmalloc_objects();
	KT_EXPECT_EQ(t, ptrace_bts_request(&ta, PTRACE_BTS_CONFIG,
					   (uintptr_t)cfg, sizeof(*cfg)),
		     -ENOMEM);
	KT_EXPECT_EQ(t, shim_kmalloc_objects(), objects);
	KT_EXPECT_EQ(t, tracer_task.bts_charged, 0);
	KT_EXPECT_EQ(t, ptrace_bts_charge().bytes, 0);
	cfg->size = 2 << 10;
	KT_EXPECT_EQ(t, ptrace_bts_request(&ta, PTRACE_BTS_CONFIG,
					   (uintptr_t)cfg, sizeof(*cfg)),
		     sizeof(*cfg));
	KT_EXPECT_EQ(t, ptrace_bts_charge().bytes, 2 << 10);
	KT_EXPECT_EQ(t, ptrace_bts_charge().limit, 4 << 10);
	ptrace_bts_untrace(&ta);
	KT_EXPECT_EQ(t, ptrace_bts_charge().bytes, 0);
	shim_total_pages = 32768;
	kfree(cfg);
	hw_leave(t, &e);
}

static struct task_struct *ovfl_task;
static unsigned ovfl_calls;

static void record_overflow(struct task_struct *task)
{
	ovfl_task = task;
	ovfl_calls++;
}

/*
 * The BTS interrupt: ignored unless current's index reached its
 * threshold in overflow mode; then DEBUGCTL off and the handler.
 */
static void overflow_interrupt_stops_current(struct kt_test *t)
{
	struct bts_tracer *tr, *trb;
	struct env e;
	uint8_t *buf, *bufb;
	int i, irq = 0;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_core2), 0);
	ds_set_overflow_handler(record_overflow);
	ovfl_calls = 0;
	tr = trace(&e, &ta, 16, 0, BTS_USER | BTS_OVERFLOW, &buf);
	trb = trace(&e, &tb, 4, 0, BTS_USER, &bufb);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	KT_ASSERT_PTR_NE(t, trb, NULL);
	switch_to_task(&idle, &tb);	/* circular: never "overflows" */
	bts_model_record(e.l, area_of(&tb), 0, 1, 2);
	fake_cpu_clear_log();
	ds_overflow_interrupt();
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);
	switch_to_task(&tb, &ta);
	for (i = 0; i < 16 && !irq && raw(&e, area_of(&ta), F_INDEX) <
		    raw(&e, area_of(&ta), F_THRESHOLD) - e.rs; i++)
		irq = bts_model_record(e.l, area_of(&ta), 1, 0x1000, 0x2000);
	KT_EXPECT_EQ(t, irq, 0);
	fake_cpu_clear_log();
	ds_overflow_interrupt();	/* shared vector, not ours yet */
	KT_EXPECT_EQ(t, fake_cpu_nlog(), 0);
	KT_EXPECT_EQ(t, ovfl_calls, 0);
	KT_EXPECT_EQ(t, bts_model_record(e.l, area_of(&ta), 1, 0x1000, 0x2000),
		     1);
	ds_overflow_interrupt();
	{
		const struct fake_expect seq[] = { X_WR(MSR_IA32_DEBUGCTL, 0) };

		KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	}
	KT_EXPECT_EQ(t, ovfl_calls, 1);
	KT_EXPECT_PTR_EQ(t, ovfl_task, &ta);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0);
	switch_to_task(&ta, &idle);
	untrace(tr, buf);
	untrace(trb, bufb);
	hw_leave(t, &e);
}

/* read/reset/write: what a reader sees, and software records. */
static void read_reset_and_write(struct kt_test *t)
{
	struct bts_struct rec = { .qualifier = BTS_TASK_ARRIVES };
	struct bts_trace tri;
	struct bts_tracer *tr;
	struct env e;
	uint8_t *buf;
	unsigned i, nonzero = 0;

	KT_ASSERT_EQ(t, hw_enter(t, &e, &fake_pentium_m), 0);
	ds_set_overflow_handler(record_overflow);
	ovfl_calls = 0;
	tr = trace(&e, &ta, 4, 0, BTS_USER | BTS_TIMESTAMPS, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	for (i = 0; i < 6; i++)
		ds_write_bts(tr, &rec);
	ds_read_bts(tr, &tri);
	KT_EXPECT_PTR_EQ(t, tri.layout, &ds_layout_32);
	KT_EXPECT_PTR_EQ(t, tri.begin, buf);
	KT_EXPECT_PTR_EQ(t, tri.end, buf + 4 * 12);
	KT_EXPECT_PTR_EQ(t, tri.top, buf + 2 * 12);	/* wrapped */
	KT_EXPECT_EQ(t, tri.flags, BTS_USER | BTS_TIMESTAMPS);
	ds_reset_bts(tr);
	ds_read_bts(tr, &tri);
	KT_EXPECT_PTR_EQ(t, tri.top, buf);
	for (i = 0; i < 4 * 12; i++)
		nonzero += buf[i] != 0;
	KT_EXPECT_EQ(t, nonzero, 0);
	KT_EXPECT_EQ(t, ovfl_calls, 0);
	untrace(tr, buf);

	/* Overflow mode: software records reach the threshold too. */
	tr = trace(&e, &ta, 16, 0, BTS_USER | BTS_OVERFLOW, &buf);
	KT_ASSERT_PTR_NE(t, tr, NULL);
	for (i = 0; i < 16 && !ovfl_calls; i++)
		ds_write_bts(tr, &rec);
	KT_EXPECT_EQ(t, ovfl_calls, 1);
	KT_EXPECT_LT(t, i, 16);
	KT_EXPECT_EQ(t, ta.thread.debugctlmsr, 0);	/* suspended */
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);	/* not running */
	untrace(tr, buf);
	hw_leave(t, &e);
}

KT_SUITE(ds_release_suite, "ds_release",
	 KT_CASE(release_current_stops_before_free),
	 KT_CASE(release_not_current_no_msr),
	 KT_CASE(untrace_current_exit_path),
	 KT_CASE(untrace_not_current_detach_path),
	 KT_CASE(system_cap_is_enomem),
	 KT_CASE(overflow_interrupt_stops_current),
	 KT_CASE(read_reset_and_write));
