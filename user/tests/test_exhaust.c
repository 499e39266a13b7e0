/*
 * test_exhaust: when a resource runs out, the request that hit the
 * limit fails with Linux's errno and nothing else suffers: fork with
 * memory exhausted is ENOMEM (EAGAIN is for the task limit), and BTS
 * buffers stop at the system-wide cap (/proc/bts buffer_limit) with
 * ENOMEM.  Afterwards every page and heap byte is back.  Needs a BTS
 * unit (boot with bts=soft or bts=fake).
 */
#include <sys/ptrace.h>

#include "test_ptrace.h"

#define BTS_BUF		(1 << 20)	/* one tracer's whole quota */

/* The number after "@name " in file @path, or -1. */
static long proc_field(const char *path, const char *name)
{
	static char buf[512];
	size_t len = strlen(name);
	const char *p, *s;

	if (ut_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, name, len) && p[len] == ' ') {
			s = p + len;
			return ut_parse_long(&s);
		}
	}
	return -1;
}

/* ---- fork with no memory left -------------------------------------------- */

/*
 * Take every page the kernel will give (the break grows in halving
 * steps down to one page), then fork.  Exit code: 0 for ENOMEM, 1 for
 * EAGAIN, 2 if fork succeeded, 3 for another error.
 */
static int eat_memory_then_fork(void *arg)
{
	intptr_t step;
	pid_t pid;

	(void)arg;
	for (step = 16 << 20; step >= (intptr_t)UT_PAGE; step /= 2)
		while (sbrk(step) != (void *)-1)
			;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		ut_wait(pid, 0);
		return 2;
	}
	return errno == ENOMEM ? 0 : errno == EAGAIN ? 1 : 3;
}

static int fork_result;

static void storm_fork_without_memory(void)
{
	fork_result = ut_run(eat_memory_then_fork, NULL);
}

static void fork_out_of_memory_is_enomem(struct kt_test *t)
{
	if (!ut_is_spoor())
		KT_SKIP(t, "Linux overcommits: its fork does not see this");
	pt_expect_no_leak(t, storm_fork_without_memory);
	UT_EXPECT_EXITED(t, fork_result, 0);
}

/* ---- the system-wide cap on BTS buffers ---------------------------------- */

struct cap_tracer {
	int result[2];		/* the tracer writes its errno (0: ok) */
	int quit[2];		/* closed by us: the tracers end */
};

static long bts_config(pid_t pid, uint32_t size)
{
	struct ptrace_bts_config cfg = {
		size, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC, 0, 0
	};

	return ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
}

/* Trace a child of our own with a full-quota buffer until told to end. */
static int cap_tracer(void *arg)
{
	struct cap_tracer *c = arg;
	int err = ESRCH;
	char byte;
	pid_t x;

	/* Before the tracee is forked: it must not hold quit open. */
	close(c->result[0]);
	close(c->quit[1]);
	x = pt_spawn_traced(ut_pause_forever, NULL);
	if (x > 0)
		err = bts_config(x, BTS_BUF) < 0 ? errno : 0;
	write(c->result[1], &err, sizeof(err));
	while (read(c->quit[0], &byte, 1) < 0 && errno == EINTR)
		;
	pt_kill(x);
	return 0;
}

#define CAP_TRACERS_MAX	64

static struct {
	long limit, fit, ok, enomem, other, held, after;
} cap;

/*
 * One more tracer than the cap has room for, each asking for its whole
 * quota: those that fit get it, the rest ENOMEM; buffer_bytes says
 * what is held, and 0 once every tracer is gone.
 */
static void storm_bts_cap(void)
{
	pid_t tracers[CAP_TRACERS_MAX];
	struct cap_tracer c;
	int i, n, err;

	memset(&cap, 0, sizeof(cap));
	cap.limit = proc_field("/proc/bts", "buffer_limit");
	cap.fit = cap.limit / BTS_BUF;
	n = cap.fit + 2;
	if (cap.limit < 0 || n > CAP_TRACERS_MAX || pipe(c.result) < 0)
		return;
	if (pipe(c.quit) < 0)
		return;
	for (i = 0; i < n; i++) {
		tracers[i] = ut_spawn(cap_tracer, &c);
		if (tracers[i] < 0 ||
		    ut_read_full(c.result[0], &err, sizeof(err)) != sizeof(err))
			err = -1;
		if (err == 0)
			cap.ok++;
		else if (err == ENOMEM)
			cap.enomem++;
		else
			cap.other++;
	}
	cap.held = proc_field("/proc/bts", "buffer_bytes");
	close(c.quit[1]);
	close(c.quit[0]);
	close(c.result[0]);
	close(c.result[1]);
	for (i = 0; i < n; i++)
		ut_wait(tracers[i], 0);
	cap.after = proc_field("/proc/bts", "buffer_bytes");
}

static void bts_buffers_stop_at_the_system_cap(struct kt_test *t)
{
	if (!ut_is_spoor())
		KT_SKIP(t, "Spoor's /proc/bts");
	pt_expect_no_leak(t, storm_bts_cap);
	KT_ASSERT_GT(t, cap.limit, 0);
	kt_log(t, "limit %ld bytes: %ld buffers of 1 MiB fit", cap.limit,
	       cap.fit);
	KT_EXPECT_EQ(t, cap.ok, cap.fit);
	KT_EXPECT_EQ(t, cap.enomem, 2);
	KT_EXPECT_EQ(t, cap.other, 0);
	KT_EXPECT_EQ(t, cap.held, cap.fit * BTS_BUF);
	KT_EXPECT_EQ(t, cap.after, 0);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(exhaust_suite, "exhaust",
	 KT_CASE(fork_out_of_memory_is_enomem),
	 KT_CASE(bts_buffers_stop_at_the_system_cap));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
