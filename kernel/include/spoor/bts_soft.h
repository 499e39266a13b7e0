/*
 * The software BTS unit's state in each task (thread.bts_soft), for
 * kernel/ds/bts_soft.c and the architecture's single-step code, which
 * must know whether the unit wants EFLAGS.TF.
 *
 * The unit watches a recording task in one of three ways, or not at
 * all: the mode says which, so the combinations that make no sense
 * (a one-off step that is not a step) cannot be written.
 */
#ifndef SPOOR_BTS_SOFT_H
#define SPOOR_BTS_SOFT_H

#include <stdint.h>

struct soft_text;

enum bts_soft_mode {
	BTS_SOFT_OFF,		/* not watching: the task runs untouched */
	BTS_SOFT_PATCHED,	/* fast mode: an int3 on each block's branch */
	BTS_SOFT_STEP_ONCE,	/* fast mode: step the original instruction
				 * under a disarmed int3, then re-arm it */
	BTS_SOFT_STEP_BLOCK,	/* fast mode: step one instruction of a
				 * block whose branch cannot carry an int3
				 * (it lies inside another instruction) */
	BTS_SOFT_STEP_ALL,	/* step mode, or fast mode out of patch room */
};

struct bts_soft_task {
	enum bts_soft_mode mode;
	int exact;			/* this trace wants the step mode */
	void *area;			/* DS area the unit fills */
	uint64_t debugctl;		/* DEBUGCTL it obeys; 0 while stopped */
	uint32_t repatch;		/* STEP_ONCE: the int3 to re-arm */
	uint32_t block;			/* straight-line code from here... */
	uint32_t bp;			/* ...to a patched branch here */
	struct soft_text *text;		/* the patched branches */
};

/* Does the unit want a trap after every instruction of @s's task? */
static inline int bts_soft_steps(const struct bts_soft_task *s)
{
	return s->mode == BTS_SOFT_STEP_ONCE ||
	       s->mode == BTS_SOFT_STEP_BLOCK || s->mode == BTS_SOFT_STEP_ALL;
}

#endif
