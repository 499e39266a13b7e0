/*
 * ktest suite "ptrace_hooks": the two hooks of Linux 2.6.29's "x86,
 * bts: add fork and exit handling", field by field, with the fake BTS
 * unit.  A traced task with a branch buffer, an overflow signal, a
 * single step and debug registers is
 *  - forked: the copy of its task_struct goes through ptrace_fork, as
 *    in copy_process, and must come out holding none of it;
 *  - untraced: after ptrace_untrace recording is off, the DS context
 *    and the buffer are gone (the heap is back where it was), and so
 *    are the tracer's single step and debug registers.
 * The user-level tests (test_bts_life) see the same rules through
 * PTRACE_BTS_*; these cases name the field that was forgotten.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/ptrace.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include "kt_user.h"

#define BUF_SIZE	4096

/* The traced task (it never runs: the test is its tracer) and its fork. */
static struct task_struct tracee, forked;

struct hooks_env {
	const struct bts_unit *old_unit;
	const struct ds_layout *old_layout;
	unsigned long heap;		/* before anything */
	unsigned long untraced;		/* with the scratch user page, no BTS */
	struct kt_user u;
};

/* @tracee traced by current, with BTS, an overflow signal, DR0/DR7, a step. */
static int hooks_enter(struct kt_test *t, struct hooks_env *e)
{
	struct ptrace_bts_config *cfg;
	long ret;

	e->heap = kmalloc_bytes_in_use();
	e->old_layout = ds_layout();
	e->old_unit = ds_set_unit(&bts_fake_unit, &ds_layout_64,
				  &debugctl_bits_core);
	memset(&tracee, 0, sizeof(tracee));
	memset(&forked, 0, sizeof(forked));
	tracee.pid = 4343;
	tracee.ptrace = PT_PTRACED | PT_FORCED_TF;
	tracee.parent = tracee.real_parent = current;
	INIT_LIST_HEAD(&tracee.ptraced);
	INIT_LIST_HEAD(&tracee.ptrace_entry);
	tracee.thread.debugreg[0] = 0x08048000;
	tracee.thread.debugreg[7] = 0x1;
	if (kt_user_enter(&e->u, 1))
		return -1;
	e->untraced = kmalloc_bytes_in_use();
	cfg = (struct ptrace_bts_config *)e->u.base;
	cfg->size = BUF_SIZE;
	cfg->flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC |
		     PTRACE_BTS_O_SIGNAL;
	cfg->signal = SIGUSR1;
	ret = ptrace_bts_request(&tracee, PTRACE_BTS_CONFIG, (uintptr_t)cfg,
				 sizeof(*cfg));
	if (ret != sizeof(*cfg)) {
		kt_log(t, "PTRACE_BTS_CONFIG: %ld", ret);
		kt_user_leave(&e->u);
		return -1;
	}
	return 0;
}

static void hooks_leave(struct kt_test *t, struct hooks_env *e)
{
	ptrace_bts_untrace(&tracee);
	kt_user_leave(&e->u);
	ds_set_unit(e->old_unit, e->old_layout, NULL);
	KT_EXPECT_EQ(t, current->bts_charged, 0);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), e->heap);
}

/* What copy_process does: the child starts as a copy, then the hook. */
static void fork_tracee(void)
{
	forked = tracee;
	forked.pid = 4344;
	ptrace_fork(&forked, &tracee);
}

static void fork_no_ds_context(struct kt_test *t)
{
	struct hooks_env e;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	KT_ASSERT_PTR_NE(t, tracee.thread.ds_ctx, NULL);
	fork_tracee();
	/* Shared, the context would be loaded for both and freed twice. */
	KT_EXPECT_PTR_EQ(t, forked.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, forked.thread.debugctlmsr, 0);
	/* The parent keeps its own. */
	KT_EXPECT_PTR_NE(t, tracee.thread.ds_ctx, NULL);
	KT_EXPECT_NE(t, tracee.thread.debugctlmsr, 0);
	hooks_leave(t, &e);
}

static void fork_no_buffer(struct kt_test *t)
{
	struct hooks_env e;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	fork_tracee();
	KT_EXPECT_PTR_EQ(t, forked.bts, NULL);
	KT_EXPECT_PTR_EQ(t, forked.bts_buffer, NULL);
	KT_EXPECT_EQ(t, forked.bts_size, 0);
	KT_EXPECT_EQ(t, forked.thread.bts_ovfl_signal, 0);
	KT_EXPECT_PTR_NE(t, tracee.bts_buffer, NULL);
	hooks_leave(t, &e);
}

static void fork_no_debug_registers(struct kt_test *t)
{
	struct hooks_env e;
	int i;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	fork_tracee();
	for (i = 0; i < 8; i++)
		KT_EXPECT_EQ(t, forked.thread.debugreg[i], 0);
	KT_EXPECT_EQ(t, tracee.thread.debugreg[7], 0x1);
	hooks_leave(t, &e);
}

static void fork_not_traced(struct kt_test *t)
{
	struct hooks_env e;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	fork_tracee();		/* no PTRACE_O_TRACEFORK: not traced */
	KT_EXPECT_EQ(t, forked.ptrace, 0);
	KT_EXPECT_PTR_EQ(t, forked.parent, forked.real_parent);
	hooks_leave(t, &e);
}

/* The child, attached later, gets a trace of its own (not EBUSY). */
static void fork_child_configures_own(struct kt_test *t)
{
	struct hooks_env e;
	struct ptrace_bts_config *cfg;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	fork_tracee();
	/* Only on a clean copy: a shared context would be freed twice. */
	KT_ASSERT_EQ(t, forked.bts == NULL, 1);
	KT_ASSERT_EQ(t, forked.thread.ds_ctx == NULL, 1);
	forked.ptrace = PT_PTRACED;
	cfg = (struct ptrace_bts_config *)e.u.base;
	cfg->flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC;
	cfg->signal = 0;
	KT_EXPECT_EQ(t, ptrace_bts_request(&forked, PTRACE_BTS_CONFIG,
					   (uintptr_t)cfg, sizeof(*cfg)),
		     sizeof(*cfg));
	KT_EXPECT_PTR_NE(t, forked.thread.ds_ctx, NULL);
	KT_EXPECT_PTR_NE(t, forked.thread.ds_ctx, tracee.thread.ds_ctx);
	ptrace_bts_untrace(&forked);
	hooks_leave(t, &e);
}

static void untrace_frees_buffer(struct kt_test *t)
{
	struct hooks_env e;
	unsigned long with;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	with = kmalloc_bytes_in_use();
	KT_EXPECT_GE(t, with - e.untraced, BUF_SIZE);
	ptrace_untrace(&tracee);
	KT_EXPECT_PTR_EQ(t, tracee.bts, NULL);
	KT_EXPECT_PTR_EQ(t, tracee.bts_buffer, NULL);
	KT_EXPECT_EQ(t, tracee.bts_size, 0);
	KT_EXPECT_EQ(t, current->bts_charged, 0);
	/* Everything CONFIG took is back: buffer and DS context. */
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), e.untraced);
	hooks_leave(t, &e);
}

static void untrace_stops_recording(struct kt_test *t)
{
	struct hooks_env e;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	ptrace_untrace(&tracee);
	KT_EXPECT_EQ(t, tracee.thread.debugctlmsr, 0);
	KT_EXPECT_PTR_EQ(t, tracee.thread.ds_ctx, NULL);
	KT_EXPECT_EQ(t, tracee.thread.bts_ovfl_signal, 0);
	hooks_leave(t, &e);
}

static void untrace_drops_step_and_debug_registers(struct kt_test *t)
{
	struct hooks_env e;
	int i;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	ptrace_untrace(&tracee);
	KT_EXPECT_EQ(t, tracee.ptrace & PT_FORCED_TF, 0);
	for (i = 0; i < 8; i++)
		KT_EXPECT_EQ(t, tracee.thread.debugreg[i], 0);
	hooks_leave(t, &e);
}

/* The reap of a tracee that exited untraces it a second time. */
static void untrace_twice_is_harmless(struct kt_test *t)
{
	struct hooks_env e;

	KT_ASSERT_EQ(t, hooks_enter(t, &e), 0);
	ptrace_untrace(&tracee);
	ptrace_untrace(&tracee);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), e.untraced);
	hooks_leave(t, &e);
}

KT_SUITE(ptrace_hooks_suite, "ptrace_hooks",
	 KT_CASE(fork_no_ds_context),
	 KT_CASE(fork_no_buffer),
	 KT_CASE(fork_no_debug_registers),
	 KT_CASE(fork_not_traced),
	 KT_CASE(fork_child_configures_own),
	 KT_CASE(untrace_frees_buffer),
	 KT_CASE(untrace_stops_recording),
	 KT_CASE(untrace_drops_step_and_debug_registers),
	 KT_CASE(untrace_twice_is_harmless));
