/*
 * SSE register state (XMM0-7 and MXCSR), on CPUs that have FXSR and
 * SSE.  glibc picks SSE2 string functions from CPUID alone, so the
 * kernel must turn SSE on (CR4.OSFXSR) and keep each task's XMM
 * registers, across switches and signal handlers, as Linux does.
 * The x87 half stays where it was (thread.fpu, fnsave format): the
 * fxsave image is taken first and the fnsave image restored last, so
 * the fnsave image is the one that counts for the x87 registers.
 */
#ifndef ASM_SSE_H
#define ASM_SSE_H

#include <stdint.h>

#define FXSAVE_SIZE	512
#define FXSAVE_MXCSR	24		/* offset of MXCSR in the image */
#define MXCSR_DEFAULT	0x1f80		/* all exceptions masked */

struct thread_struct;

extern int cpu_has_sse;

/* Boot: turn SSE on if the CPU has it (CR4.OSFXSR, OSXMMEXCPT). */
void sse_init(void);
/* A new program's state: XMM zero, MXCSR default. */
void sse_init_state(uint8_t *image);
/* Save the live XMM state into @image, FXSAVE_SIZE bytes, any alignment. */
void sse_save(uint8_t *image);
/*
 * Load @image (which may come from user space, through a signal
 * frame: its MXCSR reserved bits are cleared first, or fxrstor
 * would fault in the kernel).
 */
void sse_restore(uint8_t *image);

#endif
