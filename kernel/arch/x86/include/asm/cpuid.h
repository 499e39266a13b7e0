/* CPUID and the feature bits Spoor looks at. */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

#include <stdint.h>

#define CPUID1_EDX_TSC		(1u << 4)
#define CPUID1_EDX_MSR		(1u << 5)
#define CPUID1_EDX_APIC		(1u << 9)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

struct cpu_info {
	int has_cpuid;
	uint32_t max_leaf;
	char vendor[13];
	uint32_t family, model, stepping;
	uint32_t feat_ecx, feat_edx;	/* CPUID.1 */
	char hypervisor[13];		/* "" when not virtualised */
};

extern struct cpu_info boot_cpu;

static inline void cpuid(uint32_t leaf, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
		     : "a"(leaf), "c"(0));
}

void cpu_identify(void);

#endif
