/*
 * poll: a pipe's read end is ready with data, hung up (and still
 * readable) once its writer closes; its write end is ready while there
 * is room and reports POLLERR once its reader is gone.  A closed
 * descriptor is POLLNVAL, a negative one is skipped, a timeout of 0
 * only looks, a finite one expires, an infinite one ends when a child
 * writes, and a signal handler ends the wait with EINTR.
 */
#include <poll.h>

#include "conf.h"

/* "IN OUT HUP" for the events in @ev; "none" for 0. */
static const char *events_str(int ev)
{
	/* A hand-aligned table: three entries a line. */
	/* clang-format off */
	static const struct {
		int bit;
		const char *name;
	} names[] = {
		{ POLLIN, "IN" },   { POLLOUT, "OUT" },   { POLLERR, "ERR" },
		{ POLLHUP, "HUP" }, { POLLNVAL, "NVAL" }, { POLLRDNORM, "RDNORM" },
		{ POLLWRNORM, "WRNORM" },
	};
	/* clang-format on */
	static char buf[64];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev & names[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%s", buf[0] ? " " : "", names[i].name);
	return buf[0] ? buf : "none";
}

/* poll one descriptor for @events with @timeout; say the result. */
static void poll_one(const char *what, int fd, int events, int timeout)
{
	struct pollfd p = { fd, events, 0 };
	int r, e;

	errno = 0;
	r = poll(&p, 1, timeout);
	e = errno;
	if (r < 0)
		say("%s: -1 %s", what, errno_name(e));
	else
		say("%s: %d, revents %s", what, r, events_str(p.revents));
}

/* Not a constant, so the compiler cannot see it is bad. */
static struct pollfd *volatile bad_pointer = (struct pollfd *)8;

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	struct pollfd two[2];
	int fds[2], r;
	pid_t pid;
	char c;

	conf_init();
	pipe(fds);
	poll_one("empty pipe, read end, timeout 0", fds[0], POLLIN, 0);
	poll_one("empty pipe, read end, timeout 50 ms", fds[0], POLLIN, 50);
	poll_one("write end", fds[1], POLLOUT, 0);
	poll_one("write end, asked for IN only", fds[1], POLLIN, 0);
	write(fds[1], "x", 1);
	poll_one("pipe with a byte", fds[0], POLLIN | POLLRDNORM, 0);

	two[0] = (struct pollfd){ -1, POLLIN, 0x7f };
	two[1] = (struct pollfd){ fds[0], POLLIN, 0 };
	r = poll(two, 2, 0);
	say("negative fd and the pipe: %d", r);
	say("  the negative fd: revents %s", events_str(two[0].revents));
	say("  the pipe: revents %s", events_str(two[1].revents));
	poll_one("a closed descriptor", 20, POLLIN, 0);

	close(fds[1]);
	poll_one("writer gone, a byte left", fds[0], POLLIN, 0);
	read(fds[0], &c, 1);
	poll_one("writer gone, nothing left", fds[0], POLLIN, 0);
	close(fds[0]);

	pipe(fds);
	close(fds[0]);
	poll_one("reader gone, write end", fds[1], POLLOUT, 0);
	close(fds[1]);

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		write(fds[1], "y", 1);
		_exit(0);
	}
	poll_one("waiting for a child's write", fds[0], POLLIN, -1);
	wait_say("the writer", pid, 0);
	read(fds[0], &c, 1);

	set_handler(SIGUSR1, on_usr1, 0);
	pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	poll_one("a signal while waiting", fds[0], POLLIN, 5000);
	wait_say("the signaller", pid, 0);

	TRY("a bad pointer", poll(bad_pointer, 1, 0));
	TRY("no descriptors, timeout 10 ms", poll(NULL, 0, 10));
	return 0;
}
