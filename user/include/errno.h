/*
 * errno.h - error numbers: Linux's values, from the list the kernel
 * itself uses (kernel/include/spoor/errno.h), so -errno from a system
 * call maps one to one.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <spoor/errno.h>

/* Set by every failing library call; a plain global (no threads). */
extern int errno;

#endif /* _ERRNO_H */
