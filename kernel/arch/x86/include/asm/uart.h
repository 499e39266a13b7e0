/*
 * The 16550 UART's registers and bits, shared by the console on COM1
 * (uart.c) and the debug line on COM2 (kernel/serial.c).
 */
#ifndef ASM_UART_H
#define ASM_UART_H

#define COM1		0x3f8
#define COM2		0x2f8
#define COM1_IRQ	4
#define COM2_IRQ	3

#define UART_DATA	0	/* DLAB=0: receive/transmit */
#define UART_IER	1	/* DLAB=0: interrupt enable */
#define UART_DLL	0	/* DLAB=1: divisor low */
#define UART_DLH	1	/* DLAB=1: divisor high */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define IER_RX		0x01
#define FCR_ENABLE_CLEAR 0x07	/* enable and clear both FIFOs */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define MCR_LOOP	0x10
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

/* 115200 baud, 8N1, FIFOs on, receive interrupt off: for either port. */
void uart_setup(unsigned port);
/* Send one byte, polled: waits until the transmitter takes it. */
void uart_tx(unsigned port, char c);

#endif
