/*
 * sys/wait.h - waiting for children.
 */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

#include <spoor/wait_abi.h>	/* W* options, Linux's status encoding */

struct rusage;

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

#endif /* _SYS_WAIT_H */
