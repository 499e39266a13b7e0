/*
 * fcntl(2)'s commands and flags and openat(2)'s AT_FDCWD (Linux's
 * values), shared by the kernel (file.c, path.h) and the user
 * library's <fcntl.h>.
 */
#ifndef SPOOR_FCNTL_ABI_H
#define SPOOR_FCNTL_ABI_H

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

#define AT_FDCWD		-100	/* *at: from the working directory */
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_EMPTY_PATH		0x1000

#endif
