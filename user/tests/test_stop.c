/*
 * test_stop: SIGSTOP and SIGCONT as wait() reports them (WUNTRACED,
 * WCONTINUED, once each, in Linux encoding), what a stopped process
 * does with other signals (nothing, until continued; SIGKILL still
 * kills), and the SIGCHLD its parent gets for each.
 */
#include "utest.h"

static volatile int hits;

static void counting_handler(int sig)
{
	(void)sig;
	hits++;
}

/* Stopped and continued are each reported once, in Linux encoding. */
static void stop_continue_reported(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, kill(pid, SIGSTOP), 0);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	KT_EXPECT_EQ(t, WSTOPSIG(st), SIGSTOP);
	KT_EXPECT_EQ(t, st, SIGSTOP << 8 | 0x7f);
	KT_EXPECT_FALSE(t,
			WIFEXITED(st) || WIFSIGNALED(st) || WIFCONTINUED(st));
	KT_EXPECT_EQ(t, waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
	KT_EXPECT_EQ(t, kill(pid, SIGCONT), 0);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	KT_EXPECT_EQ(t, st, 0xffff);
	KT_EXPECT_FALSE(t, WIFEXITED(st) || WIFSIGNALED(st) || WIFSTOPPED(st));
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* Without WUNTRACED/WCONTINUED a wait neither reports nor eats them. */
static void stop_needs_wuntraced(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	kill(pid, SIGSTOP);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGCONT);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG | WUNTRACED), 0);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	/* SIGCONT to a running process reports nothing. */
	kill(pid, SIGCONT);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

static volatile int report_fd = -1;

static void write_b(int sig)
{
	(void)sig;
	write(report_fd, "B", 1);
}

static void write_c(int sig)
{
	(void)sig;
	write(report_fd, "C", 1);
}

static int wait_with_handlers(void *arg)
{
	report_fd = (int)(long)arg;
	ut_handle(SIGUSR1, write_b, 0);
	ut_handle(SIGCONT, write_c, 0);
	write(report_fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/*
 * A stopped process runs no handler until continued: its 'B' must come
 * after the 'A' we write while it is stopped; the SIGCONT handler's 'C'
 * comes with the continue.
 */
static void stopped_child_defers_handler(struct kt_test *t)
{
	char buf[4] = { 0 };
	int fds[2], st;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(wait_with_handlers, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, read(fds[0], buf, 1), 1);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGUSR1);
	ut_sleep_ms(50);	/* time enough to misbehave */
	write(fds[1], "A", 1);
	kill(pid, SIGCONT);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], buf, 3), 3);
	buf[3] = '\0';
	/* SIGCONT and SIGUSR1 are both pending at the continue: any order. */
	KT_EXPECT_TRUE(t, !strcmp(buf, "ABC") || !strcmp(buf, "ACB"));
	if (strcmp(buf, "ABC") && strcmp(buf, "ACB"))
		kt_log(t, "got \"%s\"", buf);
	close(fds[0]);
	close(fds[1]);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/*
 * Spawn a child that pauses forever and stop it with SIGSTOP, checking
 * that wait reports the stop.  *pid is the child, <= 0 if the spawn
 * failed (then the assertion has already failed the test).
 */
static void spawn_stopped(struct kt_test *t, pid_t *pid)
{
	int st;

	*pid = ut_spawn(ut_pause_forever, NULL);
	KT_ASSERT_GT(t, *pid, 0);
	kill(*pid, SIGSTOP);
	st = ut_wait(*pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
}

/* SIGKILL ends a stopped process without a SIGCONT. */
static void sigkill_kills_stopped(struct kt_test *t)
{
	pid_t pid;

	spawn_stopped(t, &pid);
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* SIGTERM to a stopped process waits for the continue, then kills. */
static void sigterm_waits_for_continue(struct kt_test *t)
{
	pid_t pid;
	int st;

	spawn_stopped(t, &pid);
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);
	kill(pid, SIGCONT);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGTERM);
}

/* Poll until the handler count reaches @n; 1 if it did. */
static int wait_hits(int n)
{
	int ms;

	for (ms = 0; ms < UT_POLL_MS && hits < n; ms += 10)
		ut_sleep_ms(10);
	return hits >= n;
}

/* SIGCHLD on stop and on continue, unless SA_NOCLDSTOP; always on exit. */
static void sigchld_on_stop_and_continue(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	hits = 0;
	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, 0), 0);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	KT_EXPECT_EQ(t, hits, 1);	/* sent before wait returned */
	kill(pid, SIGCONT);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	KT_EXPECT_TRUE(t, wait_hits(2));

	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, SA_NOCLDSTOP), 0);
	hits = 0;
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGCONT);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, hits, 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGCHLD, SIG_DFL, 0);
}

/* Many stop/continue rounds, each reported exactly. */
static void stop_continue_cycles(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int i, good = 0;

	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 20; i++) {
		kill(pid, SIGSTOP);
		good += ut_wait(pid, WUNTRACED) == (SIGSTOP << 8 | 0x7f);
		kill(pid, SIGCONT);
		good += ut_wait(pid, WCONTINUED) == 0xffff;
	}
	KT_EXPECT_EQ(t, good, 40);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(stop_suite, "stop",
	 KT_CASE(stop_continue_reported),
	 KT_CASE(stop_needs_wuntraced),
	 KT_CASE(stopped_child_defers_handler),
	 KT_CASE(sigkill_kills_stopped),
	 KT_CASE(sigterm_waits_for_continue),
	 KT_CASE(sigchld_on_stop_and_continue),
	 KT_CASE(stop_continue_cycles));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
