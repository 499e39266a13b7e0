/* ktest suite "timer": the PIT tick arrives and jiffies advances. */
#include <asm/x86.h>
#include <spoor/ktest.h>
#include <spoor/time.h>

/* Wait for ticks with hlt; the bound only stops a dead timer hanging us. */
static void ticks_advance(struct kt_test *t)
{
	uint32_t start = jiffies;
	int waits = 0;

	KT_ASSERT_TRUE(t, read_eflags() & X86_EFLAGS_IF);
	while (jiffies - start < 3 && waits < 100000) {
		sti_hlt();
		waits++;
	}
	KT_EXPECT_GE(t, jiffies - start, 3);
}

static void ticks_stop_with_interrupts_off(struct kt_test *t)
{
	uint32_t flags = irq_save(), start = jiffies;
	volatile int i;

	for (i = 0; i < 200000; i++)
		;
	KT_EXPECT_EQ(t, jiffies, start);
	irq_restore(flags);
}

/* One case a line. */
/* clang-format off */
KT_SUITE(timer_suite, "timer",
	 KT_CASE(ticks_advance),
	 KT_CASE(ticks_stop_with_interrupts_off));
/* clang-format on */
