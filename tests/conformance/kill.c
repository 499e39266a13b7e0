/*
 * kill: signal 0 probes, invalid signal numbers (EINVAL), pids that do
 * not exist (ESRCH), and a zombie, which still exists until reaped.
 */
#include "conf.h"

static int chld_pipe[2];

/* The self-pipe trick: a byte per SIGCHLD, read where it is safe. */
static void note_chld(int sig)
{
	(void)sig;
	write(chld_pipe[1], "c", 1);
}

int main(void)
{
	int fds[2], st;
	pid_t pid;
	char c;

	conf_init();
	TRY("kill(self, 0)", kill(getpid(), 0));
	TRY("kill(self, -1)", kill(getpid(), -1));
	TRY("kill(self, 65)", kill(getpid(), 65));
	TRY("kill(self, 1000)", kill(getpid(), 1000));

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	TRY("kill(child, 0)", kill(pid, 0));
	TRY("kill(child, 65)", kill(pid, 65));

	/* Once the child exits (SIGCHLD tells us), it is a zombie. */
	pipe(chld_pipe);
	set_handler(SIGCHLD, note_chld, 0);
	close(fds[1]);
	while (read(chld_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	TRY("kill(zombie, 0)", kill(pid, 0));
	TRY("kill(zombie, SIGKILL)", kill(pid, SIGKILL));
	wait_say("zombie reaped", pid, 0);
	TRY("kill(reaped, 0)", kill(pid, 0));
	TRY("kill(reaped, SIGTERM)", kill(pid, SIGTERM));
	set_handler(SIGCHLD, SIG_DFL, 0);
	TRY("waitpid after all", waitpid(-1, &st, WNOHANG));
	return 0;
}
