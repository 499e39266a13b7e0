/*
 * sleep N - sleep for N seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	unsigned long secs;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	secs = strtoul(argv[1], &end, 10);
	if (*end || end == argv[1]) {
		fprintf(stderr, "sleep: invalid time '%s'\n", argv[1]);
		return 2;
	}
	sleep(secs);
	return 0;
}
