/*
 * readv(2) and writev(2): one read or write per segment, in order,
 * stopping at the first short one, as Linux does for files without
 * their own vector operations.  The vector is checked whole first.
 */
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/syscalls_fs.h>

#define UIO_MAXIOV	1024

struct iovec32 {
	uint32_t base, len;
};

typedef long (*rw_fn)(int fd, char *buf, size_t n);

/* Run @rw over the @cnt segments at @uiov; bytes done, or -errno. */
static long do_iov(int fd, const struct iovec32 *uiov, int cnt, rw_fn rw)
{
	struct iovec32 v;
	size_t total = 0;
	long done = 0, n;
	int i;

	if (!fd_get(fd))
		return -EBADF;
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < cnt; i++) {
		if (copy_from_user(&v, uiov + i, sizeof(v)))
			return -EFAULT;
		if (v.len > MAX_RW_COUNT - total)	/* total must fit */
			return -EINVAL;
		total += v.len;
	}
	for (i = 0; i < cnt; i++) {
		if (copy_from_user(&v, uiov + i, sizeof(v)))
			return done ? done : -EFAULT;
		if (!v.len)
			continue;
		n = rw(fd, (char *)v.base, v.len);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((uint32_t)n < v.len)
			break;
	}
	return done;
}

static long write_fn(int fd, char *buf, size_t n)
{
	return sys_write(fd, buf, n);
}

long sys_readv(int fd, const void *uiov, int iovcnt)
{
	return do_iov(fd, uiov, iovcnt, sys_read);
}

long sys_writev(int fd, const void *uiov, int iovcnt)
{
	return do_iov(fd, uiov, iovcnt, write_fn);
}
