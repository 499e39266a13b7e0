/*
 * reboot(howto), glibc's form: the magic numbers are added here, and a
 * POWER_OFF through this wrapper reports exit status 0 to the host.
 * Returns only on failure.
 */
#include <sys/reboot.h>

#include "syscall.h"

int reboot(int howto)
{
	return __syscall_ret(__syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
				       LINUX_REBOOT_MAGIC2, howto, 0));
}
