/*
 * Helpers shared by the ptrace test programs, user/tests/test_ptrace_*.c.
 *
 * Static inline, like utest.h, whose rules hold here too: a forked
 * child never returns into the ktest runner, it reports through its
 * exit status or a pipe.  The programs run on Spoor and, unchanged, on
 * a Linux x86_64 host as i386 binaries, whose ptrace is the oracle.
 *
 * Two rules every case keeps:
 *
 *   - kill() only ever gets a pid > 0 (pt_kill): a failed fork's -1
 *     would signal every process the tests may signal;
 *   - a child that installs a handler passes SA_SIGINFO: Linux i386
 *     builds the rt signal frame that the library's restorer
 *     (rt_sigreturn) expects only for SA_SIGINFO handlers.
 */
#ifndef USER_TESTS_TEST_PTRACE_H
#define USER_TESTS_TEST_PTRACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "utest.h"

/* PTRACE_PEEKUSER/POKEUSER offsets in struct user (Linux i386). */
#define PT_REG(field)	offsetof(struct user, regs.field)
#define PT_DR(n)	(offsetof(struct user, u_debugreg) + (n) * sizeof(int))

/* ptrace's addr and data arguments from integers. */
#define PT_ADDR(v)	((void *)(uintptr_t)(v))
#define PT_DATA(v)	((void *)(uintptr_t)(v))

/* EFLAGS bits (Intel SDM vol. 1, 3.4.3). */
#define EFL_CF		0x00000001
#define EFL_FIXED	0x00000002	/* always 1 */
#define EFL_PF		0x00000004
#define EFL_AF		0x00000010
#define EFL_ZF		0x00000040
#define EFL_SF		0x00000080
#define EFL_TF		0x00000100
#define EFL_IF		0x00000200
#define EFL_DF		0x00000400
#define EFL_OF		0x00000800
#define EFL_IOPL	0x00003000
#define EFL_NT		0x00004000
#define EFL_RF		0x00010000
#define EFL_VM		0x00020000
#define EFL_AC		0x00040000
#define EFL_VIF		0x00080000
#define EFL_VIP		0x00100000
#define EFL_ID		0x00200000

/* clang-format 14 writes (n)*2 in macros. */
/* clang-format off */
/* DR7 (SDM vol. 3B, 17.2.4): local enable of breakpoint @n ... */
#define DR7_L(n)	(1u << ((n) * 2))
/* ... its condition (00 execute, 01 write, 11 read/write) and length. */
#define DR7_RW(n, rw)	((unsigned)(rw) << (16 + (n) * 4))
#define DR7_LEN(n, len)	((unsigned)(len) << (18 + (n) * 4))
/* clang-format on */
#define DR7_GD		0x2000u
#define DR_RW_EXEC	0
#define DR_RW_WRITE	1
#define DR_RW_IO	2
#define DR_RW_RW	3
#define DR_LEN_1	0
#define DR_LEN_2	1
#define DR_LEN_4	3
/* DR6: breakpoint @n was hit. */
#define DR6_B(n)	(1u << (n))

/* WSTOPSIG of a system call stop under PTRACE_O_TRACESYSGOOD. */
#define PT_SYSCALL_SIG	(SIGTRAP | 0x80)

/* status >> 8 of a PTRACE_EVENT_@ev stop. */
#define PT_EVENT_SIG(ev) (SIGTRAP | (ev) << 8)

/* A child body's exit code when its own setup failed. */
#define PT_EXIT_SETUP	120

/* Kill @pid (if it is one) and reap it: its wait status, or -1. */
static inline int pt_kill(pid_t pid)
{
	if (pid <= 0)
		return -1;
	kill(pid, SIGKILL);
	return ut_wait(pid, 0);
}

/*
 * Fork a child that asks to be traced (PTRACE_TRACEME), stops itself
 * with SIGSTOP, then runs @body(@arg) and _exits with its result.
 * Returns the child's pid once it sits in that first stop, or -1 (the
 * child, if any, is gone).  Resume it with a restart request and
 * signal 0, which discards the SIGSTOP.
 */
static inline pid_t pt_spawn_traced(int (*body)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(PT_EXIT_SETUP);
		raise(SIGSTOP);
		_exit(body(arg));
	}
	if (pid < 0)
		return -1;
	st = ut_wait(pid, 0);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
		if (st != -1 && WIFSTOPPED(st))
			pt_kill(pid);
		return -1;
	}
	return pid;
}

/* Restart @pid with @request (CONT, SYSCALL, ...) and signal @sig, wait. */
static inline int pt_resume(pid_t pid, int request, int sig)
{
	if (ptrace(request, pid, NULL, PT_DATA(sig)) < 0)
		return -1;
	return ut_wait(pid, 0);
}

/* PTRACE_CONT with @sig, then wait: the next status. */
static inline int pt_cont(pid_t pid, int sig)
{
	return pt_resume(pid, PTRACE_CONT, sig);
}

/*
 * waitpid(@pid) for at most @ms milliseconds: the status, or -1 when
 * nothing came (the child is left as it is).  For children that a bug
 * could leave stopped or blocked forever.
 */
static inline int pt_wait_timeout(pid_t pid, int options, int ms)
{
	int st, waited;
	pid_t got;

	for (waited = 0; waited <= ms; waited += 5) {
		got = waitpid(pid, &st, options | WNOHANG);
		if (got == pid)
			return st;
		if (got < 0 && errno != EINTR)
			return -1;
		ut_sleep_ms(5);
	}
	return -1;
}

/*
 * Continue @pid until it stops with signal @sig (or ends), passing any
 * other signal it stops with on to it (a SIGCHLD from its own child,
 * say).  Returns that status, or -1.
 */
static inline int pt_cont_until(pid_t pid, int sig)
{
	int st = pt_cont(pid, 0), i;

	for (i = 0;
	     i < 100 && st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) != sig; i++)
		st = pt_cont(pid, st >> 16 ? 0 : WSTOPSIG(st));
	return st;
}

/* PTRACE_PEEKUSER at @off: the word; errno tells a failure. */
static inline long pt_peekuser(pid_t pid, size_t off)
{
	errno = 0;
	return ptrace(PTRACE_PEEKUSER, pid, PT_ADDR(off), NULL);
}

static inline long pt_pokeuser(pid_t pid, size_t off, unsigned long v)
{
	return ptrace(PTRACE_POKEUSER, pid, PT_ADDR(off), PT_DATA(v));
}

static inline long pt_getregs(pid_t pid, struct user_regs_struct *regs)
{
	return ptrace(PTRACE_GETREGS, pid, NULL, regs);
}

static inline long pt_setregs(pid_t pid, const struct user_regs_struct *regs)
{
	return ptrace(PTRACE_SETREGS, pid, NULL, (void *)regs);
}

/* The eip of stopped tracee @pid, or 0. */
static inline unsigned long pt_eip(pid_t pid)
{
	struct user_regs_struct r;

	return pt_getregs(pid, &r) == 0 ? (unsigned long)r.eip : 0;
}

/* Install @handler for @sig the way every child here does. */
static inline int pt_handle(int sig, void (*handler)(int))
{
	return ut_handle(sig, handler, SA_SIGINFO);
}

/*
 * Leak check, as test_leak does it: run @storm once to warm up caches
 * and high-water marks, read Spoor's /proc/meminfo, run it again (it
 * must reap everything it made), read again: free pages and kernel
 * heap bytes must be back where they were.  On Linux the storms still
 * run (they must work) and the comparison is skipped.
 */
static inline void pt_expect_no_leak(struct kt_test *t, void (*storm)(void))
{
	long pages0, heap0, pages1, heap1;

	storm();
	if (!ut_is_spoor()) {
		storm();
		KT_SKIP(t, "no Spoor /proc/meminfo on this system");
	}
	KT_ASSERT_EQ(t, ut_meminfo(&pages0, &heap0), 0);
	storm();
	KT_ASSERT_EQ(t, ut_meminfo(&pages1, &heap1), 0);
	kt_log(t, "free_pages %ld -> %ld, heap_bytes %ld -> %ld", pages0,
	       pages1, heap0, heap1);
	KT_EXPECT_EQ(t, pages1, pages0);
	KT_EXPECT_EQ(t, heap1, heap0);
}

#endif /* USER_TESTS_TEST_PTRACE_H */
