/*
 * fcntl and openat: close-on-exec (F_GETFD/F_SETFD, O_CLOEXEC,
 * F_DUPFD_CLOEXEC), F_DUPFD's lowest free descriptor at or above its
 * argument, O_NONBLOCK through F_SETFL (an empty pipe then reads
 * EAGAIN), and openat from AT_FDCWD and from a directory descriptor,
 * with EBADF and ENOTDIR for bad ones.  Only the access mode and
 * O_NONBLOCK of F_GETFL are printed: the other bits differ between
 * architectures (O_LARGEFILE).
 */
#include "conf.h"

static const char *flags_str(int fl)
{
	static const char *const modes[4] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					      "mode 3" };
	static char buf[48];

	snprintf(buf, sizeof(buf), "%s%s", modes[fl & O_ACCMODE],
		 (fl & O_NONBLOCK) ? " | O_NONBLOCK" : "");
	return buf;
}

int main(void)
{
	int fds[2], root, fd, copy;
	char c;

	conf_init();
	pipe(fds);
	TRY("F_GETFD of a pipe", fcntl(fds[0], F_GETFD));
	TRY("F_SETFD FD_CLOEXEC", fcntl(fds[0], F_SETFD, FD_CLOEXEC));
	TRY("F_GETFD after", fcntl(fds[0], F_GETFD));
	TRY("F_SETFD 0", fcntl(fds[0], F_SETFD, 0));
	TRY("F_GETFD again", fcntl(fds[0], F_GETFD));
	/* High numbers: whatever the runner left open sits lower. */
	copy = fcntl(fds[0], F_DUPFD, 24);
	say("F_DUPFD from 24: %d", copy);
	TRY("F_DUPFD from 24 again", fcntl(fds[0], F_DUPFD, 24));
	TRY("F_GETFD of the copy", fcntl(copy, F_GETFD));
	TRY("F_DUPFD_CLOEXEC from 28", fcntl(fds[0], F_DUPFD_CLOEXEC, 28));
	TRY("F_GETFD of that copy", fcntl(28, F_GETFD));
	say("F_GETFL, read end: %s", flags_str(fcntl(fds[0], F_GETFL)));
	say("F_GETFL, write end: %s", flags_str(fcntl(fds[1], F_GETFL)));
	TRY("F_SETFL O_NONBLOCK", fcntl(fds[0], F_SETFL, O_NONBLOCK));
	say("F_GETFL after: %s", flags_str(fcntl(fds[0], F_GETFL)));
	say("  the copy shares it: %s", flags_str(fcntl(copy, F_GETFL)));
	TRY("read an empty pipe", read(fds[0], &c, 1));
	TRY("F_GETFD of a closed fd", fcntl(30, F_GETFD));
	TRY("an unknown command", fcntl(fds[0], 0x7fff));

	root = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY);
	say("openat(AT_FDCWD, \"/\"): %s",
	    root >= 0 ? "a descriptor" : "failed");
	fd = openat(root, "bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("openat(root, \"bin\", O_CLOEXEC): %s",
	    fd >= 0 ? "a descriptor" : errno_name(errno));
	TRY("  its F_GETFD", fcntl(fd, F_GETFD));
	close(fd);
	TRY("openat(root, \"no-such-name\")",
	    openat(root, "no-such-name", O_RDONLY));
	TRY("openat(a pipe, \"bin\")", openat(fds[1], "bin", O_RDONLY));
	TRY("openat(a closed fd, \"bin\")", openat(30, "bin", O_RDONLY));
	TRY("openat(a closed fd, \"/\")", openat(30, "/", O_RDONLY) >= 0);
	return 0;
}
