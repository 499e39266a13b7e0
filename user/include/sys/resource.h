/*
 * sys/resource.h - resource limits: getrlimit(2) and setrlimit(2), with
 * Linux i386's struct rlimit of two 32-bit values, where ~0 is
 * RLIM_INFINITY.  prlimit64(2) has no wrapper: syscall(SYS_prlimit64).
 */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <spoor/resource_abi.h>	/* RLIMIT_*, RLIM_NLIMITS */

typedef unsigned long rlim_t;

#define RLIM_INFINITY	(~0ul)
#define RLIM_SAVED_MAX	RLIM_INFINITY
#define RLIM_SAVED_CUR	RLIM_INFINITY

struct rlimit {
	rlim_t rlim_cur;	/* the soft limit, what is enforced */
	rlim_t rlim_max;	/* the hard limit, the soft one's ceiling */
};

int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);

#endif /* _SYS_RESOURCE_H */
