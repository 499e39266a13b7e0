/*
 * test_ptrace_basic: who may trace whom, and what a stop is.
 * PTRACE_TRACEME and PTRACE_ATTACH/DETACH with their errnos (self,
 * init, a task already traced, a zombie, no such pid, TRACEME twice),
 * the stop on every signal but SIGKILL (LTP ptrace05), what CONT, KILL
 * and DETACH do with the stop's signal (ptrace01), and that requests
 * need a tracee of ours that is stopped (ESRCH) and a request the
 * kernel knows (EIO).
 */
#include "test_ptrace.h"

static int exit_zero(void *arg)
{
	(void)arg;
	return 0;
}

/* A child that blocks in read() on @fd until a byte or EOF, then exits 0. */
static pid_t spawn_gated(int fds[2])
{
	pid_t pid;
	char c;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	return pid;
}

/* ---- TRACEME ---------------------------------------------------------- */

static int traceme_twice(void *arg)
{
	(void)arg;
	errno = 0;
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != -1)
		return 1;
	return errno == EPERM ? 0 : 2;
}

/* A second TRACEME fails with EPERM: the child is traced already. */
static void traceme_twice_eperm(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(traceme_twice, NULL);

	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

static int usr2_caught;

static void on_usr2(int sig)
{
	(void)sig;
	usr2_caught = 1;
}

/* Handler on, SIGUSR2 to self: exit 1 if the handler ran, else 2. */
static int raise_usr2(void *arg)
{
	(void)arg;
	if (pt_handle(SIGUSR2, on_usr2) < 0)
		return PT_EXIT_SETUP;
	kill(getpid(), SIGUSR2);
	return usr2_caught ? 1 : 2;
}

/*
 * ptrace01: a traced child stops at the signal it was sent, before its
 * handler; the tracer's restart decides what is delivered.
 */
static void signal_stop_then_cont(struct kt_test *t)
{
	pid_t pid;
	int st;

	/* CONT with 0: the signal is discarded, no handler runs. */
	pid = pt_spawn_traced(raise_usr2, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 2);

	/* CONT with the signal: delivered, the handler runs. */
	pid = pt_spawn_traced(raise_usr2, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	UT_EXPECT_EXITED(t, pt_cont(pid, SIGUSR2), 1);

	/* CONT with another signal: that one is delivered instead. */
	pid = pt_spawn_traced(raise_usr2, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	UT_EXPECT_KILLED(t, pt_cont(pid, SIGTERM), SIGTERM);
}

/* ptrace01: PTRACE_KILL on a signal stop kills the child with SIGKILL. */
static void signal_stop_then_kill(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(raise_usr2, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	KT_EXPECT_EQ(t, ptrace(PTRACE_KILL, pid, NULL, NULL), 0);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* SIGKILL sent to a stopped tracee ends it; the tracer sees the death. */
static void sigkill_ends_a_stopped_tracee(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(exit_zero, NULL);

	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, kill(pid, SIGKILL), 0);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* The signal ptrace05 sends itself. */
static int raise_arg(void *arg)
{
	kill(getpid(), (int)(long)arg);
	return 0;
}

/*
 * ptrace05: a traced child stops on every signal it receives, whatever
 * its default action (SIGCHLD, SIGCONT, SIGSTOP included), except
 * SIGKILL; signal 0 is no signal.  CONT with 0 lets it go on.
 */
static void stop_on_every_signal(struct kt_test *t)
{
	int sig, st, bad = 0;
	pid_t pid;

	for (sig = 0; sig < 32; sig++) {
		pid = pt_spawn_traced(raise_arg, (void *)(long)sig);
		KT_ASSERT_GT(t, pid, 0);
		st = pt_cont(pid, 0);
		if (sig == 0 || sig == SIGKILL) {
			if (sig == 0 ? st != 0 : st != SIGKILL) {
				kt_log(t, "signal %d: status 0x%x", sig, st);
				bad++;
			}
			continue;
		}
		if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != sig ||
		    st >> 16) {
			kt_log(t, "signal %d: status 0x%x, no stop", sig, st);
			bad++;
			if (st != -1 && WIFSTOPPED(st))
				pt_kill(pid);
			continue;
		}
		st = pt_cont(pid, 0);
		if (st != 0) {
			kt_log(t, "signal %d discarded: status 0x%x", sig, st);
			bad++;
			if (st != -1 && WIFSTOPPED(st))
				pt_kill(pid);
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

static int raise_ignored(void *arg)
{
	(void)arg;
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	return 0;
}

static int raise_blocked(void *arg)
{
	int fd = (int)(long)arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	write(fd, "p", 1);		/* past the kill: no stop yet */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

/*
 * Even an ignored signal stops a tracee (the tracer may want it); a
 * blocked one stops it only once unblocked.
 */
static void ignored_and_blocked_signals(struct kt_test *t)
{
	int fds[2], st;
	char c = 0;
	pid_t pid;

	pid = pt_spawn_traced(raise_ignored, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1);
	UT_EXPECT_EXITED(t, pt_cont(pid, SIGUSR1), 0);

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = pt_spawn_traced(raise_blocked, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &c, 1), 1);
	KT_EXPECT_EQ(t, c, 'p');
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	close(fds[0]);
}

/* ---- ATTACH and DETACH ------------------------------------------------ */

/* Nobody may trace itself. */
static void attach_self_eperm(struct kt_test *t)
{
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, getpid(), NULL, NULL), EPERM);
	UT_EXPECT_ERR(t, ptrace(PTRACE_DETACH, getpid(), NULL, NULL), ESRCH);
}

/*
 * Spoor keeps init (pid 1) off limits, as Linux did before 2.6.26.
 * Not tried on the Linux host: root may attach to init there, and the
 * host's init is not ours to stop.
 */
static void attach_init_eperm(struct kt_test *t)
{
	if (!ut_is_spoor())
		KT_SKIP(t, "root may attach to init on Linux; not tried");
	errno = 0;
	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) {
		KT_EXPECT_TRUE(t, !"attached to init");
		ptrace(PTRACE_DETACH, 1, NULL, NULL);
		return;
	}
	KT_EXPECT_EQ(t, errno, EPERM);
}

/* A pid nobody has: ESRCH for ATTACH and for every other request. */
static void attach_unused_pid_esrch(struct kt_test *t)
{
	pid_t pid = fork();
	long word;

	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_PEEKDATA, pid, &word, NULL), ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_DETACH, pid, NULL, NULL), ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, -1, NULL, NULL), ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, 0, NULL, NULL), ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, 0x7fffffff, NULL, NULL),
		      ESRCH);
}

static int attach_and_report(void *arg)
{
	pid_t target = (pid_t)(long)arg;

	errno = 0;
	if (ptrace(PTRACE_ATTACH, target, NULL, NULL) != -1)
		return 1;
	return errno == EPERM ? 0 : 2;
}

/* A tracee has one tracer: a second ATTACH, ours or another's, is EPERM. */
static void attach_traced_eperm(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid, other;

	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), 0);
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), EPERM);
	other = ut_spawn(attach_and_report, (void *)(long)pid);
	KT_ASSERT_GT(t, other, 0);
	UT_EXPECT_EXITED(t, ut_wait(other, 0), 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, pid, NULL, NULL), 0);
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);

	/* A child that asked with TRACEME is traced by us: EPERM too. */
	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), EPERM);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* A zombie cannot be traced any more: EPERM. */
static void attach_zombie_eperm(struct kt_test *t)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(3);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_TRUE(t, ut_wait_zombie(pid));
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), EPERM);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 3);
}

/*
 * kselftest: ATTACH stops the task with SIGSTOP (reported to the
 * tracer without WUNTRACED, once); DETACH lets it run on to a normal
 * exit, after which there is nothing left to wait for.
 */
static void attach_stop_detach_exit(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), 0);
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st));
	KT_EXPECT_EQ(t, WSTOPSIG(st), SIGSTOP);
	KT_EXPECT_EQ(t, st >> 16, 0);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);	/* reported once */
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, pid, NULL, NULL), 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_DETACH, pid, NULL, NULL), ESRCH);
	write(gate[1], "x", 1);
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	UT_EXPECT_ERR(t, waitpid(pid, &st, 0), ECHILD);
}

/* DETACH's data is a signal to deliver as the tracee goes. */
static void detach_delivers_signal(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), 0);
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, pid, NULL, PT_DATA(SIGUSR1)), 0);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGUSR1);
	close(gate[1]);
}

/* ---- which requests, on whom ------------------------------------------ */

/* Every request but ATTACH/TRACEME/KILL fails with ESRCH on @pid. */
static void expect_all_esrch(struct kt_test *t, pid_t pid)
{
	static const int requests[] = {
		PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER,
		PTRACE_POKETEXT, PTRACE_POKEDATA, PTRACE_POKEUSER,
		PTRACE_CONT, PTRACE_SINGLESTEP, PTRACE_GETREGS,
		PTRACE_SETREGS, PTRACE_DETACH, PTRACE_SYSCALL,
		PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO,
		0x7777,	/* unknown: ESRCH comes first */
	};
	static long word;
	struct user_regs_struct regs;
	unsigned int i;
	void *addr, *data;
	long r;
	int bad = 0;

	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		addr = &word;
		data = requests[i] == PTRACE_GETREGS ||
		       requests[i] == PTRACE_SETREGS ? (void *)&regs : &word;
		if (requests[i] == PTRACE_PEEKUSER ||
		    requests[i] == PTRACE_POKEUSER)
			addr = NULL;
		if (requests[i] == PTRACE_CONT ||
		    requests[i] == PTRACE_SINGLESTEP ||
		    requests[i] == PTRACE_SYSCALL ||
		    requests[i] == PTRACE_DETACH ||
		    requests[i] == PTRACE_SETOPTIONS)
			data = NULL;
		errno = 0;
		r = ptrace(requests[i], pid, addr, data);
		if (r != -1 || errno != ESRCH) {
			kt_log(t, "request %#x: %ld, errno %d", requests[i], r,
			       errno);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

/* A tracee that is running, not stopped, takes no requests: ESRCH. */
static void running_tracee_esrch(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), 0);
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	KT_EXPECT_EQ(t, ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	expect_all_esrch(t, pid);
	/* Still our tracee: it exits through us. */
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

/* Our own child, not traced, running or even stopped: ESRCH. */
static void untraced_child_esrch(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	expect_all_esrch(t, pid);
	KT_EXPECT_EQ(t, kill(pid, SIGSTOP), 0);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	expect_all_esrch(t, pid);
	KT_EXPECT_EQ(t, kill(pid, SIGCONT), 0);
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

static int attach_and_hold(void *arg)
{
	int *fds = arg;
	pid_t target;
	char c;

	if (read(fds[0], &target, sizeof(target)) != sizeof(target))
		return PT_EXIT_SETUP;
	if (ptrace(PTRACE_ATTACH, target, NULL, NULL) < 0 ||
	    ut_wait(target, 0) == -1)
		return PT_EXIT_SETUP;
	write(fds[1], "a", 1);
	read(fds[0], &c, 1);		/* hold it until told */
	ptrace(PTRACE_DETACH, target, NULL, NULL);
	return 0;
}

/* A task someone else traces, even stopped, is not ours: ESRCH. */
static void traced_by_another_esrch(struct kt_test *t)
{
	int gate[2], to_tracer[2], from_tracer[2], fds[2];
	pid_t pid, tracer;
	char c = 0;

	KT_ASSERT_EQ(t, pipe(to_tracer), 0);
	KT_ASSERT_EQ(t, pipe(from_tracer), 0);
	fds[0] = to_tracer[0];
	fds[1] = from_tracer[1];
	tracer = ut_spawn(attach_and_hold, fds);
	KT_ASSERT_GT(t, tracer, 0);
	pid = spawn_gated(gate);
	KT_ASSERT_GT(t, pid, 0);
	write(to_tracer[1], &pid, sizeof(pid));
	KT_EXPECT_EQ(t, ut_read_full(from_tracer[0], &c, 1), 1);
	KT_EXPECT_EQ(t, c, 'a');
	expect_all_esrch(t, pid);
	UT_EXPECT_ERR(t, ptrace(PTRACE_ATTACH, pid, NULL, NULL), EPERM);
	write(to_tracer[1], "d", 1);
	UT_EXPECT_EXITED(t, ut_wait(tracer, 0), 0);
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	close(to_tracer[0]);
	close(to_tracer[1]);
	close(from_tracer[0]);
	close(from_tracer[1]);
}

/* A stopped tracee of ours, but a request nobody defined: EIO. */
static void unknown_request_eio(struct kt_test *t)
{
	static const int unknown[] = { 0x7777, 99, 0x4299, -1, 10, 11 };
	struct user_regs_struct regs;
	unsigned int i;
	pid_t pid;

	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		UT_EXPECT_ERR(t, ptrace(unknown[i], pid, NULL, NULL), EIO);
	KT_EXPECT_EQ(t, pt_getregs(pid, &regs), 0);	/* still stopped */
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* A restart's signal must be a signal number: EIO, and no restart. */
static void restart_with_bad_signal_eio(struct kt_test *t)
{
	struct user_regs_struct regs;
	pid_t pid;

	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_CONT, pid, NULL, PT_DATA(65)), EIO);
	UT_EXPECT_ERR(t, ptrace(PTRACE_CONT, pid, NULL, PT_DATA(-1)), EIO);
	UT_EXPECT_ERR(t, ptrace(PTRACE_SYSCALL, pid, NULL, PT_DATA(0x10000)),
		      EIO);
	UT_EXPECT_ERR(t, ptrace(PTRACE_DETACH, pid, NULL, PT_DATA(65)), EIO);
	KT_EXPECT_EQ(t, pt_getregs(pid, &regs), 0);	/* still stopped */
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

KT_SUITE(ptrace_basic_suite, "ptrace_basic",
	 KT_CASE(traceme_twice_eperm),
	 KT_CASE(signal_stop_then_cont),
	 KT_CASE(signal_stop_then_kill),
	 KT_CASE(sigkill_ends_a_stopped_tracee),
	 KT_CASE(stop_on_every_signal),
	 KT_CASE(ignored_and_blocked_signals),
	 KT_CASE(attach_self_eperm),
	 KT_CASE(attach_init_eperm),
	 KT_CASE(attach_unused_pid_esrch),
	 KT_CASE(attach_traced_eperm),
	 KT_CASE(attach_zombie_eperm),
	 KT_CASE(attach_stop_detach_exit),
	 KT_CASE(detach_delivers_signal),
	 KT_CASE(running_tracee_esrch),
	 KT_CASE(untraced_child_esrch),
	 KT_CASE(traced_by_another_esrch),
	 KT_CASE(unknown_request_eio),
	 KT_CASE(restart_with_bad_signal_eio));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
