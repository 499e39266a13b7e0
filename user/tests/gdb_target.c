/*
 * gdb_target - the program the gdb test layer debugs (tests/harness/gdb.py):
 * known register values at the label regs_here, a function whose
 * return value `finish` shows, a global a watchpoint sees change three
 * times, a signal that GDB passes to its handler, and exit status 7.
 * It prints what the test compares against GDB's view.
 */
#include <signal.h>
#include <stdio.h>

volatile int counter;
static volatile int got_signal;

static void on_usr1(int sig)
{
	got_signal = sig;
}

__attribute__((noinline)) int add(int a, int b)
{
	return a + b;
}

/* eax..edi hold 0x11111111..0x66666666 at regs_here. */
__attribute__((noinline)) void known_regs(void)
{
	/* No outputs, no inputs: the clobbers on the colons' line. */
	/* clang-format off */
	asm volatile("mov $0x11111111, %%eax\n\t"
		     "mov $0x22222222, %%ebx\n\t"
		     "mov $0x33333333, %%ecx\n\t"
		     "mov $0x44444444, %%edx\n\t"
		     "mov $0x55555555, %%esi\n\t"
		     "mov $0x66666666, %%edi\n\t"
		     ".globl regs_here\n"
		     "regs_here: nop"
		     : : : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory");
	/* clang-format on */
}

int main(void)
{
	int i;

	printf("gdb_target: counter at %p\n", (void *)&counter);
	known_regs();
	printf("gdb_target: add %d\n", add(20, 22));
	for (i = 0; i < 3; i++)
		counter += 10;
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	printf("gdb_target: signal %d\n", got_signal);
	return 7;
}
