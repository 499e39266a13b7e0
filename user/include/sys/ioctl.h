/*
 * sys/ioctl.h - device control. Spoor defines no ioctls of its own yet;
 * requests use the Linux numbers.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TIOCGPGRP	0x540f	/* the console's foreground process group */
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413

int ioctl(int fd, unsigned long request, ...);

#endif /* _SYS_IOCTL_H */
