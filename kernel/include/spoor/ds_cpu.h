/*
 * The CPU as the DS driver sees it: CPUID facts and fault-safe MSR
 * access.  The kernel implements these on the real instructions
 * (kernel/arch/x86/ds_cpu.c); the host unit tests implement them on a
 * fake CPU that logs every access and plays back a CPU profile.
 */
#ifndef SPOOR_DS_CPU_H
#define SPOOR_DS_CPU_H

#include <stdint.h>

struct ds_cpu_id {
	char vendor[13];
	uint32_t family, model;
	uint32_t max_leaf;
	uint32_t feat_ecx, feat_edx;	/* CPUID.1 */
};

void ds_cpu_identify(struct ds_cpu_id *id);
/* 0, or -EIO if the access faulted (*v untouched). */
int ds_rdmsr(uint32_t msr, uint64_t *v);
int ds_wrmsr(uint32_t msr, uint64_t v);

#define MSR_IA32_MISC_ENABLE	0x1a0
#define MSR_IA32_DEBUGCTL	0x1d9
#define MSR_IA32_DS_AREA	0x600
#define CPUID1_EDX_DS		(1u << 21)
#define CPUID1_ECX_DTES64	(1u << 2)
#define CPUID1_ECX_DSCPL	(1u << 4)

#endif
