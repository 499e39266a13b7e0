/*
 * The scheduler: round robin over a run queue, preemption when a task
 * has used its time slice (checked on the way back to user mode), and
 * xv6-style sleep/wakeup on channels.  The kernel itself is not
 * preemptible: a task in the kernel runs until it sleeps or returns.
 *
 * The idle task (pid 0, the boot thread) is never on the run queue; it
 * runs when the queue is empty.
 */
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/panic.h>
#include <spoor/sched.h>
#include <spoor/time.h>

#define TIME_SLICE 2		/* ticks: 20 ms at HZ = 100 */

static struct task_struct idle_task;
struct task_struct *current = &idle_task;
static LIST_HEAD(run_queue);
int need_resched;
static int slice_left = TIME_SLICE;

extern char boot_stack[];

void sched_init(void)
{
	idle_task.pid = 0;
	idle_task.state = TASK_RUNNING;
	idle_task.kstack = boot_stack;
	INIT_LIST_HEAD(&idle_task.run_list);
	INIT_LIST_HEAD(&idle_task.children);
	INIT_LIST_HEAD(&idle_task.sibling);
	INIT_LIST_HEAD(&idle_task.ptraced);
	INIT_LIST_HEAD(&idle_task.ptrace_entry);
	set_task_comm(&idle_task, "idle");
}

/*
 * A task that ends without a parent to reap it cannot free its own
 * kernel stack while running on it; the next task to run does it.
 */
static struct task_struct *dead_task;

void sched_free_after_switch(struct task_struct *t)
{
	dead_task = t;
}

/* Runs on the new task's stack right after every switch. */
void finish_switch(void)
{
	if (dead_task && dead_task != current) {
		task_free(dead_task);
		dead_task = NULL;
	}
}

/* Caller has interrupts off. */
static void enqueue(struct task_struct *t)
{
	if (t != &idle_task && list_empty(&t->run_list))
		list_add_tail(&t->run_list, &run_queue);
}

void wake_up_task(struct task_struct *t)
{
	uint32_t flags = irq_save();

	if (t->state == TASK_INTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		t->chan = NULL;
	}
	if (t->state == TASK_RUNNING && t != current)
		enqueue(t);
	irq_restore(flags);
}

/*
 * Pick the next task and switch to it.  If current is still runnable
 * it goes to the back of the queue.  Interrupts are off across the
 * switch; the task we switch to restores its own flags on return.
 */
void schedule(void)
{
	uint32_t flags = irq_save();
	struct task_struct *prev = current, *next;

	need_resched = 0;
	slice_left = TIME_SLICE;
	if (prev->state == TASK_RUNNING)
		enqueue(prev);
	if (list_empty(&run_queue)) {
		next = &idle_task;
	} else {
		next = list_first_entry(&run_queue, struct task_struct,
					run_list);
		list_del_init(&next->run_list);
	}
	if (next != prev) {
		current = next;
		arch_switch_to(prev, next);
		switch_to(prev, next);
		finish_switch();
	}
	irq_restore(flags);
}

int sleep_on(void *chan)
{
	BUG_ON(read_eflags() & X86_EFLAGS_IF);
	if (signal_pending(current))
		return -ERESTARTSYS;
	current->chan = chan;
	current->state = TASK_INTERRUPTIBLE;
	schedule();
	current->chan = NULL;
	return signal_pending(current) ? -ERESTARTSYS : 0;
}

void sleep_on_unless_killed(void *chan)
{
	BUG_ON(read_eflags() & X86_EFLAGS_IF);
	if (current->sig.pending & sigmask(SIGKILL))
		return;
	current->chan = chan;
	current->state = TASK_INTERRUPTIBLE;
	schedule();
	current->chan = NULL;
}

void wake_up(void *chan)
{
	uint32_t flags = irq_save();
	struct task_struct *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->state == TASK_INTERRUPTIBLE && t->chan == chan)
			wake_up_task(t);
	irq_restore(flags);
}

/*
 * Every tick: wake sleepers whose nanosleep deadline passed, and ask
 * for a reschedule when the time slice is used up.
 */
void timer_tick(void)
{
	jiffies++;
	/* Sleepers re-check their own deadlines; no scan when there are none. */
	if (nanosleepers)
		wake_up((void *)&jiffies);
	if (--slice_left <= 0)
		need_resched = 1;
}
