/*
 * SSE state (asm/sse.h).  fxsave and fxrstor need a 16-byte aligned
 * operand; task and frame images have no such alignment, so the
 * instructions work on one aligned bounce buffer (single CPU, called
 * with interrupts off or on the current task's own behalf).
 */
#include <asm/cpuid.h>
#include <asm/sse.h>
#include <asm/x86.h>
#include <spoor/printk.h>
#include <spoor/string.h>

#define CPUID1_EDX_FXSR		(1u << 24)
#define CPUID1_EDX_SSE		(1u << 25)
#define CR4_OSFXSR		(1u << 9)
#define CR4_OSXMMEXCPT		(1u << 10)
/* MXCSR bits fxrstor accepts (DAZ, bit 6, is not on every CPU). */
#define MXCSR_MASK		0xffbfu

int cpu_has_sse;
static uint8_t bounce[FXSAVE_SIZE] __attribute__((aligned(16)));

void sse_init(void)
{
	uint32_t cr4;

	if ((boot_cpu.feat_edx & (CPUID1_EDX_FXSR | CPUID1_EDX_SSE)) !=
	    (CPUID1_EDX_FXSR | CPUID1_EDX_SSE))
		return;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	cpu_has_sse = 1;
	printk("cpu: SSE on (fxsave state kept per task)\n");
}

void sse_init_state(uint8_t *image)
{
	uint32_t mxcsr = MXCSR_DEFAULT;

	memset(image, 0, FXSAVE_SIZE);
	image[0] = 0x7f;		/* FCW 0x037f, as after fninit */
	image[1] = 0x03;
	memcpy(image + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

void sse_save(uint8_t *image)
{
	if (!cpu_has_sse)
		return;
	asm volatile("fxsave %0" : "=m"(bounce));
	memcpy(image, bounce, FXSAVE_SIZE);
}

void sse_restore(uint8_t *image)
{
	uint32_t mxcsr;

	if (!cpu_has_sse)
		return;
	memcpy(&mxcsr, image + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr &= MXCSR_MASK;
	memcpy(image + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	memcpy(bounce, image, FXSAVE_SIZE);
	asm volatile("fxrstor %0" : : "m"(bounce));
}
