/* Names of Linux i386 system calls, shared by the kernel and strace. */
#ifndef SPOOR_SYSCALL_NAMES_H
#define SPOOR_SYSCALL_NAMES_H

#define NR_LINUX_SYSCALLS	451	/* Linux 6.1: 0 .. 450 */

/* Indexed by number; NULL where Linux has no call. */
extern const char *const linux_syscall_names[NR_LINUX_SYSCALLS];

#endif
