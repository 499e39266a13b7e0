/*
 * wait4(2) and waitid(2)'s options and the wait status word, as Linux
 * defines them; shared by the kernel and the user library's
 * <sys/wait.h>.
 *
 * Status word: exited = code << 8; killed = signal (| 0x80 with core);
 * stopped = sig << 8 | 0x7f (ptrace events add event << 16);
 * continued = 0xffff.
 */
#ifndef SPOOR_WAIT_ABI_H
#define SPOOR_WAIT_ABI_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* Fenced: clang-format 14 would write (s)&0x7f, as if a cast. */
/* clang-format off */
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WTERMSIG(s)	((s) & 0x7f)
#define WSTOPSIG(s)	WEXITSTATUS(s)
#define WIFEXITED(s)	(WTERMSIG(s) == 0)
#define WIFSIGNALED(s)	(WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)	(((s) & 0xff) == 0x7f)
#define WIFCONTINUED(s)	((s) == 0xffff)
#define WCOREDUMP(s)	((s) & 0x80)
/* clang-format on */

#endif
