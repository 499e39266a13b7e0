/*
 * Model-specific registers.  rdmsr/wrmsr fault (#GP, or #UD before the
 * Pentium) when the MSR or the instruction does not exist; the _safe
 * variants return -EIO instead, through the exception fixup table.
 */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include <stdint.h>
#include <asm/extable.h>
#include <spoor/errno.h>

#include <spoor/ds_cpu.h>	/* MSR_IA32_DEBUGCTL and friends */

static inline uint64_t rdmsr(uint32_t msr)
{
	uint64_t v;

	asm volatile("rdmsr" : "=A"(v) : "c"(msr));
	return v;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "A"(v) : "memory");
}

/* Read @msr into *@v; 0, or -EIO if the read faulted (*@v untouched). */
static inline int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo, hi;
	int err = 0;

	asm volatile("1:	rdmsr\n"
		     "2:\n" _ASM_FIXUP_MOV("%[eio]", "%[err]")
		     : [err] "+r"(err), "=a"(lo), "=d"(hi)
		     : "c"(msr), [eio] "i"(-EIO));
	if (!err)
		*v = (uint64_t)hi << 32 | lo;
	return err;
}

/* Write @v to @msr; 0, or -EIO if the write faulted. */
static inline int wrmsr_safe(uint32_t msr, uint64_t v)
{
	int err = 0;

	asm volatile("1:	wrmsr\n"
		     "2:\n" _ASM_FIXUP_MOV("%[eio]", "%[err]")
		     : [err] "+r"(err)
		     : "c"(msr), "a"((uint32_t)v),
		       "d"((uint32_t)(v >> 32)), [eio] "i"(-EIO)
		     : "memory");
	return err;
}

#endif
