/*
 * The local APIC, only as far as the BTS interrupt needs it: the CPU
 * raises the BTS interrupt (DEBUGCTL.BTINT, index at the threshold)
 * through the LVT performance-counter entry.  Delivery sets that
 * entry's mask bit, so the handler must clear it again.  The rest of
 * the machine keeps using the 8259 PIC (the BIOS leaves LINT0 in
 * ExtINT mode, which enabling the APIC does not change).
 */
#include <asm/apic.h>
#include <asm/cpuid.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <spoor/ds.h>
#include <spoor/printk.h>

#define MSR_IA32_APIC_BASE	0x1b
#define APIC_BASE_ENABLE	(1u << 11)
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR_LOW		0x300
#define APIC_LVT_PERF		0x340
#define SVR_ENABLE		0x100
#define SPURIOUS_VECTOR		0xff
#define ICR_SELF		(1u << 18)	/* destination shorthand: self */

static volatile uint32_t *apic;
unsigned long apic_bts_interrupts;

static uint32_t apic_read(unsigned reg)
{
	return apic[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
	apic[reg / 4] = v;
}

int apic_init(void)
{
	uint64_t base;

	if (apic)
		return 0;
	if (!(boot_cpu.feat_edx & CPUID1_EDX_APIC) ||
	    rdmsr_safe(MSR_IA32_APIC_BASE, &base) || !(base & APIC_BASE_ENABLE))
		return -1;
	apic = ioremap(base & 0xfffff000u);
	if (!apic)
		return -1;
	apic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	apic_write(APIC_LVT_PERF, T_BTS);
	printk("apic: BTS interrupt on vector %#x\n", T_BTS);
	return 0;
}

uint32_t apic_lvt_perf(void)
{
	return apic ? apic_read(APIC_LVT_PERF) : 0;
}

void apic_mask_lvt_perf(void)
{
	apic_write(APIC_LVT_PERF, T_BTS | APIC_LVT_MASKED);
}

/* Raise the BTS vector on this CPU, as a test of the handler. */
void apic_self_bts(void)
{
	apic_write(APIC_ICR_LOW, ICR_SELF | T_BTS);
}

/*
 * The BTS interrupt.  The driver checks that the index really reached
 * the threshold; then the LVT entry is unmasked for the next one and
 * the interrupt acknowledged.
 */
void apic_bts_interrupt(void)
{
	apic_bts_interrupts++;
	ds_overflow_interrupt();
	apic_write(APIC_LVT_PERF, T_BTS);
	apic_write(APIC_EOI, 0);
}
