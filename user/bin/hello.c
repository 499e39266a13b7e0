/*
 * hello - the smallest program: one write(2), then exit.
 * strace's demo, so it deliberately avoids stdio.
 */
#include <unistd.h>

int main(void)
{
	static const char msg[] = "hello, world\n";

	write(1, msg, sizeof(msg) - 1);
	return 0;
}
