/* Kernel types shared with the Linux i386 ABI. */
#ifndef SPOOR_TYPES_H
#define SPOOR_TYPES_H

#include <stdint.h>
#include <stddef.h>

typedef int pid_t;
typedef long ssize_t;
typedef long off_t;
typedef unsigned int mode_t;
typedef uint64_t sigset_t;	/* Linux rt signal set: 64 signals */

#endif
