/*
 * conf.h - shared by the conformance programs, tests/conformance/NAME.c.
 *
 * Each program is built twice, for the Linux host (glibc, `cc -O1
 * -Wall`) and for Spoor (its user library), and must print the same
 * lines and exit with the same status on both.  So a program prints
 * facts only: return values, errno *names*, decoded wait statuses,
 * the order of events; never a pid, an address or a time.
 *
 * Output goes straight to fd 1 with write(), never through stdio
 * buffers: fork cannot duplicate half-printed lines, and the order on
 * the page is the order of the calls, whichever process made them.
 * Everything here is static inline, so unused helpers cost nothing and
 * draw no warning.
 */
#ifndef CONF_H
#define CONF_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The name of errno value @e ("ECHILD"), or "errno N" if not listed. */
static inline const char *errno_name(int e)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },	{ EINTR, "EINTR" },
		{ EIO, "EIO" },		{ ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },	{ ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" },	{ ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },	{ EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" },	{ EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" },	{ ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" },	{ ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" },	{ ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" },	{ EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" },	{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" },	{ ELOOP, "ELOOP" },
	};
	static char other[24];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* Print one line (the newline is added). */
static inline void say(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	ssize_t r;
	size_t n, off = 0;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	buf[n++] = '\n';
	while (off < n) {
		r = write(1, buf + off, n - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		off += r;
	}
}

/* "@what: R" for a result, "@what: -1 ENAME" for a failure. */
static inline void say_result(const char *what, long r, int e)
{
	if (r == -1)
		say("%s: -1 %s", what, errno_name(e));
	else
		say("%s: %ld", what, r);
}

/* Make a call, then print its result and errno name. */
#define TRY(what, call)                           \
	do {                                      \
		long try_r_;                      \
		int try_e_;                       \
		errno = 0;                        \
		try_r_ = (long)(call);            \
		try_e_ = errno;                   \
		say_result(what, try_r_, try_e_); \
	} while (0)

/* A wait status in words, with the raw encoding: "exited 3 [0x0300]". */
static inline const char *status_str(int st)
{
	static char buf[64];

	if (WIFSIGNALED(st))
		st &= ~0x80;	/* core dumped or not: the host's settings */
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signaled %d", WTERMSIG(st));
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped %d", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "unknown");
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " [0x%04x]",
		 st & 0xffff);
	return buf;
}

/*
 * waitpid(@pid, @options), resumed after handlers, then say it:
 * "@what: exited 3 [0x0300]", or "@what: 0" / "@what: -1 ECHILD" / a
 * note that another pid came back.  Returns the status (-1: none).
 */
static inline int wait_say(const char *what, pid_t pid, int options)
{
	int st = 0, e;
	pid_t got;

	do {
		errno = 0;
		got = waitpid(pid, &st, options);
		e = errno;
	} while (got < 0 && e == EINTR);
	if (got < 0 || got == 0) {
		say_result(what, got, e);
		return -1;
	}
	if (pid > 0 && got != pid) {
		say("%s: another pid", what);
		return -1;
	}
	say("%s: %s", what, status_str(st));
	return st;
}

/* waitpid(@pid, @options), resumed after handlers; the status or -1. */
static inline int wait_quiet(pid_t pid, int options)
{
	int st;
	pid_t got;

	do
		got = waitpid(pid, &st, options);
	while (got < 0 && errno == EINTR);
	return got == pid ? st : -1;
}

/* Sleep @ms milliseconds, resuming after handlers. */
static inline void sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Set @sig's action: @handler, @flags, nothing extra masked. */
static inline int set_handler(int sig, void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* Block (SIG_BLOCK) or unblock (SIG_UNBLOCK) the one signal @sig. */
static inline void mask_one(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

static inline int is_blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

/* A child body that sleeps in pause() until a signal ends it. */
static inline void pause_forever(void)
{
	for (;;)
		pause();
}

/*
 * Start from the same state on both systems, whatever the program
 * inherited: every catchable signal at SIG_DFL, an empty mask.
 */
static inline void conf_init(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			set_handler(sig, SIG_DFL, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Pointers no system call may use, the same on both systems: NULL, the
 * unmapped first page, and the top page (kernel memory on both).
 */
#define TOP_PAGE	((void *)-4096L)

static const struct {
	const char *name;
	void *addr;
} bad_ptrs[] = {
	{ "NULL", NULL },
	{ "(void *)1", (void *)1 },
	{ "top page", TOP_PAGE },
};

#define NBAD_PTRS (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))

/* "yes" or "no". */
static inline const char *yes(int cond)
{
	return cond ? "yes" : "no";
}

#endif /* CONF_H */
