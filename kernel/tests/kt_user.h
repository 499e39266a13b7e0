/*
 * For ktest cases that call code taking user pointers: a scratch user
 * address space for the running (idle) task, with @pages zeroed pages
 * at KT_USER_BASE.  kt_user_leave returns to the kernel page tables
 * first, then frees the address space.
 */
#ifndef KT_USER_H
#define KT_USER_H

#include <stddef.h>

#define KT_USER_BASE	0x40000000u

struct mm_struct;

struct kt_user {
	struct mm_struct *mm;
	char *base;		/* user address of the first page */
};

int kt_user_enter(struct kt_user *u, size_t pages);
void kt_user_leave(struct kt_user *u);

#endif
