/*
 * File descriptor system calls: thin wrappers, errno and -1 on failure.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "syscall.h"

/* The mode argument is read only with O_CREAT, as POSIX allows. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall(SYS_open, path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall(SYS_openat, dirfd, path, flags, mode));
}

/* fcntl(2): every command Spoor has takes an int, or nothing. */
int fcntl(int fd, int cmd, ...)
{
	long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall(SYS_fcntl64, fd, cmd, arg));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return __syscall_ret(__syscall(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return __syscall_ret(__syscall(SYS_write, fd, buf, count));
}

int close(int fd)
{
	return __syscall_ret(__syscall(SYS_close, fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return __syscall_ret(__syscall(SYS_lseek, fd, offset, whence));
}

int dup(int fd)
{
	return __syscall_ret(__syscall(SYS_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	return __syscall_ret(__syscall(SYS_dup2, oldfd, newfd));
}

/* pipe(2) on i386 fills fds[0] (read end) and fds[1] (write end). */
int pipe(int fds[2])
{
	return __syscall_ret(__syscall(SYS_pipe, fds));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return __syscall_ret(__syscall(SYS_ioctl, fd, request, arg));
}

/* The foreground process group of terminal @fd (TIOCGPGRP). */
pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	return ioctl(fd, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}

/* Make @pgrp, a group of the caller's session, @fd's foreground. */
int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall(SYS_readv, fd, iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall(SYS_writev, fd, iov, iovcnt));
}
