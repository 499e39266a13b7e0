/*
 * Console input: bytes from the UART interrupt land in a ring buffer
 * that readers drain.  A full buffer drops new bytes (the sender typed
 * faster than anyone reads).  The tty layer (tty.c) sees each byte
 * first, for ^C, and is told when bytes are waiting, to wake readers.
 */
#include <asm/x86.h>
#include <spoor/console.h>
#include <spoor/file.h>

#define INPUT_SIZE 256

static char input[INPUT_SIZE];
static unsigned head, tail;	/* head: next write; tail: next read */

/* Interrupt context, interrupts off: may wake tasks, never sleep. */
void console_input(char c)
{
	if (tty_input_special(c))	/* ^C became SIGINT */
		return;
	if (head - tail < INPUT_SIZE)
		input[head++ % INPUT_SIZE] = c;
	tty_input_ready();
}

int console_input_pending(void)
{
	return tail != head;
}

int console_getc(void)
{
	uint32_t flags = irq_save();
	int c = -1;

	if (tail != head)
		c = (unsigned char)input[tail++ % INPUT_SIZE];
	irq_restore(flags);
	return c;
}
