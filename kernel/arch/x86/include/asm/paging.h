/*
 * Two-level i386 paging (no PAE, 4 KiB pages).  The kernel half of
 * every page directory (entries 768..1023) points at the same page
 * tables, created at boot and never added to later, so kernel memory
 * sits at one linear address in every address space.
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <stdint.h>

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_A		0x020
#define PTE_D		0x040
#define PTE_COW		0x200	/* software bit: copy on write */
#define PTE_ADDR(e)	((e) & ~0xfffu)

#define PDX(va)		(((uintptr_t)(va) >> 22) & 0x3ff)
#define PTX(va)		(((uintptr_t)(va) >> 12) & 0x3ff)
#define KERNEL_PDX	PDX(KERNEL_BASE)	/* 768 */
#define PTRS_PER_TABLE	1024

/* A window of kernel addresses for device memory (the local APIC). */
#define IOMAP_BASE	0xFF800000u
#define IOMAP_PAGES	1024

typedef uint32_t pde_t;
typedef uint32_t pte_t;

extern pde_t *kernel_pgd;

/* Build the kernel half (direct map, I/O window) and switch to it. */
void paging_init(uintptr_t lowmem_end);

/*
 * Map one page of device memory (uncached) into the I/O window and
 * return its kernel address; NULL when the window is full.
 */
void *ioremap(uintptr_t phys);

/* Kernel address of the PTE for @va in @pgd, or NULL when no table. */
pte_t *pte_lookup(pde_t *pgd, uintptr_t va);

/* Map/unmap one kernel page (for tests): updates the shared tables. */
int kernel_map_page(uintptr_t va, uintptr_t pa, uint32_t flags);
void kernel_unmap_page(uintptr_t va);

#endif
