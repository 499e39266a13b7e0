/*
 * ptrace_stops: a traced child stops on every signal it gets, whatever
 * the signal's disposition (ignored and default-ignored ones included),
 * except SIGKILL; a blocked signal only once unblocked.  The tracer's
 * restart decides what is delivered: nothing, the same signal, or
 * another.  PTRACE_KILL and SIGKILL end a stopped tracee.
 */
#include <sys/ptrace.h>

#include "conf.h"

#define SIG_ARG(s) ((void *)(long)(s))

static int report_fd = -1;

/* Traced child: TRACEME, then @sig to itself, then exit 0. */
static pid_t traced_raising(int sig)
{
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		kill(getpid(), sig);
		_exit(0);
	}
	return pid;
}

static void every_signal(void)
{
	/* A hand-filled table: the signals in number order. */
	/* clang-format off */
	static const int sigs[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS,
		SIGFPE, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
		SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG,
		SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGSYS,
		SIGKILL, 0,
	};
	/* clang-format on */
	char what[48];
	unsigned int i;
	int st;
	pid_t pid;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid = traced_raising(sigs[i]);
		snprintf(what, sizeof(what), "signal %d", sigs[i]);
		st = wait_say(what, pid, 0);
		if (st != -1 && WIFSTOPPED(st)) {
			ptrace(PTRACE_CONT, pid, NULL, NULL);
			wait_say("  CONT 0", pid, 0);
		}
	}
}

static void on_usr2(int sig)
{
	(void)sig;
	write(report_fd, "h", 1);
}

/* Traced child with a SIGUSR2 handler that writes 'h'; sends itself one. */
static pid_t traced_with_handler(int fds[2])
{
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		report_fd = fds[1];
		/* SA_SIGINFO: the rt frame, on every system alike */
		set_handler(SIGUSR2, on_usr2, SA_SIGINFO);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		kill(getpid(), SIGUSR2);
		_exit(0);
	}
	close(fds[1]);
	return pid;
}

/* Whether the handler wrote, once the child is gone. */
static void say_handler_ran(int fd)
{
	char c = 0;

	say("  handler ran: %s", yes(read(fd, &c, 1) == 1 && c == 'h'));
	close(fd);
}

static void restart_decides(void)
{
	int fds[2];
	pid_t pid;

	pid = traced_with_handler(fds);
	wait_say("SIGUSR2 with a handler", pid, 0);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  CONT 0", pid, 0);
	say_handler_ran(fds[0]);

	pid = traced_with_handler(fds);
	wait_quiet(pid, 0);
	ptrace(PTRACE_CONT, pid, NULL, SIG_ARG(SIGUSR2));
	wait_say("  CONT SIGUSR2", pid, 0);
	say_handler_ran(fds[0]);

	pid = traced_with_handler(fds);
	wait_quiet(pid, 0);
	ptrace(PTRACE_CONT, pid, NULL, SIG_ARG(SIGTERM));
	wait_say("  CONT SIGTERM", pid, 0);
	say_handler_ran(fds[0]);

	pid = traced_with_handler(fds);
	wait_quiet(pid, 0);
	TRY("  PTRACE_KILL", ptrace(PTRACE_KILL, pid, NULL, NULL));
	wait_say("  after PTRACE_KILL", pid, 0);
	say_handler_ran(fds[0]);

	pid = traced_with_handler(fds);
	wait_quiet(pid, 0);
	TRY("  kill SIGKILL", kill(pid, SIGKILL));
	wait_say("  after SIGKILL", pid, 0);
	say_handler_ran(fds[0]);
}

static void ignored_and_blocked(void)
{
	sigset_t set;
	int fds[2];
	pid_t pid;
	char c = 0;

	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		set_handler(SIGUSR1, SIG_IGN, 0);
		kill(getpid(), SIGUSR1);
		_exit(0);
	}
	wait_say("ignored SIGUSR1", pid, 0);
	ptrace(PTRACE_CONT, pid, NULL, SIG_ARG(SIGUSR1));
	wait_say("  CONT SIGUSR1", pid, 0);

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		kill(getpid(), SIGUSR2);
		write(fds[1], "p", 1);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		_exit(0);
	}
	close(fds[1]);
	read(fds[0], &c, 1);
	close(fds[0]);
	say("blocked SIGUSR2: the child went on past kill: %s", yes(c == 'p'));
	wait_say("  once unblocked", pid, 0);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  CONT 0", pid, 0);
}

int main(void)
{
	conf_init();
	every_signal();
	restart_decides();
	ignored_and_blocked();
	return 0;
}
