/*
 * test_fork: fork and vfork.  What the child sees of the parent, that
 * the two copies of memory and of the fd table are independent, deep
 * chains of forks, and the storm: 1000 forks, exactly 1000 reaps, then
 * no child is left (ECHILD).
 */
#include "utest.h"

#define STORM		1000
#define STORM_LIVE	16	/* children alive at once in the storm */
#define CHAIN		20
#define BIG		(64 * 1024)

static int global_word = 1234;

/* Child and parent agree on who is whom: pids, parent pid, return values. */
static void fork_returns_twice(struct kt_test *t)
{
	long got[2] = { 0, 0 };
	int fds[2], st;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		long mine[2] = { getpid(), getppid() };

		write(fds[1], mine, sizeof(mine));
		_exit(0);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_NE(t, pid, getpid());
	KT_EXPECT_EQ(t, ut_read_full(fds[0], got, sizeof(got)), sizeof(got));
	close(fds[0]);
	KT_EXPECT_EQ(t, got[0], pid);		/* child's getpid() */
	KT_EXPECT_EQ(t, got[1], getpid());	/* child's getppid() */
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 0);
}

/*
 * Globals, stack and heap are copied: each side sees the values of the
 * moment of fork and never the other's later writes.
 */
static void fork_copies_memory(struct kt_test *t)
{
	unsigned char *heap = malloc(BIG);
	volatile int stack_word = 42;
	int go[2], st, i;
	pid_t pid;

	KT_ASSERT_TRUE(t, heap != NULL);
	for (i = 0; i < BIG; i++)
		heap[i] = (unsigned char)(i * 7);
	global_word = 1234;
	KT_ASSERT_EQ(t, pipe(go), 0);
	pid = fork();
	if (pid == 0) {
		char c;
		int bad = 0;

		close(go[1]);
		/* Wait until the parent has scribbled over its copy. */
		if (read(go[0], &c, 1) != 1)
			_exit(10);
		for (i = 0; i < BIG; i++)
			bad += heap[i] != (unsigned char)(i * 7);
		if (global_word != 1234 || stack_word != 42 || bad)
			_exit(11);
		/* Now scribble over ours; the parent must not see it. */
		memset(heap, 0xee, BIG);
		global_word = -1;
		stack_word = -1;
		_exit(0);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(go[0]);
	memset(heap, 0x55, BIG / 2);
	global_word = 4321;
	stack_word = 24;
	write(go[1], "g", 1);
	close(go[1]);
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_EQ(t, global_word, 4321);
	KT_EXPECT_EQ(t, stack_word, 24);
	KT_EXPECT_EQ(t, heap[0], 0x55);
	KT_EXPECT_EQ(t, heap[BIG - 1], (unsigned char)((BIG - 1) * 7));
	free(heap);
}

/* The child inherits open fds; closing its copies leaves the parent's. */
static void fork_inherits_fds(struct kt_test *t)
{
	char buf[9] = { 0 };
	int fds[2], st;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], "inherit", 7) != 7)
			_exit(1);
		close(fds[1]);
		_exit(0);
	}
	KT_ASSERT_GT(t, pid, 0);
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 0);
	/* The child closed both its copies; ours still work. */
	KT_EXPECT_EQ(t, write(fds[1], "!", 1), 1);
	close(fds[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], buf, sizeof(buf) - 1), 8);
	KT_EXPECT_STREQ(t, buf, "inherit!");
	close(fds[0]);
}

/* Each process forks the next and exits with its child's code + 1. */
static int chain_link(void *arg)
{
	int depth = (int)(long)arg, st;
	pid_t pid;

	if (depth == 0)
		return 0;
	pid = ut_spawn(chain_link, (void *)(long)(depth - 1));
	if (pid < 0)
		return 200;
	st = ut_wait(pid, 0);
	if (st < 0 || !WIFEXITED(st))
		return 201;
	return WEXITSTATUS(st) + 1;
}

static void fork_chain(struct kt_test *t)
{
	int st = ut_run(chain_link, (void *)(long)CHAIN);

	UT_EXPECT_EXITED(t, st, CHAIN);
}

/*
 * The storm: STORM children, at most STORM_LIVE alive at once, child i
 * exiting with i % 256.  Every wait must return one of ours, not yet
 * reaped, with its own status; exactly STORM reaps; then ECHILD.
 */
static pid_t storm_pid[STORM];
static unsigned char storm_reaped[STORM];

static int storm_find(pid_t pid, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (storm_pid[i] == pid)
			return i;
	return -1;
}

static void fork_storm(struct kt_test *t)
{
	int forked = 0, reaps = 0, live = 0, bad = 0, st, i;
	pid_t pid;

	memset(storm_reaped, 0, sizeof(storm_reaped));
	while (reaps < STORM) {
		while (forked < STORM && live < STORM_LIVE) {
			pid = fork();
			if (pid == 0)
				_exit(forked % 256);
			if (pid < 0) {
				kt_log(t, "fork %d failed: errno %d", forked,
				       errno);
				break;
			}
			storm_pid[forked++] = pid;
			live++;
		}
		pid = wait(&st);
		if (pid < 0) {
			kt_log(t, "wait failed after %d reaps: errno %d", reaps,
			       errno);
			break;
		}
		i = storm_find(pid, forked);
		if (i < 0 || storm_reaped[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != i % 256) {
			if (!bad++)
				kt_log(t,
				       "bad reap: pid %d index %d status 0x%x",
				       (int)pid, i, st);
		} else {
			storm_reaped[i] = 1;
		}
		reaps++;
		live--;
	}
	KT_EXPECT_EQ(t, forked, STORM);
	KT_EXPECT_EQ(t, reaps, STORM);
	KT_EXPECT_EQ(t, bad, 0);
	UT_EXPECT_ERR(t, wait(&st), ECHILD);
	UT_EXPECT_ERR(t, waitpid(-1, &st, WNOHANG), ECHILD);
}

/* Zombies wait to be reaped one by one, in any order the parent likes. */
static void fork_zombies_reaped_by_pid(struct kt_test *t)
{
	pid_t pids[32];
	int i, ok = 0;

	for (i = 0; i < 32; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i);
		KT_ASSERT_GT(t, pids[i], 0);
	}
	ut_sleep_ms(50);	/* let them all become zombies */
	for (i = 31; i >= 0; i--)
		ok += ut_wait(pids[i], 0) == i << 8;
	KT_EXPECT_EQ(t, ok, 32);
	UT_EXPECT_ERR(t, wait(NULL), ECHILD);
}

/* vfork: the child gets a pid of its own and its exit code reaches us. */
static void vfork_exit(struct kt_test *t)
{
	pid_t pid = vfork();
	int st;

	if (pid == 0)
		_exit(7);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_NE(t, pid, getpid());
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 7);
}

/* A failed execve in a vfork child returns to the child, not the parent. */
static void vfork_failed_exec(struct kt_test *t)
{
	char *argv[] = { "nothing", NULL };
	pid_t pid = vfork();
	int st;

	if (pid == 0) {
		execve("/bin/no-such-program", argv, argv + 1);
		_exit(errno == ENOENT ? 9 : 8);
	}
	KT_ASSERT_GT(t, pid, 0);
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 9);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(fork_suite, "fork",
	 KT_CASE(fork_returns_twice),
	 KT_CASE(fork_copies_memory),
	 KT_CASE(fork_inherits_fds),
	 KT_CASE(fork_chain),
	 KT_CASE(fork_storm),
	 KT_CASE(fork_zombies_reaped_by_pid),
	 KT_CASE(vfork_exit),
	 KT_CASE(vfork_failed_exec));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
