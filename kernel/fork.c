/*
 * fork: a new process with a copy of the caller's address space, its
 * open files shared, its signal handlers and mask copied, and nothing
 * pending.  Tracing is not inherited (ptrace_fork decides: the seed
 * change's hook, which also clears all BTS state in the child).
 */
#include <asm/x86.h>
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

#define CSIGNAL			0x000000ff	/* the exit signal */
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_SUPPORTED		(CSIGNAL | CLONE_VFORK | CLONE_PARENT_SETTID | \
				 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

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
	memcpy(p->cwd, current->cwd, sizeof(p->cwd));
	memcpy(p->exe, current->exe, sizeof(p->exe));
	memcpy(p->rlim, current->rlim, sizeof(p->rlim));
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

/* What clone(2) asks of a new process; fork and vfork are special cases. */
struct clone_request {
	unsigned long flags;	/* CLONE_* and the exit signal */
	uintptr_t newsp;	/* the child's esp, 0: the parent's */
	uint32_t parent_tid;	/* CLONE_PARENT_SETTID: in our memory */
	uint32_t child_tid;	/* CLONE_CHILD_{SET,CLEAR}TID: in the child's */
};

/*
 * CLONE_CHILD_SETTID: store @pid at @va in @mm, the child's copy of
 * our memory.  Linux ignores a fault there, and so do we.
 */
static void put_child_tid(struct mm_struct *mm, uint32_t va, pid_t pid)
{
	const uint8_t *src = (const uint8_t *)&pid;
	unsigned i;

	for (i = 0; i < sizeof(pid); i++) {
		uint8_t *dst = vm_kaddr(mm, va + i, 1);

		if (dst)
			*dst = src[i];
	}
}

static long do_fork(const struct clone_request *r)
{
	int vfork = !!(r->flags & CLONE_VFORK);
	struct task_struct *p;
	pid_t pid;
	int err;

	p = copy_process(&err);
	if (!p)
		return err;
	pid = p->pid;
	if (r->newsp)
		task_pt_regs(p)->esp = r->newsp;
	if (r->flags & CLONE_CHILD_SETTID)
		put_child_tid(p->mm, r->child_tid, pid);
	if (r->flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = r->child_tid;
	if (r->flags & CLONE_PARENT_SETTID)
		copy_to_user((void *)r->parent_tid, &pid, sizeof(pid));
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
	const struct clone_request r = { .flags = SIGCHLD };

	return do_fork(&r);
}

/* vfork(2): a copy, like fork, but the parent waits for exec or exit. */
long sys_vfork(void)
{
	const struct clone_request r = { .flags = CLONE_VFORK | SIGCHLD };

	return do_fork(&r);
}

/*
 * clone(2), i386 argument order.  Spoor has one thread per process,
 * so only what makes a process is accepted: no CLONE_VM, CLONE_THREAD,
 * CLONE_SETTLS or namespaces (EINVAL), and the exit signal must be
 * SIGCHLD, the one Spoor's wait knows.  glibc's fork() is
 * clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD).
 */
long sys_clone(unsigned long flags, uintptr_t newsp, uint32_t parent_tid,
	       uint32_t tls, uint32_t child_tid)
{
	const struct clone_request r = {
		.flags = flags, .newsp = newsp,
		.parent_tid = parent_tid, .child_tid = child_tid,
	};

	(void)tls;			/* only with CLONE_SETTLS */
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CSIGNAL) != SIGCHLD)
		return -EINVAL;
	return do_fork(&r);
}
