/*
 * fork: a new process with a copy of the caller's address space, its
 * open files shared, its signal handlers and mask copied, and nothing
 * pending.  Tracing is not inherited (ptrace_fork decides: the seed
 * change's hook, which also clears all BTS state in the child).
 */
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

/*
 * Create a child of current that will return to user mode as a copy
 * of it; not yet runnable.  Returns NULL with *@err = -EAGAIN when the
 * task table is full, -ENOMEM when memory is.
 */
static struct task_struct *copy_process(int *err)
{
	struct task_struct *p = task_alloc(err);

	if (!p)
		return NULL;
	*err = -ENOMEM;
	p->mm = mm_copy(current->mm);
	if (!p->mm)
		goto fail;
	p->files = files_copy(current->files);
	if (!p->files)
		goto fail;
	memcpy(p->comm, current->comm, sizeof(p->comm));
	p->pgid = current->pgid;	/* the parent's group and session */
	p->sid = current->sid;
	memcpy(p->sig.action, current->sig.action, sizeof(p->sig.action));
	p->sig.blocked = current->sig.blocked;
	/* Like Linux's dup_task_struct: the child starts as a copy. */
	p->thread = current->thread;
	copy_thread(p, current);
	p->real_parent = p->parent = current;
	list_add_tail(&p->sibling, &current->children);
	ptrace_fork(p, current);
	return p;

fail:
	mm_destroy(p->mm);
	task_free(p);
	return NULL;
}

void vfork_release(struct task_struct *child)
{
	if (!child->vfork_pending)
		return;
	child->vfork_pending = 0;
	wake_up(&child->vfork_pending);
}

/*
 * The vfork parent waits until the child has exec'd or exited, as the
 * vfork contract promises (Spoor copies the address space anyway, so
 * the child cannot scribble on ours).  Only SIGKILL cuts it short.
 * The child cannot be reaped meanwhile: we are its only waiter.
 */
static void vfork_wait(struct task_struct *child)
{
	uint32_t flags = irq_save();

	while (child->vfork_pending &&
	       !(current->sig.pending & sigmask(SIGKILL)))
		sleep_on_unless_killed(&child->vfork_pending);
	irq_restore(flags);
}

static long do_fork(int vfork)
{
	struct task_struct *p;
	pid_t pid;
	int err;

	p = copy_process(&err);
	if (!p)
		return err;
	pid = p->pid;
	p->vfork_pending = vfork;
	p->state = TASK_RUNNING;
	wake_up_task(p);
	ptrace_event_fork(p, vfork);
	if (vfork) {
		vfork_wait(p);
		ptrace_event(PTRACE_EVENT_VFORK_DONE, pid);
	}
	return pid;
}

long sys_fork(void)
{
	return do_fork(0);
}

/* vfork(2): a copy, like fork, but the parent waits for exec or exit. */
long sys_vfork(void)
{
	return do_fork(1);
}
