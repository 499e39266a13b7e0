/*
 * User address spaces.  Each process has its own page directory; the
 * kernel half (entries 768..1023) is copied from kernel_pgd and so is
 * shared.  User pages are private: fork copies them, exec replaces
 * them, exit frees them.  Only the stack grows on demand.
 */
#ifndef SPOOR_VM_H
#define SPOOR_VM_H

#include <asm/paging.h>
#include <spoor/memlayout.h>
#include <spoor/types.h>

#define USER_STACK_TOP		KERNEL_BASE	/* user space ends there */
#define USER_STACK_MAX		(8u << 20)	/* 8 MiB, like ulimit -s */
#define USER_STACK_INITIAL	(16u << 10)

struct mm_struct {
	pde_t *pgd;
	uintptr_t start_code, end_code;		/* for ps and tracers */
	uintptr_t start_brk, brk;		/* heap: [start_brk, brk) */
	uintptr_t stack_low;			/* lowest mapped stack page */
	uintptr_t arg_start, arg_end;		/* argv strings: cmdline */
	unsigned long pages;			/* user pages mapped */
};

/* An empty address space (kernel half only), or NULL. */
struct mm_struct *mm_create(void);
/* A private copy of @mm for fork, or NULL when memory runs out. */
struct mm_struct *mm_copy(const struct mm_struct *mm);
/* Free every user page, page table and the directory. */
void mm_destroy(struct mm_struct *mm);
/* Load @mm's page directory into CR3. */
void mm_activate(const struct mm_struct *mm);

/*
 * Map zeroed pages over [@start, @end) (page-aligned outward) with
 * @flags (PTE_W, PTE_U implied).  0, or -ENOMEM (nothing left mapped).
 */
int vm_map_zero(struct mm_struct *mm, uintptr_t start, uintptr_t end,
		uint32_t flags);
/* Unmap and free [@start, @end). */
void vm_unmap(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* How many pages of [@start, @end) are mapped. */
int vm_mapped_pages(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/*
 * Give every page of [@start, @end) the access @flags (PTE_U, PTE_W:
 * none of them is PROT_NONE).  -ENOMEM, with nothing changed, if a
 * page of the range is not mapped.
 */
int vm_protect(struct mm_struct *mm, uintptr_t start, uintptr_t end,
	       uint32_t flags);
/* Kernel address of the byte at user @va in @mm, or NULL if unmapped. */
void *vm_kaddr(const struct mm_struct *mm, uintptr_t va, int write);
/* Grow the stack down to cover @addr; 0 if it now does, else -EFAULT. */
int vm_grow_stack(struct mm_struct *mm, uintptr_t addr);

long sys_brk(uintptr_t brk);

#endif
