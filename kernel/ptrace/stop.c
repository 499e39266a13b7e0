/*
 * ptrace stops: a traced task stops for its tracer on every signal but
 * SIGKILL, at system call entry and exit under PTRACE_SYSCALL, and at
 * the events the tracer asked for.  The tracer's wait4 reports the stop
 * code; PTRACE_CONT and friends resume the task with a signal or none.
 */
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/wait.h>

int ptrace_stop(int code, const struct k_siginfo *info)
{
	struct k_siginfo local;
	uint32_t flags = irq_save();

	if (!current->ptrace || (current->sig.pending & sigmask(SIGKILL))) {
		irq_restore(flags);
		return 0;
	}
	if (info) {
		local = *info;
		current->last_siginfo = &local;
	}
	current->ptrace_report = code;
	current->ptrace_resume = 0;
	current->state = TASK_TRACED;
	notify_parent(current, CLD_TRAPPED, code & 0x7f);
	/* The tracer (or SIGKILL, or the tracer's death) wakes us. */
	schedule();
	current->last_siginfo = NULL;
	irq_restore(flags);
	return current->ptrace_resume;
}

/* A stop that is not a signal's: its siginfo, as Linux's ptrace_notify. */
static int ptrace_notify(int code)
{
	struct k_siginfo info = { .si_signo = SIGTRAP, .si_code = code };

	info.kill.pid = current->pid;
	return ptrace_stop(code, &info);
}

void ptrace_event(int event, unsigned long message)
{
	/* PTRACE_O_TRACEFORK is 1 << PTRACE_EVENT_FORK, and so on. */
	if (!(current->ptrace & PT_OPT(1u << event)))
		return;
	current->ptrace_message = message;
	ptrace_notify(SIGTRAP | event << 8);
}

void ptrace_event_fork(struct task_struct *child, int vfork)
{
	ptrace_event(vfork ? PTRACE_EVENT_VFORK : PTRACE_EVENT_FORK,
		     child->pid);
}

/* LAB(syscall-stops) BEGIN stops: stub = no stops, the call just runs */
static int syscall_stop_code(void)
{
	/* clang-format off */
	return SIGTRAP | ((current->ptrace & PT_OPT(PTRACE_O_TRACESYSGOOD)) ?
			  0x80 : 0);
	/* clang-format on */
}

/*
 * Syscall-entry stop.  As on Linux, eax reads -ENOSYS during the stop;
 * the tracer may change orig_eax (the call to make; -1 skips it) and
 * the argument registers before resuming.
 */
void ptrace_syscall_entry(struct trap_frame *tf)
{
	int sig;

	if (!(current->ptrace & PT_SYSCALL))
		return;
	tf->eax = -ENOSYS;
	sig = ptrace_notify(syscall_stop_code());
	if (sig)
		send_sig(sig, current);
}

void ptrace_syscall_exit(struct trap_frame *tf)
{
	int sig;

	(void)tf;
	if (!(current->ptrace & PT_SYSCALL))
		return;
	sig = ptrace_notify(syscall_stop_code());
	if (sig)
		send_sig(sig, current);
}
/* LAB(syscall-stops) END */

/*
 * Signal-delivery stop: the tracer sees @sig first and chooses what is
 * delivered: the same signal, another one, or nothing (0).
 */
int ptrace_signal(int sig, struct k_siginfo *info)
{
	int newsig = ptrace_stop(sig, info);

	if (newsig && newsig != sig) {
		info->si_signo = newsig;
		info->si_code = SI_USER;
		info->kill.pid = current->parent ? current->parent->pid : 0;
		/* A blocked replacement waits in the queue like any other. */
		if (current->sig.blocked & sigmask(newsig)) {
			send_signal(current, newsig, info);
			return 0;
		}
	}
	return newsig;
}
