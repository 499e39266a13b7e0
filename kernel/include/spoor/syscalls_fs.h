/*
 * The file system calls (Linux i386 numbers in brackets).  Each returns
 * its result or -errno; buffers and paths are user pointers.
 */
#ifndef SPOOR_SYSCALLS_FS_H
#define SPOOR_SYSCALLS_FS_H

#include <spoor/types.h>

long sys_read(int fd, char *buf, size_t n);			/* 3 */
long sys_write(int fd, const char *buf, size_t n);		/* 4 */
long sys_open(const char *path, int flags, int mode);		/* 5 */
long sys_close(int fd);						/* 6 */
long sys_lseek(int fd, off_t off, int whence);			/* 19 */
long sys_dup(int fd);						/* 41 */
long sys_pipe(int *fds);					/* 42 */
long sys_ioctl(int fd, unsigned cmd, uintptr_t arg);		/* 54 */
long sys_dup2(int old, int new);				/* 63 */
long sys_getdents(int fd, void *dirp, unsigned n);		/* 141 */
long sys_llseek(int fd, uint32_t high, uint32_t low, int64_t *result,
		int whence);					/* 140 */
long sys_readv(int fd, const void *iov, int iovcnt);		/* 145 */
long sys_writev(int fd, const void *iov, int iovcnt);		/* 146 */
long sys_getdents64(int fd, void *dirp, unsigned n);		/* 220 */
long sys_fcntl(int fd, unsigned cmd, unsigned long arg);	/* 55, 221 */
long sys_pipe2(int *fds, int flags);				/* 331 */
long sys_openat(int dirfd, const char *path, int flags, int mode); /* 295 */

#endif
