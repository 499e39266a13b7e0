/*
 * Task structures: allocation, process ids, lookup.  Every task is on
 * all_tasks from fork until it is reaped; its kernel stack is an 8 KiB
 * block aligned to its size (two pages, order 1), so the backtrace code
 * can find a stack's bounds from any frame pointer in it.
 */
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/sched.h>
#include <spoor/string.h>

LIST_HEAD(all_tasks);
static int task_count;
static pid_t last_pid;

#define KSTACK_ORDER 1		/* 2 pages = KSTACK_SIZE */

/* Next free pid after last_pid, wrapping below PID_MAX; 0 if none. */
static pid_t alloc_pid(void)
{
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		pid_t pid = last_pid + 1 >= PID_MAX ? 2 : last_pid + 1;

		last_pid = pid;
		if (!find_task(pid))
			return pid;
	}
	return 0;
}

/*
 * A zeroed task with a pid, a kernel stack and empty lists, already on
 * all_tasks.  NULL with *@err = -EAGAIN at the task limit, -ENOMEM when
 * memory runs out (Linux's fork errors).
 */
struct task_struct *task_alloc(int *err)
{
	struct task_struct *t;

	*err = -EAGAIN;
	if (task_count >= NR_TASKS_MAX)
		return NULL;
	*err = -ENOMEM;
	t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->kstack = alloc_pages(KSTACK_ORDER);
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	t->pid = alloc_pid();
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->ptraced);
	INIT_LIST_HEAD(&t->ptrace_entry);
	list_add_tail(&t->tasks, &all_tasks);
	task_count++;
	return t;
}

/* Free a reaped task: it must be off every list but all_tasks. */
void task_free(struct task_struct *t)
{
	list_del_init(&t->tasks);
	task_count--;
	free_pages(t->kstack, KSTACK_ORDER);
	kfree(t);
}

struct task_struct *find_task(pid_t pid)
{
	struct task_struct *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid == pid && t->state != TASK_DEAD)
			return t;
	return NULL;
}

void set_task_comm(struct task_struct *t, const char *name)
{
	const char *base = strrchr(name, '/');

	strncpy(t->comm, base ? base + 1 : name, TASK_COMM_LEN - 1);
	t->comm[TASK_COMM_LEN - 1] = '\0';
}
