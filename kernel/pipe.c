/*
 * Pipes: a PIPE_SIZE-byte ring (4 KiB; Linux's default is 64 KiB)
 * between a read end and a write end, each one struct file that dup
 * and fork share.  Readers sleep on &ring.head (they wait for the
 * writer to advance it), writers on &ring.tail.
 *
 * Only process context touches a pipe, and the kernel is not
 * preemptible, so the ring needs no lock.  The interrupt-off window
 * around each check-then-sleep is sleep_on's contract: no wakeup may
 * slip in between the test and the sleep.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/syscalls_fs.h>

_Static_assert((PIPE_SIZE & (PIPE_SIZE - 1)) == 0,
	       "head/tail wrap as unsigned: PIPE_SIZE must divide 2^32");

struct pipe {
	struct pipe_ring ring;
	int readers;		/* read end open (0 or 1) */
	int writers;		/* write end open (0 or 1) */
};

/* --- the ring ---------------------------------------------------------- */

size_t pipe_ring_write_span(const struct pipe_ring *r, char **p)
{
	unsigned at = r->head % PIPE_SIZE;

	*p = r->buf + at;
	return MIN(pipe_ring_room(r), PIPE_SIZE - at);
}

size_t pipe_ring_read_span(const struct pipe_ring *r, char **p)
{
	unsigned at = r->tail % PIPE_SIZE;

	*p = r->buf + at;
	return MIN(pipe_ring_used(r), PIPE_SIZE - at);
}

/* --- waiting ----------------------------------------------------------- */

/* Until @p holds data or has no writer.  0, -EAGAIN or -ERESTARTSYS. */
static int wait_readable(struct pipe *p, int nonblock)
{
	uint32_t flags = irq_save();
	int err = 0;

	while (!pipe_ring_used(&p->ring) && p->writers) {
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = sleep_on(&p->ring.head);
		if (err)
			break;
	}
	irq_restore(flags);
	return err;
}

/* Until @p has room for @want bytes or no reader.  As wait_readable. */
static int wait_writable(struct pipe *p, size_t want, int nonblock)
{
	uint32_t flags = irq_save();
	int err = 0;

	while (pipe_ring_room(&p->ring) < want && p->readers) {
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = sleep_on(&p->ring.tail);
		if (err)
			break;
	}
	irq_restore(flags);
	return err;
}

/* --- read and write ---------------------------------------------------- */

/*
 * At least one byte, or 0 at end of file (empty, no writer left).
 * A fault on the user buffer leaves the unread bytes in the pipe.
 */
static ssize_t pipe_read(struct file *f, char *ubuf, size_t n)
{
	struct pipe *p = f->priv;
	size_t done = 0, span;
	char *src;
	int err;

	err = wait_readable(p, f->flags & O_NONBLOCK);
	if (err)
		return err;
	/* At most two spans: to the end of the buffer, then from its start. */
	while (done < n && (span = pipe_ring_read_span(&p->ring, &src))) {
		span = MIN(span, n - done);
		if (copy_to_user(ubuf + done, src, span)) {
			err = -EFAULT;
			break;
		}
		p->ring.tail += span;
		done += span;
	}
	if (done)
		wake_up(&p->ring.tail);
	return done ? (ssize_t)done : err;
}

/*
 * All @n bytes, sleeping while the pipe is full.  A write of at most
 * PIPE_BUF bytes waits for room for all of it and goes in at once, so
 * concurrent writers never interleave inside it (POSIX).  Stopped by a
 * signal, a fault or a vanished reader, it returns what it wrote, or
 * the error when that is nothing.  No reader: SIGPIPE and EPIPE.
 */
static ssize_t pipe_write(struct file *f, const char *ubuf, size_t n)
{
	struct pipe *p = f->priv;
	size_t done = 0, span;
	char *dst;
	int err = 0;

	while (done < n && !err) {
		err = wait_writable(p, n <= PIPE_BUF ? n : 1,
				    f->flags & O_NONBLOCK);
		if (err)
			break;
		if (!p->readers) {
			send_sig(SIGPIPE, current);
			err = -EPIPE;
			break;
		}
		while (done < n &&
		       (span = pipe_ring_write_span(&p->ring, &dst))) {
			span = MIN(span, n - done);
			if (copy_from_user(dst, ubuf + done, span)) {
				err = -EFAULT;
				break;
			}
			p->ring.head += span;
			done += span;
		}
		wake_up(&p->ring.head);
	}
	return done ? (ssize_t)done : err;
}

/* --- lifetime ---------------------------------------------------------- */

static void pipe_free(struct pipe *p)
{
	kfree(p->ring.buf);
	kfree(p);
}

/* The read end closed: writers must wake to see EPIPE. */
static void pipe_release_read(struct file *f)
{
	struct pipe *p = f->priv;

	p->readers--;
	wake_up(&p->ring.tail);
	if (!p->writers)
		pipe_free(p);
}

/* The write end closed: readers must wake to see end of file. */
static void pipe_release_write(struct file *f)
{
	struct pipe *p = f->priv;

	p->writers--;
	wake_up(&p->ring.head);
	if (!p->readers)
		pipe_free(p);
}

/* --- poll -------------------------------------------------------------- */

/* Readable with data; hung up (and readable: EOF) with no writer. */
static unsigned pipe_poll_read(struct file *f)
{
	struct pipe *p = f->priv;

	return (pipe_ring_used(&p->ring) ? POLLIN : 0) |
	       (p->writers ? 0 : POLLHUP);
}

/* Writable while not full, as Linux says; POLLERR with no reader. */
static unsigned pipe_poll_write(struct file *f)
{
	struct pipe *p = f->priv;

	return (pipe_ring_room(&p->ring) ? POLLOUT : 0) |
	       (p->readers ? 0 : POLLERR);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.poll = pipe_poll_read,
	.release = pipe_release_read,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.poll = pipe_poll_write,
	.release = pipe_release_write,
};

/* Both ends of a new pipe in @ends; 0 or -ENOMEM (nothing left over). */
static int pipe_create(struct file *ends[2])
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->ring.buf = kmalloc(PIPE_SIZE);
	ends[0] = file_alloc(&pipe_read_ops, O_RDONLY, p);
	ends[1] = file_alloc(&pipe_write_ops, O_WRONLY, p);
	if (!p->ring.buf || !ends[0] || !ends[1]) {
		/* Not yet live: free directly, no release callbacks. */
		kfree(ends[0]);
		kfree(ends[1]);
		pipe_free(p);
		return -ENOMEM;
	}
	/* fstat: a FIFO, both ends the same inode (its address will do). */
	ends[0]->mode = ends[1]->mode = S_IFIFO | 0600;
	ends[0]->ino = ends[1]->ino = (uintptr_t)p;
	p->readers = p->writers = 1;
	return 0;
}

/*
 * pipe(2): @ufds[0] reads, @ufds[1] writes, the two lowest free
 * descriptors.  On any failure nothing stays open.
 */
/*
 * pipe2(2): pipe(2) with O_CLOEXEC (both descriptors) and O_NONBLOCK
 * (both ends) allowed in @flags; anything else is EINVAL.
 */
long sys_pipe2(int *ufds, int flags)
{
	struct files_struct *fs = current->files;
	int cloexec = !!(flags & O_CLOEXEC);
	struct file *ends[2];
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!fs)
		return -EMFILE;
	err = pipe_create(ends);
	if (err)
		return err;
	ends[0]->flags |= flags & O_NONBLOCK;
	ends[1]->flags |= flags & O_NONBLOCK;
	fds[0] = fd_install(fs, ends[0], cloexec);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(fs, ends[1], cloexec);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			sys_close(fds[0]);
		else
			file_put(ends[0]);
		file_put(ends[1]);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		sys_close(fds[0]);
		sys_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}
