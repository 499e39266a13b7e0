/*
 * The resource numbers of getrlimit(2), setrlimit(2) and prlimit64(2)
 * (Linux's, the same on every architecture), shared by the kernel
 * (spoor/resource.h) and the user library's <sys/resource.h>.  Values
 * only: each side has its own struct rlimit.
 */
#ifndef SPOOR_RESOURCE_ABI_H
#define SPOOR_RESOURCE_ABI_H

#define RLIMIT_CPU		0	/* seconds of CPU time */
#define RLIMIT_FSIZE		1	/* bytes of one file */
#define RLIMIT_DATA		2	/* bytes of data segment */
#define RLIMIT_STACK		3	/* bytes of the main stack */
#define RLIMIT_CORE		4	/* bytes of a core dump */
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6	/* processes of the user */
#define RLIMIT_NOFILE		7	/* one more than the highest fd */
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9	/* bytes of address space */
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16	/* a resource >= this is EINVAL */

#endif
