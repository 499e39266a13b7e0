/*
 * Per-task architecture state: where switch_to left the kernel stack,
 * the x87 state, debug registers, and the DS/BTS fields of the seed
 * change (debugctlmsr, ds_ctx, bts_ovfl_signal).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdint.h>

#define FSAVE_SIZE	108	/* fnsave image: struct user_i387_struct */

struct ds_context;

struct thread_struct {
	uint32_t esp;			/* kernel esp saved by switch_to */
	uint8_t fpu[FSAVE_SIZE];	/* x87 state while not running */
	uint32_t debugreg[8];		/* DR0-DR7 as the tracer set them */
	unsigned long debugctlmsr;	/* IA32_DEBUGCTL while this task runs */
	struct ds_context *ds_ctx;	/* DS save area owner, or NULL */
	int bts_ovfl_signal;		/* signal on BTS overflow, 0: none */
};

#endif
