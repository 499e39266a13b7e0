/*
 * errno and the conversion of raw kernel results.
 */
#include <errno.h>

#include "syscall.h"

int errno;

/* Raw results in [-4095, -1] are errors; addresses above 2 GiB are not. */
long __syscall_ret(long ret)
{
	if ((unsigned long)ret > -4096UL) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
