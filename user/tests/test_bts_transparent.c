/*
 * test_bts_transparent - what the traced program and its tracer see
 * while branches are recorded (any BTS unit; the software one is what
 * these cases are about):
 *  - the program sees its own EFLAGS.TF only, in pushf, in its signal
 *    frames and in GETREGS, and its own TF still gives it SIGTRAP;
 *  - a tracer's PTRACE_SINGLESTEP reports every step once, while the
 *    branches stepped over are recorded;
 *  - O_SIGNAL: overflow stops the tracee with the configured signal;
 *  - O_SCHED: task arrives/departs records around context switches.
 */
#include "bts_work.h"

/* --- transparency -------------------------------------------------------- */

static int pushf_sees_no_tf(void)
{
	unsigned long f;

	work();				/* branches: the unit is busy */
	asm volatile("pushfl; popl %0" : "=r"(f));
	return f & EFLAGS_TF ? 1 : 0;
}

static void pushf_transparent(struct kt_test *t)
{
	pid_t pid = traced_child(pushf_sees_no_tf);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	status = cont(pid, 0);
	UT_EXPECT_EXITED(t, status, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), -1); /* gone */
}

static volatile unsigned long frame_eflags;

static void grab_eflags(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	/* ucontext: flags, link, stack_t (3 words), then sigcontext. */
	frame_eflags = ((unsigned long *)uc)[5 + 16];
}

static int frame_sees_no_tf(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = grab_eflags;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	work();
	raise(SIGUSR1);
	return frame_eflags & EFLAGS_TF ? 1 : frame_eflags ? 0 : 2;
}

static void signal_frame_transparent(struct kt_test *t)
{
	pid_t pid = traced_child(frame_sees_no_tf);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	status = cont(pid, 0);			/* SIGUSR1 stop */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	KT_EXPECT_EQ(t, WSTOPSIG(status), SIGUSR1);
	status = cont(pid, SIGUSR1);		/* deliver it */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));	/* the second SIGSTOP */
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);
}

static int spin_a_while(void)
{
	volatile int i;

	for (i = 0; i < 20000; i++)
		;
	return 0;
}

/* GETREGS in the middle of recording: no TF there either. */
static void getregs_transparent(struct kt_test *t)
{
	struct user_regs_struct r;
	pid_t pid = traced_child(spin_a_while);

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	ptrace(PTRACE_CONT, pid, 0, 0);
	ut_sleep_ms(20);
	kill(pid, SIGUSR2);
	waitpid(pid, NULL, 0);			/* stopped mid-loop */
	KT_ASSERT_EQ(t, ptrace(PTRACE_GETREGS, pid, 0, &r), 0);
	KT_EXPECT_EQ(t, r.eflags & EFLAGS_TF, 0);
	KT_EXPECT_GT(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static volatile int traps;

static void count_trap(int sig)
{
	(void)sig;
	traps++;
}

/* The program's own TF: it still gets its SIGTRAP (once). */
static int own_tf(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_trap;
	sigaction(SIGTRAP, &sa, NULL);
	asm volatile("pushfl\n\t"
		     "orl $0x100, (%%esp)\n\t"
		     "popfl\n\t"		/* TF on: trap after the next */
		     "nop\n\t"
		     "pushfl\n\t"
		     "andl $~0x100, (%%esp)\n\t"
		     "popfl" : : : "memory", "cc");
	return traps >= 1 ? 0 : 1;
}

static void own_tf_still_traps(struct kt_test *t)
{
	pid_t pid = traced_child(own_tf);
	int status, stops = 0;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	for (status = cont(pid, 0); WIFSTOPPED(status) &&
	     WSTOPSIG(status) == SIGTRAP && stops < 10; stops++)
		status = cont(pid, SIGTRAP);	/* hand each one over */
	KT_EXPECT_GE(t, stops, 1);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));	/* the final SIGSTOP */
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);
}

/* A tracer's single steps over the workload: each reported once, the
 * eips follow the code, and the branches are recorded meanwhile. */
static void singlestep_with_recording(struct kt_test *t)
{
	static const char *const path[] = {
		w_loop, w_jnz, w_loop, w_jnz, w_loop, w_jnz,
	};
	struct user_regs_struct r;
	pid_t pid = traced_child(run_work);
	unsigned i, bad = 0;
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	/* Run to work()'s first instruction with a breakpoint on it. */
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKEUSER, pid,
			       (void *)offsetof(struct user, u_debugreg),
			       (void *)work), 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKEUSER, pid,
			       (void *)(offsetof(struct user, u_debugreg) + 28),
			       (void *)1), 0);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	ptrace(PTRACE_POKEUSER, pid,
	       (void *)(offsetof(struct user, u_debugreg) + 28), 0);
	ptrace(PTRACE_BTS_CLEAR, pid, 0, 0);
	for (i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
		waitpid(pid, &status, 0);
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP ||
		    (unsigned long)r.eip != (unsigned long)path[i]) {
			kt_log(t, "step %u: status %#x eip %#lx, expected %p",
			       i, status, r.eip, path[i]);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, (long)(r.eflags & EFLAGS_TF), 0);
	/* Two taken jnz were stepped over: two records. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 2);
	finish(pid);
	finish(pid);
}

/* --- O_SIGNAL and O_SCHED -------------------------------------------- */

static int loop_forever(void)
{
	for (;;)
		work();
	return 0;
}

static void overflow_signal_stops(struct kt_test *t)
{
	struct ptrace_bts_config cfg;
	pid_t pid = traced_child(loop_forever);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	/* 10 records; the signal comes 4 before the end. */
	KT_ASSERT_EQ(t, bts_config(pid, 10 * 24, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_SIGNAL, SIGUSR2), 16);
	KT_ASSERT_EQ(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16), 16);
	KT_EXPECT_EQ(t, cfg.flags, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SIGNAL);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	KT_EXPECT_EQ(t, WSTOPSIG(status), SIGUSR2);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 6);
	/* Draining lets recording go on: the next overflow comes again. */
	KT_EXPECT_EQ(t, drain(pid, recs, 16), 6);
	status = cont(pid, 0);			/* suppress the signal */
	KT_EXPECT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGUSR2);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int yield_some(void)
{
	int i;

	for (i = 0; i < 5; i++)
		sched_yield();
	return 0;
}

static void sched_records(struct kt_test *t)
{
	pid_t pid = traced_child(yield_some), busy;
	long n, i, arrives = 0, departs = 0;

	KT_ASSERT_GT(t, pid, 0);
	busy = fork();			/* something to switch to */
	if (busy == 0)
		for (;;)
			sched_yield();
	KT_ASSERT_EQ(t, bts_config(pid, 4096 * 24, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_SCHED, 0), 16);
	KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));
	n = drain(pid, recs, 4096);
	for (i = 0; i < n; i++) {
		if (recs[i].qualifier == BTS_TASK_ARRIVES &&
		    recs[i].variant.timestamp.pid == pid)
			arrives++;
		if (recs[i].qualifier == BTS_TASK_DEPARTS &&
		    recs[i].variant.timestamp.pid == pid)
			departs++;
	}
	kt_log(t, "%ld arrives, %ld departs", arrives, departs);
	KT_EXPECT_GE(t, arrives, 5);
	KT_EXPECT_GE(t, departs, 5);
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	finish(pid);
}

KT_SUITE(bts_transparent_suite, "bts_transparent",
	 KT_CASE(pushf_transparent),
	 KT_CASE(signal_frame_transparent),
	 KT_CASE(getregs_transparent),
	 KT_CASE(own_tf_still_traps),
	 KT_CASE(singlestep_with_recording),
	 KT_CASE(overflow_signal_stops),
	 KT_CASE(sched_records));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
