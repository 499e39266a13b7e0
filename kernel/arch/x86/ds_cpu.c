/* The DS driver's view of the CPU (spoor/ds_cpu.h) on the real one. */
#include <asm/cpuid.h>
#include <asm/msr.h>
#include <spoor/ds_cpu.h>
#include <spoor/string.h>

void ds_cpu_identify(struct ds_cpu_id *id)
{
	memcpy(id->vendor, boot_cpu.vendor, sizeof(id->vendor));
	id->family = boot_cpu.family;
	id->model = boot_cpu.model;
	id->max_leaf = boot_cpu.has_cpuid ? boot_cpu.max_leaf : 0;
	id->feat_ecx = boot_cpu.feat_ecx;
	id->feat_edx = boot_cpu.feat_edx;
}

int ds_rdmsr(uint32_t msr, uint64_t *v)
{
	return rdmsr_safe(msr, v);
}

int ds_wrmsr(uint32_t msr, uint64_t v)
{
	return wrmsr_safe(msr, v);
}
