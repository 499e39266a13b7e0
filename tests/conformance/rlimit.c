/*
 * rlimit: getrlimit, setrlimit and prlimit64, each rule with its errno.
 * A resource at or past RLIM_NLIMITS is EINVAL, a soft limit above the
 * hard one EINVAL, an RLIMIT_NOFILE hard limit past nr_open EPERM
 * (RLIM_INFINITY is past it everywhere).  What is set reads back, the
 * 32-bit RLIM_INFINITY is the 64-bit one, and fork copies the limits.
 * prlimit64 reaches another process by pid (a zombie too); a pid with
 * no process is ESRCH.  Bad pointers are EFAULT: the new limit is read
 * before the pid is looked up, and set before the old one is written.
 *
 * Not printed, as they depend on the host: the starting limits (the
 * runner's shell sets them) and whether raising a hard limit works
 * (CAP_SYS_RESOURCE, which root in a container may lack); only that
 * the limit afterwards says what the call said.  Whatever changes a
 * limit runs in a child of its own.
 */
#include <limits.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "conf.h"

/*
 * The call getrlimit(3) makes, with the native struct rlimit:
 * ugetrlimit on i386, whose getrlimit is the old one (its infinity is
 * 0x7fffffff), and getrlimit on x86_64.
 */
#ifdef SYS_ugetrlimit
#define SYS_getrlimit_full	SYS_ugetrlimit
#else
#define SYS_getrlimit_full	SYS_getrlimit
#endif

/* prlimit64's struct, the same on every architecture. */
struct lim64 {
	uint64_t cur, max;
};

#define INF64	(~0ull)

static long prlim(long pid, long resource, const struct lim64 *want,
		  struct lim64 *old)
{
	return syscall(SYS_prlimit64, pid, resource, want, old);
}

/* @v in words: "RLIM_INFINITY" when it is @inf, else the number. */
static const char *lim_word(unsigned long long v, unsigned long long inf,
			    char *buf, size_t size)
{
	if (v == inf)
		return "RLIM_INFINITY";
	snprintf(buf, size, "%llu", v);
	return buf;
}

/* "@what: soft S, hard H", infinity being @inf. */
static void say_pair(const char *what, unsigned long long cur,
		     unsigned long long max, unsigned long long inf)
{
	char c[24], m[24];

	say("%s: soft %s, hard %s", what, lim_word(cur, inf, c, sizeof(c)),
	    lim_word(max, inf, m, sizeof(m)));
}

static void say_getrlimit(const char *what, int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0)
		say("%s: -1 %s", what, errno_name(errno));
	else
		say_pair(what, rl.rlim_cur, rl.rlim_max, RLIM_INFINITY);
}

static void say_prlimit(const char *what, int resource)
{
	struct lim64 got;

	if (prlim(0, resource, NULL, &got) < 0)
		say("%s: -1 %s", what, errno_name(errno));
	else
		say_pair(what, got.cur, got.max, INF64);
}

static int setrl(int resource, rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	return setrlimit(resource, &rl);
}

static int same(const struct lim64 *a, const struct lim64 *b)
{
	return a->cur == b->cur && a->max == b->max;
}

/* Run @part in a child, whose limit changes end with it. */
static void in_child(const char *name, void (*part)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		part();
		_exit(0);
	}
	wait_say(name, pid, 0);
}

static void resources(void)
{
	struct rlimit rl = { 0, 0 };
	struct lim64 got;

	TRY("getrlimit(RLIMIT_RTTIME), the last one",
	    getrlimit(RLIMIT_RTTIME, &rl));
	TRY("getrlimit(RLIM_NLIMITS)", getrlimit(RLIM_NLIMITS, &rl));
	TRY("getrlimit(-1)", getrlimit(-1, &rl));
	TRY("setrlimit(RLIM_NLIMITS)", setrlimit(RLIM_NLIMITS, &rl));
	TRY("prlimit64(0, RLIM_NLIMITS, NULL, &old)",
	    prlim(0, RLIM_NLIMITS, NULL, &got));
	TRY("prlimit64(0, RLIM_NLIMITS, NULL, NULL)",
	    prlim(0, RLIM_NLIMITS, NULL, NULL));
	TRY("prlimit64(0, RLIMIT_CPU, NULL, NULL)",
	    prlim(0, RLIMIT_CPU, NULL, NULL));
}

/* Failures only: nothing may change. */
static void soft_above_hard(void)
{
	struct lim64 cpu, nofile, now, cur_high = { 2, 1 };
	struct lim64 inf_soft = { INF64, 5 }, inf_hard = { 4, INF64 };

	prlim(0, RLIMIT_CPU, NULL, &cpu);
	prlim(0, RLIMIT_NOFILE, NULL, &nofile);
	TRY("setrlimit(RLIMIT_CPU, {2, 1})", setrl(RLIMIT_CPU, 2, 1));
	TRY("setrlimit(RLIMIT_CPU, {RLIM_INFINITY, 100})",
	    setrl(RLIMIT_CPU, RLIM_INFINITY, 100));
	TRY("prlimit64(0, RLIMIT_CPU, {2, 1}, NULL)",
	    prlim(0, RLIMIT_CPU, &cur_high, NULL));
	TRY("prlimit64(0, RLIMIT_CPU, {RLIM_INFINITY, 5}, NULL)",
	    prlim(0, RLIMIT_CPU, &inf_soft, NULL));
	/* Soft above hard is looked at before nr_open. */
	TRY("prlimit64(0, RLIMIT_NOFILE, {RLIM_INFINITY, 5}, NULL)",
	    prlim(0, RLIMIT_NOFILE, &inf_soft, NULL));
	TRY("prlimit64(0, RLIMIT_NOFILE, {4, RLIM_INFINITY}, NULL)",
	    prlim(0, RLIMIT_NOFILE, &inf_hard, NULL));
	TRY("setrlimit(RLIMIT_NOFILE, {RLIM_INFINITY, RLIM_INFINITY})",
	    setrl(RLIMIT_NOFILE, RLIM_INFINITY, RLIM_INFINITY));
	prlim(0, RLIMIT_CPU, NULL, &now);
	say("RLIMIT_CPU unchanged: %s", yes(same(&now, &cpu)));
	prlim(0, RLIMIT_NOFILE, NULL, &now);
	say("RLIMIT_NOFILE unchanged: %s", yes(same(&now, &nofile)));
}

/* RLIMIT_CPU, whose hard limit starts at infinity, in its 32-bit forms. */
static void cpu_infinity(void)
{
	struct lim64 got, big = { 1ull << 32, INF64 }, two = { 2000, INF64 };
	struct rlimit rl;

	prlim(0, RLIMIT_CPU, NULL, &got);
	say("RLIMIT_CPU's hard limit starts at RLIM_INFINITY: %s",
	    yes(got.max == INF64));
	TRY("setrlimit(RLIMIT_CPU, {1000, RLIM_INFINITY})",
	    setrl(RLIMIT_CPU, 1000, RLIM_INFINITY));
	say_getrlimit("  getrlimit", RLIMIT_CPU);
	say_prlimit("  prlimit64", RLIMIT_CPU);
	/* Only ~0 stands for infinity in 32 bits. */
	TRY("setrlimit(RLIMIT_CPU, {0xfffffffe, RLIM_INFINITY})",
	    setrl(RLIMIT_CPU, 0xfffffffeul, RLIM_INFINITY));
	say_prlimit("  prlimit64", RLIMIT_CPU);
	TRY("setrlimit(RLIMIT_CPU, {RLIM_INFINITY, RLIM_INFINITY})",
	    setrl(RLIMIT_CPU, RLIM_INFINITY, RLIM_INFINITY));
	say_prlimit("  prlimit64", RLIMIT_CPU);
	TRY("prlimit64(0, RLIMIT_CPU, {1 << 32, RLIM_INFINITY}, NULL)",
	    prlim(0, RLIMIT_CPU, &big, NULL));
	say_prlimit("  prlimit64", RLIMIT_CPU);
	/* 64 bits: exact; 32: RLIM_INFINITY, the nearest there is. */
	getrlimit(RLIMIT_CPU, &rl);
	say("  getrlimit's soft limit is at least 0xffffffff: %s",
	    yes((unsigned long long)rl.rlim_cur >= 0xffffffffull));
	TRY("prlimit64(0, RLIMIT_CPU, {2000, RLIM_INFINITY}, &old)",
	    prlim(0, RLIMIT_CPU, &two, &got));
	say_pair("  old", got.cur, got.max, INF64);
	say_getrlimit("  getrlimit", RLIMIT_CPU);
}

/* Lowering is always allowed; raising the hard limit may not be. */
static void lowering(void)
{
	struct lim64 got, lower = { 100, 200 }, want;
	struct rlimit rl;
	int r, e;

	TRY("setrlimit(RLIMIT_CPU, {100, 500})", setrl(RLIMIT_CPU, 100, 500));
	say_getrlimit("  getrlimit", RLIMIT_CPU);
	say_prlimit("  prlimit64", RLIMIT_CPU);
	syscall(SYS_getrlimit, RLIMIT_CPU, &rl);
	say_pair("  SYS_getrlimit", rl.rlim_cur, rl.rlim_max, RLIM_INFINITY);
	syscall(SYS_getrlimit_full, RLIMIT_CPU, &rl);
	say_pair("  getrlimit's call", rl.rlim_cur, rl.rlim_max, RLIM_INFINITY);
	TRY("setrlimit(RLIMIT_CPU, {500, 500})", setrl(RLIMIT_CPU, 500, 500));
	TRY("setrlimit(RLIMIT_CPU, {501, 500})", setrl(RLIMIT_CPU, 501, 500));
	TRY("prlimit64(0, RLIMIT_CPU, {100, 200}, NULL)",
	    prlim(0, RLIMIT_CPU, &lower, NULL));
	errno = 0;
	r = setrl(RLIMIT_CPU, 200, 300);
	e = errno;
	getrlimit(RLIMIT_CPU, &rl);
	say("raising the hard limit to 300: 0 or EPERM, and the limit "
	    "says which: %s",
	    yes((r == 0 && rl.rlim_max == 300) ||
		(r == -1 && e == EPERM && rl.rlim_max == 200)));

	TRY("setrlimit(RLIMIT_NOFILE, {8, 16})", setrl(RLIMIT_NOFILE, 8, 16));
	say_getrlimit("  getrlimit", RLIMIT_NOFILE);
	prlim(0, RLIMIT_STACK, NULL, &got);
	want.cur = 4 << 20;
	want.max = got.max;
	TRY("prlimit64(0, RLIMIT_STACK, {4 MiB, the hard limit}, NULL)",
	    prlim(0, RLIMIT_STACK, &want, NULL));
	prlim(0, RLIMIT_STACK, NULL, &got);
	say("  reads back: %s", yes(same(&got, &want)));
}

/* Say the result @r of a call given bad_ptrs[@i]; @fmt names it with %s. */
static void say_bad(const char *fmt, unsigned int i, long r)
{
	char what[80];
	int e = errno;

	snprintf(what, sizeof(what), fmt, bad_ptrs[i].name);
	say_result(what, r, e);
}

/* EFAULT, and which check comes first. */
static void pointers(void)
{
	struct lim64 before, got, want = { 1234, INF64 };
	unsigned int i;
	void *p;

	prlim(0, RLIMIT_CPU, NULL, &before);
	for (i = 0; i < NBAD_PTRS; i++) {
		p = bad_ptrs[i].addr;
		say_bad("getrlimit's call(RLIMIT_CPU, %s)", i,
			syscall(SYS_getrlimit_full, RLIMIT_CPU, p));
		say_bad("SYS_getrlimit(RLIMIT_CPU, %s)", i,
			syscall(SYS_getrlimit, RLIMIT_CPU, p));
		say_bad("SYS_setrlimit(RLIMIT_CPU, %s)", i,
			syscall(SYS_setrlimit, RLIMIT_CPU, p));
		if (!p)		/* "none" to prlimit64 */
			continue;
		say_bad("prlimit64(0, RLIMIT_CPU, %s, NULL)", i,
			prlim(0, RLIMIT_CPU, p, NULL));
		say_bad("prlimit64(0, RLIMIT_CPU, NULL, %s)", i,
			prlim(0, RLIMIT_CPU, NULL, p));
	}
	TRY("getrlimit's call(RLIM_NLIMITS, NULL)",
	    syscall(SYS_getrlimit_full, RLIM_NLIMITS, NULL));
	TRY("SYS_setrlimit(RLIM_NLIMITS, NULL)",
	    syscall(SYS_setrlimit, RLIM_NLIMITS, NULL));
	TRY("prlimit64(0, RLIM_NLIMITS, top page, NULL)",
	    prlim(0, RLIM_NLIMITS, TOP_PAGE, NULL));
	TRY("prlimit64(0, RLIM_NLIMITS, NULL, top page)",
	    prlim(0, RLIM_NLIMITS, NULL, TOP_PAGE));
	prlim(0, RLIMIT_CPU, NULL, &got);
	say("RLIMIT_CPU unchanged: %s", yes(same(&got, &before)));
	TRY("prlimit64(0, RLIMIT_CPU, {1234, RLIM_INFINITY}, top page)",
	    prlim(0, RLIMIT_CPU, &want, TOP_PAGE));
	prlim(0, RLIMIT_CPU, NULL, &got);
	say("  the new limit is set all the same: %s", yes(same(&got, &want)));
}

/* prlimit64 on others: a child, our parent, a zombie, no process. */
static void pids(void)
{
	struct lim64 mine, got, want = { 3000, INF64 };
	int go[2], done[2];
	struct rlimit rl;
	pid_t pid;
	char c;

	prlim(0, RLIMIT_CPU, NULL, &mine);
	TRY("prlimit64(getpid(), RLIMIT_CPU, NULL, &old)",
	    prlim(getpid(), RLIMIT_CPU, NULL, &got));
	say("  the same as pid 0's: %s", yes(same(&got, &mine)));
	TRY("prlimit64(getppid(), RLIMIT_CPU, NULL, &old)",
	    prlim(getppid(), RLIMIT_CPU, NULL, &got));
	pipe(go);
	pipe(done);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		read(go[0], &c, 1);	/* its parent has set the limit */
		getrlimit(RLIMIT_CPU, &rl);
		say("child: the soft limit its parent set: %s",
		    yes(rl.rlim_cur == 3000));
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	TRY("prlimit64(child, RLIMIT_CPU, NULL, &old)",
	    prlim(pid, RLIMIT_CPU, NULL, &got));
	say("  the child's are ours: %s", yes(same(&got, &mine)));
	TRY("prlimit64(child, RLIMIT_CPU, {3000, RLIM_INFINITY}, NULL)",
	    prlim(pid, RLIMIT_CPU, &want, NULL));
	prlim(0, RLIMIT_CPU, NULL, &got);
	say("  ours unchanged: %s", yes(same(&got, &mine)));
	write(go[1], "g", 1);
	read(done[0], &c, 1);	/* end of file: it has exited */
	TRY("prlimit64(the exited child, RLIMIT_CPU, NULL, &old)",
	    prlim(pid, RLIMIT_CPU, NULL, &got));
	say("  it had the limit we set: %s", yes(same(&got, &want)));
	TRY("prlimit64(the exited child, RLIMIT_CPU, {3000, ...}, NULL)",
	    prlim(pid, RLIMIT_CPU, &want, NULL));
	wait_say("waitpid(child)", pid, 0);
	TRY("prlimit64(the reaped pid, RLIMIT_CPU, NULL, &old)",
	    prlim(pid, RLIMIT_CPU, NULL, &got));
	TRY("prlimit64(the reaped pid, RLIM_NLIMITS, NULL, NULL)",
	    prlim(pid, RLIM_NLIMITS, NULL, NULL));
	TRY("prlimit64(the reaped pid, RLIMIT_CPU, top page, NULL)",
	    prlim(pid, RLIMIT_CPU, TOP_PAGE, NULL));
	TRY("prlimit64(-1, RLIMIT_CPU, NULL, &old)",
	    prlim(-1, RLIMIT_CPU, NULL, &got));
	TRY("prlimit64(INT_MIN, RLIMIT_CPU, NULL, &old)",
	    prlim(INT_MIN, RLIMIT_CPU, NULL, &got));
}

/* fork copies the limits; the child's changes stay its own. */
static void inherit(void)
{
	struct rlimit rl;
	pid_t pid;

	setrl(RLIMIT_CPU, 1500, RLIM_INFINITY);
	setrl(RLIMIT_NOFILE, 10, 20);
	pid = fork();
	if (pid == 0) {
		getrlimit(RLIMIT_CPU, &rl);
		say("child: RLIMIT_CPU soft 1500: %s",
		    yes(rl.rlim_cur == 1500));
		getrlimit(RLIMIT_NOFILE, &rl);
		say("child: RLIMIT_NOFILE {10, 20}: %s",
		    yes(rl.rlim_cur == 10 && rl.rlim_max == 20));
		TRY("child: setrlimit(RLIMIT_CPU, {1600, RLIM_INFINITY})",
		    setrl(RLIMIT_CPU, 1600, RLIM_INFINITY));
		_exit(0);
	}
	wait_say("waitpid(child)", pid, 0);
	getrlimit(RLIMIT_CPU, &rl);
	say("parent: RLIMIT_CPU soft still 1500: %s", yes(rl.rlim_cur == 1500));
}

int main(void)
{
	conf_init();
	resources();
	soft_above_hard();
	in_child("cpu_infinity", cpu_infinity);
	in_child("lowering", lowering);
	in_child("pointers", pointers);
	in_child("pids", pids);
	in_child("inherit", inherit);
	return 0;
}
