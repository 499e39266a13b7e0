/*
 * The driver cases' environment: the hardware BTS unit installed over
 * a fake CPU profile (as ds_init would after a passing probe) and four
 * tasks that never run: idle (current unless a case switches), ta and
 * tb (traced in turn), tracer_task (ta's tracer for PTRACE_BTS_*).
 */
#ifndef DS_ENV_H
#define DS_ENV_H

#include <stddef.h>
#include <stdint.h>

struct bts_tracer;
struct ds_layout;
struct fake_cpu_profile;
struct fake_event;
struct kt_test;
struct task_struct;

extern struct task_struct idle, ta, tb, tracer_task;

struct env {
	const struct ds_layout *l;
	unsigned rs, fs;		/* record and field size */
	unsigned long heap, objects;	/* at entry, for the leak check */
};

/*
 * Power the fake CPU on as @prof and install the hardware unit with the
 * layout and bits a passing probe finds there (fake_cpu_bts: the probe
 * itself is the bts_hw_probe suite's business, and a broken probe must
 * not hide how the driver does); fresh tasks, idle current.
 * 0, or -1 (logged) if @prof has no working BTS.
 */
int hw_enter(struct kt_test *t, struct env *e,
	     const struct fake_cpu_profile *prof);
/* Expect no SDM violation, no leak, no bad free; uninstall the unit. */
void hw_leave(struct kt_test *t, struct env *e);

/*
 * Start tracing @task into a new kmalloc buffer of @n records plus
 * @extra bytes (*@buf).  The tracer, or NULL (nothing allocated).
 */
struct bts_tracer *trace(struct env *e, struct task_struct *task, unsigned n,
			 size_t extra, unsigned flags, uint8_t **buf);
/* Release @tr, then free its buffer. */
void untrace(struct bts_tracer *tr, uint8_t *buf);

/* The scheduler's view of a switch: the hook, then @next is current. */
void switch_to_task(struct task_struct *prev, struct task_struct *next);
/* The DS save area of @task's context. */
void *area_of(struct task_struct *task);

/* BTS field @i of @area read at its SDM offset, in @e's layout. */
enum { F_BASE, F_INDEX, F_ABSMAX, F_THRESHOLD };
uint64_t raw(struct env *e, const void *area, unsigned i);

/* The last DEBUGCTL write in the fake CPU's log, or NULL. */
const struct fake_event *last_debugctl_write(void);

#endif
