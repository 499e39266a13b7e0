/*
 * pgrp_orphan: POSIX's orphaned process groups.  When a group loses its
 * last member whose parent is in another group of the same session
 * (by that parent's exit, or the member's own), and a member is
 * stopped, every member gets SIGHUP then SIGCONT: no one is left who
 * could continue it.  Nothing is sent while a link remains, while no
 * member is stopped, or when the parent was in another session.
 *
 * Members report what they saw as hupcont.h says.  Everything runs in
 * a session of the test's own.
 */
#include "hupcont.h"

/* A member that runs on; 200 ms after its parent is gone, it reports. */
static void runner(int fd, pid_t parent)
{
	catch_hup_cont();
	while (getppid() == parent)
		sleep_ms(10);
	sleep_ms(200);
	report(fd);
}

/*
 * The middle process P of case @stopped: its child C leads a group of
 * its own, stopped (or running), and P exits: C's group has lost its
 * link.  P sends C's pid on @pids first, then exits when @go reads a
 * byte or end of file.
 */
static void parent_exits(int stopped, int pids, int go)
{
	pid_t c = fork(), me = getpid();
	char b;

	if (c == 0) {
		setpgid(0, 0);
		if (stopped)
			stopper(rep[1]);
		runner(rep[1], me);
	}
	setpgid(c, c);
	if (stopped)
		wait_quiet(c, WUNTRACED);
	write(pids, &c, sizeof(c));
	while (read(go, &b, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/*
 * Open @pids and @go and fork P (parent_exits above); once P has made
 * its child C, *c is C's pid.  Returns P's pid.
 */
static pid_t start_parent(int stopped, int pids[2], int go[2], pid_t *c)
{
	pid_t p;

	pipe(pids);
	pipe(go);
	p = fork();
	if (p == 0)
		parent_exits(stopped, pids[1], go[0]);
	*c = read_pid(pids[0]);
	return p;
}

static void orphaned_by_parent_exit(int stopped)
{
	int pids[2], go[2];
	pid_t p, c;

	p = start_parent(stopped, pids, go, &c);
	write(go[1], "g", 1);
	wait_say("its parent", p, 0);
	first_report(stopped ? "the stopped member got" :
			       "the running member got",
		     WATCHDOG_MS);
	kill(c, SIGKILL); /* if it is still stopped */
	close(pids[0]);
	close(pids[1]);
	close(go[0]);
	close(go[1]);
}

/*
 * Group G: stopped member C1 (child of P) and running member C2 (our
 * child).  P's exit leaves C2's link to us: nothing is sent.  C2's
 * own exit then orphans G.
 */
static void orphaned_by_last_link_exit(void)
{
	int pids[2], hold[2], go[2];
	pid_t p, c1, c2;
	char c;

	p = start_parent(1, pids, go, &c1);
	pipe(hold); /* after P's fork: only C2 and we have it */
	c2 = fork();
	if (c2 == 0) {
		setpgid(0, c1);
		close(hold[1]);
		read(hold[0], &c, 1);
		_exit(0);
	}
	setpgid(c2, c1);
	write(go[1], "g", 1); /* C2 is in G: now P may go */
	wait_say("the stopped member's parent", p, 0);
	sleep_ms(300);
	write(rep[1], "(a link is left) ", 17);
	first_report("before the last link exits", WATCHDOG_MS);
	close(hold[1]);
	wait_say("the last link", c2, 0);
	first_report("the stopped member got", WATCHDOG_MS);
	kill(c1, SIGKILL);
	close(hold[0]);
	close(pids[0]);
	close(pids[1]);
	close(go[0]);
	close(go[1]);
}

static int chld_pipe[2];

/* The self-pipe trick: a byte per SIGCHLD, read where it is safe. */
static void note_chld(int sig)
{
	(void)sig;
	write(chld_pipe[1], "c", 1);
}

/*
 * Group G: stopped member C1 (child of P) and a zombie C2 (our child,
 * not reaped yet).  A zombie is no link: P's exit orphans G.
 */
static void zombie_is_no_link(void)
{
	int pids[2], go[2];
	pid_t p, c1, c2;
	char c;

	p = start_parent(1, pids, go, &c1);
	pipe(chld_pipe);
	set_handler(SIGCHLD, note_chld, 0);
	c2 = fork();
	if (c2 == 0) {
		setpgid(0, c1);
		_exit(0);
	}
	setpgid(c2, c1);
	while (read(chld_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	set_handler(SIGCHLD, SIG_DFL, 0);
	write(go[1], "g", 1); /* C2 is a zombie in G: now P may go */
	wait_say("the stopped member's parent", p, 0);
	first_report("with a zombie member, the stopped member got",
		     WATCHDOG_MS);
	wait_say("the zombie", c2, 0);
	kill(c1, SIGKILL);
	close(pids[0]);
	close(pids[1]);
	close(go[0]);
	close(go[1]);
	close(chld_pipe[0]);
	close(chld_pipe[1]);
}

/*
 * X makes a session of its own; its child C stops in X's group.  X's
 * exit orphans nothing: its parent (us) is in another session, which
 * never was a link.  We continue C ourselves after a while.
 */
static void parent_in_other_session(void)
{
	int pids[2];
	pid_t x, c;

	pipe(pids);
	x = fork();
	if (x == 0) {
		setsid();
		c = fork();
		if (c == 0)
			stopper(rep[1]);
		wait_quiet(c, WUNTRACED);
		write(pids[1], &c, sizeof(c));
		_exit(0);
	}
	c = read_pid(pids[0]);
	wait_say("the session leader", x, 0);
	sleep_ms(300);
	kill(c, SIGCONT);
	first_report("its stopped child got, after our SIGCONT", WATCHDOG_MS);
	close(pids[0]);
	close(pids[1]);
}

static void cases(void)
{
	orphaned_by_parent_exit(1);
	orphaned_by_parent_exit(0);
	orphaned_by_last_link_exit();
	zombie_is_no_link();
	parent_in_other_session();
}

int main(void)
{
	return run_in_new_session(cases);
}
