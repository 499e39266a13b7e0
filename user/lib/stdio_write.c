/*
 * Character and string output on streams.
 */
#include <string.h>

#include "file.h"

/* Send @len bytes straight to @f's descriptor (unbuffered streams). */
static int write_through(FILE *f, const char *s, size_t len)
{
	if (__write_all(f->fd, s, len) < 0) {
		f->flags |= F_ERR;
		return EOF;
	}
	return 0;
}

/* Returns the byte written, or EOF on a write error. */
int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (f->mode == _IONBF || !f->buf)
		return write_through(f, &ch, 1) ? EOF : (unsigned char)ch;
	if (f->len == f->size && fflush(f))
		return EOF;
	f->buf[f->len++] = ch;
	if (f->len == f->size || (f->mode == _IOLBF && ch == '\n'))
		if (fflush(f))
			return EOF;
	return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* An unbuffered stream gets the whole block in one write. */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	const char *s = p;
	size_t i, total = size * n;

	if (total == 0)
		return 0;
	if (f->mode == _IONBF || !f->buf)
		return write_through(f, s, total) ? 0 : n;
	for (i = 0; i < total; i++)
		if (fputc(s[i], f) == EOF)
			return i / size;
	return n;
}

int fputs(const char *s, FILE *f)
{
	size_t len = strlen(s);

	return fwrite(s, 1, len, f) == len ? 0 : EOF;
}

/* @s and a newline. */
int puts(const char *s)
{
	if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
		return EOF;
	return 0;
}
