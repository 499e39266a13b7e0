/*
 * The environment of the driver cases (ds_request_cases.c,
 * ds_lifetime_cases.c): the hardware unit installed over a fake CPU
 * profile, a few tasks, and helpers to trace them.  See ds_env.h.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ds_cpu.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/time.h>
#include "ds_env.h"
#include "fake_cpu.h"
#include "kernel_shim.h"

struct task_struct idle, ta, tb, tracer_task;

/* Contracts: ds_env.h. */

int hw_enter(struct kt_test *t, struct env *e,
	     const struct fake_cpu_profile *prof)
{
	const struct ds_layout *l;
	struct debugctl_bits bits;

	if (fake_cpu_bts(prof, &l, &bits)) {
		kt_log(t, "%s: no working BTS to install", prof->name);
		return -1;
	}
	ds_set_unit(&bts_hw_unit, l, &bits);
	ds_set_overflow_handler(NULL);
	fake_cpu_reset(prof);
	memset(&idle, 0, sizeof(idle));
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&tracer_task, 0, sizeof(tracer_task));
	idle.pid = 1;
	ta.pid = 100;
	tb.pid = 200;
	tracer_task.pid = 300;
	current = &idle;
	jiffies = 1000;
	memset(&shim_last_signal, 0, sizeof(shim_last_signal));
	e->l = l;
	e->rs = l->record_size;
	e->fs = l->field_size;
	e->heap = kmalloc_bytes_in_use();
	e->objects = shim_kmalloc_objects();
	return 0;
}

/* No SDM rule broken, no leak, no bad free; unit uninstalled. */
void hw_leave(struct kt_test *t, struct env *e)
{
	if (fake_cpu_violations())
		kt_log(t, "SDM violation: %s", fake_cpu_violation());
	KT_EXPECT_EQ(t, fake_cpu_violations(), 0);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), e->heap);
	KT_EXPECT_EQ(t, shim_kmalloc_objects(), e->objects);
	KT_EXPECT_EQ(t, shim_bad_frees(), 0);
	ds_set_unit(NULL, NULL, NULL);
	ds_set_overflow_handler(NULL);
	current = &idle;
}

/* Start tracing @task into a new buffer of @n records (+ @extra bytes). */
struct bts_tracer *trace(struct env *e, struct task_struct *task, unsigned n,
			 size_t extra, unsigned flags, uint8_t **buf)
{
	struct bts_tracer *tr;
	int err;

	*buf = kmalloc(n * e->rs + extra);
	if (!*buf)
		return NULL;
	tr = ds_request_bts(task, *buf, n * e->rs + extra, flags, &err);
	if (!tr) {
		kfree(*buf);
		*buf = NULL;
	}
	return tr;
}

void untrace(struct bts_tracer *tr, uint8_t *buf)
{
	ds_release_bts(tr);
	kfree(buf);
}

/* The scheduler's view: the hook, then @next is current. */
void switch_to_task(struct task_struct *prev, struct task_struct *next)
{
	ds_switch_to(prev, next);
	current = next;
}

void *area_of(struct task_struct *task)
{
	return ds_context_area(task->thread.ds_ctx);
}

/* A DS field read at its SDM offset (field @i of the BTS half). */
uint64_t raw(struct env *e, const void *area, unsigned i)
{
	uint64_t v = 0;

	memcpy(&v, (const uint8_t *)area + i * e->fs, e->fs);
	return v;
}

/* The last write to DEBUGCTL in the log, or NULL. */
const struct fake_event *last_debugctl_write(void)
{
	const struct fake_event *last = NULL;
	unsigned i;

	for (i = 0; i < fake_cpu_nlog(); i++) {
		const struct fake_event *ev = fake_cpu_event(i);

		if (ev->kind == FAKE_WR && ev->msr == MSR_IA32_DEBUGCTL)
			last = ev;
	}
	return last;
}
