/*
 * bench - process figures for `make bench`, in guest TSC ticks per
 * operation.  Run by init (run=/bin/bench) under QEMU -icount
 * shift=0,sleep=off, where the TSC counts guest instructions, so the
 * same build prints the same numbers on every run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rdtsc(void)
{
	uint64_t v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

static void report(const char *name, uint64_t total, int n)
{
	printf("bench: %s %llu ticks\n", name, (unsigned long long)(total / n));
}

/* The bare system call, without the C library's wrapper around it. */
static void bench_getpid(void)
{
	uint64_t t0 = rdtsc();
	int i, pid;

	for (i = 0; i < 1000; i++)
		asm volatile("int $0x80" : "=a"(pid) : "a"(SYS_getpid));
	report("getpid", rdtsc() - t0, 1000);
}

/* fork, the child exits at once, the parent reaps it. */
static void bench_fork(void)
{
	uint64_t t0 = rdtsc();
	int i, status;

	for (i = 0; i < 100; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
	}
	report("fork_exit_wait", rdtsc() - t0, 100);
}

/* fork, the child runs /bin/hello (its output is thrown away). */
static void bench_exec(void)
{
	static char *const argv[] = { "/bin/hello", NULL };
	uint64_t t0 = rdtsc();
	int i, status, null[2];

	if (pipe(null) < 0)
		exit(1);
	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			dup2(null[1], 1);
			execve(argv[0], argv, NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		read(null[0], (char[32]){ 0 }, 32);
	}
	report("fork_exec_hello_wait", rdtsc() - t0, 20);
}

/* One byte to the child and back, through two pipes. */
static void bench_pipe(void)
{
	int to[2], from[2], i, status;
	uint64_t t0;
	pid_t pid;
	char c = 'x';

	if (pipe(to) < 0 || pipe(from) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(to[1]);		/* else our own copy keeps it open */
		close(from[0]);
		while (read(to[0], &c, 1) == 1)
			write(from[1], &c, 1);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	t0 = rdtsc();
	for (i = 0; i < 1000; i++) {
		write(to[1], &c, 1);
		read(from[0], &c, 1);
	}
	report("pipe_round_trip", rdtsc() - t0, 1000);
	close(to[1]);
	waitpid(pid, &status, 0);
}

int main(void)
{
	printf("bench: boot_to_first_program %llu ticks\n",
	       (unsigned long long)rdtsc());
	bench_getpid();
	bench_fork();
	bench_exec();
	bench_pipe();
	return 0;
}
