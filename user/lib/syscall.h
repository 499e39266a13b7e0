/*
 * Internal: the raw system call entry shared by the library's wrappers.
 */
#ifndef _USER_LIB_SYSCALL_H
#define _USER_LIB_SYSCALL_H

#include <sys/syscall.h>

/*
 * Make system call @nr with up to five arguments (ebx, ecx, edx, esi, edi).
 * Returns the kernel's raw result: a value in [-4095, -1] is -errno.
 * ebp stays the frame pointer, so a tracer can walk the user stack from a
 * syscall stop.
 */
long __syscall(long nr, ...);

/*
 * Turn a raw result into the C convention: -errno becomes errno and -1,
 * anything else is returned unchanged.
 */
long __syscall_ret(long ret);

#endif /* _USER_LIB_SYSCALL_H */
