/*
 * The signal system calls: kill, tgkill, tkill, rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend and pause.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/pgrp.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/wait.h>

#define UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))

int kill_task(struct task_struct *t, int sig, int si_code)
{
	struct k_siginfo info = { .si_signo = sig, .si_code = si_code };

	if (!sig)			/* only: does @t exist? */
		return 0;
	if (t == init_task && t->sig.action[sig].handler == SIG_DFL)
		return 0;
	if (si_code == SI_USER)
		info.kill.pid = current->pid;
	return send_signal(t, sig, &info);
}

/* kill(-1, @sig): every process but init and the caller. */
static long kill_all(int sig)
{
	struct task_struct *t;
	int found = 0;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t == init_task || t == current || t->state == TASK_DEAD)
			continue;
		found = 1;
		kill_task(t, sig, SI_USER);
	}
	return found ? 0 : -ESRCH;
}

/*
 * kill(2): @pid > 0 is one process, 0 the caller's process group,
 * -1 every process but init and the caller, < -1 the group -@pid.
 * Signal 0 only checks that the target exists.
 */
long sys_kill(pid_t pid, int sig)
{
	struct task_struct *t;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid == -1)
		return kill_all(sig);
	if (pid == INT32_MIN)			/* -pid would overflow */
		return -ESRCH;
	if (pid <= 0)
		return kill_pgrp(pid ? -pid : current->pgid, sig, SI_USER);
	t = find_task(pid);
	return t ? kill_task(t, sig, SI_USER) : -ESRCH;
}

/*
 * tgkill(2) and tkill(2): signal one thread.  Spoor's processes have
 * one thread each, whose tid is the pid (glibc's raise() is
 * tgkill(getpid(), gettid(), sig)).
 */
long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	struct task_struct *t;

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	t = find_task(tid);
	if (!t || t->state == TASK_DEAD || t->pid != tgid)
		return -ESRCH;
	return kill_task(t, sig, SI_USER);
}

long sys_tkill(pid_t tid, int sig)
{
	return sys_tgkill(tid, tid, sig);
}

long sys_rt_sigaction(int sig, const struct k_sigaction *uact,
		      struct k_sigaction *uoact, size_t sigsetsize)
{
	struct k_sigaction *ka, act;

	if (sigsetsize != sizeof(sigset_t) || sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	ka = &current->sig.action[sig];
	if (uoact && copy_to_user(uoact, ka, sizeof(*ka)))
		return -EFAULT;
	if (!uact)
		return 0;
	act.mask &= ~UNBLOCKABLE;
	*ka = act;
	if (act.handler == SIG_IGN)	/* pending instances go too */
		current->sig.pending &= ~sigmask(sig);
	return 0;
}

long sys_rt_sigprocmask(int how, const sigset_t *uset, sigset_t *uoset,
			size_t sigsetsize)
{
	sigset_t set, old = current->sig.blocked;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uset) {
		switch (how) {
		case SIG_BLOCK:
			set |= old;
			break;
		case SIG_UNBLOCK:
			set = old & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	if (uset)
		current->sig.blocked = set & ~UNBLOCKABLE;
	return 0;
}

long sys_rt_sigpending(sigset_t *uset, size_t sigsetsize)
{
	sigset_t set = current->sig.pending & current->sig.blocked;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set)) ? -EFAULT : 0;
}

/* Sleep until a signal arrives that is not ignored. */
static long wait_for_signal(void)
{
	uint32_t flags = irq_save();

	while (!sleep_on(&wait_for_signal))
		;
	irq_restore(flags);
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	return wait_for_signal();
}

/*
 * rt_sigsuspend(2): wait with @umask in force; the old mask comes back
 * when the handler returns (it is what the signal frame saves).
 */
long sys_rt_sigsuspend(const sigset_t *umask, size_t sigsetsize)
{
	sigset_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	current->sig.saved_blocked = current->sig.blocked;
	current->sig.restore_blocked = 1;
	current->sig.blocked = mask & ~UNBLOCKABLE;
	wait_for_signal();
	return -EINTR;
}
