/*
 * The program break: brk and sbrk over brk(2).
 *
 * The raw call returns the new break, or the old one when it cannot move
 * it; brk(0) asks for the current break.
 */
#include <errno.h>
#include <unistd.h>

#include "syscall.h"

static char *cur_brk;

/* Set the break to @addr; 0, or -1 with ENOMEM. */
int brk(void *addr)
{
	cur_brk = (char *)__syscall(SYS_brk, addr);
	if (cur_brk != (char *)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Move the break by @increment; returns the old break or (void *)-1. */
void *sbrk(intptr_t increment)
{
	char *old;

	if (!cur_brk)
		cur_brk = (char *)__syscall(SYS_brk, 0);
	old = cur_brk;
	if (increment && brk(old + increment) < 0)
		return (void *)-1;
	return old;
}
