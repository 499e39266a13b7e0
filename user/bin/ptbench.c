/*
 * ptbench - ptrace figures for `make bench`, in guest TSC ticks (one
 * per guest instruction under -icount shift=0,sleep=off):
 *   - a PTRACE_PEEKDATA round trip,
 *   - one PTRACE_SYSCALL stop cycle (entry stop + exit stop),
 *   - one PTRACE_SINGLESTEP cycle,
 *   - PTRACE_ATTACH (with its SIGSTOP stop) + PTRACE_DETACH.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 200

static uint64_t rdtsc(void)
{
	uint64_t v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

static void report(const char *name, uint64_t ticks)
{
	printf("bench: %s %llu ticks\n", name, (unsigned long long)(ticks / N));
}

/* A child that stops for its tracer, then makes system calls forever. */
static pid_t traced_child(void)
{
	int status, dummy;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (;;)
			asm volatile("int $0x80"
				     : "=a"(dummy)
				     : "a"(SYS_getpid));
	}
	waitpid(pid, &status, 0);
	return pid;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	static long word = 42;
	pid_t pid = traced_child();
	uint64_t t0;
	int i, status;

	t0 = rdtsc();
	for (i = 0; i < N; i++)
		ptrace(PTRACE_PEEKDATA, pid, &word, 0);
	report("ptrace_peekdata", rdtsc() - t0);

	t0 = rdtsc();
	for (i = 0; i < N; i++) {		/* entry stop, then exit stop */
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		waitpid(pid, &status, 0);
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		waitpid(pid, &status, 0);
	}
	report("ptrace_syscall_cycle", rdtsc() - t0);

	t0 = rdtsc();
	for (i = 0; i < N; i++) {
		ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
		waitpid(pid, &status, 0);
	}
	report("ptrace_singlestep_cycle", rdtsc() - t0);
	kill_child(pid);

	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	t0 = rdtsc();
	for (i = 0; i < N; i++) {
		ptrace(PTRACE_ATTACH, pid, 0, 0);
		waitpid(pid, &status, 0);
		ptrace(PTRACE_DETACH, pid, 0, 0);
	}
	report("ptrace_attach_detach", rdtsc() - t0);
	kill_child(pid);
	return 0;
}
