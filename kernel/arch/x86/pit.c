/*
 * The 8254 PIT, channel 0, as the periodic tick on IRQ 0.
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <spoor/time.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182
#define PIT_RATE_GEN	0x34	/* channel 0, lo/hi byte, mode 2 */
#define PIT_IRQ		0

void pit_init(unsigned hz)
{
	unsigned divisor = PIT_HZ / hz;

	outb(PIT_CMD, PIT_RATE_GEN);
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	irq_register(PIT_IRQ, timer_tick);
	irq_unmask(PIT_IRQ);
}
