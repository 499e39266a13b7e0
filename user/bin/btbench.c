/*
 * btbench - the software BTS unit's figures for `make bench`: run
 * `fib N` untraced and then traced with PTRACE_BTS (in whichever mode
 * the kernel was booted with, bts_soft=fast|step), and print
 *   - guest TSC ticks for both runs (deterministic under -icount),
 *   - the unit's traps per executed branch instruction (/proc/bts),
 *   - the traced/untraced ratio, which under plain TCG (no -icount),
 *     where the guest TSC follows the host clock, is the host-time cost.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define MIN_U64(a, b) ((a) < (b) ? (a) : (b))

static uint64_t rdtsc(void)
{
	uint64_t v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

/* Copy the word at @p (up to a blank) into @out. */
static void copy_word(const char *p, char *out, size_t size)
{
	size_t i = 0;

	while (p[i] && p[i] != ' ' && p[i] != '\n' && i + 1 < size) {
		out[i] = p[i];
		i++;
	}
	out[i] = '\0';
}

struct stats {
	char mode[16];
	unsigned long traps, branches;
};

static void read_stats(struct stats *s)
{
	char buf[256], *p;
	int fd = open("/proc/bts", 0);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	memset(s, 0, sizeof(*s));
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((p = strstr(buf, "soft_mode ")))
		copy_word(p + 10, s->mode, sizeof(s->mode));
	if ((p = strstr(buf, "soft_traps ")))
		s->traps = strtoul(p + 11, NULL, 10);
	if ((p = strstr(buf, "soft_branches ")))
		s->branches = strtoul(p + 14, NULL, 10);
}

/* Run fib @arg, traced with BTS or not, output discarded; ticks taken. */
static uint64_t run_fib(const char *arg, int traced)
{
	struct ptrace_bts_config cfg = {
		65536, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC, 0, 0
	};
	char *argv[] = { "/bin/fib", (char *)arg, NULL };
	int status, null[2];
	uint64_t t0 = rdtsc();
	pid_t pid;

	if (pipe(null) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		dup2(null[1], 1);
		if (traced)
			ptrace(PTRACE_TRACEME, 0, 0, 0);
		execve(argv[0], argv, NULL);
		_exit(127);
	}
	close(null[1]);
	if (traced) {
		waitpid(pid, &status, 0);	/* the exec stop */
		if (ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)16) != 16)
			printf("btbench: PTRACE_BTS_CONFIG failed\n");
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
	waitpid(pid, &status, 0);
	close(null[0]);
	return rdtsc() - t0;
}

/*
 * The fastest of RUNS runs: under -icount all runs are equal; under
 * plain TCG the host's other work only ever adds time.
 */
#define RUNS 3

static uint64_t best_of(const char *n, int traced)
{
	uint64_t best = ~0ull, t;
	int i;

	for (i = 0; i < RUNS; i++) {
		t = run_fib(n, traced);
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *n = argc > 1 ? argv[1] : "20";
	struct stats a, b;
	uint64_t plain, traced;
	unsigned long branches;

	plain = best_of(n, 0);
	read_stats(&a);
	traced = run_fib(n, 1);		/* the counters: one run's worth */
	read_stats(&b);
	branches = b.branches - a.branches;
	traced = MIN_U64(traced, best_of(n, 1));
	printf("bench: fib%s_untraced %llu ticks\n", n,
	       (unsigned long long)plain);
	printf("bench: fib%s_traced_%s %llu ticks\n", n, b.mode,
	       (unsigned long long)traced);
	printf("bench: fib%s_%s_branches %lu\n", n, b.mode, branches);
	printf("bench: fib%s_%s_traps_per_branch_x1000 %lu\n", n, b.mode,
	       branches ? (b.traps - a.traps) * 1000 / branches : 0);
	printf("bench: fib%s_%s_slowdown_x10 %llu\n", n, b.mode,
	       (unsigned long long)(traced * 10 / plain));
	return 0;
}
