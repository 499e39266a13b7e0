/*
 * brk: the program break moves up and down; new heap memory reads as
 * zero, also after a shrink and regrow; memory past the break faults;
 * a child's break is its own.  Raw brk calls: they return the break.
 */
#include <stdint.h>
#include <sys/syscall.h>

#include "conf.h"

#define STEP	(64 * 1024)

static char *cur_brk(void)
{
	return (char *)syscall(SYS_brk, 0);
}

/* Are the @n bytes at @p all zero? */
static int all_zero(const char *p, long n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int main(void)
{
	char *base, *top, *got;
	pid_t pid;

	conf_init();
	/* Start on a page boundary, clear of what the C library did. */
	base = cur_brk();
	base = (char *)(((uintptr_t)base + 4095) & ~(uintptr_t)4095) + 4096;
	say("brk to a page boundary: %s",
	    yes((char *)syscall(SYS_brk, base) == base));
	top = base + STEP;
	got = (char *)syscall(SYS_brk, top);
	say("grow by 64 KiB: %s", yes(got == top));
	say("new memory reads as zero: %s", yes(all_zero(base, STEP)));
	memset(base, 0x5a, STEP);

	pid = fork();
	if (pid == 0) {
		say("child: sees the parent's heap: %s",
		    yes(base[STEP - 1] == 0x5a));
		syscall(SYS_brk, top + STEP);
		memset(top, 1, STEP);
		_exit(0);
	}
	wait_say("child that grew its own break", pid, 0);
	say("parent's break unchanged: %s", yes(cur_brk() == top));

	got = (char *)syscall(SYS_brk, base + STEP / 2);
	say("shrink by 32 KiB: %s", yes(got == base + STEP / 2));
	pid = fork();
	if (pid == 0) {
		top[-1] = 1;	/* past the break now */
		_exit(0);
	}
	wait_say("child writing past the break", pid, 0);
	syscall(SYS_brk, top);
	say("regrown memory reads as zero: %s",
	    yes(all_zero(base + STEP / 2, STEP / 2)));
	say("memory below the break kept: %s", yes(base[0] == 0x5a));
	return 0;
}
