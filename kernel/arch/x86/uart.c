/*
 * 16550 UART on COM1: 115200 baud, 8N1.  Output is polled (the kernel
 * must be able to print from any context, a fault handler included);
 * input raises IRQ 4 and each byte goes to console_input().
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <spoor/console.h>

#define COM1		0x3f8
#define UART_DATA	0	/* DLAB=0: receive/transmit */
#define UART_IER	1	/* DLAB=0: interrupt enable */
#define UART_DLL	0	/* DLAB=1: divisor low */
#define UART_DLH	1	/* DLAB=1: divisor high */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define IER_RX		0x01
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define COM1_IRQ	4

static void uart_interrupt(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		console_input(inb(COM1 + UART_DATA));
}

void uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);	/* 115200 / 1 */
	outb(COM1 + UART_DLH, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);	/* enable and clear FIFOs */
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

/* Start receive interrupts; needs the IDT and PIC ready. */
void uart_enable_rx(void)
{
	irq_register(COM1_IRQ, uart_interrupt);
	outb(COM1 + UART_IER, IER_RX);
	irq_unmask(COM1_IRQ);
}

void uart_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + UART_DATA, c);
}
