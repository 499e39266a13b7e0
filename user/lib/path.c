/*
 * Path name system calls: thin wrappers, errno and -1 on failure.
 */
#include <unistd.h>

#include "syscall.h"

int access(const char *path, int mode)
{
	return __syscall_ret(__syscall(SYS_access, path, mode));
}

int chdir(const char *path)
{
	return __syscall_ret(__syscall(SYS_chdir, path));
}

/* The kernel returns the length with the NUL; the C call returns @buf. */
char *getcwd(char *buf, size_t size)
{
	return __syscall_ret(__syscall(SYS_getcwd, buf, size)) < 0 ? NULL : buf;
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return __syscall_ret(__syscall(SYS_readlink, path, buf, size));
}
