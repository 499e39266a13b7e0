/*
 * pgrp_rules: setpgid, getpgid, getpgrp, setsid and getsid, each rule
 * with its errno.  The test makes a session of its own first (a child
 * that calls setsid), so it starts from the same place on both systems
 * whatever session it was started in.  Ids are compared, never shown.
 *
 * Run as "NAME wait RFD WFD" the program is a child that has exec'd:
 * it writes a byte on WFD, then waits for end of file on RFD.
 */
#include "conf.h"

static char *self; /* argv[0]: how to exec ourselves */

/* The exec'd child: tell the parent we are here, wait to be let go. */
static int exec_child(char **argv)
{
	int rfd = atoi(argv[2]), wfd = atoi(argv[3]);
	char c;

	write(wfd, "x", 1);
	while (read(rfd, &c, 1) != 0)
		;
	return 0;
}

/* A pid that names nothing: a child that has been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	wait_quiet(pid, 0);
	return pid;
}

/*
 * A child that waits for end of file on @fds[0] (after setsid() if
 * @new_session, after exec if @exec).  Returns once it is ready.
 */
static pid_t start_child(int fds[2], int new_session, int exec)
{
	int ready[2];
	char c, rfd[16], wfd[16];
	pid_t pid;

	pipe(ready);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		close(ready[0]);
		if (new_session)
			setsid();
		if (exec) {
			char *argv[] = { self, "wait", rfd, wfd, NULL };

			snprintf(rfd, sizeof(rfd), "%d", fds[0]);
			snprintf(wfd, sizeof(wfd), "%d", ready[1]);
			execv(self, argv);
			_exit(127);
		}
		write(ready[1], "x", 1);
		while (read(fds[0], &c, 1) != 0)
			;
		_exit(0);
	}
	close(ready[1]);
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	return pid;
}

/* Let the children of @fds go and reap them. */
static void end_children(int fds[2], pid_t *pids, int n)
{
	int i;

	close(fds[1]);
	for (i = 0; i < n; i++)
		wait_say("child", pids[i], 0);
	close(fds[0]);
}

static void queries(void)
{
	pid_t me = getpid(), gone = dead_pid();

	say("getpgrp() is our pid: %s", yes(getpgrp() == me));
	say("getpgid(0) is our pid: %s", yes(getpgid(0) == me));
	say("getpgid(self) is our pid: %s", yes(getpgid(me) == me));
	say("getsid(0) is our pid: %s", yes(getsid(0) == me));
	TRY("getpgid(reaped pid)", getpgid(gone));
	TRY("getsid(reaped pid)", getsid(gone));
	/*
	 * Compared with our own session, never with a positive id: in a
	 * pid namespace (a container) Linux reports 0 for a session whose
	 * leader lives outside it.
	 */
	say("getsid(parent) is another session: %s",
	    yes(getsid(getppid()) >= 0 && getsid(getppid()) != getsid(0)));
}

static void session_rules(void)
{
	int fds[2];
	pid_t kids[3];

	TRY("setsid() as session leader", setsid());
	TRY("setpgid(0, 0) as session leader", setpgid(0, 0));
	pipe(fds);
	kids[0] = start_child(fds, 1, 0);
	say("child after setsid: its own session: %s, its own group: %s",
	    yes(getsid(kids[0]) == kids[0]), yes(getpgid(kids[0]) == kids[0]));
	TRY("setpgid(child in another session, 0)", setpgid(kids[0], 0));
	kids[1] = start_child(fds, 1, 1);
	TRY("setpgid(exec'd child in another session, 0)", setpgid(kids[1], 0));
	kids[2] = start_child(fds, 0, 0);
	TRY("setpgid(child, group of another session)",
	    setpgid(kids[2], kids[0]));
	say("child still in our group: %s", yes(getpgid(kids[2]) == getpid()));
	end_children(fds, kids, 3);
}

static void setpgid_rules(void)
{
	pid_t me = getpid(), gone = dead_pid(), kids[2];
	int fds[2];

	pipe(fds);
	kids[0] = start_child(fds, 0, 0);
	say("a child starts in our group and session: %s",
	    yes(getpgid(kids[0]) == me && getsid(kids[0]) == me));
	TRY("setpgid(child, -1)", setpgid(kids[0], -1));
	TRY("setpgid(reaped pid, 0)", setpgid(gone, 0));
	TRY("setpgid(parent, 0)", setpgid(getppid(), 0));
	TRY("setpgid(child, reaped pid)", setpgid(kids[0], gone));
	TRY("setpgid(child, 0)", setpgid(kids[0], 0));
	say("child leads its group: %s", yes(getpgid(kids[0]) == kids[0]));
	TRY("setpgid(child, child) again", setpgid(kids[0], kids[0]));
	TRY("setpgid(child, our group)", setpgid(kids[0], me));
	say("child back in our group: %s", yes(getpgid(kids[0]) == me));
	kids[1] = start_child(fds, 0, 1);
	TRY("setpgid(exec'd child, 0)", setpgid(kids[1], 0));
	say("exec'd child still in our group: %s", yes(getpgid(kids[1]) == me));
	end_children(fds, kids, 2);
}

/* setsid fails while a group has our id, even if we left it. */
static void setsid_rules(void)
{
	int fds[2], go[2];
	pid_t child, grandchild;
	char c;

	pipe(fds);
	child = fork();
	if (child == 0) {
		pid_t group = getpgrp();

		TRY("in a child: setpgid(0, 0)", setpgid(0, 0));
		TRY("in a child: setsid() as a group leader", setsid());
		pipe(go);
		grandchild = fork();
		if (grandchild == 0) {
			close(go[1]);
			read(go[0], &c, 1);
			_exit(0);
		}
		close(go[0]);
		TRY("in a child: back to the old group", setpgid(0, group));
		TRY("in a child: setsid() while our group lives on", setsid());
		close(go[1]);
		wait_quiet(grandchild, 0);
		TRY("in a child: setsid() once it is gone",
		    setsid() == getpid());
		say("in a child: our own session and group: %s",
		    yes(getsid(0) == getpid() && getpgrp() == getpid()));
		_exit(0);
	}
	wait_say("child", child, 0);
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	pid_t leader;

	if (argc == 4 && strcmp(argv[1], "wait") == 0)
		return exec_child(argv);
	self = argv[0];
	conf_init();
	leader = fork();
	if (leader == 0) {
		TRY("setsid() is our pid", setsid() == getpid());
		queries();
		session_rules();
		setpgid_rules();
		setsid_rules();
		_exit(0);
	}
	wait_say("session leader", leader, 0);
	return 0;
}
