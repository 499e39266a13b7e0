/*
 * test_ptrace_step: PTRACE_SINGLESTEP, one instruction per stop.  Over
 * known instruction sequences (straight code, a jump, a call and its
 * ret, a counted loop, a system call, a faulting instruction) every
 * stop is a SIGTRAP (si_code TRAP_TRACE) with eip on the next
 * instruction, registers as the instructions left them and the trap
 * flag hidden from GETREGS; a signal given to the step stops at its
 * handler's first instruction; CONT afterwards runs freely.
 */
#include "test_ptrace.h"

/*
 * The sequences, each entered by a call and starting with int3 so the
 * tracer gets a stop right before the first labelled instruction.
 */
extern char s0[], s1[], s2[], s4[], s5[], s6[], s7[], s8[];
extern char l0[], l1[], l2[], l3[];
extern char k0[], k1[], k2[], k3[];
extern char u0[], u1[];
void straight_seq(void);
void loop_seq(void);
void syscall_seq(void);
void ud2_seq(void);

asm(".text\n"
    ".globl straight_seq, s0, s1, s2, s4, s5, s6, s7, s8\n"
    "straight_seq: int3\n"
    "s0:	mov $1, %eax\n"
    "s1:	add $2, %eax\n"
    "s2:	jmp s4\n"
    "	ud2\n"			/* jumped over */
    "s4:	call s7\n"
    "s5:	add $4, %eax\n"
    "s6:	ret\n"
    "s7:	add $8, %eax\n"
    "s8:	ret\n"
    ".globl loop_seq, l0, l1, l2, l3\n"
    "loop_seq: int3\n"
    "l0:	mov $3, %ecx\n"
    "l1:	dec %ecx\n"
    "l2:	jnz l1\n"
    "l3:	ret\n"
    ".globl syscall_seq, k0, k1, k2, k3\n"
    "syscall_seq: int3\n"
    "k0:	mov $20, %eax\n"	/* __NR_getpid */
    "k1:	int $0x80\n"
    "k2:	nop\n"
    "k3:	ret\n"
    ".globl ud2_seq, u0, u1\n"
    "ud2_seq: int3\n"
    "u0:	nop\n"
    "u1:	ud2\n"
    "	ret\n");

static int run_seq(void *arg)
{
	((void (*)(void))arg)();
	return 0;
}

/* Start a traced child running @seq, stopped at its int3. */
static pid_t spawn_at_seq(void (*seq)(void))
{
	pid_t pid = pt_spawn_traced(run_seq, (void *)seq);
	int st;

	if (pid <= 0)
		return -1;
	st = pt_cont(pid, 0);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
		pt_kill(pid);
		return -1;
	}
	return pid;
}

/*
 * One step: a SIGTRAP stop.  Fills @r; returns 0, or -1 (logged) when
 * the stop was not a step.  @check_code: expect si_code TRAP_TRACE.
 */
static int step(struct kt_test *t, pid_t pid, struct user_regs_struct *r,
		int check_code)
{
	siginfo_t si;
	int st = pt_resume(pid, PTRACE_SINGLESTEP, 0);

	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
		ut_log_status(t, "single-step", st);
		return -1;
	}
	if (pt_getregs(pid, r) < 0 ||
	    ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) < 0)
		return -1;
	if (si.si_signo != SIGTRAP || (check_code && si.si_code != TRAP_TRACE))
		kt_log(t, "step stop si_signo %d si_code %d", si.si_signo,
		       si.si_code);
	if (si.si_signo != SIGTRAP || (check_code && si.si_code != TRAP_TRACE))
		return -1;
	return 0;
}

/*
 * Straight code, a taken jump, a call and two rets: each step lands on
 * the next instruction executed, with eax as computed so far, and TF
 * is not shown in EFLAGS.
 */
static void step_through_straight_code(struct kt_test *t)
{
	const char *eips[] = { s1, s2, s4, s7, s8, s5, s6 };
	const long eaxes[] = { 1, 3, 3, 3, 11, 11, 15 };
	struct user_regs_struct r;
	unsigned int i;
	long ret_addr;
	pid_t pid;

	pid = spawn_at_seq(straight_seq);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)s0);
	for (i = 0; i < sizeof(eips) / sizeof(eips[0]); i++) {
		if (step(t, pid, &r, 1) < 0) {
			KT_EXPECT_TRUE(t, !"step stopped");
			pt_kill(pid);
			return;
		}
		KT_EXPECT_EQ(t, r.eip, (long)eips[i]);
		KT_EXPECT_EQ(t, r.eax, eaxes[i]);
		KT_EXPECT_EQ(t, r.eflags & EFL_TF, 0);
	}
	/* The final ret goes back to the caller, whose address is on top. */
	ret_addr = ptrace(PTRACE_PEEKDATA, pid, PT_ADDR(r.esp), NULL);
	KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	KT_EXPECT_EQ(t, r.eip, ret_addr);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* A loop of three rounds is exactly seven steps, each where expected. */
static void step_counts_a_loop(struct kt_test *t)
{
	const char *eips[] = { l1, l2, l1, l2, l1, l2, l3 };
	const long ecxes[] = { 3, 2, 2, 1, 1, 0, 0 };
	struct user_regs_struct r;
	unsigned int i;
	pid_t pid;

	pid = spawn_at_seq(loop_seq);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < sizeof(eips) / sizeof(eips[0]); i++) {
		if (step(t, pid, &r, 1) < 0) {
			KT_EXPECT_TRUE(t, !"step stopped");
			pt_kill(pid);
			return;
		}
		KT_EXPECT_EQ(t, r.eip, (long)eips[i]);
		KT_EXPECT_EQ(t, r.ecx, ecxes[i]);
	}
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* int $0x80 is one step: the call is made, eip is past it. */
static void step_over_system_call(struct kt_test *t)
{
	struct user_regs_struct r;
	pid_t pid;

	pid = spawn_at_seq(syscall_seq);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	KT_EXPECT_EQ(t, r.eip, (long)k1);
	KT_EXPECT_EQ(t, r.eax, 20);
	KT_ASSERT_EQ(t, step(t, pid, &r, 0), 0);
	KT_EXPECT_EQ(t, r.eip, (long)k2);
	KT_EXPECT_EQ(t, r.eax, pid);		/* getpid's result */
	KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	KT_EXPECT_EQ(t, r.eip, (long)k3);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* Stepping onto ud2: the step does not complete, SIGILL stops it there. */
static void step_into_fault(struct kt_test *t)
{
	struct user_regs_struct r;
	int st;
	pid_t pid;

	pid = spawn_at_seq(ud2_seq);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	KT_EXPECT_EQ(t, r.eip, (long)u1);
	st = pt_resume(pid, PTRACE_SINGLESTEP, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGILL);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)u1);
	UT_EXPECT_KILLED(t, pt_cont(pid, SIGILL), SIGILL);
}

static volatile int usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* Install the handler, then the straight sequence: exit with the count. */
static int handler_then_seq(void *arg)
{
	(void)arg;
	if (pt_handle(SIGUSR1, on_usr1) < 0)
		return PT_EXIT_SETUP;
	straight_seq();
	return usr1_count;
}

/*
 * SINGLESTEP with a signal whose handler is installed: the step stops
 * at the handler's first instruction, before it runs.
 */
static void step_into_signal_handler(struct kt_test *t)
{
	int st;
	pid_t pid;

	pid = pt_spawn_traced(handler_then_seq, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)s0);
	st = pt_resume(pid, PTRACE_SINGLESTEP, SIGUSR1);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)on_usr1);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)) & EFL_TF, 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 1);
}

/* Many steps, then CONT: the tracee runs to its end without a trap. */
static void cont_after_steps_runs_free(struct kt_test *t)
{
	struct user_regs_struct r;
	int i;
	pid_t pid;

	pid = spawn_at_seq(loop_seq);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 3; i++)
		KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);

	/* DETACH after a step: the same, without a tracer. */
	pid = spawn_at_seq(loop_seq);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, step(t, pid, &r, 1), 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, pid, NULL, NULL), 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(ptrace_step_suite, "ptrace_step",
	 KT_CASE(step_through_straight_code),
	 KT_CASE(step_counts_a_loop),
	 KT_CASE(step_over_system_call),
	 KT_CASE(step_into_fault),
	 KT_CASE(step_into_signal_handler),
	 KT_CASE(cont_after_steps_runs_free));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
