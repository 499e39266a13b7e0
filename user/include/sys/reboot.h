/*
 * sys/reboot.h - halting the machine.
 *
 * reboot(howto) is glibc's: it supplies the two magic numbers itself.
 * On Spoor, LINUX_REBOOT_CMD_POWER_OFF takes a fourth argument, the exit
 * status handed to the host (QEMU's exit code); use
 * syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
 *         LINUX_REBOOT_CMD_POWER_OFF, status) to pass it.
 */
#ifndef _SYS_REBOOT_H
#define _SYS_REBOOT_H

#include <spoor/reboot_abi.h>	/* LINUX_REBOOT_* */

#define RB_AUTOBOOT	LINUX_REBOOT_CMD_RESTART
#define RB_HALT_SYSTEM	LINUX_REBOOT_CMD_HALT
#define RB_POWER_OFF	LINUX_REBOOT_CMD_POWER_OFF

int reboot(int howto);

#endif /* _SYS_REBOOT_H */
