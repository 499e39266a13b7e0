/*
 * The three standard streams and their buffering.
 */
#include <errno.h>
#include <unistd.h>

#include "file.h"

static char stdin_buf[BUFSIZ];
static char stdout_buf[BUFSIZ];

/*
 * stdout is line buffered even when it is not a terminal: Spoor's output
 * is read by people and by test runners alike. stderr is unbuffered.
 */
static FILE std_files[3] = {
	{ .fd = 0, .mode = _IOFBF, .buf = stdin_buf, .size = BUFSIZ },
	{ .fd = 1, .mode = _IOLBF, .buf = stdout_buf, .size = BUFSIZ },
	{ .fd = 2, .mode = _IONBF },
};

FILE *stdin = &std_files[0];
FILE *stdout = &std_files[1];
FILE *stderr = &std_files[2];

/* write() all of @buf, retrying short writes; 0, or -1 with errno. */
int __write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Write out what an output stream holds; 0, or EOF with F_ERR set. */
static int flush_one(FILE *f)
{
	int ret = 0;

	if (f->len == 0 || f == stdin)
		return 0;
	if (__write_all(f->fd, f->buf, f->len) < 0) {
		f->flags |= F_ERR;
		ret = EOF;
	}
	f->len = 0;
	return ret;
}

/* Flush @f, or every output stream when @f is NULL. */
int fflush(FILE *f)
{
	if (f)
		return flush_one(f);
	return flush_one(stdout) | flush_one(stderr);
}

/*
 * Change @f's buffering to @mode, using @buf (of @size bytes) when given;
 * without one the stream keeps its own buffer (or writes through if it has
 * none). Pending output is flushed first. Returns 0, or -1 for a bad mode.
 */
int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return -1;
	}
	fflush(f);
	f->mode = mode;
	if (buf && size > 0) {
		f->buf = buf;
		f->size = size;
		f->pos = f->len = 0;
	}
	return 0;
}

void setbuf(FILE *f, char *buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int fileno(FILE *f)
{
	return f->fd;
}

int feof(FILE *f)
{
	return !!(f->flags & F_EOF);
}

int ferror(FILE *f)
{
	return !!(f->flags & F_ERR);
}

void clearerr(FILE *f)
{
	f->flags = 0;
}
