/*
 * sys/ioctl.h - device control. Spoor defines no ioctls of its own yet;
 * requests use the Linux numbers.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <spoor/ioctl_abi.h>	/* TCGETS, TIOC* */

int ioctl(int fd, unsigned long request, ...);

#endif /* _SYS_IOCTL_H */
