/*
 * fcntl.h - open(2) flags and fcntl(2) commands (Linux i386 values).
 */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <sys/types.h>

#include <spoor/file_abi.h>	/* O_*, F_*, FD_CLOEXEC, AT_* */

int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);

#endif /* _FCNTL_H */
