/*
 * Resource limits in the i386 struct rlimit: getrlimit through
 * ugetrlimit(2), which reports a limit past 32 bits as RLIM_INFINITY
 * (the old getrlimit(2) would clip it to 0x7fffffff), and setrlimit(2),
 * where the kernel reads RLIM_INFINITY as the 64-bit infinity.
 */
#include <sys/resource.h>

#include "syscall.h"

int getrlimit(int resource, struct rlimit *rlim)
{
	return __syscall_ret(__syscall(SYS_ugetrlimit, resource, rlim));
}

int setrlimit(int resource, const struct rlimit *rlim)
{
	return __syscall_ret(__syscall(SYS_setrlimit, resource, rlim));
}
