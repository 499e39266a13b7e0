/*
 * test_bts_nounit - a kernel without a BTS unit (boot with bts=off, or
 * on a machine whose probe fails): PTRACE_BTS_CONFIG fails with
 * EOPNOTSUPP and allocates nothing; the other requests find no tracer
 * context (EPERM, as in Linux 2.6.29).
 */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spoor/ktest.h>
#include "utest.h"

static void config_not_supported(struct kt_test *t)
{
	struct ptrace_bts_config cfg = {
		4096, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC, 0, 0
	};
	long pages, before = 0, after = 0;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ut_meminfo(&pages, &before);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)16),
		      EOPNOTSUPP);
	ut_meminfo(&pages, &after);
	KT_EXPECT_EQ(t, after, before);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16),
		      EPERM);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), EPERM);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CLEAR, pid, 0, 0), EPERM);
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &status, 0);
	UT_EXPECT_EXITED(t, status, 0);
}

KT_SUITE(bts_nounit_suite, "bts_nounit", KT_CASE(config_not_supported));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
