/*
 * hupcont.h - for the conformance programs about orphaned process
 * groups (pgrp_orphan.c, ptrace_orphan.c).  A member process catches
 * SIGHUP and SIGCONT (its handlers block each other, so they run in
 * signal-number order: SIGHUP, then SIGCONT) and reports what it saw
 * on the pipe rep; the test prints the first report, or "nothing" when
 * a watchdog child writes that first, so a member that stays stopped
 * for good cannot hang the test.
 */
#ifndef HUPCONT_H
#define HUPCONT_H

#include "conf.h"

#define WATCHDOG_MS 3000

static char seen[32]; /* in a member: "HUP CONT " ... */
static int rep[2];    /* members and the watchdog write here */

static inline void note(int sig)
{
	strcat(seen, sig == SIGHUP ? "HUP " : "CONT ");
}

/* In a member: catch SIGHUP and SIGCONT, one handler at a time. */
static inline void catch_hup_cont(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaddset(&sa.sa_mask, SIGCONT);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

/* In a member: send what we saw on @fd and exit. */
static inline void report(int fd)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%s", seen[0] ? seen : "nothing ");
	write(fd, buf, strlen(buf));
	_exit(0);
}

/* A member that stops itself; once continued, it reports on @fd. */
static inline void stopper(int fd)
{
	catch_hup_cont();
	raise(SIGSTOP);
	report(fd);
}

/* Fork a watchdog that writes "nothing " on rep after @ms. */
static inline pid_t watchdog(int ms)
{
	pid_t dog = fork();

	if (dog == 0) {
		sleep_ms(ms);
		write(rep[1], "nothing ", 8);
		_exit(0);
	}
	return dog;
}

/* Print the first report on rep (or the watchdog's) after @what. */
static inline void first_report(const char *what, int ms)
{
	pid_t dog = watchdog(ms);
	char buf[40];
	ssize_t n;

	do
		n = read(rep[0], buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	say("%s: %s", what, buf);
	kill(dog, SIGKILL);
	wait_quiet(dog, 0);
}

/* Read a pid that a child sends on @fd. */
static inline pid_t read_pid(int fd)
{
	pid_t pid = 0;

	while (read(fd, &pid, sizeof(pid)) < 0 && errno == EINTR)
		;
	return pid;
}

/*
 * The whole test: open rep, run @cases in a child that leads a new
 * session (so no group it makes has a parent outside it but in the
 * session, unless a case sets one up), and report that child's end.
 */
static inline int run_in_new_session(void (*cases)(void))
{
	pid_t leader;

	conf_init();
	pipe(rep);
	leader = fork();
	if (leader == 0) {
		setsid();
		cases();
		_exit(0);
	}
	wait_say("session leader", leader, 0);
	return 0;
}

#endif /* HUPCONT_H */
