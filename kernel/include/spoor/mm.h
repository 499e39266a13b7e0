/*
 * Physical memory: a buddy allocator over the frames the boot loader's
 * memory map reports, reached through the kernel's direct map of low
 * memory at KERNEL_BASE.
 */
#ifndef SPOOR_MM_H
#define SPOOR_MM_H

#include <stdint.h>
#include <stddef.h>
#include <spoor/list.h>
#include <spoor/memlayout.h>	/* KERNEL_BASE, KSTACK_SIZE */
#include <spoor/page.h>		/* PAGE_SIZE, PAGE_SHIFT */

#define LOWMEM_LIMIT	0x30000000u	/* direct map: at most 768 MiB */
#define MAX_ORDER	11		/* blocks of 1 .. 1024 pages */

/* Fenced: clang-format 14 would write (va)-KERNEL_BASE, as if a cast. */
/* clang-format off */
#define __pa(va)	((uintptr_t)(va) - KERNEL_BASE)
#define __va(pa)	((void *)((uintptr_t)(pa) + KERNEL_BASE))
/* clang-format on */

/* One per physical page frame. */
struct page {
	struct list_head lru;		/* free list or slab partial list */
	uint8_t order;			/* free block / allocation order */
	uint8_t flags;
	uint16_t count;			/* users (page tables), slab objects */
	void *freelist;			/* slab: first free object */
	uint32_t size;			/* large kmalloc: bytes requested */
};

#define PG_FREE		0x01	/* head of a free buddy block */
#define PG_RESERVED	0x02	/* never allocatable (kernel image, ...) */
#define PG_SLAB		0x04	/* carved into kmalloc objects */
#define PG_LARGE	0x08	/* head of a large kmalloc block */

/*
 * Allocate 2^@order contiguous pages; returns their kernel virtual
 * address, or NULL when no block is free.  Contents are undefined.
 */
void *alloc_pages(unsigned order);
void free_pages(void *va, unsigned order);
void *alloc_page(void);			/* one page, zeroed */
void free_page(void *va);

struct page *virt_to_page(const void *va);
void *page_to_virt(const struct page *pg);

unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);

/* Early boot: take a page-aligned chunk past the kernel image. */
void *boot_alloc(size_t bytes);

#endif
