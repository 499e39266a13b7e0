/*
 * Resource limits (getrlimit, setrlimit, prlimit64): Linux's
 * resource numbers and RLIM64_INFINITY.  Each task has its own,
 * copied by fork and kept across exec.
 */
#ifndef SPOOR_RESOURCE_H
#define SPOOR_RESOURCE_H

#include <stdint.h>
#include <spoor/resource_abi.h>	/* RLIMIT_*, RLIM_NLIMITS */

#define RLIM64_INFINITY	(~0ull)

struct rlimit64 {
	uint64_t rlim_cur, rlim_max;
};

struct task_struct;

/* The limits a new init starts with (Linux's INIT_RLIMITS, as Spoor has them). */
void rlimit_init(struct task_struct *t);

long sys_getrlimit(unsigned resource, void *urlim);
long sys_ugetrlimit(unsigned resource, void *urlim);
long sys_setrlimit(unsigned resource, const void *urlim);
long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *unew,
		   struct rlimit64 *uold);

#endif
