/*
 * test_wait: exit statuses and the wait family.  Linux status encoding
 * for every exit code and for deaths by signal, which child a wait
 * picks, WNOHANG, ECHILD for what is not our child, zombies that stay
 * until reaped.
 */
#include <sys/syscall.h>

#include "utest.h"

/* Every exit code 0..255 reads back through the macros and raw. */
static void exit_codes_0_255(struct kt_test *t)
{
	int code, st, bad = 0;
	pid_t pid;

	for (code = 0; code < 256; code++) {
		pid = fork();
		if (pid == 0)
			_exit(code);
		KT_ASSERT_GT(t, pid, 0);
		st = ut_wait(pid, 0);
		if (st != code << 8 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != code || WIFSIGNALED(st) ||
		    WIFSTOPPED(st) || WIFCONTINUED(st)) {
			if (!bad++)
				kt_log(t, "exit(%d) gave status 0x%x", code,
				       st);
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

static int exit_256(void *arg)
{
	(void)arg;
	exit(256);
}

static int exit_minus_1(void *arg)
{
	(void)arg;
	_exit(-1);
}

static int exit_raw(void *arg)
{
	syscall(SYS_exit, 5);
	(void)arg;
	return 100;
}

static int exit_group_raw(void *arg)
{
	syscall(SYS_exit_group, 6);
	(void)arg;
	return 100;
}

static int return_3(void *arg)
{
	(void)arg;
	return 3;
}

/* Only the low 8 bits of the code count; exit and exit_group both work. */
static void exit_code_truncated(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(exit_256, NULL), 0);
	UT_EXPECT_EXITED(t, ut_run(exit_minus_1, NULL), 255);
	UT_EXPECT_EXITED(t, ut_run(exit_raw, NULL), 5);
	UT_EXPECT_EXITED(t, ut_run(exit_group_raw, NULL), 6);
	UT_EXPECT_EXITED(t, ut_run(return_3, NULL), 3);
}

/* Deaths by signals whose default action is to terminate. */
static void killed_by_signal_status(struct kt_test *t)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGUSR1, SIGUSR2,
				    SIGINT, SIGHUP, SIGALRM, SIGPIPE };
	unsigned int i;
	int st;
	pid_t pid;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid = ut_spawn(ut_pause_forever, NULL);
		KT_ASSERT_GT(t, pid, 0);
		KT_EXPECT_EQ(t, kill(pid, sigs[i]), 0);
		st = ut_wait(pid, 0);
		UT_EXPECT_KILLED(t, st, sigs[i]);
		KT_EXPECT_FALSE(t, WIFEXITED(st));
		KT_EXPECT_FALSE(t, WIFSTOPPED(st));
		KT_EXPECT_EQ(t, st & 0x7f, sigs[i]);	/* Linux encoding */
		KT_EXPECT_EQ(t, st & ~0xff, 0);
	}
}

static int kill_self(void *arg)
{
	kill(getpid(), SIGTERM);
	(void)arg;
	return 100;	/* not reached */
}

/* A process that signals itself dies before kill() returns to it. */
static void killed_by_own_signal(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(kill_self, NULL), SIGTERM);
}

/* A child that exits with @code once a byte arrives on @fd. */
static pid_t spawn_gated(int fds[2], int code)
{
	pid_t pid;
	char c;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 1 ? code : 99);
	}
	close(fds[0]);
	return pid;
}

/* waitpid(pid) waits for that child only, not for another that exited. */
static void waitpid_specific_child(struct kt_test *t)
{
	int gate[2], st;
	pid_t slow, quick;

	slow = spawn_gated(gate, 1);
	KT_ASSERT_GT(t, slow, 0);
	quick = fork();
	if (quick == 0)
		_exit(2);
	KT_ASSERT_GT(t, quick, 0);
	ut_sleep_ms(30);	/* quick is a zombie by now */
	KT_EXPECT_EQ(t, waitpid(slow, &st, WNOHANG), 0);
	write(gate[1], "x", 1);
	close(gate[1]);
	st = ut_wait(slow, 0);
	UT_EXPECT_EXITED(t, st, 1);
	st = ut_wait(quick, 0);
	UT_EXPECT_EXITED(t, st, 2);
}

/* wait(-1) returns the one child that has exited, whichever it is. */
static void wait_any_picks_the_exited(struct kt_test *t)
{
	static const int order[5] = { 3, 1, 4, 0, 2 };
	int gates[5][2], st, i, right = 0;
	pid_t pids[5], got;

	for (i = 0; i < 5; i++) {
		pids[i] = spawn_gated(gates[i], 10 + i);
		KT_ASSERT_GT(t, pids[i], 0);
	}
	for (i = 0; i < 5; i++) {
		int k = order[i];

		write(gates[k][1], "x", 1);
		close(gates[k][1]);
		got = wait(&st);
		if (got == pids[k] && st == (10 + k) << 8)
			right++;
		else
			kt_log(t, "released %d, wait gave pid %d status 0x%x",
			       k, (int)got, st);
	}
	KT_EXPECT_EQ(t, right, 5);
	UT_EXPECT_ERR(t, wait(&st), ECHILD);
}

/* WNOHANG: 0 while a child runs, ECHILD when there is none. */
static void wnohang(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate, 4);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);
	KT_EXPECT_EQ(t, waitpid(-1, &st, WNOHANG), 0);
	close(gate[1]);		/* read() sees EOF: exit 99 */
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 99);
	UT_EXPECT_ERR(t, waitpid(-1, &st, WNOHANG), ECHILD);
	UT_EXPECT_ERR(t, waitpid(pid, &st, WNOHANG), ECHILD);
}

static int report_grandchild(void *arg)
{
	int fd = (int)(long)arg;
	pid_t pid = fork();

	if (pid == 0) {
		ut_sleep_ms(100);
		_exit(0);
	}
	write(fd, &pid, sizeof(pid));
	ut_wait(pid, 0);
	return 0;
}

/* Only our own children can be waited for. */
static void wait_not_a_child(struct kt_test *t)
{
	int fds[2], st;
	pid_t child, grandchild = 0;

	UT_EXPECT_ERR(t, waitpid(getpid(), &st, 0), ECHILD);
	UT_EXPECT_ERR(t, waitpid(getppid(), &st, 0), ECHILD);
	UT_EXPECT_ERR(t, waitpid(1, &st, WNOHANG), ECHILD);
	UT_EXPECT_ERR(t, wait(&st), ECHILD);
	KT_ASSERT_EQ(t, pipe(fds), 0);
	child = ut_spawn(report_grandchild, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, child, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &grandchild, sizeof(grandchild)),
		     sizeof(grandchild));
	close(fds[0]);
	UT_EXPECT_ERR(t, waitpid(grandchild, &st, WNOHANG), ECHILD);
	UT_EXPECT_ERR(t, waitpid(grandchild, &st, 0), ECHILD);
	UT_EXPECT_EXITED(t, ut_wait(child, 0), 0);
	/* A reaped child is no longer ours either. */
	UT_EXPECT_ERR(t, waitpid(child, &st, 0), ECHILD);
}

/* A blocking wait sleeps until the child exits, then reports it. */
static void wait_blocks_until_exit(struct kt_test *t)
{
	int fds[2], st;
	char c = 0;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		ut_sleep_ms(50);
		write(fds[1], "z", 1);
		_exit(3);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, wait(&st), pid);
	UT_EXPECT_EXITED(t, st, 3);
	/* The child wrote before it exited: the byte is there already. */
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	KT_EXPECT_EQ(t, c, 'z');
	close(fds[0]);
}

/* wait4 with a NULL rusage, waitpid with a NULL status. */
static void wait4_and_null_status(struct kt_test *t)
{
	int st = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(21);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, wait4(pid, &st, 0, NULL), pid);
	UT_EXPECT_EXITED(t, st, 21);
	pid = fork();
	if (pid == 0)
		_exit(22);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, wait4(-1, &st, 0, NULL), pid);
	UT_EXPECT_EXITED(t, st, 22);
	pid = fork();
	if (pid == 0)
		_exit(23);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, waitpid(pid, NULL, 0), pid);
	UT_EXPECT_ERR(t, waitpid(pid, NULL, 0), ECHILD);
}

/* Options outside WNOHANG|WUNTRACED|WCONTINUED are refused. */
static void wait_bad_options(struct kt_test *t)
{
	int gate[2], st;
	pid_t pid;

	pid = spawn_gated(gate, 0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_ERR(t, waitpid(pid, &st, 0x100), EINVAL);
	UT_EXPECT_ERR(t, waitpid(-1, &st, 0x100 | WNOHANG), EINVAL);
	close(gate[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 99);
}

/* An exited child stays a zombie until waited for, then is gone. */
static void zombie_until_reaped(struct kt_test *t)
{
	pid_t pid = fork();
	int state;

	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	ut_sleep_ms(30);
	KT_EXPECT_TRUE(t, ut_wait_zombie(pid));
	state = ut_task_state(pid);
	if (state < 0)
		KT_SKIP(t, "no task list to read");
	KT_EXPECT_EQ(t, state, 'Z');
	KT_EXPECT_EQ(t, kill(pid, 0), 0);	/* a zombie is still a process */
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_task_state(pid), 0);
	UT_EXPECT_ERR(t, kill(pid, 0), ESRCH);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(wait_suite, "wait",
	 KT_CASE(exit_codes_0_255),
	 KT_CASE(exit_code_truncated),
	 KT_CASE(killed_by_signal_status),
	 KT_CASE(killed_by_own_signal),
	 KT_CASE(waitpid_specific_child),
	 KT_CASE(wait_any_picks_the_exited),
	 KT_CASE(wnohang),
	 KT_CASE(wait_not_a_child),
	 KT_CASE(wait_blocks_until_exit),
	 KT_CASE(wait4_and_null_status),
	 KT_CASE(wait_bad_options),
	 KT_CASE(zombie_until_reaped));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
