/*
 * Limits of the system call ABI that user space may rely on, shared by
 * the kernel and the user library's <limits.h>.
 */
#ifndef SPOOR_LIMITS_H
#define SPOOR_LIMITS_H

/*
 * What execve may carry: the argv and envp strings with their NULs plus
 * a 4-byte pointer for each, together at most ARG_MAX bytes; more is
 * E2BIG.  (Linux allows a quarter of the stack limit, 2 MiB by default;
 * 128 KiB is its classic ARG_MAX.)
 */
#define ARG_MAX		(128 * 1024)

#define NAME_MAX	255	/* bytes in one path component */
#define PIPE_BUF	4096	/* pipe writes up to this size are atomic */

#endif
