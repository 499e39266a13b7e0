/*
 * Helpers shared by the user-space KTAP test programs in user/tests/.
 *
 * Every helper is static inline, so a program carries only what it
 * uses and -Wunused-function stays quiet.  The programs also build and
 * run on a Linux host against glibc (the same semantics, checked by the
 * same cases); what only Spoor can answer (/proc/meminfo, /proc/tasks,
 * pid 1 as the reaper) is asked through ut_is_spoor().
 *
 * The one rule of every test: a forked child never returns into the
 * ktest runner.  It reports through its exit status or a pipe and ends
 * with _exit(), so the KTAP document is printed by the parent alone.
 */
#ifndef USER_TESTS_UTEST_H
#define USER_TESTS_UTEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spoor/ktest.h>
#include <spoor/memlayout.h>

/* How long to poll for something another process (init) must do. */
#define UT_POLL_MS	5000
#define UT_PAGE		4096UL
/* Where Spoor's kernel starts, as Linux i386's: user space ends here. */
#define UT_KERNEL_BASE	((unsigned long)KERNEL_BASE)

/* Running on Spoor (not on the Linux host that cross-checks the tests)? */
static inline int ut_is_spoor(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "Spoor") == 0;
}

/* Sleep @ms milliseconds, resuming after signal handlers. */
static inline void ut_sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read exactly @n bytes unless EOF or an error comes first; the count. */
static inline long ut_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return got ? (long)got : -1;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/* Write all @n bytes; the count written, or -1. */
static inline long ut_write_full(int fd, const void *buf, size_t n)
{
	size_t put = 0;
	ssize_t r;

	while (put < n) {
		r = write(fd, (const char *)buf + put, n - put);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return put ? (long)put : -1;
		put += r;
	}
	return put;
}

/* Read the file @path into @buf (NUL-terminated); its length or -1. */
static inline long ut_read_file(const char *path, char *buf, size_t size)
{
	long n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = ut_read_full(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Parse a decimal number at *@s, skipping blanks first; advances *@s. */
static inline long ut_parse_long(const char **s)
{
	const char *p = *s;
	long v = 0;
	int neg = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-')
		neg = 1, p++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	*s = p;
	return neg ? -v : v;
}

/*
 * The state letter of task @pid as the kernel lists it: 'Z' for a
 * zombie, another letter for a task that has not exited, 0 when the
 * kernel holds no task @pid at all (reaped), -1 when it cannot be told.
 * Spoor: /proc/tasks, lines "PID PPID STATE NAME" after a header line;
 * the state word is compared by its first letter, case-insensitively.
 * Linux host: /proc/PID/stat.
 */
static inline int ut_task_state(pid_t pid)
{
	static char buf[16384];
	const char *p, *s;
	char path[64];
	long n;

	if (ut_read_file("/proc/tasks", buf, sizeof(buf)) >= 0) {
		p = strchr(buf, '\n');		/* skip the header line */
		while (p && *++p) {
			s = p;
			if (ut_parse_long(&s) == pid) {
				ut_parse_long(&s);	/* PPID */
				while (*s == ' ' || *s == '\t')
					s++;
				return *s >= 'a' && *s <= 'z' ? *s - 32 : *s;
			}
			p = strchr(p, '\n');
		}
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = ut_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return errno == ENOENT ? 0 : -1;
	p = strrchr(buf, ')');		/* the name may hold blanks */
	return p && p[1] == ' ' ? p[2] : -1;
}

/*
 * Poll until the kernel holds no task @pid (reaped by whoever had to)
 * or UT_POLL_MS have passed; 1 if it is gone.  When the task list
 * cannot be read, "gone" means kill(pid, 0) fails with ESRCH.
 */
static inline int ut_wait_gone(pid_t pid)
{
	int ms, state;

	for (ms = 0; ms < UT_POLL_MS; ms += 10) {
		state = ut_task_state(pid);
		if (state == 0)
			return 1;
		if (state < 0 && kill(pid, 0) < 0 && errno == ESRCH)
			return 1;
		ut_sleep_ms(10);
	}
	return 0;
}

/* Poll until task @pid is a zombie (or gone); 1 if it got there. */
static inline int ut_wait_zombie(pid_t pid)
{
	int ms, state;

	for (ms = 0; ms < UT_POLL_MS; ms += 10) {
		state = ut_task_state(pid);
		if (state == 'Z' || state == 0)
			return 1;
		ut_sleep_ms(10);
	}
	return 0;
}

/*
 * The kernel's free page count and kernel-heap bytes in use, from
 * Spoor's /proc/meminfo ("free_pages N", "heap_bytes N").  0 on
 * success, -1 when the file or a field is missing (e.g. on Linux).
 */
static inline int ut_meminfo(long *free_pages, long *heap_bytes)
{
	char buf[1024];
	const char *p, *s;
	int found = 0;

	if (ut_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		s = strchr(p, ' ');
		if (!strncmp(p, "free_pages ", 11) && s) {
			*free_pages = ut_parse_long(&s);
			found |= 1;
		} else if (!strncmp(p, "heap_bytes ", 11) && s) {
			*heap_bytes = ut_parse_long(&s);
			found |= 2;
		}
	}
	return found == 3 ? 0 : -1;
}

/* waitpid() that resumes after signal handlers; the status or -1. */
static inline int ut_wait(pid_t pid, int options)
{
	int status;
	pid_t got;

	do
		got = waitpid(pid, &status, options);
	while (got < 0 && errno == EINTR);
	if (got != pid)
		return -1;
	return status;
}

/*
 * Fork a child that runs @body(@arg) and _exits with its result; the
 * child's pid, or -1 when fork failed.
 */
static inline pid_t ut_spawn(int (*body)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(body(arg));
	return pid;
}

/* ut_spawn, then wait: the child's wait status, or -1. */
static inline int ut_run(int (*body)(void *), void *arg)
{
	pid_t pid = ut_spawn(body, arg);

	return pid < 0 ? -1 : ut_wait(pid, 0);
}

/*
 * Run @path with @argv and @envp in a child whose stdout and stderr are
 * one pipe; collect what it prints into @out (at most @size - 1 bytes,
 * NUL-terminated; past that the child meets a closed pipe).  The
 * child's wait status, or -1.
 */
static inline int ut_run_capture(const char *path, char **argv, char **envp,
				 char *out, size_t size)
{
	int fds[2];
	pid_t pid;
	long n;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[1]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(fds[1]);
	n = pid < 0 ? -1 : ut_read_full(fds[0], out, size - 1);
	close(fds[0]);
	out[n < 0 ? 0 : n] = '\0';
	return pid < 0 ? -1 : ut_wait(pid, 0);
}

/* A child body that blocks in pause() until a signal ends it. */
static inline int ut_pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* Set @sig's action: @handler with @flags and nothing extra masked. */
static inline int ut_handle(int sig, void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/*
 * A clean signal state: an empty mask, every catchable signal at
 * SIG_DFL.  Programs call it first, so what they inherit (an ignored
 * SIGPIPE from a host shell, say) does not change their results.
 */
static inline void ut_reset_signals(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			ut_handle(sig, SIG_DFL, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Log how a wait status reads, for a failing case's diagnostics. */
static inline void ut_log_status(struct kt_test *t, const char *what, int st)
{
	if (st == -1)
		kt_log(t, "%s: wait failed (errno %d)", what, errno);
	else if (WIFEXITED(st))
		kt_log(t, "%s: exited %d", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		kt_log(t, "%s: killed by signal %d", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		kt_log(t, "%s: stopped by signal %d", what, WSTOPSIG(st));
	else
		kt_log(t, "%s: status 0x%x", what, st);
}

/* Expect wait status @st to say "exited @code"; log it otherwise. */
#define UT_EXPECT_EXITED(t, st, code) do {				\
	int ut_st_ = (st);						\
	KT_EXPECT_TRUE(t, ut_st_ != -1 && WIFEXITED(ut_st_));		\
	KT_EXPECT_EQ(t, ut_st_ != -1 ? WEXITSTATUS(ut_st_) : -1, code);	\
	if (ut_st_ == -1 || !WIFEXITED(ut_st_) || WEXITSTATUS(ut_st_) != (code)) \
		ut_log_status(t, #st, ut_st_);				\
} while (0)

/* Expect wait status @st to say "killed by @sig"; log it otherwise. */
#define UT_EXPECT_KILLED(t, st, sig) do {				\
	int ut_st_ = (st);						\
	KT_EXPECT_TRUE(t, ut_st_ != -1 && WIFSIGNALED(ut_st_));		\
	KT_EXPECT_EQ(t, ut_st_ != -1 ? WTERMSIG(ut_st_) : -1, sig);	\
	if (ut_st_ == -1 || !WIFSIGNALED(ut_st_) || WTERMSIG(ut_st_) != (sig)) \
		ut_log_status(t, #st, ut_st_);				\
} while (0)

/* Expect a failed call: result -1 and errno @err. */
#define UT_EXPECT_ERR(t, call, err) do {				\
	long ut_r_;							\
	int ut_e_;							\
	errno = 0;							\
	ut_r_ = (long)(call);						\
	ut_e_ = errno;							\
	KT_EXPECT_EQ(t, ut_r_, -1);					\
	KT_EXPECT_EQ(t, ut_e_, err);					\
} while (0)

#endif /* USER_TESTS_UTEST_H */
