/*
 * panic and the backtrace printer.  The host runner recognises the
 * "KERNEL PANIC" line and turns each "[<address>]" into a function name
 * and source line with addr2line, so keep these formats stable.
 */
#include <stdarg.h>
#include <asm/x86.h>
#include <spoor/cmdline.h>
#include <spoor/format.h>
#include <spoor/mm.h>
#include <spoor/panic.h>
#include <spoor/power.h>
#include <spoor/printk.h>

#define BACKTRACE_MAX	24

/*
 * Print @eip (if not 0), then walk saved frame pointers from @ebp: each frame holds [saved ebp][return eip].
 * Stay inside the 8 KiB-aligned kernel stack the walk started on, so a
 * corrupt frame pointer ends the walk instead of faulting again.
 */
void dump_backtrace(uint32_t eip, uint32_t ebp)
{
	uint32_t lo = ebp & ~(KSTACK_SIZE - 1), hi = lo + KSTACK_SIZE;
	int depth;

	printk("Backtrace:\n");
	if (eip)
		printk("  [<%08x>]\n", eip);
	for (depth = 0; depth < BACKTRACE_MAX; depth++) {
		uint32_t *frame = (uint32_t *)ebp;

		if (ebp < KERNEL_BASE || ebp < lo || ebp + 8 > hi || (ebp & 3))
			break;
		if (frame[1] < KERNEL_BASE)
			break;
		printk("  [<%08x>]\n", frame[1]);
		ebp = frame[0];
	}
}

/* The common end of panic and kernel faults: exit QEMU or halt. */
void die(void)
{
	cli();
	if (cmdline_get("ktest") || cmdline_get("run") || cmdline_get("bench"))
		machine_exit(EXIT_PANIC);
	for (;;)
		hlt();
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	cli();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("KERNEL PANIC: %s\n", buf);
	dump_backtrace(0, read_ebp());
	die();
}
