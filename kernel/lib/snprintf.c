/*
 * snprintf and vsnprintf over vformat: always NUL-terminate when
 * size > 0, return the length the full output would have had.
 */
#include <spoor/format.h>

struct sbuf {
	char *p;
	size_t left;		/* room for characters, not counting the NUL */
};

static void sbuf_emit(char c, void *arg)
{
	struct sbuf *b = arg;

	if (b->left) {
		*b->p++ = c;
		b->left--;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, size ? size - 1 : 0 };
	int n = vformat(sbuf_emit, &b, fmt, ap);

	if (size)
		*b.p = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
