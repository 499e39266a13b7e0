/*
 * sys/random.h - getrandom(2): random bytes from the kernel.
 */
#ifndef _SYS_RANDOM_H
#define _SYS_RANDOM_H

#include <sys/types.h>

#include <spoor/random_abi.h>	/* GRND_* */

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);

#endif /* _SYS_RANDOM_H */
