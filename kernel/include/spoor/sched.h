/*
 * Tasks and the scheduler.  Every process is one struct task_struct;
 * a single CPU runs `current`, the others wait on the run queue or
 * sleep on a channel (any address both sides agree on, as in xv6).
 */
#ifndef SPOOR_SCHED_H
#define SPOOR_SCHED_H

#include <asm/processor.h>
#include <asm/trap.h>
#include <spoor/list.h>
#include <spoor/mm.h>
#include <spoor/resource.h>
#include <spoor/signal.h>
#include <spoor/types.h>

enum task_state {
	TASK_RUNNING,		/* on the run queue or current */
	TASK_INTERRUPTIBLE,	/* sleeping on ->chan; a signal wakes it */
	TASK_STOPPED,		/* job-control stop (SIGSTOP ...) */
	TASK_TRACED,		/* ptrace stop: waits for its tracer */
	TASK_ZOMBIE,		/* exited, waiting to be reaped */
	TASK_DEAD,		/* reaped; memory about to go */
};

#define TASK_COMM_LEN	16
#define NR_TASKS_MAX	1100	/* fork fails with EAGAIN beyond this */
#define PID_MAX		32768

struct mm_struct;
struct files_struct;

struct task_struct {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	volatile enum task_state state;
	void *chan;			/* what an INTERRUPTIBLE task waits for */
	uint32_t wake_at;		/* nanosleep deadline in jiffies, or 0 */
	int exit_code;			/* wait status once a zombie */
	pid_t pgid;			/* process group (spoor/pgrp.h) */
	pid_t sid;			/* session */
	int did_exec;			/* setpgid by the parent: EACCES */

	struct task_struct *real_parent;	/* who forked us (or init) */
	struct task_struct *parent;		/* who waits: tracer or parent */
	struct list_head children;	/* our real children */
	struct list_head sibling;	/* in real_parent->children */
	struct list_head tasks;		/* in the list of all tasks */
	struct list_head run_list;	/* on the run queue */

	void *kstack;			/* KSTACK_SIZE bytes, size-aligned */
	struct mm_struct *mm;		/* NULL for the idle task */
	struct files_struct *files;
	char cwd[256];			/* canonical, "/" at least (PATH_MAX) */
	char exe[256];			/* what exec ran: /proc/self/exe */
	uint32_t clear_child_tid;	/* set_tid_address: zeroed at exit */
	uint32_t robust_list;		/* set_robust_list: the head, kept */
	struct rlimit64 rlim[RLIM_NLIMITS];	/* getrlimit, prlimit64 */
	struct signal_state sig;

	/* vfork: the parent waits until we exec or exit. */
	int vfork_pending;

	/* Job control, as the parent's wait sees it. */
	int stop_report;		/* stop signal not yet seen by wait */
	int cont_report;		/* continue not yet seen by wait */
	int group_stop;			/* traced, in a job-control stop */

	/* ptrace (kernel/ptrace/). */
	unsigned int ptrace;		/* PT_* flags; 0: not traced */
	struct list_head ptraced;	/* tasks we trace */
	struct list_head ptrace_entry;	/* in our tracer's ptraced list */
	unsigned long ptrace_message;	/* for PTRACE_GETEVENTMSG */
	int ptrace_report;		/* stop code the tracer's wait sees */
	int ptrace_resume;		/* signal the tracer resumed us with */
	struct k_siginfo *last_siginfo;	/* of the current signal stop */

	/* Branch trace store, named as in Linux 2.6.29 (kernel/ds/). */
	struct bts_tracer *bts;
	void *bts_buffer;
	size_t bts_size;
	size_t bts_charged;		/* as a tracer: buffer bytes we hold */

	struct thread_struct thread;
};

extern struct task_struct *current;
extern struct list_head all_tasks;
extern int need_resched;

/* Is a signal pending that @t would act on now?  (Checked on every
 * return to user mode: inline.) */
static inline int signal_pending(const struct task_struct *t)
{
	return (t->sig.pending & ~t->sig.blocked) != 0;
}

/* The user-mode registers of @t: at the top of its kernel stack. */
static inline struct trap_frame *task_pt_regs(struct task_struct *t)
{
	return (struct trap_frame *)((char *)t->kstack + KSTACK_SIZE) - 1;
}

void sched_init(void);
/* Give up the CPU; returns when this task is chosen again. */
void schedule(void);
/* Make @t runnable (no-op if it already is). */
void wake_up_task(struct task_struct *t);
/*
 * Sleep on @chan until wake_up(@chan).  Returns 0, or -ERESTARTSYS if
 * a signal is pending (then the caller gives up and returns it).
 * Called with interrupts off (the caller checked its condition under
 * the same irq_save), so no wakeup is lost between check and sleep.
 */
int sleep_on(void *chan);
/*
 * The same, but only SIGKILL ends it: other signals stay pending for
 * later (the caller re-checks its condition after every wakeup).
 */
void sleep_on_unless_killed(void *chan);
void wake_up(void *chan);

/* Free @t (already off every list) once we have switched away from it. */
void sched_free_after_switch(struct task_struct *t);
void finish_switch(void);

struct task_struct *find_task(pid_t pid);
struct task_struct *task_alloc(int *err);
void task_free(struct task_struct *t);
void set_task_comm(struct task_struct *t, const char *name);

/* A vfork child execs or exits: its parent may run again. */
void vfork_release(struct task_struct *child);

/* Start the first user process (/bin/init); becomes the idle loop. */
void start_init(void) __attribute__((noreturn));

/* Architecture hooks (kernel/arch/x86/process.c). */
void switch_to(struct task_struct *prev, struct task_struct *next);
void arch_switch_to(struct task_struct *prev, struct task_struct *next);
int copy_thread(struct task_struct *child, struct task_struct *parent);
void start_thread(struct trap_frame *regs, uint32_t eip, uint32_t esp);
void kernel_thread_frame(struct task_struct *t, void (*fn)(void));

#endif
