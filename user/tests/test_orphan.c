/*
 * test_orphan: a process whose parent dies is handed to init (pid 1),
 * which reaps it when it exits; a parent that exits without waiting
 * leaves no zombie of its children behind.  "Gone" is judged from the
 * kernel's task list (Spoor: /proc/tasks): the pid must vanish from it.
 */
#include "utest.h"

#define ORPHANS		20

/* The grandchild: wait for the go byte, report pid and ppid, exit. */
static int orphan_reports(int go, int report)
{
	pid_t info[2];
	char c;

	if (read(go, &c, 1) != 1)
		return 1;
	info[0] = getpid();
	info[1] = getppid();
	write(report, info, sizeof(info));
	return 0;
}

/*
 * The child forks the grandchild, tells us its pid and exits at once;
 * once we have reaped the child, the grandchild must see init as its
 * parent, and init must reap it.
 */
static void orphan_reparented_to_init(struct kt_test *t)
{
	int go[2], report[2];
	pid_t child, grandchild = -1, info[2] = { 0, 0 };

	KT_ASSERT_EQ(t, pipe(go), 0);
	KT_ASSERT_EQ(t, pipe(report), 0);
	child = fork();
	if (child == 0) {
		pid_t gc = fork();

		if (gc == 0)
			_exit(orphan_reports(go[0], report[1]));
		write(report[1], &gc, sizeof(gc));
		_exit(gc > 0 ? 0 : 1);
	}
	KT_ASSERT_GT(t, child, 0);
	KT_EXPECT_EQ(t,
		     ut_read_full(report[0], &grandchild, sizeof(grandchild)),
		     sizeof(grandchild));
	UT_EXPECT_EXITED(t, ut_wait(child, 0), 0);
	/* The grandchild, blocked in read, has lost its parent now. */
	write(go[1], "g", 1);
	KT_EXPECT_EQ(t, ut_read_full(report[0], info, sizeof(info)),
		     sizeof(info));
	close(go[0]);
	close(go[1]);
	close(report[0]);
	close(report[1]);
	KT_EXPECT_EQ(t, info[0], grandchild);
	KT_EXPECT_NE(t, info[1], child);
	KT_EXPECT_NE(t, info[1], getpid());
	if (ut_is_spoor())
		KT_EXPECT_EQ(t, info[1], 1);
	else
		kt_log(t, "the orphan's new parent is %d", (int)info[1]);
	/* Not ours to wait for; init's to reap. */
	UT_EXPECT_ERR(t, waitpid(grandchild, NULL, WNOHANG), ECHILD);
	KT_EXPECT_TRUE(t, ut_wait_gone(grandchild));
}

/*
 * The child forks ORPHANS children that exit at once (with a code, by
 * a signal, by a fault), waits until all are zombies, reports their
 * pids and exits without waiting for any.
 */
static int leave_zombies(void *arg)
{
	int fd = (int)(long)arg, i;
	pid_t kids[ORPHANS];

	for (i = 0; i < ORPHANS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			if (i % 3 == 1)
				kill(getpid(), SIGTERM);
			if (i % 3 == 2)
				*(volatile int *)0 = i;
			_exit(i);
		}
		if (kids[i] < 0)
			return 1;
	}
	for (i = 0; i < ORPHANS; i++)
		ut_wait_zombie(kids[i]);
	write(fd, kids, sizeof(kids));
	return 0;
}

/* Zombies of a parent that never waited are reaped once it exits. */
static void zombies_of_exiting_parent_reaped(struct kt_test *t)
{
	pid_t kids[ORPHANS], child;
	int fds[2], i, gone = 0, ours = 0;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	child = ut_spawn(leave_zombies, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, child, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], kids, sizeof(kids)), sizeof(kids));
	close(fds[0]);
	UT_EXPECT_EXITED(t, ut_wait(child, 0), 0);
	for (i = 0; i < ORPHANS; i++) {
		ours += waitpid(kids[i], NULL, WNOHANG) >= 0;
		gone += ut_wait_gone(kids[i]);
	}
	KT_EXPECT_EQ(t, ours, 0);
	KT_EXPECT_EQ(t, gone, ORPHANS);
}

/*
 * The child forks ORPHANS children that outlive it by a little and then
 * end in assorted ways; the child exits at once.
 */
static int leave_orphans(void *arg)
{
	int fd = (int)(long)arg, i;
	pid_t kids[ORPHANS];

	for (i = 0; i < ORPHANS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			ut_sleep_ms(20 + i);
			if (i % 2)
				kill(getpid(), SIGKILL);
			_exit(i);
		}
		if (kids[i] < 0)
			return 1;
	}
	write(fd, kids, sizeof(kids));
	return 0;
}

/* Orphans that were still running when their parent died are reaped. */
static void running_orphans_reaped(struct kt_test *t)
{
	pid_t kids[ORPHANS], child;
	int fds[2], i, gone = 0;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	child = ut_spawn(leave_orphans, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, child, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], kids, sizeof(kids)), sizeof(kids));
	close(fds[0]);
	UT_EXPECT_EXITED(t, ut_wait(child, 0), 0);
	for (i = 0; i < ORPHANS; i++)
		gone += ut_wait_gone(kids[i]);
	KT_EXPECT_EQ(t, gone, ORPHANS);
	UT_EXPECT_ERR(t, wait(NULL), ECHILD);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(orphan_suite, "orphan",
	 KT_CASE(orphan_reparented_to_init),
	 KT_CASE(zombies_of_exiting_parent_reaped),
	 KT_CASE(running_orphans_reaped));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
