/*
 * printk: format into a line buffer, then send the whole buffer to the
 * UART with interrupts off.  One call is one atomic piece of output.
 */
#include <stdarg.h>
#include <asm/x86.h>
#include <spoor/console.h>
#include <spoor/format.h>
#include <spoor/printk.h>

#define PRINTK_MAX 512

void console_write(const char *s, size_t n)
{
	uint32_t flags = irq_save();

	while (n--) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
	irq_restore(flags);
}

int printk(const char *fmt, ...)
{
	char buf[PRINTK_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= PRINTK_MAX)
		n = PRINTK_MAX - 1;
	console_write(buf, n);
	return n;
}
