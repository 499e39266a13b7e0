/*
 * getrandom(2): up to @buflen random bytes into @buf; the count, or -1.
 */
#include <sys/random.h>

#include "syscall.h"

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)
{
	return __syscall_ret(__syscall(SYS_getrandom, buf, buflen, flags));
}
