/*
 * test_fault: a faulting user program dies of the right signal and
 * takes nothing else with it.  NULL and kernel-address accesses,
 * division by zero, invalid and privileged instructions; faults caught
 * by handlers, faults with the signal blocked or ignored, faults inside
 * the handler and with a stack the signal frame cannot go on.  Each
 * fault happens in a forked child; the parent, and a sibling, carry
 * on.  Forged rt_sigreturn frames are in test_sigreturn.
 */
#include "utest.h"

/* Volatile, so the compiler can neither see the value nor drop the access. */
static int *volatile null_ptr;
static volatile int zero, hundred = 100, minus_one = -1;
static volatile int int_min = -2147483647 - 1;
static volatile int sink;

static int null_read(void *arg)
{
	(void)arg;
	sink = *null_ptr;
	return 0;
}

static int null_write(void *arg)
{
	(void)arg;
	*null_ptr = 1;
	return 0;
}

static int null_call(void *arg)
{
	void (*volatile fn)(void) = NULL;

	(void)arg;
	fn();
	return 0;
}

static int kernel_read(void *arg)
{
	(void)arg;
	sink = *(volatile int *)UT_KERNEL_BASE;
	return 0;
}

static int kernel_write(void *arg)
{
	(void)arg;
	*(volatile int *)(UT_KERNEL_BASE + 0x100000) = 0x0bad;
	return 0;
}

static int divide_by_zero(void *arg)
{
	(void)arg;
	sink = hundred / zero;	/* 1 / x compiles to no division */
	return 0;
}

static int divide_overflow(void *arg)
{
	(void)arg;
	sink = int_min / minus_one;	/* #DE on x86, like / 0 */
	return 0;
}

static int invalid_opcode(void *arg)
{
	(void)arg;
	asm volatile("ud2");
	return 0;
}

static int privileged_cli(void *arg)
{
	(void)arg;
	asm volatile("cli");
	return 0;
}

static int privileged_hlt(void *arg)
{
	(void)arg;
	asm volatile("hlt");
	return 0;
}

static int breakpoint(void *arg)
{
	(void)arg;
	asm volatile("int3");
	return 0;
}

static int unknown_vector(void *arg)
{
	(void)arg;
	asm volatile("int $0x81");
	return 0;
}

static void null_access_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(null_read, NULL), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(null_write, NULL), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(null_call, NULL), SIGSEGV);
}

static void kernel_access_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(kernel_read, NULL), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(kernel_write, NULL), SIGSEGV);
}

static void divide_error_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(divide_by_zero, NULL), SIGFPE);
	UT_EXPECT_KILLED(t, ut_run(divide_overflow, NULL), SIGFPE);
}

static void bad_instruction_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(invalid_opcode, NULL), SIGILL);
	UT_EXPECT_KILLED(t, ut_run(privileged_cli, NULL), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(privileged_hlt, NULL), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(breakpoint, NULL), SIGTRAP);
	UT_EXPECT_KILLED(t, ut_run(unknown_vector, NULL), SIGSEGV);
}

static void exit_42(int sig)
{
	_exit(sig == SIGSEGV ? 42 : sig == SIGFPE ? 43 : 44);
}

static int caught(void *arg)
{
	int (*body)(void *) = (int (*)(void *))arg;

	ut_handle(SIGSEGV, exit_42, 0);
	ut_handle(SIGFPE, exit_42, 0);
	return body(NULL);
}

/* A handler for the fault's signal runs (and here, exits). */
static void fault_caught_by_handler(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(caught, (void *)null_write), 42);
	UT_EXPECT_EXITED(t, ut_run(caught, (void *)kernel_read), 42);
	UT_EXPECT_EXITED(t, ut_run(caught, (void *)divide_by_zero), 43);
}

static int blocked(void *arg)
{
	int (*body)(void *) = (int (*)(void *))arg;
	sigset_t all;

	ut_handle(SIGSEGV, exit_42, 0);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	return body(NULL);
}

static int ignored(void *arg)
{
	int (*body)(void *) = (int (*)(void *))arg;

	ut_handle(SIGSEGV, SIG_IGN, 0);
	ut_handle(SIGFPE, SIG_IGN, 0);
	return body(NULL);
}

/* A fault cannot be blocked or ignored away: it kills (no endless loop). */
static void fault_blocked_or_ignored_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(blocked, (void *)null_write), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(ignored, (void *)null_write), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(ignored, (void *)divide_by_zero), SIGFPE);
}

static void fault_again(int sig)
{
	(void)sig;
	*null_ptr = 2;
	_exit(44);
}

static int fault_in_handler(void *arg)
{
	(void)arg;
	ut_handle(SIGSEGV, fault_again, 0);
	*null_ptr = 1;
	return 0;
}

/* A handler that faults on its own signal (blocked there) is killed. */
static void fault_inside_handler_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(fault_in_handler, NULL), SIGSEGV);
}

/* Fault with the stack pointer at @arg: no room for a signal frame. */
static int fault_on_bad_stack(void *arg)
{
	ut_handle(SIGSEGV, exit_42, 0);
#if defined(__i386__)
	asm volatile("movl %0, %%esp\n\tpushl $0" : : "r"(arg) : "memory");
#elif defined(__x86_64__)
	asm volatile("movq %0, %%rsp\n\tpushq $0" : : "r"(arg) : "memory");
#endif
	return 0;
}

/*
 * The kernel must not write a signal frame below a stack pointer that
 * is NULL or points at the kernel: the handler cannot run, so SIGSEGV
 * kills.
 */
static void fault_with_bad_stack_kills(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(fault_on_bad_stack, (void *)0), SIGSEGV);
	UT_EXPECT_KILLED(t,
			 ut_run(fault_on_bad_stack,
				(void *)(UT_KERNEL_BASE + 0x1000)),
			 SIGSEGV);
	UT_EXPECT_KILLED(t,
			 ut_run(fault_on_bad_stack,
				(void *)(UT_KERNEL_BASE + 0x200000)),
			 SIGSEGV);
}

static int echo_one_byte(void *arg)
{
	int *fds = arg;
	char c;

	if (read(fds[0], &c, 1) != 1)
		return 1;
	return write(fds[3], &c, 1) == 1 ? 0 : 2;
}

/* Faults in one child leave its sibling and the parent running. */
static void sibling_survives(struct kt_test *t)
{
	int fds[4], i;
	pid_t sib;
	char c = 0;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	KT_ASSERT_EQ(t, pipe(fds + 2), 0);
	sib = ut_spawn(echo_one_byte, fds);
	KT_ASSERT_GT(t, sib, 0);
	for (i = 0; i < 10; i++) {
		UT_EXPECT_KILLED(t, ut_run(null_write, NULL), SIGSEGV);
		UT_EXPECT_KILLED(t, ut_run(divide_by_zero, NULL), SIGFPE);
	}
	KT_EXPECT_EQ(t, kill(sib, 0), 0);
	KT_EXPECT_EQ(t, write(fds[1], "s", 1), 1);
	KT_EXPECT_EQ(t, read(fds[2], &c, 1), 1);
	KT_EXPECT_EQ(t, c, 's');
	UT_EXPECT_EXITED(t, ut_wait(sib, 0), 0);
	for (i = 0; i < 4; i++)
		close(fds[i]);
}

/* Many faulting children in a row, of every kind. */
static void fault_storm(struct kt_test *t)
{
	/* Two parallel tables, each laid out by hand. */
	/* clang-format off */
	static int (*const bodies[])(void *) = {
		null_read, null_write, kernel_write, divide_by_zero,
		invalid_opcode, privileged_cli,
	};
	static const int sigs[] = { SIGSEGV, SIGSEGV, SIGSEGV, SIGFPE,
				    SIGILL, SIGSEGV };
	/* clang-format on */
	int i, good = 0, st;

	for (i = 0; i < 120; i++) {
		st = ut_run(bodies[i % 6], NULL);
		good += st != -1 && WIFSIGNALED(st) &&
			WTERMSIG(st) == sigs[i % 6];
	}
	KT_EXPECT_EQ(t, good, 120);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(fault_suite, "fault",
	 KT_CASE(null_access_kills),
	 KT_CASE(kernel_access_kills),
	 KT_CASE(divide_error_kills),
	 KT_CASE(bad_instruction_kills),
	 KT_CASE(fault_caught_by_handler),
	 KT_CASE(fault_blocked_or_ignored_kills),
	 KT_CASE(fault_inside_handler_kills),
	 KT_CASE(fault_with_bad_stack_kills),
	 KT_CASE(sibling_survives),
	 KT_CASE(fault_storm));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
