/*
 * test_signal: handlers, SIG_IGN and default actions, masks and pending
 * delivery, the signals that cannot be caught, nesting and sa_mask,
 * what fork passes on, interrupted sleeps, SIGCHLD.  Stops are in
 * test_stop, register state across handlers in test_sigreturn.
 */
#include "utest.h"

static volatile int hits, last_sig, depth, max_depth, in_handler_masked;
static char order[32];
static volatile int norder;

static void note(char c)
{
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = c;
	order[norder] = '\0';
}

static void reset_notes(void)
{
	hits = last_sig = depth = max_depth = norder = 0;
	in_handler_masked = 0;
	order[0] = '\0';
}

static void counting_handler(int sig)
{
	sigset_t cur;

	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	in_handler_masked = sigismember(&cur, sig);
}

static int is_blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void block(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

/* A handler runs, with its own number, before kill() returns. */
static void handler_runs(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	KT_ASSERT_EQ(t, ut_handle(SIGUSR2, counting_handler, 0), 0);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR1), 0);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, last_sig, SIGUSR1);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR2), 0);
	KT_EXPECT_EQ(t, hits, 2);
	KT_EXPECT_EQ(t, last_sig, SIGUSR2);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	ut_handle(SIGUSR2, SIG_DFL, 0);
}

/* The signal is blocked while its handler runs, and unblocked after. */
static void handler_mask_restored(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_TRUE(t, in_handler_masked);
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* sigaction hands back the action it replaces. */
static void sigaction_returns_old(struct kt_test *t)
{
	struct sigaction sa, old;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, &sa, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, counting_handler);
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, NULL, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_IGN);
	sa.sa_handler = SIG_DFL;
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, &sa, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_IGN);
}

/* SIGKILL and SIGSTOP take no action; bad numbers are refused. */
static void uncatchable_and_invalid(struct kt_test *t)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting_handler;
	UT_EXPECT_ERR(t, sigaction(SIGKILL, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	UT_EXPECT_ERR(t, sigaction(SIGKILL, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(SIGSTOP, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(0, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(65, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(-1, &sa, NULL), EINVAL);
	/* Asking is allowed, and the answer is the default. */
	KT_EXPECT_EQ(t, sigaction(SIGKILL, NULL, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_DFL);
	UT_EXPECT_ERR(t, kill(getpid(), -1), EINVAL);
	UT_EXPECT_ERR(t, kill(getpid(), 65), EINVAL);
	UT_EXPECT_ERR(t, kill(getpid(), 1000), EINVAL);
	KT_EXPECT_EQ(t, kill(getpid(), 0), 0);
}

/* kill of a pid that no longer exists: ESRCH. */
static void kill_reaped_pid(struct kt_test *t)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	UT_EXPECT_ERR(t, kill(pid, 0), ESRCH);
	UT_EXPECT_ERR(t, kill(pid, SIGKILL), ESRCH);
}

static int ignore_term_then_wait(void *arg)
{
	int fd = (int)(long)arg;

	ut_handle(SIGTERM, SIG_IGN, 0);
	write(fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/* An ignored signal changes nothing, here or in a child. */
static void sig_ign_ignores(struct kt_test *t)
{
	int fds[2], st;
	pid_t pid;
	char c;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, SIG_IGN, 0), 0);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR1), 0);
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	KT_EXPECT_EQ(t, hits, 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGUSR1, SIG_DFL, 0);

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(ignore_term_then_wait, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	close(fds[0]);
	KT_EXPECT_EQ(t, kill(pid, SIGTERM), 0);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);	/* still alive */
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

static int raise_ignored_defaults(void *arg)
{
	(void)arg;
	kill(getpid(), SIGCHLD);
	kill(getpid(), SIGURG);
	kill(getpid(), SIGWINCH);
	kill(getpid(), SIGCONT);
	return 42;
}

/* SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored by default. */
static void default_ignore(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(raise_ignored_defaults, NULL), 42);
}

/* Blocked signals wait; unblocking delivers one of each, at once. */
static void mask_defers_delivery(struct kt_test *t)
{
	sigset_t set, old;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	KT_EXPECT_EQ(t, sigprocmask(SIG_BLOCK, &set, &old), 0);
	KT_EXPECT_FALSE(t, sigismember(&old, SIGUSR1));
	KT_EXPECT_TRUE(t, is_blocked(SIGUSR1));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 0);
	KT_EXPECT_EQ(t, sigprocmask(SIG_UNBLOCK, &set, &old), 0);
	KT_EXPECT_TRUE(t, sigismember(&old, SIGUSR1));
	KT_EXPECT_EQ(t, hits, 1);	/* standard signals do not queue */
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* Setting SIG_IGN discards a pending signal. */
static void ignore_discards_pending(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	block(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	ut_handle(SIGUSR1, SIG_IGN, 0);
	ut_handle(SIGUSR1, counting_handler, 0);
	block(SIG_UNBLOCK, SIGUSR1);
	KT_EXPECT_EQ(t, hits, 0);
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* SIGKILL and SIGSTOP never enter the mask; a bad `how` is refused. */
static void mask_cannot_hold_kill_stop(struct kt_test *t)
{
	sigset_t all, cur, none;

	sigfillset(&all);
	sigemptyset(&none);
	KT_EXPECT_EQ(t, sigprocmask(SIG_SETMASK, &all, NULL), 0);
	KT_EXPECT_EQ(t, sigprocmask(SIG_BLOCK, NULL, &cur), 0);
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGKILL));
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGSTOP));
	KT_EXPECT_TRUE(t, sigismember(&cur, SIGUSR1));
	KT_EXPECT_TRUE(t, sigismember(&cur, SIGTERM));
	KT_EXPECT_EQ(t, sigprocmask(SIG_SETMASK, &none, NULL), 0);
	UT_EXPECT_ERR(t, sigprocmask(99, &all, NULL), EINVAL);
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
}

static int block_all_then_wait(void *arg)
{
	int fd = (int)(long)arg;
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	write(fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/* A child that blocks everything still stops on SIGSTOP, dies on SIGKILL. */
static void kill_stop_beat_the_mask(struct kt_test *t)
{
	int fds[2], st;
	pid_t pid;
	char c;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(block_all_then_wait, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	close(fds[0]);
	kill(pid, SIGTERM);	/* blocked: stays pending */
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* Raises its own signal once from inside; records nesting and order. */
static void reraise_handler(int sig)
{
	if (++depth > max_depth)
		max_depth = depth;
	note('1');
	if (hits++ == 0)
		kill(getpid(), sig);
	note('a');
	depth--;
}

/* Without SA_NODEFER the re-raised signal waits for the handler's end. */
static void handler_blocks_own_signal(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, reraise_handler, 0), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, max_depth, 1);
	KT_EXPECT_STREQ(t, order, "1a1a");

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, reraise_handler, SA_NODEFER), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, max_depth, 2);
	KT_EXPECT_STREQ(t, order, "11aa");
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

static void usr1_raises_usr2(int sig)
{
	(void)sig;
	note('1');
	kill(getpid(), SIGUSR2);
	note('a');
}

static void usr2_notes(int sig)
{
	(void)sig;
	note('2');
	note('b');
}

/* sa_mask holds other signals off while the handler runs. */
static void sa_mask_defers_others(struct kt_test *t)
{
	struct sigaction sa;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR2, usr2_notes, 0), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr1_raises_usr2;
	sigemptyset(&sa.sa_mask);
	KT_ASSERT_EQ(t, sigaction(SIGUSR1, &sa, NULL), 0);
	reset_notes();
	kill(getpid(), SIGUSR1);
	KT_EXPECT_STREQ(t, order, "12ba");	/* nested */

	sigaddset(&sa.sa_mask, SIGUSR2);
	KT_ASSERT_EQ(t, sigaction(SIGUSR1, &sa, NULL), 0);
	reset_notes();
	kill(getpid(), SIGUSR1);
	KT_EXPECT_STREQ(t, order, "1a2b");	/* deferred */
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR2));
	ut_handle(SIGUSR1, SIG_DFL, 0);
	ut_handle(SIGUSR2, SIG_DFL, 0);
}

/*
 * The child inherits handlers and the mask but not pending signals.
 * Exit codes: 0 fine, 2 mask not inherited, 3 parent's pending signal
 * delivered, 4 handler not inherited.
 */
static int check_fork_inheritance(void *arg)
{
	(void)arg;
	if (!is_blocked(SIGUSR1))
		return 2;
	block(SIG_UNBLOCK, SIGUSR1);
	if (hits != 0)
		return 3;
	kill(getpid(), SIGUSR1);
	return hits == 1 ? 0 : 4;
}

static void fork_inherits_handlers_not_pending(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	block(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);	/* pending here, not in the child */
	UT_EXPECT_EXITED(t, ut_run(check_fork_inheritance, NULL), 0);
	KT_EXPECT_EQ(t, hits, 0);
	block(SIG_UNBLOCK, SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/*
 * Signal child @pid with @sig every 10 ms until it exits (a blocking
 * call can only be interrupted once the child is in it, and we cannot
 * see when that is); its wait status.
 */
static int signal_until_exit(pid_t pid, int sig)
{
	int st, ms;

	for (ms = 0; ms < UT_POLL_MS; ms += 10) {
		kill(pid, sig);
		ut_sleep_ms(10);
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
	}
	kill(pid, SIGKILL);
	ut_wait(pid, 0);
	return -1;
}

static int pause_until_handled(void *arg)
{
	int r, e;

	(void)arg;
	reset_notes();
	r = pause();
	e = errno;
	return r == -1 && e == EINTR && hits >= 1 ? 0 : 1;
}

/*
 * pause() returns -1/EINTR after a handler ran.  The child inherits the
 * handler, so no signal can find it without one.
 */
static void pause_interrupted(struct kt_test *t)
{
	pid_t pid;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	pid = ut_spawn(pause_until_handled, NULL);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, signal_until_exit(pid, SIGUSR1), 0);
}

/* Exit codes: 0 fine, 1 not EINTR, 2 remaining time wrong. */
static int nanosleep_until_handled(void *arg)
{
	struct timespec req, rem;
	int r, e;

	(void)arg;
	req.tv_sec = 10;
	req.tv_nsec = 0;
	rem.tv_sec = rem.tv_nsec = -1;
	r = nanosleep(&req, &rem);
	e = errno;
	if (r != -1 || e != EINTR)
		return 1;
	if (rem.tv_sec < 1 || rem.tv_sec > 10 || rem.tv_nsec < 0 ||
	    rem.tv_nsec >= 1000000000L)
		return 2;
	return 0;
}

/* nanosleep() cut short by a handler: EINTR and the time left. */
static void nanosleep_interrupted(struct kt_test *t)
{
	pid_t pid;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	pid = ut_spawn(nanosleep_until_handled, NULL);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, signal_until_exit(pid, SIGUSR1), 0);
}

/* The parent hears of its child's exit through SIGCHLD. */
static void sigchld_on_exit(struct kt_test *t)
{
	pid_t pid;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, 0), 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	/* Sent before the parent woke from wait: delivered by now. */
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, last_sig, SIGCHLD);
	ut_handle(SIGCHLD, SIG_DFL, 0);
}

/*
 * A process that is not our child and signals us with @sig after @ms,
 * so that a wait which never wakes ends with EINTR instead of hanging
 * the run.  Its pid; kill it when done.
 */
static pid_t watchdog(long ms, int sig)
{
	pid_t parent = getpid(), dog = -1, mid;
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	mid = fork();
	if (mid == 0) {
		dog = fork();
		if (dog == 0) {
			ut_sleep_ms(ms);
			kill(parent, sig);
			_exit(0);
		}
		write(fds[1], &dog, sizeof(dog));
		_exit(0);
	}
	if (mid > 0) {
		ut_read_full(fds[0], &dog, sizeof(dog));
		ut_wait(mid, 0);
	}
	close(fds[0]);
	close(fds[1]);
	return dog;
}

/*
 * Children of a parent that ignores SIGCHLD (or asks SA_NOCLDWAIT) leave
 * no zombie: a wait sleeps until they have all gone, then says ECHILD.
 */
static void sigchld_ignored_no_zombies(struct kt_test *t)
{
	static const int flags[2] = { 0, SA_NOCLDWAIT };
	void (*const actions[2])(int) = { SIG_IGN, SIG_DFL };
	pid_t pid, dog;
	int i, r, e;

	for (i = 0; i < 2; i++) {
		dog = watchdog(3000, SIGUSR1);
		KT_ASSERT_GT(t, dog, 0);
		KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
		KT_ASSERT_EQ(t, ut_handle(SIGCHLD, actions[i], flags[i]), 0);
		pid = fork();
		if (pid == 0) {
			ut_sleep_ms(30);
			_exit(0);
		}
		KT_ASSERT_GT(t, pid, 0);
		errno = 0;
		r = wait(NULL);		/* must wake when the child goes */
		e = errno;
		kill(dog, SIGKILL);
		ut_handle(SIGCHLD, SIG_DFL, 0);
		ut_handle(SIGUSR1, SIG_DFL, 0);
		KT_EXPECT_EQ(t, r, -1);
		KT_EXPECT_EQ(t, e, ECHILD);
		UT_EXPECT_ERR(t, waitpid(pid, NULL, WNOHANG), ECHILD);
		KT_EXPECT_TRUE(t, ut_wait_gone(pid));	/* never a zombie */
	}
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(signal_suite, "signal",
	 KT_CASE(handler_runs),
	 KT_CASE(handler_mask_restored),
	 KT_CASE(sigaction_returns_old),
	 KT_CASE(uncatchable_and_invalid),
	 KT_CASE(kill_reaped_pid),
	 KT_CASE(sig_ign_ignores),
	 KT_CASE(default_ignore),
	 KT_CASE(mask_defers_delivery),
	 KT_CASE(ignore_discards_pending),
	 KT_CASE(mask_cannot_hold_kill_stop),
	 KT_CASE(kill_stop_beat_the_mask),
	 KT_CASE(handler_blocks_own_signal),
	 KT_CASE(sa_mask_defers_others),
	 KT_CASE(fork_inherits_handlers_not_pending),
	 KT_CASE(pause_interrupted),
	 KT_CASE(nanosleep_interrupted),
	 KT_CASE(sigchld_on_exit),
	 KT_CASE(sigchld_ignored_no_zombies));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
