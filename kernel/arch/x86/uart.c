/*
 * 16550 UART on COM1: 115200 baud, 8N1.  Output is polled (the kernel
 * must be able to print from any context, a fault handler included);
 * input raises IRQ 4 and each byte goes to console_input().
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/uart.h>
#include <spoor/console.h>

static void uart_interrupt(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		console_input(inb(COM1 + UART_DATA));
}

void uart_setup(unsigned port)
{
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, 1);	/* 115200 / 1 */
	outb(port + UART_DLH, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
}

void uart_init(void)
{
	uart_setup(COM1);
}

/* Start receive interrupts; needs the IDT and PIC ready. */
void uart_enable_rx(void)
{
	irq_register(COM1_IRQ, uart_interrupt);
	outb(COM1 + UART_IER, IER_RX);
	irq_unmask(COM1_IRQ);
}

void uart_tx(unsigned port, char c)
{
	while (!(inb(port + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(port + UART_DATA, c);
}

void uart_putc(char c)
{
	uart_tx(COM1, c);
}
