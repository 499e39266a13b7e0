/*
 * test_ptrace_debugreg: the debug registers through PEEKUSER/POKEUSER.
 * DR0-DR3 take user addresses only (LTP ptrace08), a second POKEUSER
 * takes effect (ptrace10), DR4/DR5 do not exist, DR7 enables only
 * breakpoints the CPU can take, a breakpoint and a watchpoint really
 * stop the tracee, and a fork's child inherits none of them.
 */
#include "test_ptrace.h"

volatile int watched = 1;

__attribute__((noinline)) int bp_func(int x)
{
	asm volatile("");
	return x + 1;
}

/* Calls bp_func twice, reads watched, then writes it: exit 0 if right. */
static int run_debug_target(void *arg)
{
	int v, r;

	(void)arg;
	r = bp_func(1) + bp_func(2);
	v = watched;
	watched = v + 41;
	return r == 5 && watched == 42 ? 0 : 1;
}

static int exit_zero(void *arg)
{
	(void)arg;
	return 0;
}

/*
 * ptrace08: DR0-DR3 take user addresses only: a kernel address fails
 * with EINVAL and leaves the register as it was, enabled in DR7 or
 * not.  A 32-bit tracer on a 64-bit Linux kernel cannot even name a
 * kernel address (LTP skips it there too), so Spoor only.
 */
static void dr_kernel_address_einval(struct kt_test *t)
{
	static const unsigned long kernel[] = {
		0xc0000000,
		0xffffffff,
		0xe0000000,
		0xc0100000,
	};
	unsigned int i, n;
	pid_t pid;

	if (!ut_is_spoor())
		KT_SKIP(t, "no kernel address a 32-bit tracer can name");
	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), 1), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), DR7_L(0)), 0);
	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		for (n = 0; n < 4; n++) {
			UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(n), kernel[i]),
				      EINVAL);
			KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(n)), n ? 0 : 1);
		}
	}
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), 0), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), 0), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* ptrace10: a second POKEUSER of DR0 takes effect too. */
static void dr_second_poke_takes_effect(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(exit_zero, NULL);

	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), 1), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), 2), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(0)), 2);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(3), 0x1000), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(3), 0x2000), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(3)), 0x2000);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), 0), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(3), 0), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* DR4 and DR5 do not exist for ptrace: EIO to write, 0 to read. */
static void dr4_dr5_reserved(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(exit_zero, NULL);

	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(4), 0), EIO);
	UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(5), 0), EIO);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(4)), 0);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(5)), 0);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(6), 0), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(6)) & 0xf, 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/*
 * DR7 enables only breakpoints the CPU can take: not I/O ones, not an
 * execute breakpoint longer than a byte, not a watchpoint at an address
 * its length does not align.  EINVAL, and DR7 keeps its old value.
 */
static void dr7_rejects_invalid(struct kt_test *t)
{
	static const unsigned long bad[] = {
		DR7_L(0) | DR7_RW(0, DR_RW_IO),
		DR7_L(0) | DR7_LEN(0, DR_LEN_2),
		DR7_L(0) | DR7_LEN(0, DR_LEN_4),
		DR7_L(1) | DR7_RW(1, DR_RW_WRITE) | DR7_LEN(1, DR_LEN_4),
		DR7_L(1) | DR7_RW(1, DR_RW_RW) | DR7_LEN(1, DR_LEN_2),
	};
	unsigned long good = DR7_L(0);
	unsigned int i;
	pid_t pid;

	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), (unsigned long)bp_func), 0);
	/* DR1 one byte past an aligned word: bad for 2 and 4 bytes. */
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(1), (unsigned long)&watched + 1),
		     0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), good), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(7), bad[i]), EINVAL);
		KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(7)), (long)good);
	}
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), 0), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/*
 * An execute breakpoint on bp_func stops the tracee there, each time
 * it is called (the resume must not trap again on the same
 * instruction), with DR6.B0 and si_code TRAP_HWBKPT.
 */
static void hw_breakpoint_stops(struct kt_test *t)
{
	siginfo_t si;
	int st, hits = 0;
	pid_t pid;

	pid = pt_spawn_traced(run_debug_target, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), (unsigned long)bp_func), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), DR7_L(0)), 0);
	for (st = pt_cont(pid, 0); st != -1 && WIFSTOPPED(st);
	     st = pt_cont(pid, 0)) {
		KT_EXPECT_EQ(t, WSTOPSIG(st), SIGTRAP);
		KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)bp_func);
		KT_EXPECT_NE(t, pt_peekuser(pid, PT_DR(6)) & DR6_B(0), 0);
		KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
		KT_EXPECT_EQ(t, si.si_signo, SIGTRAP);
		KT_EXPECT_EQ(t, si.si_code, TRAP_HWBKPT);
		if (++hits > 2) {
			pt_kill(pid);
			break;
		}
	}
	KT_EXPECT_EQ(t, hits, 2);
	UT_EXPECT_EXITED(t, st, 0);
}

/*
 * A write watchpoint on `watched`: a read passes, the write stops the
 * tracee just after it (the value is written), with DR6.B1.
 */
static void hw_watchpoint_stops(struct kt_test *t)
{
	unsigned long dr7 = DR7_L(1) | DR7_RW(1, DR_RW_WRITE) |
			    DR7_LEN(1, DR_LEN_4);
	siginfo_t si;
	int st, hits = 0;
	pid_t pid;

	pid = pt_spawn_traced(run_debug_target, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(1), (unsigned long)&watched), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), dr7), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(7)), (long)dr7);
	for (st = pt_cont(pid, 0); st != -1 && WIFSTOPPED(st);
	     st = pt_cont(pid, 0)) {
		KT_EXPECT_EQ(t, WSTOPSIG(st), SIGTRAP);
		KT_EXPECT_EQ(t,
			     ptrace(PTRACE_PEEKDATA, pid, (void *)&watched,
				    NULL),
			     42);
		KT_EXPECT_NE(t, pt_peekuser(pid, PT_DR(6)) & DR6_B(1), 0);
		KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
		KT_EXPECT_EQ(t, si.si_code, TRAP_HWBKPT);
		if (++hits > 1) {
			pt_kill(pid);
			break;
		}
	}
	KT_EXPECT_EQ(t, hits, 1);
	UT_EXPECT_EXITED(t, st, 0);
}

/*
 * DR7's general-detect bit (GD) must never reach the CPU, or the
 * kernel's own debug-register accesses would fault.  Linux takes the
 * value and ignores GD; refusing it (EINVAL) is as good.  The
 * breakpoint beside it works either way.
 */
static void dr7_general_detect_harmless(struct kt_test *t)
{
	int st, hits = 0;
	long r;
	pid_t pid;

	pid = pt_spawn_traced(run_debug_target, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), (unsigned long)bp_func), 0);
	errno = 0;
	r = pt_pokeuser(pid, PT_DR(7), DR7_GD | DR7_L(0));
	if (r < 0) {
		KT_EXPECT_EQ(t, errno, EINVAL);
		KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), DR7_L(0)), 0);
	}
	for (st = pt_cont(pid, 0); st != -1 && WIFSTOPPED(st) && hits < 3;
	     st = pt_cont(pid, 0)) {
		KT_EXPECT_EQ(t, WSTOPSIG(st), SIGTRAP);
		hits++;
	}
	KT_EXPECT_EQ(t, hits, 2);
	UT_EXPECT_EXITED(t, st, 0);
}

/* The tracee's child writes `watched` first: exit 0 if it lived. */
static int fork_then_write(void *arg)
{
	int st;
	pid_t pid;

	(void)arg;
	pid = fork();
	if (pid == 0) {
		watched = 7;
		_exit(0);
	}
	st = ut_wait(pid, 0);
	watched = 42;
	return st == 0 ? 0 : 1;
}

/*
 * Debug registers belong to the traced task: its forked child (not
 * traced) writes the watched word without a trap.
 */
static void debug_regs_not_inherited(struct kt_test *t)
{
	unsigned long dr7 = DR7_L(1) | DR7_RW(1, DR_RW_WRITE) |
			    DR7_LEN(1, DR_LEN_4);
	int st;
	pid_t pid;

	pid = pt_spawn_traced(fork_then_write, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(1), (unsigned long)&watched), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), dr7), 0);
	st = pt_cont_until(pid, SIGTRAP);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	KT_EXPECT_EQ(t, ptrace(PTRACE_PEEKDATA, pid, (void *)&watched, NULL),
		     42);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), 0), 0);
	UT_EXPECT_EXITED(t, pt_cont_until(pid, 0), 0);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(ptrace_debugreg_suite, "ptrace_debugreg",
	 KT_CASE(dr_kernel_address_einval),
	 KT_CASE(dr_second_poke_takes_effect),
	 KT_CASE(dr4_dr5_reserved),
	 KT_CASE(dr7_rejects_invalid),
	 KT_CASE(hw_breakpoint_stops),
	 KT_CASE(hw_watchpoint_stops),
	 KT_CASE(dr7_general_detect_harmless),
	 KT_CASE(debug_regs_not_inherited));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
