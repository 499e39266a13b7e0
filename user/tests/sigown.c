/*
 * sigown - a program that sends and handles its own signals, for the
 * tracer tests (btrace must pass each one on unchanged, test_bts_trace)
 * and the oracle layer: SIGUSR2 from kill and raise (btrace's overflow
 * signal), SIGTRAP from int3 and from the trap flag it sets itself,
 * and a SIGSEGV it catches.  Prints what its handlers saw, exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int usr2, trap;

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	usr2++;
}

static void on_trap(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	trap++;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	printf("sigown: segv %d at %p\n", sig, si->si_addr);
	fflush(stdout);
	_exit(0);
}

/*
 * SA_SIGINFO: Linux (and QEMU's user mode, the oracle) build an rt
 * frame only then, and this libc's restorer is rt_sigreturn.
 */
static void handle(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	handle(SIGUSR2, on_usr2);
	handle(SIGTRAP, on_trap);
	handle(SIGSEGV, on_segv);
	kill(getpid(), SIGUSR2);
	raise(SIGUSR2);
	printf("sigown: usr2 %d\n", usr2);
	asm volatile("int3");
	printf("sigown: trap after int3 %d\n", trap);
	/* TF on: a trap after each instruction up to the popf clearing it. */
	asm volatile("pushfl\n\t"
		     "orl $0x100, (%%esp)\n\t"
		     "popfl\n\t"
		     "nop\n\t"
		     "pushfl\n\t"
		     "andl $~0x100, (%%esp)\n\t"
		     "popfl"
		     :
		     :
		     : "memory", "cc");
	printf("sigown: trap after tf %d\n", trap);
	fflush(stdout);
	asm volatile("movl $1, 0" : : : "memory");	/* SIGSEGV */
	return 1;
}
