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
#include <spoor/sched.h>
#include <spoor/vm.h>
#include <spoor/wait.h>

struct task_struct *init_task;

/* Give @t's children to init; tell init about any that are zombies. */
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

/* Free a zombie for good: off its parent's list, then the memory. */
static void release_task(struct task_struct *t)
{
	list_del_init(&t->sibling);
	t->state = TASK_DEAD;
	task_free(t);
}

void do_exit(int status)
{
	struct task_struct *t = current;
	uint32_t flags;

	if (t == init_task)
		panic("init exited with status %#x", status);
	files_release(t->files);
	t->files = NULL;
	/* Leave the address space before freeing it. */
	write_cr3(__pa(kernel_pgd));
	mm_destroy(t->mm);
	t->mm = NULL;

	flags = irq_save();
	reparent_children(t);
	t->exit_code = status;
	t->state = TASK_ZOMBIE;
	if (parent_autoreaps(t->real_parent) && t->parent == t->real_parent) {
		list_del_init(&t->sibling);
		t->state = TASK_DEAD;
		sched_free_after_switch(t);
	} else {
		notify_parent(t, WIFSIGNALED(status) ? CLD_KILLED : CLD_EXITED,
			      WIFSIGNALED(status) ? WTERMSIG(status) :
						    WEXITSTATUS(status));
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
 * Find a child of current matching @pid whose state change @options
 * asks for, and report it in *@status.  Returns its pid, 0 if some
 * child matches but has nothing to report, -ECHILD if none matches.
 * Interrupts off: children change state from interrupt-driven paths.
 */
static pid_t wait_scan(pid_t pid, int options, int *status)
{
	struct task_struct *c;
	int matched = 0;

	list_for_each_entry(c, &current->children, sibling) {
		pid_t cpid = c->pid;

		if (pid > 0 && cpid != pid)
			continue;
		if (c->parent != current)	/* a tracer waits for it now */
			continue;
		matched = 1;
		if (c->state == TASK_ZOMBIE) {
			*status = c->exit_code;
			release_task(c);
			return cpid;
		}
		if ((options & WUNTRACED) && c->stop_report) {
			*status = c->stop_report << 8 | 0x7f;
			c->stop_report = 0;
			return cpid;
		}
		if ((options & WCONTINUED) && c->cont_report) {
			*status = 0xffff;
			c->cont_report = 0;
			return cpid;
		}
	}
	return matched ? 0 : -ECHILD;
}

/*
 * wait4(2): process groups are not modelled, so pid 0 and pid < -1
 * mean any child, like -1.  The status pointer is checked before a
 * zombie is reaped, so a bad pointer loses no exit status.
 */
long sys_wait4(pid_t pid, int *ustatus, int options, void *rusage)
{
	int status = 0, err;
	uint32_t flags;
	pid_t found;

	(void)rusage;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
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
