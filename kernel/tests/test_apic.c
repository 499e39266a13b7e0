/*
 * ktest suite "apic": the BTS interrupt path through the local APIC.
 * QEMU has no BTS, so the interrupt is raised by a self-IPI on the
 * same vector; the handler must run, unmask the LVT entry (as after a
 * real delivery, which masks it), and the PIC's timer must keep going.
 */
#include <asm/apic.h>
#include <asm/x86.h>
#include <spoor/ktest.h>
#include <spoor/time.h>

static void bts_vector_delivered(struct kt_test *t)
{
	unsigned long before;
	uint32_t start;
	int i;

	if (apic_init())
		KT_SKIP(t, "no local APIC");
	before = apic_bts_interrupts;
	apic_mask_lvt_perf();
	KT_EXPECT_TRUE(t, apic_lvt_perf() & APIC_LVT_MASKED);
	apic_self_bts();
	for (i = 0; i < 1000 && apic_bts_interrupts == before; i++)
		sti_hlt();
	KT_EXPECT_EQ(t, apic_bts_interrupts, before + 1);
	KT_EXPECT_FALSE(t, apic_lvt_perf() & APIC_LVT_MASKED);
	KT_EXPECT_EQ(t, apic_lvt_perf() & 0xff, T_BTS);
	start = jiffies;
	for (i = 0; i < 100000 && jiffies - start < 2; i++)
		sti_hlt();
	KT_EXPECT_GE(t, jiffies - start, 2);	/* the PIC still delivers */
}

KT_SUITE(apic_suite, "apic", KT_CASE(bts_vector_delivered));
