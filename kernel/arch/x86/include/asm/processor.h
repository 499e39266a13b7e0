/*
 * Per-task architecture state: where switch_to left the kernel stack,
 * the x87 state, debug registers, and the DS/BTS fields of the seed
 * change (debugctlmsr, ds_ctx, bts_ovfl_signal).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdint.h>
#include <asm/segment.h>

#define FSAVE_SIZE	108	/* fnsave image: struct user_i387_struct */

/* x87 exception flags (status word) and masks (control word). */
#define X87_IE		0x01	/* invalid operation */
#define X87_DE		0x02	/* denormal operand */
#define X87_ZE		0x04	/* zero divide */
#define X87_OE		0x08	/* overflow */
#define X87_UE		0x10	/* underflow */
#define X87_PE		0x20	/* precision (inexact) */

struct ds_context;
struct soft_text;

struct thread_struct {
	uint32_t esp;			/* kernel esp saved by switch_to */
	uint8_t fpu[FSAVE_SIZE];	/* x87 state while not running */
	uint8_t sse[512];		/* XMM state, fxsave image (asm/sse.h) */
	uint32_t debugreg[8];		/* DR0-DR7 as the tracer set them */
	unsigned long debugctlmsr;	/* IA32_DEBUGCTL while this task runs */
	struct ds_context *ds_ctx;	/* DS save area owner, or NULL */
	int bts_ovfl_signal;		/* signal on BTS overflow, 0: none */
	/* GDT TLS descriptors, loaded into entries 6-8 while we run. */
	uint64_t tls_array[GDT_ENTRY_TLS_ENTRIES];

	/*
	 * EFLAGS.TF has up to three owners: the program itself, a tracer's
	 * PTRACE_SINGLESTEP, and the software BTS unit.  The CPU's TF is
	 * set while any of them wants it; the program sees only its own.
	 */
	uint8_t user_tf;		/* the program's own TF */
	uint8_t soft_step;		/* the software BTS unit steps us */
	uint32_t step_eip;		/* the instruction a step runs */
	void *soft_area;		/* DS area the software unit fills */
	uint64_t soft_debugctl;		/* DEBUGCTL it obeys */

	/* The software unit's fast mode (kernel/ds/bts_soft.c). */
	uint8_t soft_on;		/* recording this task's branches */
	uint8_t soft_once;		/* single-step the next instruction */
	uint32_t soft_repatch;		/* re-insert this int3 after it */
	uint32_t soft_block;		/* straight-line code from here... */
	uint32_t soft_bp;		/* ...to a patched branch here */
	struct soft_text *soft_text;	/* the patched branches */
};

#endif
