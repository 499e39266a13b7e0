/*
 * The ktest environment of every host test program: KTAP lines go to
 * standard output, unbuffered, so a crash loses nothing already
 * printed; the exit status is 0 only if every case passed.
 */
#include <unistd.h>
#include <spoor/ktest.h>

void kt_write(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

int main(void)
{
	return kt_main();
}
