/*
 * test_pgrp: process groups in init's session, which only Spoor's
 * boot shows (a conformance program on the host lives in some other
 * session).  The programs init runs are in group 1 and session 1; the
 * orphaned-group rule must not count init as a link: a stopped child,
 * alone in its group, whose parent exits is orphaned even though its
 * new parent, init, is in another group of the same session (Linux's
 * is_global_init test in will_become_orphaned_pgrp).
 */
#include "utest.h"

static void in_init_session(struct kt_test *t)
{
	KT_EXPECT_EQ(t, getsid(0), 1);
	KT_EXPECT_EQ(t, getpgrp(), 1);
	KT_EXPECT_EQ(t, getpgid(1), 1);
	KT_EXPECT_EQ(t, getsid(1), 1);
}

/*
 * Child P forks C into a group of its own; C stops itself; P exits.
 * C, reparented to init, gets SIGHUP (default: it dies) and SIGCONT,
 * and init reaps it.
 */
static void init_is_no_link(struct kt_test *t)
{
	int fds[2];
	pid_t p, c = 0;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	p = fork();
	if (p == 0) {
		pid_t kid = fork();

		if (kid == 0) {
			setpgid(0, 0);
			raise(SIGSTOP);
			_exit(0); /* continued without SIGHUP: wrong */
		}
		setpgid(kid, kid);
		waitpid(kid, NULL, WUNTRACED);
		write(fds[1], &kid, sizeof(kid));
		_exit(0);
	}
	KT_ASSERT_GT(t, p, 0);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], &c, sizeof(c)), sizeof(c));
	UT_EXPECT_EXITED(t, ut_wait(p, 0), 0);
	KT_EXPECT_TRUE(t, ut_wait_gone(c));
	kill(c, SIGKILL); /* if it stayed stopped */
	close(fds[0]);
	close(fds[1]);
}

KT_SUITE(pgrp_suite, "pgrp", KT_CASE(in_init_session),
	 KT_CASE(init_is_no_link));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
