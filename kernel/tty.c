/*
 * The console as a file: init's descriptors 0, 1 and 2.  Raw mode
 * only: no echo, no line editing (the shell does its own), no output
 * conversion beyond the \r that console_write puts before \n.  The one
 * piece of line discipline is ^C: it becomes SIGINT for every process
 * of the foreground process group instead of a byte (while that group
 * is empty, ^C stays a byte).  ^Z and ^\ are plain bytes.
 *
 * The controlling terminal, simplified: the console is the one terminal
 * and belongs to init's session, for good.  Its foreground group starts
 * as init's; TIOCSPGRP moves it to another group of that session.  A
 * process in another session (after setsid) has no controlling
 * terminal: TIOCGPGRP and TIOCSPGRP tell it ENOTTY, as Linux does.
 * Background processes may read and write: no SIGTTIN, no SIGTTOU.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/console.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/ioctl_abi.h>
#include <spoor/pgrp.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>

/* The requests (spoor/ioctl_abi.h) index a table from here. */
#define TTY_IOC_BASE	0x5400

/* struct termios: four flag words, c_line, c_cc[19] */
#define TERMIOS_SIZE	36
#define CTRL_C		0x03
#define TTY_CHUNK	256	/* bytes moved per copy */
#define CONSOLE_SID	1	/* init's session owns the console */

static pid_t fg_pgrp = CONSOLE_SID;	/* foreground process group */
static int tty_readers;		/* channel: readers wait for input */

/* --- input ------------------------------------------------------------- */

int tty_input_special(char c)
{
	if (c != CTRL_C)
		return 0;
	return kill_pgrp(fg_pgrp, SIGINT, SI_KERNEL) == 0;
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

	if (copy_to_user((void *)arg, winsize, sizeof(winsize)))
		return -EFAULT;
	return 0;
}

pid_t tty_foreground(pid_t sid)
{
	return sid == CONSOLE_SID ? fg_pgrp : -1;
}

static int tiocgpgrp(uintptr_t arg)
{
	if (current->sid != CONSOLE_SID)	/* not our terminal */
		return -ENOTTY;
	return copy_to_user((void *)arg, &fg_pgrp, sizeof(fg_pgrp));
}

/* Make group *@arg the foreground: it must be in the caller's session. */
static int tiocspgrp(uintptr_t arg)
{
	pid_t pgrp;

	if (current->sid != CONSOLE_SID)	/* not our terminal */
		return -ENOTTY;
	if (copy_from_user(&pgrp, (const void *)arg, sizeof(pgrp)))
		return -EFAULT;
	if (pgrp < 0)				/* not a group id */
		return -EINVAL;
	if (!pgrp_exists(pgrp) && !find_task(pgrp))	/* no such id */
		return -ESRCH;
	if (pgrp_session(pgrp) != current->sid)	/* not a group of ours */
		return -EPERM;
	fg_pgrp = pgrp;
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

static unsigned tty_poll(struct file *f)
{
	(void)f;
	return POLLOUT | (console_input_pending() ? POLLIN : 0);
}

static const struct file_ops tty_ops = {
	.poll = tty_poll,
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
