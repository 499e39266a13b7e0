/*
 * Signals: sigaction over rt_sigaction, signal() on top, masks, kill.
 */
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

#include "syscall.h"

/* The handler return trampoline, sigrestore.S. */
void __restore(void);
void __restore_rt(void);

/* The kernel's struct for rt_sigaction: note the order differs from libc's. */
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	sigset_t mask;
};

/*
 * Install and/or fetch the action for @sig. As in glibc, every handler
 * returns through a restorer (SA_RESTORER) that matches the frame the
 * kernel builds for it: __restore_rt (rt_sigreturn) for SA_SIGINFO
 * handlers, __restore (sigreturn, the old frame) for the others. The
 * old action reports the kernel's flags, SA_RESTORER included.
 */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact)
{
	struct kernel_sigaction kact = { 0 }, kold = { 0 };
	long ret;

	if (act) {
		kact.handler = (void *)act->sa_handler;
		kact.flags = act->sa_flags | SA_RESTORER;
		kact.restorer = (act->sa_flags & SA_SIGINFO) ? __restore_rt :
							       __restore;
		kact.mask = act->sa_mask;
	}
	ret = __syscall(SYS_rt_sigaction, sig, act ? &kact : NULL,
			oldact ? &kold : NULL, sizeof(sigset_t));
	if (ret == 0 && oldact) {
		oldact->sa_handler = (sighandler_t)kold.handler;
		oldact->sa_flags = kold.flags;
		oldact->sa_restorer = kold.restorer;
		oldact->sa_mask = kold.mask;
	}
	return __syscall_ret(ret);
}

/*
 * BSD semantics, as glibc's signal(): the handler stays installed,
 * @sig is blocked while it runs, and interrupted calls restart.
 */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;

	act.sa_handler = handler;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	act.sa_flags = SA_RESTART;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)
{
	return __syscall_ret(__syscall(SYS_rt_sigprocmask, how, set, oldset,
				       sizeof(sigset_t)));
}

/* Wait for a signal with @mask in force; returns -1 with EINTR. */
int sigsuspend(const sigset_t *mask)
{
	return __syscall_ret(__syscall(SYS_rt_sigsuspend, mask,
				       sizeof(sigset_t)));
}

int sigpending(sigset_t *set)
{
	return __syscall_ret(__syscall(SYS_rt_sigpending, set,
				       sizeof(sigset_t)));
}

int kill(pid_t pid, int sig)
{
	return __syscall_ret(__syscall(SYS_kill, pid, sig));
}

int raise(int sig)
{
	return kill(getpid(), sig);
}
