/*
 * ghello: "hello" built against glibc (static, the cross toolchain's
 * own libc), the way any Linux i386 program is built.  A student can
 * trace glibc's start-up with `strace /bin/ghello` or `btrace`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *p = malloc(200000);	/* big enough for glibc to mmap it */

	if (!p)
		return 1;
	strcpy(p, "glibc");
	printf("hello from %s, %d argument%s\n", p, argc - 1,
	       argc == 2 ? "" : "s");
	free(p);
	return argv[1] && !strcmp(argv[1], "fail");
}
