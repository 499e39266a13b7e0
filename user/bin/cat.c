/*
 * cat [FILE...] - copy each file (standard input without arguments, or
 * for "-") to standard output.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy @fd to stdout; 0, or -1 with errno set. */
static int copy(int fd)
{
	char buf[512];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int i, fd, status = 0;

	if (argc < 2)
		return copy(0) ? 1 : 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			fd = 0;
		} else if ((fd = open(argv[i], O_RDONLY)) < 0) {
			perror(argv[i]);
			status = 1;
			continue;
		}
		if (copy(fd) < 0) {
			perror(argv[i]);
			status = 1;
		}
		if (fd != 0)
			close(fd);
	}
	return status;
}
