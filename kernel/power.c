/*
 * machine_exit: the end of a test run.  QEMU's isa-debug-exit device
 * (port 0xf4) ends QEMU with status (value << 1) | 1; on a machine
 * without it the write does nothing and we halt forever.
 */
#include <asm/io.h>
#include <asm/x86.h>
#include <spoor/power.h>

#define DEBUG_EXIT_PORT 0xf4

void machine_exit(int value)
{
	cli();
	outb(DEBUG_EXIT_PORT, value);
	for (;;)
		hlt();
}
