/*
 * Small system calls about the process and the machine: getpid,
 * getppid, the uid family, uname, sched_yield and reboot.
 */
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/power.h>
#include <spoor/printk.h>
#include <spoor/reboot_abi.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/syscalls.h>

long sys_getpid(void)
{
	return current->pid;
}

/* The real parent: a tracer does not become the parent (as on Linux). */
long sys_getppid(void)
{
	return current->real_parent ? current->real_parent->pid : 0;
}

/* Spoor has no users: everyone is root. */
long sys_getuid(void)
{
	return 0;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65];
	char machine[65], domainname[65];
};

long sys_uname(void *ubuf)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strcpy(u.sysname, "Spoor");
	strcpy(u.nodename, "spoor");
	strcpy(u.release, "0.1");
	strcpy(u.version, "#1 " __DATE__);
	strcpy(u.machine, "i686");
	strcpy(u.domainname, "(none)");
	return copy_to_user(ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}

/*
 * reboot(2), for init only (no other process may end the machine).
 * Spoor's addition: the fourth argument of POWER_OFF is the status the
 * host sees through QEMU's isa-debug-exit device (0 = success).
 */
long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, uintptr_t arg)
{
	if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	if (current->pid != 1)
		return -EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		printk("[kernel] power off (status %u)\n",
		       (unsigned)arg & 0x7f);
		machine_exit(arg & 0x7f);
	default:
		return -EINVAL;
	}
}
