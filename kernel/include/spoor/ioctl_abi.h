/*
 * The terminal ioctl(2) requests Spoor's console answers (Linux's
 * numbers, asm-generic/ioctls.h), shared by the kernel's tty.c and
 * the user library's <sys/ioctl.h>.
 */
#ifndef SPOOR_IOCTL_ABI_H
#define SPOOR_IOCTL_ABI_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540f	/* the terminal's foreground process group */
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413

#endif
