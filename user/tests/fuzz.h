/*
 * Helpers shared by the fuzzers, user/tests/fuzz_*.c: a deterministic
 * random number generator, the parameters (seed, operations) from argv
 * or the environment, pools of nasty values, running a child under a
 * deadline, waiting until every process the fuzzer made is gone, and
 * the memory baseline every fuzzer compares against.
 *
 * Static inline, like utest.h, whose rules hold here too.  The fuzzers
 * are Spoor-only programs: they read /proc/tasks and /proc/meminfo.
 *
 * Spoor has no alarm(): a child that may block forever is bounded by
 * its parent, which polls waitpid(WNOHANG) and sends SIGKILL when the
 * deadline passes.  A task that SIGKILL does not end within FZ_KILL_MS
 * is a wedged kernel, and the one failure the deadline helpers report.
 */
#ifndef USER_TESTS_FUZZ_H
#define USER_TESTS_FUZZ_H

#include <limits.h>
#include <stdint.h>

#include "utest.h"

#define FZ_KILL_MS	3000	/* SIGKILL must end a task within this */
#define FZ_QUIET_MS	5000	/* leftovers get this long before SIGKILL */

/* ---- the generator: xorshift32, seeded through a splitmix step ------- */

struct fz_rng {
	uint32_t s;
};

static inline void fz_seed(struct fz_rng *r, uint32_t seed)
{
	uint32_t z = seed * 0x9e3779b9u + 0x7f4a7c15u;

	z = (z ^ (z >> 16)) * 0x85ebca6bu;
	z = (z ^ (z >> 13)) * 0xc2b2ae35u;
	r->s = (z ^ (z >> 16)) | 1;	/* xorshift never leaves 0 */
}

static inline uint32_t fz_next(struct fz_rng *r)
{
	uint32_t x = r->s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->s = x;
}

/* A number in [0, @n); 0 when @n is 0. */
static inline uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? fz_next(r) % n : 0;
}

/* True with probability @pct percent. */
static inline int fz_chance(struct fz_rng *r, unsigned pct)
{
	return fz_below(r, 100) < pct;
}

#define FZ_PICK(r, table) \
	((table)[fz_below(r, sizeof(table) / sizeof((table)[0]))])

/* ---- parameters ------------------------------------------------------ */

/*
 * The value of parameter @name: "name=N" on the command line first,
 * then the environment (kernel command line options reach init's
 * environment and so every program init runs), else @def.
 */
static inline unsigned long fz_param(int argc, char **argv, const char *name,
				     unsigned long def)
{
	size_t len = strlen(name);
	const char *v = NULL;
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=')
			v = argv[i] + len + 1;
	if (!v)
		v = getenv(name);
	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* ---- nasty values ---------------------------------------------------- */

/* Plain integers that make boundary conditions: counts, flags, ids. */
/* A hand-filled table: the values in increasing size. */
/* clang-format off */
static const uint32_t fz_nasty_ints[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 30, 32, 33, 63, 64, 65,
	127, 128, 255, 256, 4095, 4096, 4097, 8192, 65536, 0x7fff, 0x8000,
	0xffff, 0x10000000, 0x7ffffffe, INT_MAX, 0x80000000u, 0x80000001u,
	0xfffffffeu, 0xffffffffu, 0xfffff000u, 0xffffff00u,
};
/* clang-format on */

/* Addresses user space may not use (Spoor's kernel is at 0xC0000000). */
/* A hand-filled table: the straddling pair on a line with its note. */
/* clang-format off */
static const uint32_t fz_kernel_addrs[] = {
	0xC0000000u, 0xC0000001u, 0xC0100000u, 0xC0100ffcu, 0xC0400000u,
	0xD0000000u, 0xFFFFF000u, 0xFFFFFFFCu, 0xFFFFFFFFu,
	0xBFFFFFFCu, 0xBFFFFFF0u,		/* straddle into the kernel */
};
/* clang-format on */

/* Read-only bytes in the program's text/rodata: a kernel that writes
 * here through copy_to_user ignores the page's protection. */
static const char fz_rodata[256] __attribute__((aligned(64))) =
	"fuzz read-only canary: the kernel must never write here";

/* A checksum of fz_rodata read through a volatile pointer, so the
 * compiler cannot answer it from the constant. */
static inline uint32_t fz_rodata_sum(void)
{
	const volatile unsigned char *p =
		(const volatile unsigned char *)fz_rodata;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < sizeof(fz_rodata); i++)
		sum = sum * 31 + p[i];
	return sum;
}

/*
 * The program break moved to a page boundary with the page below in
 * use and filled: the first address past it is surely unmapped (as
 * test_badptr does).  0 when the break cannot move.
 */
static inline uintptr_t fz_heap_edge(void)
{
	uintptr_t cur = (uintptr_t)sbrk(0), pad = -cur & (UT_PAGE - 1);

	if (sbrk(pad + UT_PAGE) == (void *)-1)
		return 0;
	cur = (uintptr_t)sbrk(0);
	memset((void *)(cur - UT_PAGE), 0, UT_PAGE);
	return cur;
}

/* ---- children under a deadline -------------------------------------- */

enum fz_end {
	FZ_ENDED,	/* ended by itself; *status holds how */
	FZ_KILLED,	/* outlived its deadline and SIGKILL ended it */
	FZ_WEDGED,	/* SIGKILL did not end it: a kernel defect */
};

/*
 * Wait for child @pid up to @ms milliseconds, then SIGKILL it and wait
 * up to FZ_KILL_MS more.  The first polls only yield, so a child that
 * ends at once costs no clock tick.  A child that stops for us as its
 * tracer (it asked PTRACE_TRACEME) has not ended: it is killed.
 */
static inline enum fz_end fz_wait_deadline(pid_t pid, int ms, int *status)
{
	int waited, i;
	pid_t got;

	for (i = 0, waited = 0; waited < ms; i++) {
		got = waitpid(pid, status, WNOHANG);
		if (got == pid && WIFSTOPPED(*status))
			break;
		if (got == pid)
			return FZ_ENDED;
		if (got < 0 && errno != EINTR)
			return FZ_ENDED;	/* not ours (any more) */
		if (i < 20) {
			sched_yield();
		} else {
			ut_sleep_ms(10);
			waited += 10;
		}
	}
	kill(pid, SIGKILL);
	for (waited = 0; waited < FZ_KILL_MS; waited += 10) {
		got = waitpid(pid, status, WNOHANG);
		if ((got == pid && !WIFSTOPPED(*status)) ||
		    (got < 0 && errno == ECHILD))
			return FZ_KILLED;
		ut_sleep_ms(10);
	}
	return FZ_WEDGED;
}

/* ---- the process table ---------------------------------------------- */

/*
 * The pids of every task in /proc/tasks except init and the caller,
 * up to @max of them into @pids; the count (-1: unreadable).
 */
static inline int fz_other_tasks(pid_t *pids, int max)
{
	static char buf[16384];
	const char *p, *s;
	pid_t self = getpid();
	int n = 0;
	long pid;

	if (ut_read_file("/proc/tasks", buf, sizeof(buf)) < 0)
		return -1;
	for (p = strchr(buf, '\n'); p && *++p; p = strchr(p, '\n')) {
		s = p;
		pid = ut_parse_long(&s);
		if (pid <= 1 || pid == self)
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	return n;
}

/*
 * Wait until no task but init and the caller is left: orphans reaped
 * by init, zombies by whoever must.  Our own children are reaped here.
 * What is still there after @grace_ms is killed (stopped, orphaned,
 * looping: user-level leftovers) and given FZ_KILL_MS more.  Returns
 * the number killed in *@killed; 0 when the system is quiet, else the
 * number of tasks SIGKILL could not end (wedged).
 */
static inline int fz_wait_quiet(int grace_ms, int *killed)
{
	pid_t pids[64];
	int ms, n = 0, i;

	*killed = 0;
	for (ms = 0; ms < grace_ms + FZ_KILL_MS; ms += 10) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		n = fz_other_tasks(pids, 64);
		if (n <= 0)
			return n < 0 ? 1 : 0;
		if (ms == grace_ms) {
			for (i = 0; i < n && i < 64; i++)
				kill(pids[i], SIGKILL);
			*killed = n;
		}
		ut_sleep_ms(10);
	}
	return n;
}

/* ---- the memory baseline -------------------------------------------- */

struct fz_mem {
	long pages;
	long heap;
};

/*
 * Expect the kernel's free pages and heap bytes back at @base, with
 * the system quiet; both readings logged.
 */
static inline void fz_expect_mem(struct kt_test *t, const struct fz_mem *base)
{
	struct fz_mem now;
	int killed;

	KT_EXPECT_EQ(t, fz_wait_quiet(FZ_QUIET_MS, &killed), 0);
	if (killed)
		kt_log(t, "%d leftover tasks killed", killed);
	KT_ASSERT_EQ(t, ut_meminfo(&now.pages, &now.heap), 0);
	kt_log(t,
	       "memory: free_pages %ld -> %ld (%+ld), heap_bytes %ld -> %ld (%+ld)",
	       base->pages, now.pages, now.pages - base->pages, base->heap,
	       now.heap, now.heap - base->heap);
	KT_EXPECT_EQ(t, now.pages, base->pages);
	KT_EXPECT_EQ(t, now.heap, base->heap);
}

/* The baseline, read with the system quiet; 0 or -1. */
static inline int fz_read_mem(struct fz_mem *m)
{
	int killed;

	if (fz_wait_quiet(FZ_QUIET_MS, &killed))
		return -1;
	return ut_meminfo(&m->pages, &m->heap);
}

/*
 * Read what a worker wrote on its report pipe @fd: each character of
 * @marks is one operation done, handed to @mark; each "F ..." line is a
 * failure, counted in *@failures and handed to @failure (if any), and
 * the first 20 are logged to @t (NULL: counted only).
 */
static inline void fz_read_report(struct kt_test *t, int fd, const char *marks,
				  void (*mark)(char c),
				  void (*failure)(const char *line),
				  unsigned long *failures)
{
	static char buf[8192];
	char *line, *end;
	long n;

	n = ut_read_full(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = buf; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (strchr(marks, *line)) {
			mark(*line);
			end = line + 1;
		} else if (!strncmp(line, "F ", 2)) {
			++*failures;
			if (failure)
				failure(line);
			if (t && *failures <= 20) {
				end[-1] = '\0';
				kt_log(t, "%s", line + 2);
			}
		}
	}
}

#endif /* USER_TESTS_FUZZ_H */
