/*
 * Identify the boot CPU: vendor, family/model, CPUID.1 feature words
 * and the hypervisor signature (KVM, TCG, ...) when there is one.
 */
#include <asm/cpuid.h>
#include <asm/x86.h>
#include <spoor/printk.h>
#include <spoor/string.h>

struct cpu_info boot_cpu;

/* CPUID exists if software can toggle EFLAGS.ID (not on early 486s). */
static int have_cpuid(void)
{
	uint32_t a, b;

	/* clang-format off */
	asm volatile("pushfl\n\t"
		     "pushfl\n\t"
		     "xorl %2, (%%esp)\n\t"
		     "popfl\n\t"
		     "pushfl\n\t"
		     "popl %0\n\t"
		     "popfl\n\t"
		     "pushfl\n\t"
		     "popl %1"
		     : "=&r"(a), "=&r"(b) : "i"(X86_EFLAGS_ID));
	/* clang-format on */
	return ((a ^ b) & X86_EFLAGS_ID) != 0;
}

static void copy_sig(char *dst, uint32_t b, uint32_t c, uint32_t d)
{
	memcpy(dst, &b, 4);
	memcpy(dst + 4, &c, 4);
	memcpy(dst + 8, &d, 4);
	dst[12] = '\0';
}

void cpu_identify(void)
{
	struct cpu_info *c = &boot_cpu;
	struct cpuid_regs r;

	c->has_cpuid = have_cpuid();
	if (!c->has_cpuid) {
		printk("cpu: no CPUID instruction\n");
		return;
	}
	cpuid(0, &r);
	c->max_leaf = r.eax;
	copy_sig(c->vendor, r.ebx, r.edx, r.ecx);
	if (c->max_leaf >= 1) {
		cpuid(1, &r);
		c->family = (r.eax >> 8) & 0xf;
		c->model = (r.eax >> 4) & 0xf;
		c->stepping = r.eax & 0xf;
		if (c->family == 0xf)
			c->family += (r.eax >> 20) & 0xff;
		if (c->family == 0x6 || c->family >= 0xf)
			c->model |= ((r.eax >> 16) & 0xf) << 4;
		c->feat_ecx = r.ecx;
		c->feat_edx = r.edx;
	}
	if (c->feat_ecx & CPUID1_ECX_HYPERVISOR) {
		cpuid(0x40000000, &r);
		copy_sig(c->hypervisor, r.ebx, r.ecx, r.edx);
	}
	printk("cpu: %s family %u model %u stepping %u, hypervisor: %s\n",
	       c->vendor, c->family, c->model, c->stepping,
	       c->hypervisor[0] ? c->hypervisor : "none");
}
