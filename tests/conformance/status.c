/*
 * status: how a child's death by signal reads through wait, in the
 * Linux encoding; ignored and caught signals do not kill; a handler
 * may exit with its own code.
 */
#include "conf.h"

static void exit_9(int sig)
{
	(void)sig;
	_exit(9);
}

/* Fork a child that says it is ready, then sleeps until killed. */
static pid_t ready_child(int ignore_sig, void (*handler)(int), int sig)
{
	int fds[2];
	pid_t pid;
	char c;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		if (ignore_sig)
			set_handler(ignore_sig, SIG_IGN, 0);
		if (handler)
			set_handler(sig, handler, 0);
		write(fds[1], "r", 1);
		pause_forever();
	}
	read(fds[0], &c, 1);
	close(fds[0]);
	close(fds[1]);
	return pid;
}

static void killed_by(void)
{
	static const int sigs[] = { SIGHUP,  SIGINT,  SIGKILL, SIGUSR1,
				    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM };
	char what[40];
	unsigned int i;
	pid_t pid;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid = ready_child(0, NULL, 0);
		kill(pid, sigs[i]);
		snprintf(what, sizeof(what), "killed by signal %d", sigs[i]);
		wait_say(what, pid, 0);
	}
}

static void self_kill(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(1);	/* not reached */
	}
	wait_say("kill(getpid(), SIGTERM)", pid, 0);
}

/* An ignored SIGTERM does nothing; SIGKILL still works. */
static void ignored_and_caught(void)
{
	int st;
	pid_t pid;

	pid = ready_child(SIGTERM, NULL, 0);
	kill(pid, SIGTERM);
	sleep_ms(50);
	TRY("ignored SIGTERM: waitpid WNOHANG", waitpid(pid, &st, WNOHANG));
	kill(pid, SIGKILL);
	wait_say("then SIGKILL", pid, 0);

	pid = ready_child(0, exit_9, SIGUSR1);
	kill(pid, SIGUSR1);
	wait_say("SIGUSR1 caught by a handler that exits 9", pid, 0);

	pid = ready_child(0, exit_9, SIGTERM);
	kill(pid, SIGKILL);
	wait_say("SIGKILL with a SIGTERM handler", pid, 0);
}

int main(void)
{
	conf_init();
	killed_by();
	self_kill();
	ignored_and_caught();
	return 0;
}
