/*
 * test_ptrace_syscall: system call stops and event stops.
 * PTRACE_SYSCALL stops at each entry and exit in turn (SIGTRAP | 0x80
 * with PTRACE_O_TRACESYSGOOD, plain SIGTRAP without); at the entry
 * orig_eax is the number and eax -ENOSYS; the tracer may change the
 * number or the arguments there, skip the call (orig_eax = -1: the
 * result is -ENOSYS) or change the result at the exit.  The options
 * TRACEFORK, TRACEVFORK(+DONE), TRACEEXEC and TRACEEXIT give event
 * stops whose status is (SIGTRAP | PTRACE_EVENT_x << 8) << 8 | 0x7f,
 * with GETEVENTMSG's message; a forked child starts traced and
 * stopped.  GETSIGINFO describes each kind of stop.
 */
#include "test_ptrace.h"

#define SELF_DEFAULT	"/bin/test_ptrace_syscall"
#define EXEC_CODE	42

static const char *self = SELF_DEFAULT;
extern char _start[];		/* every program's entry (crt0) */

/* The status of a system call stop, with and without TRACESYSGOOD. */
#define SYSGOOD_STOP	(PT_SYSCALL_SIG << 8 | 0x7f)
#define PLAIN_STOP	(SIGTRAP << 8 | 0x7f)

static int report_fd = -1;

/*
 * Start @fn traced with a pipe to report on: the write end is
 * report_fd in the child, the read end stays open in fds[0].
 * *pid is the child, or -1 if the pipe or the spawn failed.
 */
static void spawn_reporting(struct kt_test *t, int (*fn)(void *),
			    int fds[2], pid_t *pid)
{
	*pid = -1;
	KT_ASSERT_EQ(t, pipe(fds), 0);
	report_fd = fds[1];
	*pid = pt_spawn_traced(fn, NULL);
	close(fds[1]);
}

/* Two system calls whose results the tracer knows, then exit(0). */
static int getpid_getppid(void *arg)
{
	(void)arg;
	syscall(SYS_getpid);
	syscall(SYS_getppid);
	return 0;
}

/* Resume to the next system call stop; its registers in @r. */
static int next_syscall_stop(pid_t pid, struct user_regs_struct *r)
{
	int st = pt_resume(pid, PTRACE_SYSCALL, 0);

	if (st != -1 && WIFSTOPPED(st) && pt_getregs(pid, r) < 0)
		return -1;
	return st;
}

/*
 * Entry and exit stops alternate, each a SIGTRAP|0x80 stop whose
 * siginfo says so; orig_eax is the call at both, eax is -ENOSYS at the
 * entry and the result at the exit.  exit_group has no exit stop.
 */
static void syscall_stops_alternate(struct kt_test *t)
{
	static const struct {
		long nr;
		int exit;
	} want[] = {
		{ __NR_getpid, 0 }, { __NR_getpid, 1 },
		{ __NR_getppid, 0 }, { __NR_getppid, 1 },
		{ __NR_exit_group, 0 },
	};
	struct user_regs_struct r;
	unsigned int i;
	siginfo_t si;
	int st;
	pid_t pid;

	pid = pt_spawn_traced(getpid_getppid, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACESYSGOOD)), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		st = next_syscall_stop(pid, &r);
		KT_EXPECT_EQ(t, st, SYSGOOD_STOP);
		if (st != SYSGOOD_STOP) {
			ut_log_status(t, "syscall stop", st);
			pt_kill(pid);
			return;
		}
		KT_EXPECT_EQ(t, r.orig_eax, want[i].nr);
		if (!want[i].exit)
			KT_EXPECT_EQ(t, r.eax, -ENOSYS);
		else if (want[i].nr == __NR_getpid)
			KT_EXPECT_EQ(t, r.eax, pid);
		else
			KT_EXPECT_EQ(t, r.eax, getpid());
		KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
		KT_EXPECT_EQ(t, si.si_signo, SIGTRAP);
		KT_EXPECT_EQ(t, si.si_code, PT_SYSCALL_SIG);
	}
	KT_EXPECT_EQ(t, r.ebx, 0);		/* exit_group(0) */
	UT_EXPECT_EXITED(t, pt_resume(pid, PTRACE_SYSCALL, 0), 0);
}

/* Without TRACESYSGOOD the same stops are plain SIGTRAP stops. */
static void syscall_stops_without_sysgood(struct kt_test *t)
{
	struct user_regs_struct r;
	int i, st;
	pid_t pid;

	pid = pt_spawn_traced(getpid_getppid, NULL);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 4; i++) {
		st = next_syscall_stop(pid, &r);
		KT_EXPECT_EQ(t, st, PLAIN_STOP);
		KT_EXPECT_EQ(t, r.orig_eax, i < 2 ? __NR_getpid : __NR_getppid);
	}
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* CONT from an entry stop: no exit stop, no more system call stops. */
static void cont_at_entry_ends_syscall_stops(struct kt_test *t)
{
	struct user_regs_struct r;
	pid_t pid;

	pid = pt_spawn_traced(getpid_getppid, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_getpid);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* getpid, report the result on report_fd. */
static int report_getpid(void *arg)
{
	long r;

	(void)arg;
	r = syscall(SYS_getpid);
	write(report_fd, &r, sizeof(r));
	return 0;
}

/* orig_eax changed at the entry: another call is made (getppid). */
static void change_syscall_number(struct kt_test *t)
{
	struct user_regs_struct r;
	int fds[2];
	long got = 0;
	pid_t pid;

	spawn_reporting(t, report_getpid, fds, &pid);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_getpid);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(orig_eax), __NR_getppid), 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_getppid);
	KT_EXPECT_EQ(t, r.eax, getpid());
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &got, sizeof(got)), sizeof(got));
	KT_EXPECT_EQ(t, got, getpid());
	close(fds[0]);
}

/* write(report_fd, "abcd", 4); exit with its result. */
static int write_abcd(void *arg)
{
	(void)arg;
	return syscall(SYS_write, report_fd, "abcd", 4);
}

/* Arguments changed at the entry: another fd, buffer and count. */
static void change_syscall_arguments(struct kt_test *t)
{
	struct user_regs_struct r;
	int a[2], b[2];
	char buf[8] = { 0 };
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(a), 0);
	KT_ASSERT_EQ(t, pipe(b), 0);
	report_fd = a[1];
	pid = pt_spawn_traced(write_abcd, NULL);
	KT_ASSERT_GT(t, pid, 0);
	close(a[1]);
	close(b[1]);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_write);
	KT_EXPECT_EQ(t, r.ebx, a[1]);
	KT_EXPECT_EQ(t, r.edx, 4);
	r.ebx = b[1];		/* the child still has it open */
	r.ecx += 1;
	r.edx = 2;
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.eax, 2);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 2);
	KT_EXPECT_EQ(t, ut_read_full(b[0], buf, sizeof(buf)), 2);
	KT_EXPECT_STREQ(t, buf, "bc");
	KT_EXPECT_EQ(t, ut_read_full(a[0], buf, sizeof(buf)), 0);
	close(a[0]);
	close(b[0]);
}

/* write(report_fd, "x", 1): exit 0 if it failed with ENOSYS. */
static int write_expect_enosys(void *arg)
{
	long r;

	(void)arg;
	r = syscall(SYS_write, report_fd, "x", 1);
	return r == -1 && errno == ENOSYS ? 0 : 1;
}

/*
 * orig_eax = -1 at the entry skips the call: nothing is written, the
 * exit stop still comes, and the result is -ENOSYS.
 */
static void skip_syscall(struct kt_test *t)
{
	struct user_regs_struct r;
	int fds[2];
	char c;
	pid_t pid;

	spawn_reporting(t, write_expect_enosys, fds, &pid);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_write);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(orig_eax), -1), 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.orig_eax, -1);
	KT_EXPECT_EQ(t, r.eax, -ENOSYS);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &c, 1), 0);
	close(fds[0]);
}

/* eax changed at the exit stop is the result the tracee sees. */
static void change_syscall_result(struct kt_test *t)
{
	struct user_regs_struct r;
	int fds[2];
	long got = 0;
	pid_t pid;

	spawn_reporting(t, report_getpid, fds, &pid);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, next_syscall_stop(pid, &r), PLAIN_STOP);
	KT_EXPECT_EQ(t, r.eax, pid);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eax), 4242), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &got, sizeof(got)), sizeof(got));
	KT_EXPECT_EQ(t, got, 4242);
	close(fds[0]);
}

/* ---- options and events ----------------------------------------------- */

static int exit_zero(void *arg)
{
	(void)arg;
	return 0;
}

/* Options outside PTRACE_O_MASK are refused with EINVAL. */
static void setoptions_unknown_einval(struct kt_test *t)
{
	pid_t pid = pt_spawn_traced(exit_zero, NULL);

	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
				PT_DATA(0x80000000)), EINVAL);
	UT_EXPECT_ERR(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
				PT_DATA(PTRACE_O_TRACESYSGOOD | 0x400)),
		      EINVAL);
	KT_EXPECT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL, PT_DATA(0)), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* Expect @st to be the stop of event @ev; log it if not. */
static int is_event(struct kt_test *t, int st, int ev)
{
	if (st != -1 && WIFSTOPPED(st) && st >> 8 == PT_EVENT_SIG(ev))
		return 1;
	kt_log(t, "wanted event %d, status 0x%x", ev, st);
	return 0;
}

/* fork; the child exits 9; report its pid; exit 0 if we reaped it. */
static int fork_child(void *arg)
{
	pid_t c;
	int st;

	(void)arg;
	c = fork();
	if (c == 0)
		_exit(9);
	write(report_fd, &c, sizeof(c));
	st = ut_wait(c, 0);
	return st == 9 << 8 ? 0 : 1;
}

/*
 * TRACEFORK: an event stop in the parent, inside fork (orig_eax),
 * whose message is the child's pid; the child starts traced (with our
 * options: TRACEEXIT stops it at its exit) and stopped by SIGSTOP,
 * with fork's 0 in eax.  Its real parent still reaps it after us.
 */
static void event_fork(struct kt_test *t)
{
	struct user_regs_struct r;
	unsigned long msg = 0;
	pid_t pid, child = 0, reported = 0;
	siginfo_t si;
	int fds[2], st;

	spawn_reporting(t, fork_child, fds, &pid);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACEFORK |
				       PTRACE_O_TRACEEXIT)), 0);
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, is_event(t, st, PTRACE_EVENT_FORK));
	KT_EXPECT_EQ(t, st, PT_EVENT_SIG(PTRACE_EVENT_FORK) << 8 | 0x7f);
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	child = msg;
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(orig_eax)), __NR_fork);
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
	KT_EXPECT_EQ(t, si.si_signo, SIGTRAP);
	KT_EXPECT_EQ(t, si.si_code, PT_EVENT_SIG(PTRACE_EVENT_FORK));
	KT_ASSERT_GT(t, child, 0);

	st = ut_wait(child, 0);
	KT_EXPECT_EQ(t, st, SIGSTOP << 8 | 0x7f);
	KT_EXPECT_EQ(t, pt_getregs(child, &r), 0);
	KT_EXPECT_EQ(t, r.eax, 0);
	KT_EXPECT_EQ(t, r.orig_eax, __NR_fork);
	st = pt_cont(child, 0);
	KT_EXPECT_TRUE(t, is_event(t, st, PTRACE_EVENT_EXIT));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, child, NULL, &msg), 0);
	KT_EXPECT_EQ(t, msg, 9 << 8);
	UT_EXPECT_EXITED(t, pt_cont(child, 0), 9);

	st = pt_cont_until(pid, 0);	/* through SIGCHLD and its exit event */
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &reported, sizeof(reported)),
		     sizeof(reported));
	KT_EXPECT_EQ(t, reported, child);
	close(fds[0]);
}

/* vfork a child that exits 9 at once; the vfork's pid, in the parent. */
static __attribute__((noinline)) pid_t vfork_exit9(void)
{
	pid_t c = vfork();

	if (c == 0)
		_exit(9);
	return c;
}

static int vfork_child(void *arg)
{
	pid_t c;

	(void)arg;
	c = vfork_exit9();
	return ut_wait(c, 0) == 9 << 8 ? 0 : 1;
}

/*
 * TRACEVFORK: the event in the parent, message the child's pid, the
 * child traced and stopped; TRACEVFORKDONE: a second event once the
 * child has let the parent's memory go, with the same message.
 */
static void event_vfork_and_done(struct kt_test *t)
{
	unsigned long msg = 0;
	pid_t pid, child;
	int st;

	pid = pt_spawn_traced(vfork_child, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACEVFORK |
				       PTRACE_O_TRACEVFORKDONE)), 0);
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, is_event(t, st, PTRACE_EVENT_VFORK));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(orig_eax)), __NR_vfork);
	child = msg;
	KT_ASSERT_GT(t, child, 0);
	KT_EXPECT_EQ(t, ut_wait(child, 0), SIGSTOP << 8 | 0x7f);
	UT_EXPECT_EXITED(t, pt_cont(child, 0), 9);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, is_event(t, st, PTRACE_EVENT_VFORK_DONE));
	msg = 0;
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	KT_EXPECT_EQ(t, msg, (unsigned long)child);
	UT_EXPECT_EXITED(t, pt_cont_until(pid, 0), 0);
}

static int exec_self(void *arg)
{
	char *argv[] = { (char *)self, "exit42", NULL };
	char *envp[] = { NULL };

	(void)arg;
	execve(self, argv, envp);
	return 5;
}

/*
 * TRACEEXEC: an event stop after the new image is in place: eip at its
 * entry point, orig_eax execve, message the pid; no extra SIGTRAP.
 */
static void event_exec(struct kt_test *t)
{
	unsigned long msg = 0;
	long word;
	int st;
	pid_t pid;

	pid = pt_spawn_traced(exec_self, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACEEXEC)), 0);
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, is_event(t, st, PTRACE_EVENT_EXEC));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	KT_EXPECT_EQ(t, msg, (unsigned long)pid);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)_start);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(orig_eax)), __NR_execve);
	word = ptrace(PTRACE_PEEKTEXT, pid, (void *)_start, NULL);
	KT_EXPECT_EQ(t, memcmp(&word, _start, sizeof(word)), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), EXEC_CODE);
}

/* Without TRACEEXEC a successful exec stops the tracee with SIGTRAP. */
static void exec_without_option_sigtrap(struct kt_test *t)
{
	int st;
	pid_t pid;

	pid = pt_spawn_traced(exec_self, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_EQ(t, st, PLAIN_STOP);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)_start);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), EXEC_CODE);
}

static int exit_7(void *arg)
{
	(void)arg;
	return 7;
}

static int die_of_sigterm(void *arg)
{
	(void)arg;
	kill(getpid(), SIGTERM);
	return 0;
}

/*
 * TRACEEXIT: the tracee stops on its way out, still whole (registers
 * readable, in exit_group), the message being the status its parent
 * will see; a death by signal gets the stop too.
 */
static void event_exit(struct kt_test *t)
{
	unsigned long msg = 0;
	int st;
	pid_t pid;

	pid = pt_spawn_traced(exit_7, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACEEXIT)), 0);
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, is_event(t, st, PTRACE_EVENT_EXIT));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	KT_EXPECT_EQ(t, msg, 7 << 8);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(orig_eax)), __NR_exit_group);
	KT_EXPECT_EQ(t, kill(pid, 0), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 7);

	pid = pt_spawn_traced(die_of_sigterm, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       PT_DATA(PTRACE_O_TRACEEXIT)), 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTERM);
	st = pt_cont(pid, SIGTERM);
	KT_ASSERT_TRUE(t, is_event(t, st, PTRACE_EVENT_EXIT));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	KT_EXPECT_EQ(t, msg, SIGTERM);
	UT_EXPECT_KILLED(t, pt_cont(pid, 0), SIGTERM);
}

static int send_usr1(void *arg)
{
	(void)arg;
	kill(getpid(), SIGUSR1);
	return 0;
}

/* GETSIGINFO at a signal stop: the signal, who sent it and how. */
static void getsiginfo_at_signal_stop(struct kt_test *t)
{
	siginfo_t si;
	int st;
	pid_t pid;

	pid = pt_spawn_traced(send_usr1, NULL);
	KT_ASSERT_GT(t, pid, 0);
	st = pt_cont(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1);
	memset(&si, 0, sizeof(si));
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
	KT_EXPECT_EQ(t, si.si_signo, SIGUSR1);
	KT_EXPECT_EQ(t, si.si_code, SI_USER);
	KT_EXPECT_EQ(t, si.si_pid, pid);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

KT_SUITE(ptrace_syscall_suite, "ptrace_syscall",
	 KT_CASE(syscall_stops_alternate),
	 KT_CASE(syscall_stops_without_sysgood),
	 KT_CASE(cont_at_entry_ends_syscall_stops),
	 KT_CASE(change_syscall_number),
	 KT_CASE(change_syscall_arguments),
	 KT_CASE(skip_syscall),
	 KT_CASE(change_syscall_result),
	 KT_CASE(setoptions_unknown_einval),
	 KT_CASE(event_fork),
	 KT_CASE(event_vfork_and_done),
	 KT_CASE(event_exec),
	 KT_CASE(exec_without_option_sigtrap),
	 KT_CASE(event_exit),
	 KT_CASE(getsiginfo_at_signal_stop));

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit42"))
		return EXEC_CODE;
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	ut_reset_signals();
	return kt_main();
}
