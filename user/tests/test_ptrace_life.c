/*
 * test_ptrace_life: how tracing ends.  A tracer that dies (killed, or
 * exiting) while its tracee is stopped, running, or in a system call
 * stop leaves it untraced and running on (a stop's pending signal is
 * dropped), unless PTRACE_O_EXITKILL asked for it to be killed.  The
 * real parent learns of a traced child's exit only after the tracer
 * has, or once the tracer is gone.  A process that later gets the dead
 * tracer's pid gets none of its rights.  `mov ss` onto a watched word
 * followed by int3 (LTP ptrace09) is survived.  On Spoor, every one of
 * these lifecycles gives back all its pages and kernel heap.
 */
#include "test_ptrace.h"

/* How the tracer leaves its tracee before it dies. */
enum tracee_state {
	LEFT_STOPPED,		/* in the attach stop */
	LEFT_RUNNING,		/* continued */
	LEFT_IN_SYSCALL,	/* in a system call stop */
	LEFT_IN_SYSCALL_SYSGOOD, /* the same, under TRACESYSGOOD */
	LEFT_RUNNING_EXITKILL,	/* continued, with PTRACE_O_EXITKILL */
	LEFT_STOPPED_EXITKILL,	/* stopped, with PTRACE_O_EXITKILL */
};

/* How the tracer dies. */
enum tracer_end {
	TRACER_KILLED,		/* SIGKILL from us */
	TRACER_EXITS,		/* it returns from main, so to speak */
};

/*
 * The cast of a scene: the tracee x (our child, serving commands on
 * cmd: 'w' writes 'w' on rep, 'q' exits 7) and the tracer tr (our child
 * too), which says 'r' on ready once its tracee is as asked ('f' if it
 * could not) and then waits for a byte on go, or for its end.
 */
struct scene {
	pid_t x, tr;
	int cmd[2], rep[2], ready[2], go[2];
	enum tracee_state state;
	enum tracer_end end;
	int reap;		/* trace_then_reap: wait for x on 'g' */
};

static void close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	fds[0] = fds[1] = -1;
}

static int serve(void *arg)
{
	struct scene *s = arg;
	ssize_t r;
	char c;

	close(s->cmd[1]);
	close(s->rep[0]);
	close_pair(s->ready);
	close_pair(s->go);
	for (;;) {
		r = read(s->cmd[0], &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 8;
		if (c == 'w')
			write(s->rep[1], "w", 1);
		if (c == 'q')
			return 7;
	}
}

/* Put the attached, stopped tracee in state @state; 0 or -1. */
static int leave_tracee(pid_t x, enum tracee_state state)
{
	long options = 0;
	int st;

	switch (state) {
	case LEFT_STOPPED:
		return 0;
	case LEFT_RUNNING:
		return ptrace(PTRACE_CONT, x, NULL, NULL) < 0 ? -1 : 0;
	case LEFT_IN_SYSCALL_SYSGOOD:
		options = PTRACE_O_TRACESYSGOOD;
		/* fall through */
	case LEFT_IN_SYSCALL:
		if (ptrace(PTRACE_SETOPTIONS, x, NULL, PT_DATA(options)) < 0)
			return -1;
		st = pt_resume(x, PTRACE_SYSCALL, 0);
		if (st == -1 || !WIFSTOPPED(st) ||
		    (WSTOPSIG(st) & 0x7f) != SIGTRAP)
			return -1;
		return 0;
	case LEFT_RUNNING_EXITKILL:
	case LEFT_STOPPED_EXITKILL:
		if (ptrace(PTRACE_SETOPTIONS, x, NULL,
			   PT_DATA(PTRACE_O_EXITKILL)) < 0)
			return -1;
		if (state == LEFT_STOPPED_EXITKILL)
			return 0;
		return ptrace(PTRACE_CONT, x, NULL, NULL) < 0 ? -1 : 0;
	}
	return -1;
}

/* The tracer: attach, arrange, say ready, then wait for its end. */
static int trace_then_wait(void *arg)
{
	struct scene *s = arg;
	int st;
	char c;

	close_pair(s->cmd);
	close_pair(s->rep);
	close(s->ready[0]);
	close(s->go[1]);
	if (ptrace(PTRACE_ATTACH, s->x, NULL, NULL) < 0)
		goto fail;
	st = ut_wait(s->x, 0);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP)
		goto fail;
	if (leave_tracee(s->x, s->state) < 0)
		goto fail;
	write(s->ready[1], "r", 1);
	while (read(s->go[0], &c, 1) < 0 && errno == EINTR)
		;
	if (s->end == TRACER_EXITS)
		return 0;
	for (;;)
		pause();
fail:
	write(s->ready[1], "f", 1);
	return 1;
}

/* Start the scene; the tracer's ready byte ('r' when all went well). */
static char scene_start(struct scene *s, int (*tracer)(void *))
{
	char c = 0;

	s->x = s->tr = -1;
	if (pipe(s->cmd) < 0 || pipe(s->rep) < 0 || pipe(s->ready) < 0 ||
	    pipe(s->go) < 0)
		return 0;
	s->x = ut_spawn(serve, s);
	if (s->x < 0)
		return 0;
	s->tr = ut_spawn(tracer, s);
	if (s->tr < 0)
		return 0;
	close(s->cmd[0]);
	close(s->rep[1]);
	close(s->ready[1]);
	close(s->go[0]);
	s->cmd[0] = s->rep[1] = s->ready[1] = s->go[0] = -1;
	if (ut_read_full(s->ready[0], &c, 1) != 1)
		return 0;
	return c;
}

/* End the tracer as the scene says; its wait status. */
static int scene_end_tracer(struct scene *s)
{
	if (s->end == TRACER_KILLED) {
		kill(s->tr, SIGKILL);
		return ut_wait(s->tr, 0);
	}
	write(s->go[1], "g", 1);
	return ut_wait(s->tr, 0);
}

/* Whoever is left gets killed and reaped; pipes closed. */
static void scene_cleanup(struct scene *s)
{
	if (s->tr > 0 && waitpid(s->tr, NULL, WNOHANG) == 0)
		pt_kill(s->tr);
	if (s->x > 0 && waitpid(s->x, NULL, WNOHANG) == 0)
		pt_kill(s->x);
	close_pair(s->cmd);
	close_pair(s->rep);
	close_pair(s->ready);
	close_pair(s->go);
}

/*
 * The tracer dies with its tracee in @state.  Without EXITKILL the
 * tracee must be untraced at once (we can attach to it), not stopped,
 * and serve commands to a normal exit; with EXITKILL it dies of SIGKILL.
 */
static void tracer_dies(struct kt_test *t, enum tracee_state state,
			enum tracer_end end)
{
	struct scene s = { .state = state, .end = end };
	char buf[4] = { 0 }, ready;
	int st;

	ready = scene_start(&s, trace_then_wait);
	KT_EXPECT_EQ(t, ready, 'r');
	if (ready != 'r')		/* nothing to watch */
		goto out;
	st = scene_end_tracer(&s);
	if (end == TRACER_KILLED)
		UT_EXPECT_KILLED(t, st, SIGKILL);
	else
		UT_EXPECT_EXITED(t, st, 0);

	if (state == LEFT_RUNNING_EXITKILL || state == LEFT_STOPPED_EXITKILL) {
		st = pt_wait_timeout(s.x, 0, UT_POLL_MS);
		UT_EXPECT_KILLED(t, st, SIGKILL);
		if (st != -1)
			s.x = -1;
		goto out;
	}
	/* Neither a zombie nor stopped for job control. */
	KT_EXPECT_EQ(t, waitpid(s.x, &st, WNOHANG | WUNTRACED), 0);
	/* Untraced: we may attach; then let it go again. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_ATTACH, s.x, NULL, NULL), 0);
	st = pt_wait_timeout(s.x, 0, UT_POLL_MS);
	KT_EXPECT_TRUE(t,
		       st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	KT_EXPECT_EQ(t, ptrace(PTRACE_DETACH, s.x, NULL, NULL), 0);
	/* And it runs: it answers, then exits as told. */
	write(s.cmd[1], "wq", 2);
	st = pt_wait_timeout(s.x, 0, UT_POLL_MS);
	UT_EXPECT_EXITED(t, st, 7);
	if (st != -1)
		s.x = -1;
	KT_EXPECT_EQ(t, ut_read_full(s.rep[0], buf, sizeof(buf)), 1);
	KT_EXPECT_EQ(t, buf[0], 'w');
out:
	scene_cleanup(&s);
}

static void tracer_killed_tracee_stopped(struct kt_test *t)
{
	tracer_dies(t, LEFT_STOPPED, TRACER_KILLED);
}

static void tracer_killed_tracee_running(struct kt_test *t)
{
	tracer_dies(t, LEFT_RUNNING, TRACER_KILLED);
}

/*
 * In a system call stop: the call goes ahead when the tracer is gone
 * (with TRACESYSGOOD or without: no stray SIGTRAP).
 */
static void tracer_killed_tracee_in_syscall(struct kt_test *t)
{
	tracer_dies(t, LEFT_IN_SYSCALL, TRACER_KILLED);
	tracer_dies(t, LEFT_IN_SYSCALL_SYSGOOD, TRACER_KILLED);
}

static void tracer_exits_tracee_stopped(struct kt_test *t)
{
	tracer_dies(t, LEFT_STOPPED, TRACER_EXITS);
	tracer_dies(t, LEFT_IN_SYSCALL_SYSGOOD, TRACER_EXITS);
}

static void exitkill_kills_tracee(struct kt_test *t)
{
	tracer_dies(t, LEFT_RUNNING_EXITKILL, TRACER_KILLED);
	tracer_dies(t, LEFT_STOPPED_EXITKILL, TRACER_EXITS);
}

/*
 * The tracer: attach, continue, say ready; on 'g' either wait for the
 * tracee and send its status back on ready (s->reap), or just exit.
 */
static int trace_then_reap(void *arg)
{
	struct scene *s = arg;
	int st;
	char c;

	close_pair(s->cmd);
	close_pair(s->rep);
	close(s->ready[0]);
	close(s->go[1]);
	if (ptrace(PTRACE_ATTACH, s->x, NULL, NULL) < 0 ||
	    ut_wait(s->x, 0) == -1 ||
	    ptrace(PTRACE_CONT, s->x, NULL, NULL) < 0) {
		write(s->ready[1], "f", 1);
		return 1;
	}
	write(s->ready[1], "r", 1);
	while (read(s->go[0], &c, 1) < 0 && errno == EINTR)
		;
	if (!s->reap)
		return 0;
	st = ut_wait(s->x, 0);
	write(s->ready[1], &st, sizeof(st));
	return 0;
}

/*
 * A traced child exits: its tracer hears first; its real parent gets
 * the status only after the tracer reaped it, or once the tracer is
 * gone without doing so.
 */
static void real_parent_waits_for_tracer(struct kt_test *t, int reap)
{
	struct scene s = {
		.state = LEFT_RUNNING,
		.end = TRACER_EXITS,
		.reap = reap,
	};
	int st = -1, seen = -1;
	char ready;

	ready = scene_start(&s, trace_then_reap);
	KT_EXPECT_EQ(t, ready, 'r');
	if (ready != 'r')
		goto out;
	write(s.cmd[1], "q", 1);
	KT_EXPECT_TRUE(t, ut_wait_zombie(s.x));
	ut_sleep_ms(20);
	KT_EXPECT_EQ(t, waitpid(s.x, &st, WNOHANG), 0);
	write(s.go[1], "g", 1);
	if (reap) {
		/* The tracer gets the status first... */
		KT_EXPECT_EQ(t, ut_read_full(s.ready[0], &seen, sizeof(seen)),
			     sizeof(seen));
		UT_EXPECT_EXITED(t, seen, 7);
	}
	UT_EXPECT_EXITED(t, ut_wait(s.tr, 0), 0);
	/* ... and the real parent still gets it, once. */
	st = pt_wait_timeout(s.x, 0, UT_POLL_MS);
	UT_EXPECT_EXITED(t, st, 7);
	if (st != -1)
		s.x = -1;
out:
	scene_cleanup(&s);
}

static void real_parent_after_tracer_reaps(struct kt_test *t)
{
	real_parent_waits_for_tracer(t, 1);
}

static void real_parent_after_tracer_exits(struct kt_test *t)
{
	real_parent_waits_for_tracer(t, 0);
}

/* ---- a new process with the dead tracer's pid -------------------------- */

/* Every request a tracer makes, on @x: the number that did not ESRCH. */
static int probe_rights(pid_t x)
{
	/* A hand-filled table: the requests, grouped by kind. */
	/* clang-format off */
	static const int requests[] = {
		PTRACE_PEEKDATA, PTRACE_POKEDATA, PTRACE_GETREGS,
		PTRACE_CONT, PTRACE_SETOPTIONS, PTRACE_DETACH, PTRACE_KILL,
	};
	/* clang-format on */
	static struct user_regs_struct regs;
	unsigned int i;
	int bad = 0;

	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		errno = 0;
		/* The data argument broken at the comparison, where it reads. */
		/* clang-format off */
		if (ptrace(requests[i], x, &regs, requests[i] ==
			   PTRACE_GETREGS ? (void *)&regs : NULL) != -1 ||
		    errno != ESRCH)
			bad++;
		/* clang-format on */
	}
	return bad;
}

#define NOT_THE_PID	0xee

/*
 * vfork a child that probes @x if it got pid @want (its exit code: the
 * failures), else exits NOT_THE_PID.  Its pid.  vfork: a cheap way
 * through the pid space, and the child only makes calls and _exits.
 */
static __attribute__((noinline)) pid_t vfork_probe(pid_t want, pid_t x)
{
	pid_t c = vfork();

	if (c == 0)
		_exit(getpid() == want ? probe_rights(x) : NOT_THE_PID);
	return c;
}

/* The largest pid the kernel hands out. */
static long pid_limit(void)
{
	char buf[32];
	const char *p = buf;

	if (ut_read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0)
		return ut_parse_long(&p);
	return 32768;		/* Spoor's PID_MAX */
}

/*
 * Once the tracer is dead, a process given its pid has no rights over
 * the former tracee: every request is ESRCH.  We go round the pid
 * space until a child gets that pid.
 */
static void pid_reuse_has_no_rights(struct kt_test *t)
{
	struct scene s = { .state = LEFT_RUNNING, .end = TRACER_KILLED };
	long limit = pid_limit(), tries;
	pid_t c = -1, tracer_pid;
	int st = -1;
	char ready;

	if (limit > 100000)
		KT_SKIP(t, "pid space too large to go round");
	ready = scene_start(&s, trace_then_wait);
	KT_EXPECT_EQ(t, ready, 'r');
	if (ready != 'r')
		goto out;
	tracer_pid = s.tr;
	UT_EXPECT_KILLED(t, scene_end_tracer(&s), SIGKILL);
	s.tr = -1;
	for (tries = 0; tries < limit + 1000; tries++) {
		c = vfork_probe(tracer_pid, s.x);
		if (c < 0)
			break;
		st = ut_wait(c, 0);
		if (c == tracer_pid)
			break;
	}
	KT_EXPECT_EQ(t, c, tracer_pid);
	kt_log(t, "pid %d came back after %ld processes", (int)tracer_pid,
	       tries + 1);
	if (c == tracer_pid)
		UT_EXPECT_EXITED(t, st, 0);
	write(s.cmd[1], "q", 1);
	st = pt_wait_timeout(s.x, 0, UT_POLL_MS);
	UT_EXPECT_EXITED(t, st, 7);
	if (st != -1)
		s.x = -1;
out:
	scene_cleanup(&s);
}

/* ---- ptrace09 --------------------------------------------------------- */

static volatile unsigned short ss_watched;

static int mov_ss_int3(void *arg)
{
	(void)arg;
	asm volatile("mov %%ss, %0\n\t"
		     "mov %0, %%ss\n\t"
		     "int3"
		     : "+m"(ss_watched));
	return 0;
}

/*
 * LTP ptrace09 (CVE-2018-8897): a read/write watchpoint on the word
 * `mov ss` loads, then int3 in the mov-ss shadow.  The #DB is held
 * back to the int3's kernel entry; the kernel must take it as the
 * tracee's trap, and the tracee runs on to exit 0.
 */
static void mov_ss_watchpoint(struct kt_test *t)
{
	unsigned long dr7 = DR7_L(0) | DR7_RW(0, DR_RW_RW) |
			    DR7_LEN(0, DR_LEN_1);
	int st, stops = 0;
	pid_t pid;

	pid = pt_spawn_traced(mov_ss_int3, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(0), (unsigned long)&ss_watched),
		     0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_DR(7), dr7), 0);
	for (st = pt_cont(pid, 0); st != -1 && WIFSTOPPED(st) && stops < 10;
	     st = pt_cont(pid, 0)) {
		KT_EXPECT_EQ(t, WSTOPSIG(st), SIGTRAP);
		stops++;
	}
	kt_log(t, "%d SIGTRAP stops", stops);
	KT_EXPECT_GE(t, stops, 1);
	KT_EXPECT_LT(t, stops, 10);	/* no endless trap */
	UT_EXPECT_EXITED(t, st, 0);
}

/* ---- leaks ------------------------------------------------------------ */

/*
 * Each way tracing ends, a few times over, with its failures reported
 * (as diagnostics) but not counted: the leak check is what counts.
 */
static void storm_tracing_ends(void)
{
	struct kt_test quiet = { "storm", 0, NULL };
	int i;

	for (i = 0; i < 3; i++) {
		tracer_dies(&quiet, LEFT_STOPPED, TRACER_KILLED);
		tracer_dies(&quiet, LEFT_RUNNING, TRACER_EXITS);
		tracer_dies(&quiet, LEFT_IN_SYSCALL_SYSGOOD, TRACER_KILLED);
		tracer_dies(&quiet, LEFT_RUNNING_EXITKILL, TRACER_KILLED);
		real_parent_waits_for_tracer(&quiet, 1);
		real_parent_waits_for_tracer(&quiet, 0);
	}
}

static void tracing_ends_leak_nothing(struct kt_test *t)
{
	pt_expect_no_leak(t, storm_tracing_ends);
}

static int exit_zero(void *arg)
{
	(void)arg;
	return 0;
}

/* TRACEME, attach/detach, breakpoints and steps, many times. */
static void storm_tracing_work(void)
{
	unsigned long dr7 = DR7_L(0) | DR7_RW(0, DR_RW_RW) |
			    DR7_LEN(0, DR_LEN_1);
	int i, k;
	pid_t pid;

	for (i = 0; i < 20; i++) {
		pid = pt_spawn_traced(mov_ss_int3, NULL);
		if (pid <= 0)
			continue;
		pt_pokeuser(pid, PT_DR(0), (unsigned long)&ss_watched);
		pt_pokeuser(pid, PT_DR(7), dr7);
		for (k = 0; k < 3; k++)
			pt_resume(pid, PTRACE_SINGLESTEP, 0);
		if (i & 1) {
			pt_pokeuser(pid, PT_DR(7), 0);
			ptrace(PTRACE_DETACH, pid, NULL, NULL);
		}
		pt_kill(pid);

		pid = pt_spawn_traced(exit_zero, NULL);
		if (pid > 0)
			pt_resume(pid, PTRACE_SYSCALL, 0);
		pt_kill(pid);
	}
}

static void tracing_work_leaks_nothing(struct kt_test *t)
{
	pt_expect_no_leak(t, storm_tracing_work);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(ptrace_life_suite, "ptrace_life",
	 KT_CASE(tracer_killed_tracee_stopped),
	 KT_CASE(tracer_killed_tracee_running),
	 KT_CASE(tracer_killed_tracee_in_syscall),
	 KT_CASE(tracer_exits_tracee_stopped),
	 KT_CASE(exitkill_kills_tracee),
	 KT_CASE(real_parent_after_tracer_reaps),
	 KT_CASE(real_parent_after_tracer_exits),
	 KT_CASE(pid_reuse_has_no_rights),
	 KT_CASE(mov_ss_watchpoint),
	 KT_CASE(tracing_ends_leak_nothing),
	 KT_CASE(tracing_work_leaks_nothing));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
