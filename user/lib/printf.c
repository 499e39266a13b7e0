/*
 * The printf family, over the shared vformat engine (kernel/lib/format.c).
 * snprintf and vsnprintf come from kernel/lib/snprintf.c.
 */
#include <spoor/format.h>
#include <stdarg.h>
#include <stdio.h>

#include "file.h"

/*
 * The output of one call, gathered in a local buffer and passed on in
 * blocks: to a stream (which buffers as it was told) or to a descriptor.
 * So a message on unbuffered stderr is one write(2), not one per byte,
 * which keeps strace output and interleaving across processes sane.
 */
struct sink {
	FILE *f;		/* destination stream, or NULL for fd */
	int fd;
	int err;
	size_t len;
	char buf[256];
};

static void sink_flush(struct sink *s)
{
	if (s->len == 0)
		return;
	if (s->f) {
		if (fwrite(s->buf, 1, s->len, s->f) != s->len)
			s->err = 1;
	} else if (__write_all(s->fd, s->buf, s->len) < 0) {
		s->err = 1;
	}
	s->len = 0;
}

static void sink_emit(char c, void *arg)
{
	struct sink *s = arg;

	if (s->len == sizeof(s->buf))
		sink_flush(s);
	s->buf[s->len++] = c;
}

/* Format into @s and drain it; characters formatted, or -1 on error. */
static int sink_vformat(struct sink *s, const char *fmt, va_list ap)
{
	int n;

	s->err = 0;
	s->len = 0;
	n = vformat(sink_emit, s, fmt, ap);
	sink_flush(s);
	return s->err ? -1 : n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct sink s = { .f = f };

	return sink_vformat(&s, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

/* Unbuffered, straight to @fd. */
int dprintf(int fd, const char *fmt, ...)
{
	struct sink s = { .f = NULL, .fd = fd };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = sink_vformat(&s, fmt, ap);
	va_end(ap);
	return n;
}

static void emit_string(char c, void *arg)
{
	char **p = arg;

	*(*p)++ = c;
}

/* Unbounded: the caller guarantees the room (prefer snprintf). */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
	char *p = buf;
	int n;

	n = vformat(emit_string, &p, fmt, ap);
	*p = '\0';
	return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
