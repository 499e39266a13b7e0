/* The scratch user address space of kt_user.h. */
#include <asm/paging.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/mm.h>
#include <spoor/vm.h>
#include "kt_user.h"

int kt_user_enter(struct kt_user *u, size_t pages)
{
	u->mm = mm_create();
	if (!u->mm)
		return -ENOMEM;
	if (vm_map_zero(u->mm, KT_USER_BASE, KT_USER_BASE + pages * PAGE_SIZE,
			PTE_W)) {
		mm_destroy(u->mm);
		return -ENOMEM;
	}
	mm_activate(u->mm);
	u->base = (char *)KT_USER_BASE;
	return 0;
}

void kt_user_leave(struct kt_user *u)
{
	write_cr3(__pa(kernel_pgd));	/* off the page directory first */
	mm_destroy(u->mm);
}
