/*
 * BTS units: whatever actually writes branch records into the DS area
 * the driver (spoor/ds.h) programmed.  Three exist: the hardware
 * (kernel/ds/bts_hw.c: real MSRs), the software unit (kernel/ds/
 * bts_soft.c: a model of the CPU for machines without BTS) and, for
 * tests, the fake unit (kernel/ds/bts_fake.c).  The driver cannot tell
 * them apart; nothing outside kernel/ds/ names one: the rest of the
 * kernel reaches the chosen unit through the ds_unit_* calls below.
 */
#ifndef SPOOR_BTS_UNIT_H
#define SPOOR_BTS_UNIT_H

#include <stddef.h>
#include <stdint.h>
#include <asm/decode.h>
#include <asm/trap.h>
#include <spoor/ds.h>

struct task_struct;

/*
 * IA32_DEBUGCTL's branch-trace bits on Core 2 and later (SDM vol. 3B);
 * other families place them elsewhere (kernel/ds/bts_hw.c), which is
 * why the driver works from a struct debugctl_bits.
 */
#define DEBUGCTL_TR		(1u << 6)
#define DEBUGCTL_BTS		(1u << 7)
#define DEBUGCTL_BTINT		(1u << 8)
#define DEBUGCTL_BTS_OFF_OS	(1u << 9)
#define DEBUGCTL_BTS_OFF_USR	(1u << 10)

struct debugctl_bits {
	uint64_t tr, bts, btint, off_os, off_usr;	/* 0: not there */
};

/* The Core 2 positions above, as a struct debugctl_bits. */
extern const struct debugctl_bits debugctl_bits_core;

struct bts_probe {
	int ok;				/* the unit works on this machine */
	char reason[96];		/* why (or why not), for the boot log */
	const struct ds_layout *layout;
	struct debugctl_bits bits;
};

/*
 * A BTS unit.  The driver calls stop() before it changes anything a
 * running recorder uses (the DS area, the buffer), then load() to let
 * @task run with @area and @debugctl: for the hardware, IA32_DEBUGCTL
 * = 0, then IA32_DS_AREA, then IA32_DEBUGCTL.
 *
 * The hooks after release are for a unit that records in software: it
 * has to see the task's life (fork, exec), its traps, and a tracer's
 * view of its memory.  Each may be NULL.
 */
struct bts_unit {
	const char *name;
	/* Check the machine; fill @p.  Called once at boot. */
	void (*probe)(struct bts_probe *p);
	void (*load)(struct task_struct *task, void *area, uint64_t debugctl);
	void (*stop)(struct task_struct *task);
	/*
	 * Tracing of @task starts with the driver's BTS_* @flags, before
	 * its first load (a unit with a choice of method reads BTS_EXACT).
	 */
	void (*request)(struct task_struct *task, unsigned flags);
	/* Tracing of @task ended for good. */
	void (*release)(struct task_struct *task);

	/* @child was forked from @parent (whose pages it copied). */
	void (*fork)(struct task_struct *child, struct task_struct *parent);
	/* @task's image was replaced by exec. */
	void (*exec)(struct task_struct *task);
	/* Current is about to return to user mode with @tf. */
	void (*exit_to_user)(struct trap_frame *tf);
	/* #BP from user mode: 1 if the int3 was the unit's (handled). */
	int (*breakpoint)(struct trap_frame *tf);
	/* A single step of @task ran @in at @from and left @after. */
	void (*single_step)(struct task_struct *task, uint32_t from,
			    const struct insn *in,
			    const struct trap_frame *after);
	/* A tracer read [@addr, @addr + @len) of @task into @buf. */
	void (*peek)(struct task_struct *task, uint32_t addr, uint8_t *buf,
		     size_t len);
	/* A tracer is about to write [@addr, @addr + @len) of @task. */
	void (*poke)(struct task_struct *task, uint32_t addr, size_t len);
	/* The unit's figures for /proc/bts, as "name value" lines. */
	size_t (*stats)(char *buf, size_t size);
};

extern const struct bts_unit bts_hw_unit;
extern const struct bts_unit bts_fake_unit;
extern const struct bts_unit bts_soft_unit;

/* What the fake unit was last told, like a CPU's two MSRs. */
struct bts_fake_state {
	struct task_struct *task;
	void *area;
	uint64_t debugctl;
	unsigned loads, stops;
};
extern struct bts_fake_state bts_fake_state;

/*
 * The hooks above, for the architecture code and the generic kernel:
 * each calls the chosen unit's hook if it has one (kernel/ds/ds.c).
 */
void ds_unit_fork(struct task_struct *child, struct task_struct *parent);
void ds_unit_exec(struct task_struct *task);
void ds_unit_exit_to_user(struct trap_frame *tf);
int ds_unit_breakpoint(struct trap_frame *tf);
void ds_unit_single_step(struct task_struct *task, uint32_t from,
			 const struct insn *in, const struct trap_frame *after);
void ds_unit_peek(struct task_struct *task, uint32_t addr, uint8_t *buf,
		  size_t len);
void ds_unit_poke(struct task_struct *task, uint32_t addr, size_t len);
size_t ds_unit_stats(char *buf, size_t size);

#endif
