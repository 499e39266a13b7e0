/*
 * The serial console: COM1 output (polled, used by printk) and
 * interrupt-driven input into a ring buffer.
 */
#ifndef SPOOR_CONSOLE_H
#define SPOOR_CONSOLE_H

#include <stddef.h>

void uart_init(void);
void uart_putc(char c);
/* Take one received byte; -1 when none is waiting. */
int console_getc(void);
/* Is a byte waiting for console_getc? */
int console_input_pending(void);
/* Called from the UART interrupt for each received byte. */
void console_input(char c);

#endif
