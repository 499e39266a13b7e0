/*
 * Random bytes for user space: AT_RANDOM at exec (glibc's stack guard
 * and pointer guard) and getrandom(2).  Not cryptographic: a 64-bit
 * mixing generator stirred with the TSC (where the CPU has one) and
 * the tick count on every call.  Good enough to make two runs differ.
 */
#ifndef SPOOR_RANDOM_H
#define SPOOR_RANDOM_H

#include <spoor/types.h>

/* Fill @buf with @n bytes. */
void get_random_bytes(void *buf, size_t n);

long sys_getrandom(void *ubuf, size_t count, unsigned flags);

#endif
