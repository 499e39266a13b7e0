/*
 * sigchld: the parent hears of its child's exit, stop and continue by
 * SIGCHLD, except stops and continues under SA_NOCLDSTOP; a parent that
 * ignores SIGCHLD (or sets SA_NOCLDWAIT) gets no zombies, and its wait
 * sleeps until the children have gone, then fails with ECHILD.
 */
#include "conf.h"

static volatile int chld;

static void count_chld(int sig)
{
	(void)sig;
	chld++;
}

/* Poll up to 2 s for the SIGCHLD count to reach @n; did it? */
static int chld_reaches(int n)
{
	int ms;

	for (ms = 0; ms < 2000 && chld < n; ms += 10)
		sleep_ms(10);
	return chld >= n;
}

static pid_t pausing_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		pause_forever();
	return pid;
}

static void stop_continue_kill(pid_t pid)
{
	kill(pid, SIGSTOP);
	wait_say("stopped", pid, WUNTRACED);
	say("SIGCHLD for the stop: %s", yes(chld_reaches(1)));
	kill(pid, SIGCONT);
	wait_say("continued", pid, WCONTINUED);
	say("SIGCHLD for the continue: %s", yes(chld_reaches(2)));
	sleep_ms(50);
	say("SIGCHLDs so far: %d", chld);
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
}

static void ignore(int sig)
{
	(void)sig;
}

/*
 * A process that is not our child and sends us SIGUSR1 after 3 s, so a
 * wait that is never woken ends (EINTR) instead of hanging; its pid.
 */
static pid_t watchdog(void)
{
	pid_t parent = getpid(), dog = -1, mid;
	int fds[2];

	pipe(fds);
	mid = fork();
	if (mid == 0) {
		dog = fork();
		if (dog == 0) {
			sleep_ms(3000);
			kill(parent, SIGUSR1);
			_exit(0);
		}
		write(fds[1], &dog, sizeof(dog));
		_exit(0);
	}
	read(fds[0], &dog, sizeof(dog));
	wait_quiet(mid, 0);
	close(fds[0]);
	close(fds[1]);
	return dog;
}

static void no_zombies(const char *how, void (*action)(int), int flags)
{
	pid_t pid, dog = watchdog();
	int st;

	set_handler(SIGUSR1, ignore, 0);
	set_handler(SIGCHLD, action, flags);
	pid = fork();
	if (pid == 0) {
		sleep_ms(30);
		_exit(0);
	}
	say("%s:", how);
	TRY("  wait while the child runs", wait(&st));
	kill(dog, SIGKILL);
	TRY("  then waitpid(child, WNOHANG)", waitpid(pid, &st, WNOHANG));
	pid = fork();
	if (pid == 0)
		_exit(0);
	sleep_ms(50);
	TRY("  wait after a child exited", wait(&st));
	set_handler(SIGCHLD, SIG_DFL, 0);
	set_handler(SIGUSR1, SIG_DFL, 0);
}

int main(void)
{
	pid_t pid;

	conf_init();
	pid = fork();
	if (pid == 0)
		_exit(0);
	wait_say("child exited (SIGCHLD at its default)", pid, 0);
	say("still here");

	set_handler(SIGCHLD, count_chld, 0);
	pid = fork();
	if (pid == 0)
		_exit(3);
	wait_say("child exited", pid, 0);
	/* Sent before the parent woke from wait: delivered by now. */
	say("SIGCHLD by the time wait returned: %s", yes(chld == 1));

	chld = 0;
	stop_continue_kill(pausing_child());

	set_handler(SIGCHLD, count_chld, SA_NOCLDSTOP);
	say("with SA_NOCLDSTOP:");
	chld = 0;
	pid = pausing_child();
	kill(pid, SIGSTOP);
	wait_say("stopped", pid, WUNTRACED);
	kill(pid, SIGCONT);
	wait_say("continued", pid, WCONTINUED);
	sleep_ms(50);
	say("SIGCHLDs for stop and continue: %d", chld);
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
	say("SIGCHLD for the death: %s", yes(chld_reaches(1)));

	no_zombies("SIGCHLD ignored", SIG_IGN, 0);
	no_zombies("SA_NOCLDWAIT", SIG_DFL, SA_NOCLDWAIT);
	return 0;
}
