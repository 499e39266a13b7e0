/*
 * poll(2): which of a set of descriptors are ready to read or write.
 * Each kind of file answers for itself (file_ops.poll: pipes, the
 * console, COM2; anything else is always ready, like a regular file).
 *
 * A poll that has to wait looks again at every timer tick instead of
 * being woken by the files it watches: no file keeps a list of pollers,
 * at the price of one scan per tick (HZ) while someone waits.
 */
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/poll.h>
#include <spoor/syscalls.h>
#include <spoor/time.h>

/* What @f is ready for, with Linux's RDNORM/WRNORM aliases. */
static unsigned file_ready(struct file *f)
{
	unsigned mask = f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;

	if (mask & POLLIN)
		mask |= POLLRDNORM;
	if (mask & POLLOUT)
		mask |= POLLWRNORM;
	return mask;
}

/*
 * Fill in every revents: what was asked for and holds, plus POLLERR,
 * POLLHUP and POLLNVAL (a closed descriptor), which need no asking; a
 * negative fd is skipped.  Returns how many entries have revents.
 */
static int poll_scan(struct pollfd *fds, unsigned nfds)
{
	unsigned i;
	int ready = 0;

	for (i = 0; i < nfds; i++) {
		struct file *f;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_get(fds[i].fd);
		if (!f)
			fds[i].revents = POLLNVAL;
		else
			fds[i].revents = file_ready(f) &
					 (fds[i].events | POLLERR | POLLHUP);
		ready += fds[i].revents != 0;
	}
	return ready;
}

/*
 * Wait until an entry of @ufds is ready, @timeout ms pass (negative:
 * no limit; 0: just look) or a signal comes (EINTR with a handler; the
 * call starts again, with its whole timeout, without one).  Returns
 * the number of entries with revents, 0 on timeout, or -errno.
 */
long sys_poll(void *ufds, unsigned nfds, int timeout)
{
	size_t size = nfds * sizeof(struct pollfd);
	uint32_t left, deadline = jiffies;
	struct pollfd *fds;
	long ret;

	if (nfds > NR_OPEN)		/* Linux: over RLIMIT_NOFILE */
		return -EINVAL;
	fds = kmalloc(size ? size : 1);
	if (!fds)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(fds, ufds, size))
		goto out;
	if (timeout > 0)		/* rounded up to whole ticks */
		deadline += ((uint32_t)timeout * HZ + 999) / 1000;
	for (;;) {
		ret = poll_scan(fds, nfds);
		if (ret || !timeout ||
		    (timeout > 0 && (int32_t)(deadline - jiffies) <= 0))
			break;
		ret = sleep_until(jiffies + 1, &left);
		if (ret)
			goto out;
	}
	if (copy_to_user(ufds, fds, size))
		ret = -EFAULT;
out:
	kfree(fds);
	return ret;
}
