/*
 * ptrace_tracer_exit: what a tracer's death does to its tracee.  Killed
 * or exiting, with the tracee stopped, running or in a system call
 * stop, it leaves the tracee untraced and running (any pending stop
 * signal dropped); with PTRACE_O_EXITKILL the tracee dies of SIGKILL.
 * A traced child's exit goes to its tracer first; its real parent gets
 * it after the tracer reaped it, or once the tracer is gone: a real
 * parent already blocked in waitpid is woken then, and one that ignores
 * SIGCHLD finds the zombie reaped (ECHILD).
 */
#include <sys/ptrace.h>

#include "conf.h"

#define ARG(v)	((void *)(long)(v))

enum leave {
	STOPPED,
	RUNNING,
	IN_SYSCALL,
	RUNNING_EXITKILL,
	STOPPED_EXITKILL,
};

static const char *const leave_names[] = {
	[STOPPED] = "stopped",
	[RUNNING] = "running",
	[IN_SYSCALL] = "in a system call stop",
	[RUNNING_EXITKILL] = "running, EXITKILL",
	[STOPPED_EXITKILL] = "stopped, EXITKILL",
};

/* The tracee, x: 'w' on cmd writes 'w' on rep, 'q' exits 7. */
static int cmd[2], rep[2], ready[2], go[2];

static void serve(void)
{
	ssize_t r;
	char c;

	close(cmd[1]);
	close(rep[0]);
	for (;;) {
		r = read(cmd[0], &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			_exit(8);
		if (c == 'w')
			write(rep[1], "w", 1);
		if (c == 'q')
			_exit(7);
	}
}

/* The tracer: attach x, leave it as told, say 'r', wait for 'g' or death. */
static void tracer(pid_t x, enum leave how, int reap)
{
	long options = 0;
	int st;
	char c;

	close(ready[0]);
	close(go[1]);
	if (ptrace(PTRACE_ATTACH, x, NULL, NULL) < 0)
		goto fail;
	wait_quiet(x, 0);
	if (how == RUNNING_EXITKILL || how == STOPPED_EXITKILL)
		options = PTRACE_O_EXITKILL;
	if (how == IN_SYSCALL)
		options = PTRACE_O_TRACESYSGOOD;
	if (ptrace(PTRACE_SETOPTIONS, x, NULL, ARG(options)) < 0)
		goto fail;
	if (how == RUNNING || how == RUNNING_EXITKILL)
		ptrace(PTRACE_CONT, x, NULL, NULL);
	if (how == IN_SYSCALL) {
		ptrace(PTRACE_SYSCALL, x, NULL, NULL);
		st = wait_quiet(x, 0);
		if (st == -1 || !WIFSTOPPED(st) ||
		    WSTOPSIG(st) != (SIGTRAP | 0x80))
			goto fail;
	}
	write(ready[1], "r", 1);
	while (read(go[0], &c, 1) < 0 && errno == EINTR)
		;
	if (reap) {
		st = wait_quiet(x, 0);
		write(ready[1], &st, sizeof(st));
	}
	sleep_ms(100);		/* the real parent is in waitpid by now */
	_exit(0);
fail:
	write(ready[1], "f", 1);
	_exit(1);
}

/*
 * Fork x and its tracer; 1 once the tracer said it is ready.  With
 * @orphan the tracer is not our child: a middle process forks it and
 * exits at once (reaped here), so only x's own fate can wake us.
 */
static int start(pid_t *x, pid_t *tr, enum leave how, int reap, int orphan)
{
	char c = 0;

	pipe(cmd);
	pipe(rep);
	pipe(ready);
	pipe(go);
	*x = fork();
	if (*x == 0) {
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);
		serve();
	}
	*tr = fork();
	if (*tr == 0) {
		close(cmd[0]);
		close(cmd[1]);
		close(rep[0]);
		close(rep[1]);
		if (orphan && fork() != 0)
			_exit(0);
		tracer(*x, how, reap);
	}
	if (orphan)
		wait_quiet(*tr, 0);
	close(cmd[0]);
	close(rep[1]);
	close(ready[1]);
	close(go[0]);
	read(ready[0], &c, 1);
	return c == 'r';
}

static void finish(void)
{
	close(cmd[1]);
	close(rep[0]);
	close(ready[0]);
	close(go[1]);
}

/* The tracer dies (@killed: SIGKILL, else it exits) leaving x as @how. */
static void tracer_dies(enum leave how, int killed)
{
	char what[96], c = 0;
	pid_t x, tr;
	int st;

	snprintf(what, sizeof(what), "tracer %s, tracee %s",
		 killed ? "killed" : "exits", leave_names[how]);
	say("%s:", what);
	say("  tracer ready: %s", yes(start(&x, &tr, how, 0, 0)));
	if (killed)
		kill(tr, SIGKILL);
	else
		write(go[1], "g", 1);
	wait_say("  tracer", tr, 0);
	if (how == RUNNING_EXITKILL || how == STOPPED_EXITKILL) {
		wait_say("  tracee", x, 0);
		finish();
		return;
	}
	TRY("  tracee, WNOHANG|WUNTRACED",
	    waitpid(x, &st, WNOHANG | WUNTRACED));
	TRY("  ATTACH it ourselves", ptrace(PTRACE_ATTACH, x, NULL, NULL));
	wait_say("  our attach stop", x, 0);
	TRY("  DETACH", ptrace(PTRACE_DETACH, x, NULL, NULL));
	write(cmd[1], "wq", 2);
	wait_say("  tracee", x, 0);
	say("  it answered: %s", yes(read(rep[0], &c, 1) == 1 && c == 'w'));
	finish();
}

/* x exits while traced: who hears of it, in which order. */
static void exit_order(int reap)
{
	pid_t x, tr;
	int st = -1, seen = -1;

	say("traced child exits, tracer %s:",
	    reap ? "reaps it" : "exits without reaping");
	say("  tracer ready: %s", yes(start(&x, &tr, RUNNING, reap, 0)));
	write(cmd[1], "q", 1);
	sleep_ms(100);
	TRY("  real parent, WNOHANG", waitpid(x, &st, WNOHANG));
	write(go[1], "g", 1);
	if (reap) {
		read(ready[0], &seen, sizeof(seen));
		say("  the tracer saw: %s", status_str(seen));
	}
	wait_say("  tracer", tr, 0);
	wait_say("  real parent", x, 0);
	TRY("  real parent again", waitpid(x, &st, WNOHANG));
	finish();
}

static void on_watchdog(int sig)
{
	(void)sig;
}

/*
 * A child that signals us (SIGUSR1, no SA_RESTART: a blocked waitpid
 * fails with EINTR) if we are still waiting five seconds from now.
 */
static pid_t start_watchdog(void)
{
	pid_t parent = getpid(), pid;

	set_handler(SIGUSR1, on_watchdog, 0);
	pid = fork();
	if (pid == 0) {
		sleep_ms(5000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	return pid;
}

static void stop_watchdog(pid_t pid)
{
	kill(pid, SIGKILL);
	wait_quiet(pid, 0);
	set_handler(SIGUSR1, SIG_DFL, 0);
}

/*
 * x exits while traced; its real parent (@ignoring SIGCHLD or not) is
 * blocked in waitpid when the tracer exits without reaping it.
 */
static void blocked_real_parent(int ignoring)
{
	pid_t x, tr, dog;
	int st = -1;
	long r;

	say("real parent blocked in waitpid%s, tracer (not our child) exits:",
	    ignoring ? ", SIGCHLD ignored" : "");
	say("  tracer ready: %s", yes(start(&x, &tr, RUNNING, 0, 1)));
	write(cmd[1], "q", 1);
	sleep_ms(100);
	dog = start_watchdog();
	if (ignoring)
		set_handler(SIGCHLD, SIG_IGN, 0);
	write(go[1], "g", 1);
	errno = 0;
	r = waitpid(x, &st, 0);
	if (r == x)
		say("  real parent: %s", status_str(st));
	else
		say_result("  real parent", r, errno);
	set_handler(SIGCHLD, SIG_DFL, 0);
	stop_watchdog(dog);
	TRY("  real parent again", waitpid(x, &st, WNOHANG));
	finish();
}

int main(void)
{
	conf_init();
	tracer_dies(STOPPED, 1);
	tracer_dies(RUNNING, 1);
	tracer_dies(IN_SYSCALL, 1);
	tracer_dies(STOPPED, 0);
	tracer_dies(IN_SYSCALL, 0);
	tracer_dies(RUNNING_EXITKILL, 1);
	tracer_dies(STOPPED_EXITKILL, 0);
	exit_order(1);
	exit_order(0);
	blocked_real_parent(0);
	blocked_real_parent(1);
	return 0;
}
