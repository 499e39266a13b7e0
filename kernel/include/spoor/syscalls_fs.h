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

#endif
