/*
 * Process exit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "syscall.h"

/* End every thread of the process (there is one) right away. */
void _exit(int status)
{
	for (;;)
		__syscall(SYS_exit_group, status);
}

/* Flush stdio, then _exit. There is no atexit. */
void exit(int status)
{
	fflush(NULL);
	_exit(status);
}

/* Die of SIGABRT, even when it is caught or ignored. */
void abort(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
	_exit(127);
}
