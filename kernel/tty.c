/*
 * The console as a file: init's descriptors 0, 1 and 2.  Raw mode
 * only: no echo, no line editing (the shell does its own), no output
 * conversion beyond the \r that console_write puts before \n.  The one
 * piece of line discipline is ^C: with a foreground task set through
 * TIOCSPGRP, it becomes SIGINT for that task instead of a byte.
 *
 * Spoor has no process groups: the "foreground process group" of
 * TIOCGPGRP/TIOCSPGRP is a single pid, and 0 means none.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/console.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>

/* Linux i386 ioctl numbers. */
#define TTY_IOC_BASE	0x5400
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540F
#define TIOCGWINSZ	0x5413
#define TIOCSPGRP	0x5410

/* struct termios: four flag words, c_line, c_cc[19] */
#define TERMIOS_SIZE	36
#define CTRL_C		0x03
#define TTY_CHUNK	256	/* bytes moved per copy */

static pid_t fg_pid;		/* foreground task; 0: none */
static int tty_readers;		/* channel: readers wait for input */

/* --- input ------------------------------------------------------------- */

int tty_input_special(char c)
{
	struct task_struct *t;

	if (c != CTRL_C || !fg_pid)
		return 0;
	t = find_task(fg_pid);
	if (!t || t->pid == 1 || t->state == TASK_ZOMBIE)
		return 0;
	send_sig(SIGINT, t);
	return 1;
}

void tty_input_ready(void)
{
	wake_up(&tty_readers);
}

/*
 * Sleep until a byte is waiting, then return it with whatever else has
 * arrived, up to @n.  If the copy to user space faults the bytes are
 * lost: they have left the ring.
 */
static ssize_t tty_read(struct file *f, char *ubuf, size_t n)
{
	char buf[TTY_CHUNK];
	uint32_t flags = irq_save();
	size_t got = 0;
	int c, err = 0;

	/* No input interrupt can come between the test and the sleep. */
	while ((c = console_getc()) < 0) {
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = sleep_on(&tty_readers);
		if (err)
			break;
	}
	irq_restore(flags);
	if (err)
		return err;
	buf[got++] = c;
	while (got < MIN(n, sizeof(buf)) && (c = console_getc()) >= 0)
		buf[got++] = c;
	if (copy_to_user(ubuf, buf, got))
		return -EFAULT;
	return got;
}

/* --- output ------------------------------------------------------------ */

/* Chunk by chunk; a fault ends the write with what went out so far. */
static ssize_t tty_write(struct file *f, const char *ubuf, size_t n)
{
	char buf[TTY_CHUNK];
	size_t done = 0, k;

	(void)f;
	while (done < n) {
		k = MIN(n - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		console_write(buf, k);
		done += k;
	}
	return done;
}

/* --- ioctl ------------------------------------------------------------- */

/* All-zero settings: enough for isatty(), which only asks whether it works. */
static int tcgets(uintptr_t arg)
{
	char termios[TERMIOS_SIZE];

	memset(termios, 0, sizeof(termios));
	return copy_to_user((void *)arg, termios, sizeof(termios));
}

/* Accepted and ignored: the console is always raw. */
static int tcsets(uintptr_t arg)
{
	char termios[TERMIOS_SIZE];

	return copy_from_user(termios, (const void *)arg, sizeof(termios));
}

/* The serial console has no size of its own: the classic 80x24. */
static int tiocgwinsz(uintptr_t arg)
{
	const uint16_t winsize[4] = { 24, 80, 0, 0 };	/* rows, cols, px */

	return copy_to_user((void *)arg, winsize, sizeof(winsize)) ?
	       -EFAULT : 0;
}

static int tiocgpgrp(uintptr_t arg)
{
	return copy_to_user((void *)arg, &fg_pid, sizeof(fg_pid));
}

static int tiocspgrp(uintptr_t arg)
{
	pid_t pid;

	if (copy_from_user(&pid, (const void *)arg, sizeof(pid)))
		return -EFAULT;
	if (pid < 0)			/* not a pid */
		return -EINVAL;
	if (pid && !find_task(pid))	/* no such task */
		return -ESRCH;
	fg_pid = pid;
	return 0;
}

static int (*const tty_ioctls[])(uintptr_t arg) = {
	[TCGETS - TTY_IOC_BASE] = tcgets,
	[TCSETS - TTY_IOC_BASE] = tcsets,
	[TCSETSW - TTY_IOC_BASE] = tcsets,
	[TCSETSF - TTY_IOC_BASE] = tcsets,
	[TIOCGPGRP - TTY_IOC_BASE] = tiocgpgrp,
	[TIOCSPGRP - TTY_IOC_BASE] = tiocspgrp,
	[TIOCGWINSZ - TTY_IOC_BASE] = tiocgwinsz,
};

/* Anything not in the table is ENOTTY, as Linux says for unknown requests. */
static int tty_ioctl(struct file *f, unsigned cmd, uintptr_t arg)
{
	unsigned i = cmd - TTY_IOC_BASE;

	(void)f;
	if (i >= ARRAY_SIZE(tty_ioctls) || !tty_ioctls[i])
		return -ENOTTY;
	return tty_ioctls[i](arg);
}

static const struct file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
};

/* A new open file on the console, or NULL when out of memory. */
struct file *tty_open(int flags)
{
	struct file *f = file_alloc(&tty_ops, flags, NULL);

	if (f) {		/* fstat: the first serial port, /dev/ttyS0 */
		f->mode = S_IFCHR | 0620;
		f->rdev = TTYS0_RDEV;
	}
	return f;
}
