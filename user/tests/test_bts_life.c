/*
 * test_bts_life - the BTS lifetimes of Linux 2.6.29's "x86, bts: add
 * fork and exit handling", seen from user space through PTRACE_BTS_*
 * (boot with bts=fake, or any working unit):
 *  - every end of tracing (detach, the tracer's death, the tracee's
 *    exit) gives the branch buffer back at once: the kernel heap at
 *    that moment is exactly what the same run without BTS leaves;
 *  - a traced task's fork leaves the child with no BTS state;
 *  - bad requests fail with the documented errno and change nothing.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spoor/ktest.h>
#include "utest.h"

#define BUF_SIZE	(64 * 1024)

enum end_kind { END_DETACH, END_TRACER_EXIT, END_TRACEE_EXIT };

static long heap(void)
{
	long pages, bytes;

	return ut_meminfo(&pages, &bytes) ? -1 : bytes;
}

static long bts_config(pid_t pid, uint32_t size, uint32_t flags)
{
	struct ptrace_bts_config cfg = { size, flags, 0, 0 };

	return ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
}

/* The tracee: stop for the tracer, then exit or spin as told. */
static void tracee(enum end_kind end)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	if (end == END_TRACEE_EXIT)
		_exit(0);
	for (;;)
		;
}

struct result {
	long configured;	/* heap right after CONFIG (or its place) */
	long at_end;		/* heap at the end-of-tracing checkpoint */
	long config_ret;
	pid_t tracee;
};

/*
 * The tracer: trace a new tracee, configure BTS if @bts, end tracing
 * the @end way, and write what it measured to @fd.
 */
static int tracer(int fd, int bts, enum end_kind end)
{
	struct result r = { 0 };
	int status;

	r.tracee = fork();
	if (r.tracee == 0)
		tracee(end);
	waitpid(r.tracee, &status, 0);
	r.config_ret = bts ? bts_config(r.tracee, BUF_SIZE, PTRACE_BTS_O_TRACE |
					PTRACE_BTS_O_ALLOC) : 0;
	r.configured = heap();
	switch (end) {
	case END_DETACH:
		ptrace(PTRACE_DETACH, r.tracee, 0, 0);
		r.at_end = heap();
		kill(r.tracee, SIGKILL);
		waitpid(r.tracee, &status, 0);
		break;
	case END_TRACER_EXIT:	/* the test process measures after we die */
		break;
	case END_TRACEE_EXIT:
		ptrace(PTRACE_CONT, r.tracee, 0, 0);
		ut_wait_zombie(r.tracee);	/* exited, not yet reaped */
		r.at_end = heap();
		waitpid(r.tracee, &status, 0);
		break;
	}
	ut_write_full(fd, &r, sizeof(r));
	return 0;
}

/* Run one scenario; for END_TRACER_EXIT measure once the tracer is dead. */
static int scenario(int bts, enum end_kind end, struct result *r)
{
	int fds[2], status;
	pid_t t;

	if (pipe(fds))
		return -1;
	t = fork();
	if (t == 0) {
		close(fds[0]);
		_exit(tracer(fds[1], bts, end));
	}
	close(fds[1]);
	if (ut_read_full(fds[0], r, sizeof(*r)) != sizeof(*r))
		return -1;
	close(fds[0]);
	waitpid(t, &status, 0);
	if (end == END_TRACER_EXIT) {
		/* The tracee runs on, untraced, a child of init now. */
		r->at_end = heap();
		kill(r->tracee, SIGKILL);
		ut_wait_gone(r->tracee);
	}
	return 0;
}

static void compare_with_control(struct kt_test *t, enum end_kind end)
{
	struct result with, without;

	if (!ut_is_spoor())
		KT_SKIP(t, "kernel heap counters are Spoor's");
	KT_ASSERT_EQ(t, scenario(0, end, &without), 0);
	KT_ASSERT_EQ(t, scenario(1, end, &with), 0);
	kt_log(t, "heap: configured %ld/%ld, at end %ld/%ld (with/without)",
	       with.configured, without.configured, with.at_end,
	       without.at_end);
	KT_ASSERT_EQ(t, with.config_ret, sizeof(struct ptrace_bts_config));
	/* The buffer really was there... */
	KT_EXPECT_GE(t, with.configured - without.configured, BUF_SIZE);
	/* ...and is gone the moment tracing ends. */
	KT_EXPECT_EQ(t, with.at_end, without.at_end);
}

static void detach_frees(struct kt_test *t)
{
	compare_with_control(t, END_DETACH);
}

static void tracer_exit_frees(struct kt_test *t)
{
	compare_with_control(t, END_TRACER_EXIT);
}

static void tracee_exit_frees(struct kt_test *t)
{
	compare_with_control(t, END_TRACEE_EXIT);
}

/* Start a stopped tracee (TRACEME + SIGSTOP) that then spins. */
static pid_t stopped_tracee(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		tracee(END_DETACH);
	waitpid(pid, &status, 0);
	return pid;
}

static void kill_and_reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void status_round_trip(struct kt_test *t)
{
	struct ptrace_bts_config cfg;
	pid_t pid = stopped_tracee();

	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_ALLOC | PTRACE_BTS_O_SCHED),
		     16);
	memset(&cfg, 0xff, sizeof(cfg));
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16), 16);
	KT_EXPECT_EQ(t, cfg.flags, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SCHED);
	KT_EXPECT_EQ(t, cfg.bts_size, 24);
	KT_EXPECT_GT(t, cfg.size, 0);
	KT_EXPECT_LE(t, cfg.size, 4096);
	KT_EXPECT_EQ(t, cfg.signal, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0) >= 0, 1);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_CLEAR, pid, 0, 0), 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 0);
	kill_and_reap(pid);
}

/*
 * Start a traced child with an 8 KiB branch trace that forks once (the
 * grandchild pauses forever) and pauses.  The grandchild's pid comes
 * back over the pipe in @fds, which stays open.  *grandchild is 0 if a
 * step failed (the assertion has then failed the test).
 */
static void start_forking_tracee(struct kt_test *t, int fds[2], pid_t *pid,
				 pid_t *grandchild)
{
	pid_t gc = 0;
	int status;

	*grandchild = 0;
	KT_ASSERT_EQ(t, pipe(fds), 0);
	*pid = fork();
	if (*pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		gc = fork();
		if (gc == 0) {
			for (;;)
				pause();
		}
		write(fds[1], &gc, sizeof(gc));
		for (;;)
			pause();
	}
	waitpid(*pid, &status, 0);
	KT_ASSERT_EQ(t, bts_config(*pid, 8192, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_ALLOC), 16);
	ptrace(PTRACE_CONT, *pid, 0, 0);
	KT_ASSERT_EQ(t, ut_read_full(fds[0], &gc, sizeof(gc)), sizeof(gc));
	*grandchild = gc;
}

/*
 * The fork rule of "x86, bts: add fork and exit handling": the traced
 * task forks; the child is not traced, and once attached it has no BTS
 * context of its own.
 */
static void fork_child_has_no_bts(struct kt_test *t)
{
	struct ptrace_bts_config cfg;
	int status, fds[2];
	pid_t pid, grandchild = 0;
	long h0, h1;

	start_forking_tracee(t, fds, &pid, &grandchild);
	if (grandchild == 0)
		return;
	/* Not traced: no requests at all. */
	errno = 0;
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_STATUS, grandchild, &cfg,
			       (void *)16), -1);
	KT_EXPECT_EQ(t, errno, ESRCH);
	/* Attached: traced, but without any BTS state from its parent. */
	KT_ASSERT_EQ(t, ptrace(PTRACE_ATTACH, grandchild, 0, 0), 0);
	waitpid(grandchild, &status, 0);
	errno = 0;
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_STATUS, grandchild, &cfg,
			       (void *)16), -1);
	KT_EXPECT_EQ(t, errno, EPERM);
	errno = 0;
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, grandchild, 0, 0), -1);
	KT_EXPECT_EQ(t, errno, EPERM);
	/* Both die: one buffer, freed once (a double free would panic). */
	h0 = heap();
	kill(grandchild, SIGKILL);
	waitpid(grandchild, &status, 0);
	kill_and_reap(pid);
	h1 = heap();
	if (ut_is_spoor())
		KT_EXPECT_LT(t, h1, h0 - 8192);
	close(fds[0]);
	close(fds[1]);
}

/*
 * The same fork, and then the child is traced on its own: it gets a
 * branch trace of its own (a DS context inherited from its parent
 * would make CONFIG fail with EBUSY), and each buffer is freed once.
 */
static void fork_child_traced_alone(struct kt_test *t)
{
	struct ptrace_bts_config cfg;
	int status, fds[2];
	pid_t pid, grandchild = 0;
	long h0;

	start_forking_tracee(t, fds, &pid, &grandchild);
	if (grandchild == 0)
		return;
	KT_ASSERT_EQ(t, ptrace(PTRACE_ATTACH, grandchild, 0, 0), 0);
	waitpid(grandchild, &status, 0);
	h0 = heap();
	KT_EXPECT_EQ(t, bts_config(grandchild, 4096, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_ALLOC), 16);
	memset(&cfg, 0, sizeof(cfg));
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_STATUS, grandchild, &cfg,
			       (void *)16), 16);
	KT_EXPECT_EQ(t, cfg.flags, PTRACE_BTS_O_TRACE);
	if (ut_is_spoor())
		KT_EXPECT_GE(t, heap() - h0, 4096);
	/* Detached, it gives back its own buffer, not its parent's. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, grandchild, 0, 0), 0);
	if (ut_is_spoor())
		KT_EXPECT_EQ(t, heap(), h0);
	kill(grandchild, SIGKILL);
	waitpid(grandchild, &status, 0);
	kill_and_reap(pid);
	close(fds[0]);
	close(fds[1]);
}

static void bad_requests(struct kt_test *t)
{
	struct ptrace_bts_config cfg = { 4096, PTRACE_BTS_O_TRACE |
					 PTRACE_BTS_O_ALLOC, 0, 0 };
	struct bts_struct rec;
	pid_t pid = stopped_tracee(), plain;
	long h;

	h = heap();
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, NULL, (void *)16),
		      EFAULT);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)8), EIO);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, (void *)0xC0000000,
				(void *)16), EFAULT);
	cfg.size = 64 << 20;
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)16),
		      ENOMEM);
	cfg.size = 4096;
	cfg.flags |= PTRACE_BTS_O_SIGNAL;
	cfg.signal = 99;
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)16),
		      EINVAL);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16),
		      EPERM);
	if (ut_is_spoor())
		KT_EXPECT_EQ(t, heap(), h);	/* nothing kept */
	cfg.flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC;
	cfg.signal = 0;
	KT_ASSERT_EQ(t, ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)16), 16);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)15), EIO);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_GET, pid, &rec, (void *)100000),
		      EINVAL);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_GET, pid, (void *)0xC0000000,
				(void *)0), EINVAL);
	/* A running tracee: every request but KILL fails. */
	ptrace(PTRACE_CONT, pid, 0, 0);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16),
		      ESRCH);
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_CLEAR, pid, 0, 0), ESRCH);
	kill_and_reap(pid);
	/* A task we do not trace. */
	plain = fork();
	if (plain == 0)
		for (;;)
			pause();
	UT_EXPECT_ERR(t, ptrace(PTRACE_BTS_SIZE, plain, 0, 0), ESRCH);
	kill_and_reap(plain);
}

KT_SUITE(bts_life_suite, "bts_life",
	 KT_CASE(status_round_trip),
	 KT_CASE(detach_frees),
	 KT_CASE(tracer_exit_frees),
	 KT_CASE(tracee_exit_frees),
	 KT_CASE(fork_child_has_no_bts),
	 KT_CASE(fork_child_traced_alone),
	 KT_CASE(bad_requests));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
