/*
 * stat(2), lstat(2), fstat(2): the 64-bit calls, into struct stat.
 */
#include <sys/stat.h>

#include "syscall.h"

_Static_assert(sizeof(struct stat) == 96, "i386 struct stat64");

int stat(const char *path, struct stat *st)
{
	return __syscall_ret(__syscall(SYS_stat64, path, st));
}

int lstat(const char *path, struct stat *st)
{
	return __syscall_ret(__syscall(SYS_lstat64, path, st));
}

int fstat(int fd, struct stat *st)
{
	return __syscall_ret(__syscall(SYS_fstat64, fd, st));
}
