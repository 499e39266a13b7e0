/*
 * exit and wait.  An exiting process gives back everything it holds
 * except its task_struct and kernel stack, hands its children to init,
 * and becomes a zombie that carries its wait status until its parent
 * (or init) reaps it with wait4.
 */
#include <asm/paging.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/panic.h>
#include <spoor/pgrp.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/vm.h>
#include <spoor/wait.h>

struct task_struct *init_task;

/*
 * Give @t's children to init; tell init about any that are zombies.
 * A child in another group may have been its group's last link to a
 * parent that could continue it: the orphaned-group rule looks.
 */
static void reparent_children(struct task_struct *t)
{
	struct task_struct *c, *n;
	int zombies = 0;

	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del_init(&c->sibling);
		c->real_parent = init_task;
		if (c->parent == t)
			c->parent = init_task;
		list_add_tail(&c->sibling, &init_task->children);
		zombies += c->state == TASK_ZOMBIE;
		kill_orphaned_pgrp(c, t);
	}
	if (zombies)
		wake_up(init_task);
}

/* Does @parent want its children reaped without a wait? */
static int parent_autoreaps(struct task_struct *parent)
{
	const struct k_sigaction *sa = &parent->sig.action[SIGCHLD];

	return sa->handler == SIG_IGN || (sa->flags & SA_NOCLDWAIT);
}

/* Tell @t's parent that @t changed state (exited, stopped, continued). */
void notify_parent(struct task_struct *t, int code, int status)
{
	struct k_siginfo info = { .si_signo = SIGCHLD, .si_code = code };
	struct task_struct *parent = t->parent;

	if (!parent)		/* init has none */
		return;
	info.chld.pid = t->pid;
	info.chld.status = status;
	if ((code != CLD_STOPPED && code != CLD_CONTINUED) ||
	    !(parent->sig.action[SIGCHLD].flags & SA_NOCLDSTOP))
		send_signal(parent, SIGCHLD, &info);
	wake_up(parent);
}

/* Tell @t's parent that @t exited with wait status @status. */
static void notify_exit(struct task_struct *t, int status)
{
	if (WIFSIGNALED(status))
		notify_parent(t, CLD_KILLED, WTERMSIG(status));
	else
		notify_parent(t, CLD_EXITED, WEXITSTATUS(status));
}

/* Free a zombie for good: untraced, off its parent's list, then freed. */
static void release_task(struct task_struct *t)
{
	__ptrace_unlink(t);
	list_del_init(&t->sibling);
	t->state = TASK_DEAD;
	task_free(t);
}

/*
 * Tracing of zombie @c ended before its real parent reaped it (its
 * tracer reaped it, or exited first): give it back to that parent,
 * which is told and woken now, or free it if that parent reaps without
 * waiting (SIGCHLD ignored or SA_NOCLDWAIT), as Linux's
 * __ptrace_detach does.  Interrupts off.
 */
void zombie_untraced(struct task_struct *c)
{
	struct task_struct *parent = c->real_parent;

	__ptrace_unlink(c);
	if (parent_autoreaps(parent)) {
		release_task(c);
		wake_up(parent);	/* a wait may now find none */
	} else {
		notify_exit(c, c->exit_code);
	}
}

void do_exit(int status)
{
	struct task_struct *t = current;
	uint32_t flags;

	if (t == init_task)
		panic("init exited with status %#x", status);
	ptrace_event(PTRACE_EVENT_EXIT, status);
	vfork_release(t);
	exit_ptrace(t);
	/* LAB(untrace) BEGIN exit: stub = the trace waits for the reap */
	/*
	 * A traced task's branch trace ends with it, now: the tracer's
	 * wait (the reap) would be too late to give the memory back.
	 */
	ptrace_untrace(t);
	/* LAB(untrace) END */
	files_release(t->files);
	t->files = NULL;
	/* Leave the address space before freeing it. */
	write_cr3(__pa(kernel_pgd));
	mm_destroy(t->mm);
	t->mm = NULL;

	flags = irq_save();
	reparent_children(t);
	/* After the children moved: the rule counts their new parents. */
	kill_orphaned_pgrp(t, NULL);
	t->exit_code = status;
	t->state = TASK_ZOMBIE;
	if (parent_autoreaps(t->real_parent) && !t->ptrace) {
		list_del_init(&t->sibling);
		t->state = TASK_DEAD;
		sched_free_after_switch(t);
		wake_up(t->real_parent);	/* a wait may now find none */
	} else {
		notify_exit(t, status);
	}
	schedule();
	irq_restore(flags);
	panic("zombie %d ran again", t->pid);
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
	return 0;
}

/*
 * What @c (a child or a tracee of current) has to report to current's
 * wait with @options: its pid with *@status set, or 0.  A zombie that
 * current only traces is reported, then handed back to its real parent
 * to reap.  Interrupts off.
 */
static pid_t wait_report(struct task_struct *c, int options, int *status)
{
	/* LAB(wait) BEGIN report: stub = wait4 fails with ECHILD */
	pid_t pid = c->pid;

	if (c->state == TASK_ZOMBIE) {
		*status = c->exit_code;
		if (c->real_parent == current) {
			release_task(c);
			return pid;
		}
		zombie_untraced(c);
		return pid;
	}
	if (c->ptrace && c->state == TASK_TRACED && c->ptrace_report) {
		*status = c->ptrace_report << 8 | 0x7f;
		c->ptrace_report = 0;
		return pid;
	}
	if ((options & WUNTRACED) && c->stop_report) {
		*status = c->stop_report << 8 | 0x7f;
		c->stop_report = 0;
		return pid;
	}
	if ((options & WCONTINUED) && c->cont_report) {
		*status = 0xffff;
		c->cont_report = 0;
		return pid;
	}
	return 0;
	/* LAB(wait) END */
}

/*
 * Does @c match wait4's @pid: > 0 that process, -1 any, 0 any in the
 * caller's process group, < -1 any in group -@pid?
 */
static int wait_match(struct task_struct *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return 1;
	return c->pgid == (pid ? -pid : current->pgid);
}

/*
 * Find a child or tracee of current matching @pid with something to
 * report.  Returns its pid, 0 if some match but have nothing to report,
 * -ECHILD if none matches.  Children a tracer holds report to it, not
 * to us, until it lets go of them.
 */
static pid_t wait_scan(pid_t pid, int options, int *status)
{
	struct task_struct *c, *n;
	int matched = 0;
	pid_t found;

	list_for_each_entry_safe(c, n, &current->children, sibling) {
		if (!wait_match(c, pid))
			continue;
		matched = 1;		/* ours, even while a tracer holds it */
		if (c->parent != current)
			continue;
		if ((found = wait_report(c, options, status)))
			return found;
	}
	list_for_each_entry_safe(c, n, &current->ptraced, ptrace_entry) {
		if (!wait_match(c, pid) || c->real_parent == current)
			continue;	/* our own children were seen above */
		matched = 1;
		if ((found = wait_report(c, options, status)))
			return found;
	}
	return matched ? 0 : -ECHILD;
}

/*
 * wait4(2): @pid as wait_match says.  The status pointer is checked
 * before a zombie is reaped, so a bad pointer loses no exit status.
 */
long sys_wait4(pid_t pid, int *ustatus, int options, void *rusage)
{
	int status = 0, err;
	uint32_t flags;
	pid_t found;

	(void)rusage;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)		/* -pid would overflow */
		return -ESRCH;
	if (ustatus && (copy_from_user(&status, ustatus, sizeof(status)) ||
			copy_to_user(ustatus, &status, sizeof(status))))
		return -EFAULT;
	for (;;) {
		flags = irq_save();
		found = wait_scan(pid, options, &status);
		if (found || (options & WNOHANG))
			break;
		err = sleep_on(current);
		irq_restore(flags);
		if (err)
			return err;
	}
	irq_restore(flags);
	if (found > 0 && ustatus)
		copy_to_user(ustatus, &status, sizeof(status));
	return found;
}

long sys_waitpid(pid_t pid, int *ustatus, int options)
{
	return sys_wait4(pid, ustatus, options, NULL);
}
