/*
 * Signals: Linux i386 numbers and rt_sigaction layout.  Each task owns
 * its handler table (no threads share one), a pending set and a mask.
 */
#ifndef SPOOR_SIGNAL_H
#define SPOOR_SIGNAL_H

#include <spoor/signum.h>
#include <spoor/types.h>

#define _NSIG		64

#define SIG_DFL		((uintptr_t)0)
#define SIG_IGN		((uintptr_t)1)

#define sigmask(sig)	(1ull << ((sig) - 1))

/* struct sigaction as rt_sigaction(2) passes it on i386. */
struct k_sigaction {
	uintptr_t handler;
	uint32_t flags;
	uintptr_t restorer;
	sigset_t mask;
};

/* siginfo_t, 128 bytes, with the fields Spoor fills. */
struct k_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		struct { pid_t pid; uint32_t uid; int status; } chld;
		struct { pid_t pid; uint32_t uid; } kill;
		struct { uintptr_t addr; } fault;
		int pad[29];
	};
};

struct signal_state {
	struct k_sigaction action[_NSIG + 1];	/* indexed by signal number */
	sigset_t pending;
	sigset_t blocked;
	sigset_t saved_blocked;		/* sigsuspend: mask to restore */
	int restore_blocked;		/* saved_blocked is live */
	struct k_siginfo info[_NSIG + 1];	/* why each pending signal came */
};

struct task_struct;
struct trap_frame;

/* Queue @sig for @t with @info (NULL: sent by the kernel). 0 or -errno. */
int send_signal(struct task_struct *t, int sig, const struct k_siginfo *info);
/*
 * kill(2)'s send to one task, also used for a whole group: from current
 * (@si_code SI_USER) or the kernel (SI_KERNEL).  Init only gets the
 * signals it has a handler for.  0 or -errno.
 */
int kill_task(struct task_struct *t, int sig, int si_code);
/* Shorthand: a signal the kernel sends, e.g. SIGPIPE or SIGCHLD. */
int send_sig(int sig, struct task_struct *t);
/* A fault in user mode: signal current with the fault's address. */
void force_sig_fault(int sig, int code, uintptr_t addr);
/* Deliver pending signals before returning to user mode. */
void do_signal(struct trap_frame *tf);
/* Reset handlers on exec (caught ones go back to SIG_DFL). */
void flush_signal_handlers(struct task_struct *t);

/*
 * Arch: push a handler frame for @sig on the user stack, Linux's old
 * sigframe or (SA_SIGINFO) its rt_sigframe; 0 or -errno.
 */
int setup_signal_frame(int sig, const struct k_sigaction *ka,
		       const struct k_siginfo *info, sigset_t oldmask,
		       struct trap_frame *tf);

#endif
