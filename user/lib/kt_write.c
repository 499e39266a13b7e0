/*
 * The output hook of the shared ktest runner (kernel/lib/ktest.c) for user
 * test programs: KTAP lines go to stdout, after anything printf left
 * pending, so the two never interleave out of order.
 */
#include <spoor/ktest.h>
#include <stdio.h>

#include "file.h"

void kt_write(const char *s, size_t n)
{
	fflush(stdout);
	__write_all(1, s, n);
}
