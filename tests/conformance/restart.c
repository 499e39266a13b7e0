/*
 * restart: a handler interrupts a blocking call.  Without SA_RESTART a
 * pipe read fails with EINTR; with it the read goes on and returns the
 * data.  pause and nanosleep end with EINTR either way.
 */
#include "conf.h"

static volatile int hits;

static void count(int sig)
{
	(void)sig;
	hits++;
}

/*
 * Fork a child that installs the SIGUSR1 handler with @flags and runs
 * @body; signal it every 10 ms until it exits, or, with @feed, five
 * times and then write a byte to its pipe.  Say how it ended.
 */
static void interrupt(const char *what, int flags, int feed,
		      void (*body)(int fd))
{
	int fds[2], st = 0, ms;
	pid_t pid;

	pipe(fds);
	set_handler(SIGUSR1, count, flags);	/* the child starts with it */
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		body(fds[0]);
		_exit(0);
	}
	set_handler(SIGUSR1, SIG_DFL, 0);
	close(fds[0]);
	for (ms = 0; ms < 5000; ms += 10) {
		if (feed && ms == 50)
			write(fds[1], "x", 1);
		if (!feed || ms < 50)
			kill(pid, SIGUSR1);
		sleep_ms(10);
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
	}
	close(fds[1]);
	say("%s: %s", what, status_str(st));
}

static void blocking_read(int fd)
{
	char c;
	long r;
	int e;

	errno = 0;
	r = read(fd, &c, 1);
	e = errno;
	say("  read returned %ld%s%s, a handler ran: %s", r, r < 0 ? " " : "",
	    r < 0 ? errno_name(e) : "", yes(hits > 0));
}

static void blocking_pause(int fd)
{
	long r;
	int e;

	(void)fd;
	r = pause();
	e = errno;
	say("  pause returned %ld %s", r, errno_name(e));
}

static void blocking_sleep(int fd)
{
	struct timespec ts = { 10, 0 };
	long r;
	int e;

	(void)fd;
	r = nanosleep(&ts, &ts);
	e = errno;
	say("  nanosleep returned %ld %s, time left: %s", r, errno_name(e),
	    yes(ts.tv_sec > 0 && ts.tv_sec <= 10));
}

int main(void)
{
	conf_init();
	interrupt("read, no SA_RESTART", 0, 0, blocking_read);
	interrupt("read, SA_RESTART", SA_RESTART, 1, blocking_read);
	interrupt("pause, SA_RESTART", SA_RESTART, 0, blocking_pause);
	interrupt("nanosleep, SA_RESTART", SA_RESTART, 0, blocking_sleep);
	return 0;
}
