/*
 * pgrp_kill: kill(0, sig) and kill(-pgid, sig) reach every member of a
 * process group and no one else; waitpid(0) and waitpid(-pgid) wait
 * only for children in the group.  All in a session of the test's own
 * (a child that called setsid), so nothing outside can be hit.
 */
#include <limits.h>

#include "conf.h"

static volatile sig_atomic_t usr1_seen;

static void note_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

/* A child that pauses until a signal ends it, in group @pgrp (0: own). */
static pid_t pausing_child(pid_t pgrp)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, pgrp);
		pause_forever();
	}
	setpgid(pid, pgrp); /* as a shell does: whoever runs first */
	return pid;
}

/* A child that exits with @code once pipe @fds reads end of file. */
static pid_t exiting_child(pid_t pgrp, int fds[2], int code)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		setpgid(0, pgrp);
		close(fds[1]);
		while (read(fds[0], &c, 1) != 0)
			;
		_exit(code);
	}
	setpgid(pid, pgrp);
	return pid;
}

static void kill_group(void)
{
	pid_t a = pausing_child(0), b = pausing_child(a),
	      other = pausing_child(0);
	int st;

	TRY("kill(-group, 0)", kill(-a, 0));
	TRY("kill(-group, SIGTERM)", kill(-a, SIGTERM));
	wait_say("group leader", a, 0);
	wait_say("group member", b, 0);
	TRY("other group untouched, waitpid(WNOHANG)",
	    waitpid(other, &st, WNOHANG));
	TRY("kill(-empty group, SIGTERM)", kill(-a, SIGTERM));
	TRY("kill(-empty group, 0)", kill(-a, 0));
	TRY("kill(INT_MIN, 0)", kill(INT_MIN, 0));
	kill(other, SIGKILL);
	wait_say("other", other, 0);
}

static int chld_pipe[2];

/* The self-pipe trick: a byte per SIGCHLD, read where it is safe. */
static void note_chld(int sig)
{
	(void)sig;
	write(chld_pipe[1], "c", 1);
}

/* A group whose one member is a zombie still exists for kill. */
static void kill_zombie_group(void)
{
	int fds[2];
	pid_t z;
	char c;

	pipe(fds);
	pipe(chld_pipe);
	set_handler(SIGCHLD, note_chld, 0);
	z = exiting_child(0, fds, 3);
	close(fds[0]);
	close(fds[1]);
	while (read(chld_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	set_handler(SIGCHLD, SIG_DFL, 0);
	TRY("kill(-zombie's group, SIGTERM)", kill(-z, SIGTERM));
	wait_say("zombie", z, 0);
	close(chld_pipe[0]);
	close(chld_pipe[1]);
}

static void kill_own_group(void)
{
	pid_t same = pausing_child(getpgrp()), other = pausing_child(0);
	int st;

	set_handler(SIGUSR1, note_usr1, 0);
	TRY("kill(0, SIGUSR1)", kill(0, SIGUSR1));
	say("our handler ran: %s", yes(usr1_seen));
	wait_say("child in our group", same, 0);
	TRY("child in another group, waitpid(WNOHANG)",
	    waitpid(other, &st, WNOHANG));
	kill(other, SIGKILL);
	wait_say("other", other, 0);
	set_handler(SIGUSR1, SIG_DFL, 0);
}

static void wait_group(void)
{
	int fds[2], st;
	pid_t g, member, outsider, ours, got;

	pipe(fds);
	g = exiting_child(0, fds, 1);
	member = exiting_child(g, fds, 2);
	outsider = exiting_child(0, fds, 3);
	ours = exiting_child(getpgrp(), fds, 4);
	close(fds[0]);
	close(fds[1]); /* all four exit now */
	sleep_ms(100);
	got = waitpid(-g, &st, 0);
	say("waitpid(-group) gets a member: %s",
	    yes(got == g || got == member));
	got = waitpid(-g, &st, 0);
	say("and the other: %s", yes(got == g || got == member));
	TRY("waitpid(-group, WNOHANG) with none left",
	    waitpid(-g, &st, WNOHANG));
	say("waitpid(0) gets the child in our group: %s",
	    yes(waitpid(0, &st, 0) == ours));
	say("its status: %s", status_str(st));
	TRY("waitpid(0, WNOHANG) with none left", waitpid(0, &st, WNOHANG));
	say("waitpid(-1) gets the outsider: %s",
	    yes(waitpid(-1, &st, 0) == outsider));
	TRY("waitpid(INT_MIN)", waitpid(INT_MIN, &st, 0));
}

int main(void)
{
	pid_t leader;

	conf_init();
	leader = fork();
	if (leader == 0) {
		setsid();
		kill_group();
		kill_zombie_group();
		kill_own_group();
		wait_group();
		_exit(0);
	}
	wait_say("session leader", leader, 0);
	return 0;
}
