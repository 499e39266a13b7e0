/*
 * Signals: sending, default actions, job-control stop and continue,
 * and delivery to handlers on the way back to user mode.  The handler
 * frame itself is built by the architecture (arch/x86/signal.c).
 */
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include <spoor/wait.h>

#define SIG_KERNEL_ONLY	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_STOPS	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			 sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define SIG_DFL_IGNORE	(sigmask(SIGCHLD) | sigmask(SIGCONT) | \
			 sigmask(SIGURG) | sigmask(SIGWINCH))

static int valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* Would @t throw @sig away right now (ignored, and nobody watches)? */
static int sig_ignored(struct task_struct *t, int sig)
{
	uintptr_t h = t->sig.action[sig].handler;

	if (t->ptrace || (t->sig.blocked & sigmask(sig)))
		return 0;
	return h == SIG_IGN || (h == SIG_DFL && (SIG_DFL_IGNORE & sigmask(sig)));
}

/* SIGCONT and SIGKILL wake a stopped task; the parent hears of it. */
static void continue_task(struct task_struct *t)
{
	t->sig.pending &= ~SIG_STOPS;
	t->group_stop = 0;	/* a tracee's stop ends, even if it stays traced */
	if (t->state != TASK_STOPPED)
		return;
	t->state = TASK_RUNNING;
	t->stop_report = 0;
	t->cont_report = 1;
	wake_up_task(t);
	notify_parent(t, CLD_CONTINUED, SIGCONT);
}

int send_signal(struct task_struct *t, int sig, const struct k_siginfo *info)
{
	struct k_siginfo kinfo = { .si_signo = sig, .si_code = SI_KERNEL };
	uint32_t flags;

	if (!valid_signal(sig))
		return -EINVAL;
	if (t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
		return 0;
	flags = irq_save();
	if (sig == SIGCONT || sig == SIGKILL)
		continue_task(t);
	if (sig == SIGKILL && t->state == TASK_TRACED) {
		t->state = TASK_RUNNING;	/* to die, whatever the tracer says */
		wake_up_task(t);
	}
	if (SIG_STOPS & sigmask(sig))
		t->sig.pending &= ~sigmask(SIGCONT);
	if (!sig_ignored(t, sig)) {
		t->sig.pending |= sigmask(sig);
		t->sig.info[sig] = info ? *info : kinfo;
		if (t->state == TASK_INTERRUPTIBLE &&
		    (!(t->sig.blocked & sigmask(sig))))
			wake_up_task(t);
	}
	irq_restore(flags);
	return 0;
}

int send_sig(int sig, struct task_struct *t)
{
	return send_signal(t, sig, NULL);
}

/*
 * A fault cannot be ignored or blocked away: like Linux's force_sig,
 * undo either so the signal is delivered (and kills by default).
 */
void force_sig_fault(int sig, int code, uintptr_t addr)
{
	struct k_siginfo info = { .si_signo = sig, .si_code = code };
	struct k_sigaction *ka = &current->sig.action[sig];

	info.fault.addr = addr;
	if (ka->handler == SIG_IGN || (current->sig.blocked & sigmask(sig))) {
		ka->handler = SIG_DFL;
		current->sig.blocked &= ~sigmask(sig);
	}
	send_signal(current, sig, &info);
}

void flush_signal_handlers(struct task_struct *t)
{
	int sig;

	for (sig = 1; sig <= _NSIG; sig++) {
		struct k_sigaction *ka = &t->sig.action[sig];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
}

/* Take the lowest pending unblocked signal off the queue; 0 if none. */
static int dequeue_signal(struct k_siginfo *info)
{
	sigset_t ready = current->sig.pending & ~current->sig.blocked;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	current->sig.pending &= ~sigmask(sig);
	*info = current->sig.info[sig];
	return sig;
}

/*
 * Default action of a stop signal: stop, tell the parent, wait.  A
 * tracee reports the stop to its tracer instead.  If the tracer lets go
 * of it (detach, or its own exit) before anyone continues it, it stays
 * stopped, as Linux reinstates the group stop on detach; the parent's
 * wait can see that stop, but no new SIGCHLD says so (none on Linux
 * either).  Then only a SIGCONT, perhaps from the orphaned-group rule,
 * continues it.
 */
static void do_signal_stop(int sig)
{
	int traced = current->ptrace != 0;
	uint32_t flags;

	if (traced) {
		current->group_stop = sig;	/* continue_task clears it */
		ptrace_stop(sig, NULL);
	}
	flags = irq_save();
	/* Resumed by the tracer, or continued while traced: run on. */
	if (current->ptrace || (traced && !current->group_stop)) {
		current->group_stop = 0;
		irq_restore(flags);
		return;
	}
	current->group_stop = 0;
	current->state = TASK_STOPPED;
	current->stop_report = sig;
	current->cont_report = 0;
	if (!traced)
		notify_parent(current, CLD_STOPPED, sig);
	schedule();
	irq_restore(flags);
}

/*
 * A system call that a signal interrupted returned -ERESTARTSYS or
 * -ERESTARTNOHAND.  With a handler to run, it fails with EINTR (or,
 * for ERESTARTSYS under SA_RESTART, runs again after the handler);
 * without one it simply runs again: back up over `int $0x80` and
 * reload the call number.  As on Linux, only a real call restarts
 * (orig_eax >= 0: not sigreturn, nor a tracer's orig_eax = -1), and
 * only here, while signals are handled; with none pending the value
 * goes to user space as it is.
 */
static void syscall_restart(struct trap_frame *tf,
			    const struct k_sigaction *ka)
{
	int err = tf->eax;

	if (tf->trapno != T_SYSCALL || (int)tf->orig_eax < 0)
		return;
	if (err != -ERESTARTSYS && err != -ERESTARTNOHAND)
		return;
	if (ka && (err == -ERESTARTNOHAND || !(ka->flags & SA_RESTART))) {
		tf->eax = -EINTR;
		return;
	}
	tf->eax = tf->orig_eax;
	tf->eip -= 2;
}

static void handle_signal(int sig, struct k_siginfo *info,
			  struct trap_frame *tf)
{
	struct k_sigaction *ka = &current->sig.action[sig];
	sigset_t oldmask = current->sig.restore_blocked ?
			   current->sig.saved_blocked : current->sig.blocked;

	syscall_restart(tf, ka);
	if (setup_signal_frame(sig, ka, info, oldmask, tf)) {
		/* No room for the frame: the process cannot go on. */
		do_exit(SIGSEGV);
	}
	current->sig.restore_blocked = 0;
	current->sig.blocked = oldmask | ka->mask;
	if (!(ka->flags & SA_NODEFER))
		current->sig.blocked |= sigmask(sig);
	current->sig.blocked &= ~SIG_KERNEL_ONLY;
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
	/* A tracer single-stepping sees the handler's first instruction. */
	if (current->ptrace & PT_FORCED_TF)
		force_sig_fault(SIGTRAP, TRAP_BRKPT, tf->eip);
}

/*
 * Act on pending signals before returning to user mode at @tf: run at
 * most one handler (its frame goes on the user stack), or apply the
 * default actions (ignore, stop, terminate) of the others.
 */
void do_signal(struct trap_frame *tf)
{
	struct k_siginfo info;
	int sig;

	while ((sig = dequeue_signal(&info))) {
		uintptr_t h;

		if (current->ptrace && sig != SIGKILL) {
			sig = ptrace_signal(sig, &info);
			if (!sig)
				continue;
		}
		h = current->sig.action[sig].handler;

		if (h == SIG_IGN)
			continue;
		if (h != SIG_DFL) {
			handle_signal(sig, &info, tf);
			return;
		}
		if (SIG_DFL_IGNORE & sigmask(sig))
			continue;
		if (SIG_STOPS & sigmask(sig)) {
			do_signal_stop(sig);
			continue;
		}
		do_exit(sig);
	}
	syscall_restart(tf, NULL);
	if (current->sig.restore_blocked) {
		current->sig.blocked = current->sig.saved_blocked;
		current->sig.restore_blocked = 0;
	}
}
