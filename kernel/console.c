/*
 * Console input: bytes from the UART interrupt land in a ring buffer
 * that readers drain.  A full buffer drops new bytes (the sender typed
 * faster than anyone reads).
 */
#include <asm/x86.h>
#include <spoor/console.h>

#define INPUT_SIZE 256

static char input[INPUT_SIZE];
static unsigned head, tail;	/* head: next write; tail: next read */

void console_input(char c)
{
	if (head - tail < INPUT_SIZE)
		input[head++ % INPUT_SIZE] = c;
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
