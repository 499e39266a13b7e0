/*
 * Waiting for children. Status words use the Linux encoding (sys/wait.h).
 */
#include <sys/wait.h>

#include "syscall.h"

pid_t waitpid(pid_t pid, int *status, int options)
{
	return __syscall_ret(__syscall(SYS_waitpid, pid, status, options));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

/* Like waitpid; @rusage may be NULL (Spoor may leave it unfilled). */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage)
{
	return __syscall_ret(
		__syscall(SYS_wait4, pid, status, options, rusage));
}
