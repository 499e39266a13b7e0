/*
 * Input from streams (in practice: stdin).
 */
#include <errno.h>
#include <unistd.h>

#include "file.h"

/*
 * Read more input into @f's buffer. Pending stdout goes out first so a
 * prompt without a newline is visible before the program blocks. An
 * unbuffered stream reads one byte at a time, so it never takes input a
 * child process sharing the descriptor should see.
 * Returns 0, or EOF with F_EOF or F_ERR set.
 */
static int refill(FILE *f)
{
	size_t want = f->mode == _IONBF ? 1 : f->size;
	ssize_t n;

	fflush(stdout);
	do
		n = read(f->fd, f->buf, want);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		f->flags |= n == 0 ? F_EOF : F_ERR;
		return EOF;
	}
	f->pos = 0;
	f->len = n;
	return 0;
}

/* The next byte as an unsigned char, or EOF at end of input or error. */
int fgetc(FILE *f)
{
	if (f->pos >= f->len && refill(f))
		return EOF;
	return (unsigned char)f->buf[f->pos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

/*
 * Read a line of at most @size - 1 bytes into @s, keeping the newline.
 * Returns @s, or NULL if nothing was read before end of input or error.
 */
char *fgets(char *s, int size, FILE *f)
{
	int i = 0, c;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	s[i] = '\0';
	return s;
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	char *s = p;
	size_t i, total = size * n;
	int c;

	for (i = 0; i < total; i++) {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i] = (char)c;
	}
	return size ? i / size : 0;
}
