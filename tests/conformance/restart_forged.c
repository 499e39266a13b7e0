/*
 * restart_forged: -ERESTARTSYS and -ERESTARTNOHAND mean "run the call
 * again" only when they end a real system call.  A value forged into a
 * signal frame (sigreturn is not a restartable call) or poked by a
 * tracer together with orig_eax = -1 goes to user space as it is; a
 * tracer that pokes it with the call number intact gets the call run
 * again.  Before this was fixed, Spoor spun in the kernel forever.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "conf.h"

#define ERESTARTSYS	512
#define ERESTARTNOHAND	514

#if defined(__x86_64__)
#include <ucontext.h>
#define NR_OFFSET	offsetof(struct user, regs.orig_rax)
#define RESULT_OFFSET	offsetof(struct user, regs.rax)
#define FRAME_RESULT(uc) (((ucontext_t *)(uc))->uc_mcontext.gregs[REG_RAX])
#elif defined(__i386__)
#define NR_OFFSET	offsetof(struct user, regs.orig_eax)
#define RESULT_OFFSET	offsetof(struct user, regs.eax)
/* Linux i386 ucontext: uc_flags, uc_link, uc_stack (12 bytes), then
 * struct sigcontext, whose twelfth word is eax. */
#define FRAME_RESULT(uc) (((long *)((char *)(uc) + 20))[11])
#else
#error "say where this architecture keeps the system call result"
#endif

#define ARG(v)		((void *)(long)(v))

static long forged;

/*
 * wait_quiet(@pid), but a child that has not changed state within five
 * seconds (one spinning in the kernel) is killed: "signaled 9" then.
 */
static int wait_bounded(pid_t pid)
{
	int st, ms;

	for (ms = 0; ms < 5000; ms += 10) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	return wait_quiet(pid, 0);
}

static void forge(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	FRAME_RESULT(uc) = forged;
}

/* In a child: kill(self) returns into a handler that forges @value. */
static void sigreturn_case(const char *what, long value)
{
	struct sigaction sa;
	pid_t pid = fork();

	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = forge;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		forged = value;
		TRY("  kill(self, SIGUSR1) returns",
		    syscall(SYS_kill, getpid(), SIGUSR1));
		_exit(0);
	}
	say("%s: %s", what, status_str(wait_bounded(pid)));
}

/*
 * A traced child calls getppid(); at the exit stop the tracer pokes
 * @value into the result and, with @clear_nr, -1 into orig_eax.
 */
static void poke_case(const char *what, long value, int clear_nr)
{
	pid_t pid = fork(), ppid = getpid();
	int st, stops = 0;
	long r;

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		errno = 0;
		r = syscall(SYS_getppid);
		if (r == ppid)
			say("  getppid: the parent's pid");
		else
			say_result("  getppid", r, errno);
		_exit(0);
	}
	wait_quiet(pid, 0);			/* its SIGSTOP */
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	for (;;) {
		st = wait_bounded(pid);
		if (st == -1 || !WIFSTOPPED(st))
			break;
		stops++;
		if (stops == 2) {		/* getppid's exit stop */
			if (clear_nr)
				ptrace(PTRACE_POKEUSER, pid, ARG(NR_OFFSET),
				       ARG(-1));
			ptrace(PTRACE_POKEUSER, pid, ARG(RESULT_OFFSET),
			       ARG(value));
			ptrace(PTRACE_CONT, pid, NULL, NULL);
			continue;
		}
		ptrace(stops < 2 ? PTRACE_SYSCALL : PTRACE_CONT, pid, NULL,
		       NULL);
	}
	say("%s: %s", what, st == -1 ? "lost" : status_str(st));
}

int main(void)
{
	conf_init();
	sigreturn_case("sigreturn with -ERESTARTSYS", -ERESTARTSYS);
	sigreturn_case("sigreturn with -ERESTARTNOHAND", -ERESTARTNOHAND);
	sigreturn_case("sigreturn with -EINTR", -EINTR);
	poke_case("tracer pokes -ERESTARTSYS, orig -1", -ERESTARTSYS, 1);
	poke_case("tracer pokes -ERESTARTNOHAND, orig -1", -ERESTARTNOHAND, 1);
	poke_case("tracer pokes -ERESTARTSYS, orig kept", -ERESTARTSYS, 0);
	return 0;
}
