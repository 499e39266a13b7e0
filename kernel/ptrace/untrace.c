/*
 * Where tracing begins and ends.  Every end of tracing goes through
 * ptrace_untrace, which calls the architecture's untrace hook: with
 * BTS, that is where branch recording stops and the buffer goes back
 * at once.  It is called from __ptrace_unlink (PTRACE_DETACH, the
 * tracer's exit, the tracee's reap) and, for a tracee that exits, from
 * do_exit, before the reap: the tracer's wait would be too late to
 * give the memory back.
 */
#include <asm/x86.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/wait.h>

/*
 * Give back what tracing @child holds: its branch trace, its
 * breakpoints.  @child stays linked to its tracer.  Safe to call again
 * (the reap of a tracee that exited), and on a task that is not traced.
 */
void ptrace_untrace(struct task_struct *child)
{
	if (child->ptrace)
		arch_ptrace_untrace(child);
}

/*
 * Give @child back to its real parent and forget every tracing state.
 * Caller has interrupts off.  Safe on a task that is not traced.
 *
 * The untrace comes first, while child->parent is still the tracer:
 * the BTS buffer is charged to the tracer, and giving it back
 * uncharges child->parent.
 */
void __ptrace_unlink(struct task_struct *child)
{
	if (!child->ptrace)
		return;
	ptrace_untrace(child);
	list_del_init(&child->ptrace_entry);
	child->parent = child->real_parent;
	child->ptrace = 0;
	child->ptrace_report = 0;
	child->last_siginfo = NULL;
}

/*
 * Fork hook (Linux 2.6.29's "x86, bts: add fork and exit handling"):
 * a child never inherits its parent's tracing, its debug registers or
 * its branch trace; only a tracer that set TRACEFORK/TRACEVFORK gets
 * the child, which then starts stopped (a SIGSTOP is waiting for it,
 * as on Linux).
 */
void ptrace_fork(struct task_struct *child, struct task_struct *parent)
{
	unsigned opts = PT_OPT(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK);

	child->ptrace = 0;
	INIT_LIST_HEAD(&child->ptraced);
	INIT_LIST_HEAD(&child->ptrace_entry);
	child->parent = child->real_parent;
	child->ptrace_report = 0;
	child->ptrace_message = 0;
	child->last_siginfo = NULL;
	arch_ptrace_fork(child);
	if (!(parent->ptrace & PT_PTRACED) || !(parent->ptrace & opts))
		return;
	child->ptrace = PT_PTRACED |
			(parent->ptrace & ~(PT_SYSCALL | PT_FORCED_TF));
	child->parent = parent->parent;
	list_add_tail(&child->ptrace_entry, &parent->parent->ptraced);
	/* Linux only marks SIGSTOP pending: it arrives with an empty siginfo. */
	send_signal(child, SIGSTOP, &(struct k_siginfo){ .si_signo = SIGSTOP });
}

/*
 * The tracer is exiting.  As Linux does, each tracee is detached and
 * resumed (with PTRACE_O_EXITKILL: killed).  A tracee that is already
 * a zombie goes back to its real parent, who must hear of it now: it
 * may be blocked in wait4.  (Our own children are handed to init with
 * the rest of them.)  A later process that gets the tracer's pid finds
 * no tracee pointing at it.
 */
void exit_ptrace(struct task_struct *tracer)
{
	struct task_struct *t, *n;
	uint32_t flags = irq_save();

	list_for_each_entry_safe(t, n, &tracer->ptraced, ptrace_entry) {
		int kill = t->ptrace & PT_OPT(PTRACE_O_EXITKILL);

		if (t->state == TASK_ZOMBIE && t->real_parent != tracer) {
			zombie_untraced(t);
			continue;
		}
		__ptrace_unlink(t);
		if (kill)
			send_sig(SIGKILL, t);
		if (t->state == TASK_TRACED) {
			t->ptrace_resume = 0;
			t->state = TASK_RUNNING;
			wake_up_task(t);
		}
	}
	irq_restore(flags);
}
