/*
 * dup: dup and dup2 take the lowest free or the named fd, share the
 * file offset, keep a pipe end alive; closing twice, and every call on
 * an fd that is not open, is EBADF.
 */
#include "conf.h"

#define FILE_PATH "/etc/motd"

static void lowest_free(void)
{
	int fds[2], d;

	pipe(fds);
	close(fds[0]);
	d = dup(fds[1]);
	say("dup takes the lowest free fd: %s", yes(d == fds[0]));
	close(d);
	d = open(FILE_PATH, O_RDONLY);
	say("so does open: %s", yes(d == fds[0]));
	close(d);
	close(fds[1]);
}

/* Reads through a dup continue where the original stopped. */
static void shared_offset(void)
{
	char whole[8] = { 0 }, a[4] = { 0 }, b[4] = { 0 };
	int fd, d;

	fd = open(FILE_PATH, O_RDONLY);
	say("open %s: %s", FILE_PATH, yes(fd >= 0));
	read(fd, whole, 6);
	close(fd);
	fd = open(FILE_PATH, O_RDONLY);
	d = dup(fd);
	TRY("read 3 via the fd", read(fd, a, 3));
	TRY("read 3 via its dup", read(d, b, 3));
	say("the dup went on from offset 3: %s",
	    yes(!memcmp(a, whole, 3) && !memcmp(b, whole + 3, 3)));
	close(fd);
	TRY("read via the dup after closing the original", read(d, a, 1));
	close(d);
}

static void dup2_semantics(void)
{
	int a[2], b[2], d;
	char c = 0;

	pipe(a);
	pipe(b);
	say("dup2(fd, fd) returns fd: %s", yes(dup2(a[1], a[1]) == a[1]));
	say("dup2(a, b) returns b: %s", yes(dup2(a[1], b[1]) == b[1]));
	TRY("the pipe whose writer b was: read", read(b[0], &c, 1));
	write(b[1], "z", 1);
	TRY("read what was written via b", read(a[0], &c, 1));
	say("got: %c", c);
	TRY("dup2(not open, b)", dup2(999, b[1]));
	TRY("dup2(-1, b)", dup2(-1, b[1]));
	TRY("b still writes", write(b[1], "y", 1));
	TRY("dup2(a, -1)", dup2(a[1], -1));

	/* A dup of the only write end keeps the pipe from EOF. */
	d = dup(a[1]);
	close(a[1]);
	close(b[1]);
	read(a[0], &c, 1);	/* the 'y' */
	write(d, "w", 1);
	TRY("read via a kept-alive pipe", read(a[0], &c, 1));
	close(d);
	TRY("read once the dup is closed", read(a[0], &c, 1));
	close(a[0]);
	close(b[0]);
}

static void bad_fds(void)
{
	static const int fds[] = { -1, 999, 0x7fffffff };
	char buf[8] = "abc", what[48];
	unsigned int i;
	int p[2];

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		snprintf(what, sizeof(what), "read(%d)", fds[i]);
		TRY(what, read(fds[i], buf, 1));
		snprintf(what, sizeof(what), "write(%d)", fds[i]);
		TRY(what, write(fds[i], buf, 1));
		snprintf(what, sizeof(what), "close(%d)", fds[i]);
		TRY(what, close(fds[i]));
		snprintf(what, sizeof(what), "dup(%d)", fds[i]);
		TRY(what, dup(fds[i]));
	}
	pipe(p);
	TRY("close", close(p[0]));
	TRY("close again", close(p[0]));
	TRY("read a closed fd", read(p[0], buf, 1));
	TRY("write a closed fd", write(p[0], buf, 1));
	TRY("dup a closed fd", dup(p[0]));
	close(p[1]);
	p[0] = open(FILE_PATH, O_RDONLY);
	TRY("write to a file opened for reading", write(p[0], buf, 1));
	close(p[0]);
	TRY("open a missing file", open("/no-such-file", O_RDONLY));
	TRY("open an empty path", open("", O_RDONLY));
}

int main(void)
{
	conf_init();
	lowest_free();
	shared_offset();
	dup2_semantics();
	bad_fds();
	return 0;
}
