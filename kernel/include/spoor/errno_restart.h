/*
 * The kernel's restart codes (Linux's include/linux/errno.h).  A system
 * call interrupted by a signal returns one of them; the signal code
 * turns it into a restart or into EINTR before user mode sees it, but a
 * tracer sees it in eax at the syscall-exit stop.  Not errno values:
 * the kernel's <spoor/errno.h> and strace include this file.
 */
#ifndef SPOOR_ERRNO_RESTART_H
#define SPOOR_ERRNO_RESTART_H

#define ERESTARTSYS		512	/* restart unless a handler ran */
#define ERESTARTNOINTR		513	/* always restart */
#define ERESTARTNOHAND		514	/* restart if no handler ran */
#define ERESTART_RESTARTBLOCK	516	/* restart through restart_syscall */

#endif
