/* ktest suite "uart": console output and the receive path. */
#include <asm/io.h>
#include <asm/x86.h>
#include <spoor/console.h>
#include <spoor/ktest.h>
#include <spoor/printk.h>

#define COM1		0x3f8
#define UART_MCR	4
#define UART_LSR	5
#define MCR_LOOP	0x10
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

static void printk_counts(struct kt_test *t)
{
	KT_EXPECT_EQ(t, printk("# uart: %s %d\n", "printk", 42), 18);
	KT_EXPECT_TRUE(t, inb(COM1 + UART_LSR) & LSR_THR_EMPTY);
}

/* In loopback mode the UART receives what it sends. */
static void loopback_byte(struct kt_test *t)
{
	uint32_t flags = irq_save();
	uint8_t mcr = inb(COM1 + UART_MCR), lsr = 0;
	int i, got = -1;

	outb(COM1 + UART_MCR, mcr | MCR_LOOP);
	outb(COM1, 'Z');
	for (i = 0; i < 100000 && !(lsr & LSR_DATA_READY); i++)
		lsr = inb(COM1 + UART_LSR);
	if (lsr & LSR_DATA_READY)
		got = inb(COM1);
	outb(COM1 + UART_MCR, mcr);
	irq_restore(flags);
	KT_EXPECT_EQ(t, got, 'Z');
}

/* Bytes the interrupt handler queues come out in order, then none. */
static void input_queue_order(struct kt_test *t)
{
	uint32_t flags = irq_save();
	int a, b, c;

	while (console_getc() >= 0)	/* drop stray input */
		;
	console_input('x');
	console_input('y');
	a = console_getc();
	b = console_getc();
	c = console_getc();
	irq_restore(flags);
	KT_EXPECT_EQ(t, a, 'x');
	KT_EXPECT_EQ(t, b, 'y');
	KT_EXPECT_EQ(t, c, -1);
}

KT_SUITE(uart_suite, "uart",
	 KT_CASE(printk_counts),
	 KT_CASE(loopback_byte),
	 KT_CASE(input_queue_order));
