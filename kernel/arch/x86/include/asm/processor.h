/*
 * Per-task architecture state: where switch_to left the kernel stack,
 * the x87 state, debug registers, the DS/BTS fields named as in Linux
 * 2.6.29 (debugctlmsr, ds_ctx, bts_ovfl_signal), and the software BTS
 * unit's state.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdint.h>
#include <asm/segment.h>
#include <spoor/bts_soft.h>

#define FSAVE_SIZE	108	/* fnsave image: struct user_i387_struct */

/* x87 exception flags (status word) and masks (control word). */
#define X87_IE		0x01	/* invalid operation */
#define X87_DE		0x02	/* denormal operand */
#define X87_ZE		0x04	/* zero divide */
#define X87_OE		0x08	/* overflow */
#define X87_UE		0x10	/* underflow */
#define X87_PE		0x20	/* precision (inexact) */

struct ds_context;

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
	 * PTRACE_SINGLESTEP, and the software BTS unit (bts_soft.mode).
	 * The CPU's TF is set while any of them wants it; the program sees
	 * only its own.
	 */
	uint8_t user_tf;		/* the program's own TF */
	uint32_t step_eip;		/* the instruction a step runs */

	struct bts_soft_task bts_soft;	/* kernel/ds/bts_soft.c */
};

#endif
