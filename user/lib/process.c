/*
 * Process system calls: thin wrappers, errno and -1 on failure.
 * vfork lives in vfork.S, _exit in exit.c, the wait family in wait.c.
 */
#include <unistd.h>

#include "syscall.h"

pid_t fork(void)
{
	return __syscall_ret(__syscall(SYS_fork));
}

/* Returns only on failure. */
int execve(const char *path, char *const argv[], char *const envp[])
{
	return __syscall_ret(__syscall(SYS_execve, path, argv, envp));
}

pid_t getpid(void)
{
	return __syscall(SYS_getpid);
}

pid_t getppid(void)
{
	return __syscall(SYS_getppid);
}

int setpgid(pid_t pid, pid_t pgid)
{
	return __syscall_ret(__syscall(SYS_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return __syscall_ret(__syscall(SYS_getpgid, pid));
}

pid_t getpgrp(void)
{
	return __syscall(SYS_getpgrp);
}

pid_t setsid(void)
{
	return __syscall_ret(__syscall(SYS_setsid));
}

pid_t getsid(pid_t pid)
{
	return __syscall_ret(__syscall(SYS_getsid, pid));
}

/* Returns only when a handler ran: -1 with errno EINTR. */
int pause(void)
{
	return __syscall_ret(__syscall(SYS_pause));
}
