/*
 * kill PID [SIGNAL] - send SIGNAL (default TERM) to process PID.
 * SIGNAL is a number or a name, with or without the SIG prefix:
 * 9, KILL and SIGKILL are the same.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[NSIG] = {
	[SIGHUP] = "HUP",   [SIGINT] = "INT",   [SIGQUIT] = "QUIT",
	[SIGILL] = "ILL",   [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",
	[SIGBUS] = "BUS",   [SIGFPE] = "FPE",   [SIGKILL] = "KILL",
	[SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP",
	[SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU",
	[SIGSYS] = "SYS",
};

/* The signal number @s names, or -1. */
static int parse_signal(const char *s)
{
	char *end;
	long n;
	int i;

	if (*s == '-')
		s++;
	n = strtol(s, &end, 10);
	if (end != s && !*end)
		return n >= 0 && n < NSIG ? n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 1; i < NSIG; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	char *end;
	long pid;
	int sig = SIGTERM;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: kill PID [SIGNAL]\n");
		return 2;
	}
	pid = strtol(argv[1], &end, 10);
	if (*end || end == argv[1]) {
		fprintf(stderr, "kill: bad pid '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 3 && (sig = parse_signal(argv[2])) < 0) {
		fprintf(stderr, "kill: unknown signal '%s'\n", argv[2]);
		return 2;
	}
	if (kill(pid, sig) < 0) {
		perror("kill");
		return 1;
	}
	return 0;
}
