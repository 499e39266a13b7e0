/* Names of Linux i386 system calls, shared by the kernel and strace. */
#ifndef SPOOR_SYSCALL_NAMES_H
#define SPOOR_SYSCALL_NAMES_H

#include <spoor/syscall_nr.h>

/* Indexed by number; NULL where Linux has no call. */
extern const char *const linux_syscall_names[NR_SYSCALLS];

#endif
