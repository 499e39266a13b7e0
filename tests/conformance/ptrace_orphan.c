/*
 * ptrace_orphan: a tracee that its tracer detached while it was in a
 * group stop stays stopped (PTRACE_DETACH with signal 0 does not
 * continue it).  When its parent, the tracer, then exits, its process
 * group is orphaned with a stopped member: SIGHUP and SIGCONT free it.
 * Without the orphaned-group rule it would stay stopped for good.  The
 * same when the tracer exits without detaching: its exit lets go of T,
 * still in the group stop.
 *
 * T reports what it saw as hupcont.h says; everything runs in a session
 * of the test's own.
 */
#include <sys/ptrace.h>

#include "hupcont.h"

#define ARG(v) ((void *)(long)(v))

/* The tracee: in a group of its own, waiting in pause for signals. */
static void tracee(int ready)
{
	setpgid(0, 0);
	catch_hup_cont();
	write(ready, "r", 1);
	while (!seen[0])
		pause();
	sleep_ms(50); /* the second handler, if another comes */
	report(rep[1]);
}

/*
 * The tracer P, parent of T: attach, turn the attach stop into a group
 * stop, detach leaving T stopped (or, if !@detach, keep it traced),
 * send T's pid on @pids, then exit.
 */
static void tracer(int pids, int detach)
{
	int ready[2], st;
	pid_t t;
	char c;

	pipe(ready);
	t = fork();
	if (t == 0)
		tracee(ready[1]);
	setpgid(t, t);
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	TRY("PTRACE_ATTACH", ptrace(PTRACE_ATTACH, t, NULL, NULL));
	wait_say("attach stop", t, 0);
	TRY("PTRACE_CONT with SIGSTOP",
	    ptrace(PTRACE_CONT, t, NULL, ARG(SIGSTOP)));
	wait_say("group stop", t, 0);
	if (!detach) {
		write(pids, &t, sizeof(t));
		_exit(0); /* our exit detaches T, in its stop */
	}
	TRY("PTRACE_DETACH with signal 0",
	    ptrace(PTRACE_DETACH, t, NULL, ARG(0)));
	sleep_ms(200);
	TRY("detached, still stopped: waitpid(WNOHANG)",
	    waitpid(t, &st, WNOHANG));
	wait_say("detached, waitpid(WUNTRACED|WNOHANG)", t,
		 WUNTRACED | WNOHANG);
	write(pids, &t, sizeof(t));
	_exit(0);
}

/* In our own session: tracer P, tracee T, then P's exit. */
static void orphaned_tracee(int detach)
{
	int pids[2];
	pid_t p, t;

	pipe(pids);
	p = fork();
	if (p == 0)
		tracer(pids[1], detach);
	t = read_pid(pids[0]);
	wait_say("the tracer, T's parent", p, 0);
	first_report(detach ? "the detached tracee got" :
			      "the tracee of a dead tracer got",
		     WATCHDOG_MS);
	kill(t, SIGKILL); /* if it is still stopped */
	close(pids[0]);
	close(pids[1]);
}

static void cases(void)
{
	orphaned_tracee(1);
	orphaned_tracee(0);
}

int main(void)
{
	return run_in_new_session(cases);
}
