/*
 * ptrace_attach: who may trace whom, and the stop attaching makes.
 * TRACEME twice, ATTACH to ourselves, to a pid nobody has, to a zombie,
 * to a task already traced; ATTACH's SIGSTOP as wait reports it (once,
 * without WUNTRACED); DETACH, with and without a signal; requests on a
 * task that is not our tracee or not stopped (ESRCH), a request nobody
 * defined (EIO), a restart with a bad signal (EIO).
 */
#include <sys/ptrace.h>

#include "conf.h"

/* A child blocked reading @fds[0] until a byte or EOF, then exit 0. */
static pid_t gated_child(int fds[2])
{
	pid_t pid;
	char c;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	return pid;
}

/* The result of a call, as the child saw it, sent to the parent. */
struct result {
	long r;
	int e;
};

static void traceme_twice(void)
{
	struct result res[2];
	int fds[2];
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		errno = 0;
		res[0].r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		res[0].e = errno;
		errno = 0;
		res[1].r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		res[1].e = errno;
		write(fds[1], res, sizeof(res));
		_exit(0);
	}
	close(fds[1]);
	read(fds[0], res, sizeof(res));
	close(fds[0]);
	say_result("TRACEME", res[0].r, res[0].e);
	say_result("TRACEME again", res[1].r, res[1].e);
	wait_say("traced child", pid, 0);
}

static void nobody_to_trace(void)
{
	int fds[2];
	pid_t pid;
	char c;

	TRY("ATTACH self", ptrace(PTRACE_ATTACH, getpid(), NULL, NULL));
	TRY("DETACH self", ptrace(PTRACE_DETACH, getpid(), NULL, NULL));
	TRY("ATTACH pid -1", ptrace(PTRACE_ATTACH, -1, NULL, NULL));

	pid = fork();
	if (pid == 0)
		_exit(0);
	wait_say("short-lived child", pid, 0);
	TRY("ATTACH its pid", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	TRY("PEEKDATA its pid", ptrace(PTRACE_PEEKDATA, pid, &c, NULL));

	/* A zombie: its pipe end closes as it exits. */
	pipe(fds);
	pid = fork();
	if (pid == 0)
		_exit(3);
	close(fds[1]);
	read(fds[0], &c, 1);
	close(fds[0]);
	sleep_ms(100);
	TRY("ATTACH a zombie", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	wait_say("zombie", pid, 0);
}

static void attach_detach(void)
{
	siginfo_t si;
	int gate[2], st;
	pid_t pid;

	pid = gated_child(gate);
	TRY("ATTACH child", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	wait_say("after ATTACH, waitpid(0)", pid, 0);
	TRY("again, WNOHANG", waitpid(pid, &st, WNOHANG));
	TRY("ATTACH it again", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	memset(&si, 0, sizeof(si));
	TRY("GETSIGINFO", ptrace(PTRACE_GETSIGINFO, pid, NULL, &si));
	say("  si_signo is SIGSTOP: %s", yes(si.si_signo == SIGSTOP));
	TRY("unknown request 0x7777", ptrace(0x7777, pid, NULL, NULL));
	TRY("CONT with signal 65",
	    ptrace(PTRACE_CONT, pid, NULL, (void *)(long)65));
	TRY("DETACH", ptrace(PTRACE_DETACH, pid, NULL, NULL));
	TRY("DETACH again", ptrace(PTRACE_DETACH, pid, NULL, NULL));
	close(gate[1]);
	wait_say("released", pid, 0);
	TRY("waitpid again", waitpid(pid, &st, 0));

	pid = gated_child(gate);
	ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	wait_quiet(pid, 0);
	TRY("DETACH with SIGUSR1",
	    ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)SIGUSR1));
	wait_say("after DETACH with SIGUSR1", pid, 0);
	close(gate[1]);
}

static void not_a_stopped_tracee(void)
{
	int gate[2];
	long word = 0;
	pid_t pid;

	pid = gated_child(gate);
	TRY("PEEKDATA untraced child",
	    ptrace(PTRACE_PEEKDATA, pid, &word, NULL));
	TRY("CONT untraced child", ptrace(PTRACE_CONT, pid, NULL, NULL));
	TRY("unknown request, untraced child", ptrace(0x7777, pid, NULL, NULL));
	ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	wait_quiet(pid, 0);
	TRY("CONT", ptrace(PTRACE_CONT, pid, NULL, NULL));
	TRY("PEEKDATA running tracee",
	    ptrace(PTRACE_PEEKDATA, pid, &word, NULL));
	TRY("PEEKUSER running tracee",
	    ptrace(PTRACE_PEEKUSER, pid, NULL, NULL));
	TRY("CONT running tracee", ptrace(PTRACE_CONT, pid, NULL, NULL));
	TRY("DETACH running tracee", ptrace(PTRACE_DETACH, pid, NULL, NULL));
	close(gate[1]);
	wait_say("running tracee released", pid, 0);
}

int main(void)
{
	conf_init();
	traceme_twice();
	nobody_to_trace();
	attach_detach();
	not_a_stopped_tracee();
	return 0;
}
