/*
 * fork_wait: fork's two returns, exit codes through wait, which child a
 * wait picks, WNOHANG, ECHILD for what is not (or no longer) a child,
 * bad options, vfork, wait4, and a hundred children reaped exactly.
 */
#include "conf.h"

/* Fork a child that exits with @code once a byte arrives on its pipe. */
static pid_t gated_child(int *gate, int code)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 1 ? code : 99);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
}

static void fork_returns(void)
{
	pid_t parent = getpid(), pid, seen[2] = { 0, 0 };
	int fds[2];

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		seen[0] = getpid();
		seen[1] = getppid();
		write(fds[1], seen, sizeof(seen));
		_exit(0);
	}
	read(fds[0], seen, sizeof(seen));
	close(fds[0]);
	close(fds[1]);
	say("fork returned the child's pid: %s",
	    yes(pid > 0 && seen[0] == pid));
	say("child's parent is us: %s", yes(seen[1] == parent));
	say("child's pid differs from ours: %s", yes(pid != parent));
	say("wait returned the child: %s", yes(wait(NULL) == pid));
}

static void exit_codes(void)
{
	static const int codes[] = { 0, 1, 2, 42, 127, 128, 255, 256, 257, -1 };
	char what[32];
	unsigned int i;
	pid_t pid;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		snprintf(what, sizeof(what), "_exit(%d)", codes[i]);
		wait_say(what, pid, 0);
	}
	pid = fork();
	if (pid == 0)
		exit(3);
	wait_say("exit(3)", pid, 0);
}

/* Children released in a chosen order are reaped in that order. */
static void wait_order(void)
{
	static const int order[3] = { 2, 0, 1 };
	int gates[3], st, i, k;
	pid_t pids[3], got;

	for (i = 0; i < 3; i++)
		pids[i] = gated_child(&gates[i], 10 + i);
	for (i = 0; i < 3; i++) {
		k = order[i];
		write(gates[k], "x", 1);
		close(gates[k]);
		got = wait(&st);
		say("released child %d, wait got child %d: %s", k,
		    got == pids[0] ? 0 :
		    got == pids[1] ? 1 :
		    got == pids[2] ? 2 :
				     -1,
		    status_str(st));
	}
	TRY("wait with no children left", wait(&st));
}

/* waitpid(pid) waits for that child even when another has exited. */
static void waitpid_specific(void)
{
	int gate, st;
	pid_t slow, quick;

	slow = gated_child(&gate, 1);
	quick = fork();
	if (quick == 0)
		_exit(2);
	sleep_ms(30);
	TRY("waitpid(slow, WNOHANG) with quick exited",
	    waitpid(slow, &st, WNOHANG));
	write(gate, "x", 1);
	close(gate);
	wait_say("waitpid(slow)", slow, 0);
	wait_say("waitpid(quick)", quick, 0);
}

static void wnohang_and_echild(void)
{
	int gate, st;
	pid_t pid, gc = 0;
	int fds[2];

	TRY("wait, no children", wait(&st));
	TRY("waitpid(-1, WNOHANG), no children", waitpid(-1, &st, WNOHANG));
	pid = gated_child(&gate, 4);
	TRY("waitpid(child, WNOHANG), running", waitpid(pid, &st, WNOHANG));
	TRY("waitpid(-1, WNOHANG), running", waitpid(-1, &st, WNOHANG));
	TRY("waitpid(child, 0x100)", waitpid(pid, &st, 0x100));
	TRY("waitpid(self)", waitpid(getpid(), &st, 0));
	TRY("waitpid(parent)", waitpid(getppid(), &st, 0));
	write(gate, "x", 1);
	close(gate);
	wait_say("waitpid(child)", pid, 0);
	TRY("waitpid(reaped child)", waitpid(pid, &st, 0));

	/* A grandchild is not ours. */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			sleep_ms(100);
			_exit(0);
		}
		write(fds[1], &g, sizeof(g));
		waitpid(g, NULL, 0);
		_exit(0);
	}
	read(fds[0], &gc, sizeof(gc));
	close(fds[0]);
	close(fds[1]);
	TRY("waitpid(grandchild)", waitpid(gc, &st, 0));
	wait_say("waitpid(middle child)", pid, 0);
}

static void vfork_and_wait4(void)
{
	int st = 0;
	pid_t pid;

	pid = vfork();
	if (pid == 0)
		_exit(7);
	wait_say("vfork child", pid, 0);
	pid = fork();
	if (pid == 0)
		_exit(9);
	say("wait4 returned the child: %s",
	    yes(wait4(pid, &st, 0, NULL) == pid));
	say("wait4 status: %s", status_str(st));
	pid = fork();
	if (pid == 0)
		_exit(8);
	say("waitpid with NULL status returned the child: %s",
	    yes(waitpid(pid, NULL, 0) == pid));
}

/* A hundred children, all reaped, each status right, then ECHILD. */
static void hundred_children(void)
{
	pid_t pids[100], got;
	int i, st, reaped = 0, right = 0;

	for (i = 0; i < 100; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i);
	}
	while ((got = wait(&st)) > 0) {
		reaped++;
		for (i = 0; i < 100; i++)
			if (pids[i] == got && st == i << 8)
				right++;
	}
	say("reaped %d children, %d with the right status", reaped, right);
	TRY("then wait", wait(&st));
}

int main(void)
{
	conf_init();
	fork_returns();
	exit_codes();
	wait_order();
	waitpid_specific();
	wnohang_and_echild();
	vfork_and_wait4();
	hundred_children();
	return 0;
}
