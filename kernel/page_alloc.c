/*
 * The physical page allocator: a binary buddy system over all usable
 * low memory.  A free block of 2^k pages is on free_area[k]; freeing a
 * block merges it with its buddy (the block whose frame number differs
 * only in bit k) for as long as that buddy is free and of the same
 * order.  Before the buddy lists exist, boot_alloc hands out memory
 * for the page tables and the struct page array.
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <spoor/boot.h>
#include <spoor/compiler.h>
#include <spoor/memlayout.h>	/* BOOT_MAPPED */
#include <spoor/mm.h>
#include <spoor/panic.h>
#include <spoor/printk.h>
#include <spoor/string.h>

#define LOW_RESERVED	0x100000u	/* BIOS, VGA, option ROMs */

extern char _text[], _end[];

static struct page *pages;		/* one per frame below lowmem_end */
static unsigned long npages;
static struct list_head free_area[MAX_ORDER];
static unsigned long free_count, total_count;

static uintptr_t boot_next, boot_start, boot_limit;	/* physical */

void *boot_alloc(size_t bytes)
{
	uintptr_t p = boot_next;

	bytes = ALIGN_UP(bytes, PAGE_SIZE);
	if (p + bytes > boot_limit)
		panic("boot_alloc: out of boot memory (%zu bytes)", bytes);
	boot_next += bytes;
	return memset(__va(p), 0, bytes);
}

struct page *virt_to_page(const void *va)
{
	return &pages[__pa(va) >> PAGE_SHIFT];
}

void *page_to_virt(const struct page *pg)
{
	return __va((uintptr_t)(pg - pages) << PAGE_SHIFT);
}

static void free_push(unsigned order, struct page *pg)
{
	list_add(&pg->lru, &free_area[order]);
	pg->order = order;
	pg->flags = PG_FREE;
}

static void free_remove(struct page *pg)
{
	list_del_init(&pg->lru);
	pg->flags &= ~PG_FREE;
}

void *alloc_pages(unsigned order)
{
	uint32_t flags;
	unsigned k;
	struct page *pg;

	if (order >= MAX_ORDER)
		return NULL;
	flags = irq_save();
	for (k = order; k < MAX_ORDER && list_empty(&free_area[k]); k++)
		;
	if (k == MAX_ORDER) {
		irq_restore(flags);
		return NULL;
	}
	pg = list_first_entry(&free_area[k], struct page, lru);
	free_remove(pg);
	while (k > order) {		/* split: the upper half stays free */
		k--;
		free_push(k, pg + (1u << k));
	}
	pg->order = order;
	pg->flags = 0;
	pg->count = 0;
	free_count -= 1ul << order;
	irq_restore(flags);
	return page_to_virt(pg);
}

void free_pages(void *va, unsigned order)
{
	unsigned long pfn = __pa(va) >> PAGE_SHIFT;
	uint32_t flags;

	BUG_ON(pfn >= npages || (pfn & ((1ul << order) - 1)));
	flags = irq_save();
	if (pages[pfn].flags & (PG_FREE | PG_RESERVED))
		panic("free_pages: frame %#lx is %s", pfn,
		      pages[pfn].flags & PG_FREE ? "already free" : "reserved");
	free_count += 1ul << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy = pfn ^ (1ul << order);

		if (buddy >= npages || !(pages[buddy].flags & PG_FREE) ||
		    pages[buddy].order != order)
			break;
		free_remove(&pages[buddy]);
		pfn &= ~(1ul << order);
		order++;
	}
	free_push(order, &pages[pfn]);
	irq_restore(flags);
}

void *alloc_page(void)
{
	void *p = alloc_pages(0);

	return p ? memset(p, 0, PAGE_SIZE) : NULL;
}

void free_page(void *va)
{
	free_pages(va, 0);
}

unsigned long nr_free_pages(void)
{
	return free_count;
}

unsigned long nr_total_pages(void)
{
	return total_count;
}

/* Free frames [start, end) as the largest aligned blocks that fit. */
static void free_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned order = MAX_ORDER - 1;

		while ((start & ((1ul << order) - 1)) ||
		       start + (1ul << order) > end)
			order--;
		pages[start].flags = 0;
		free_pages(page_to_virt(&pages[start]), order);
		total_count += 1ul << order;
		start += 1ul << order;
	}
}

/*
 * The end of the reserved range (kernel image, boot maps, a module)
 * that holds byte @a, or 0 if none does.
 */
static uintptr_t reserved_end(const struct boot_info *bi, uintptr_t a)
{
	unsigned i;

	if (a >= __pa(_text) && a < __pa(_end))
		return __pa(_end);
	if (a >= boot_start && a < boot_limit)
		return boot_limit;
	for (i = 0; i < bi->nmods; i++)
		if (a >= bi->mods[i].start && a < bi->mods[i].end)
			return bi->mods[i].end;
	return 0;
}

/* The start of the first reserved range after byte @a (or @limit). */
static uintptr_t next_reserved(const struct boot_info *bi, uintptr_t a,
			       uintptr_t limit)
{
	uintptr_t next = limit;
	unsigned i;

	if (__pa(_text) > a)
		next = MIN(next, __pa(_text));
	if (boot_start > a)
		next = MIN(next, boot_start);
	for (i = 0; i < bi->nmods; i++)
		if (bi->mods[i].start > a)
			next = MIN(next, bi->mods[i].start);
	return next;
}

/* Free the frames of [@a, @b) that no reserved range touches. */
static void free_usable(const struct boot_info *bi, uintptr_t a, uintptr_t b)
{
	while (a < b) {
		uintptr_t end = reserved_end(bi, a), stop;

		if (end) {		/* inside a reserved range: skip it */
			a = ALIGN_UP(end, PAGE_SIZE);
			continue;
		}
		stop = ALIGN_DOWN(next_reserved(bi, a, b), PAGE_SIZE);
		if (stop > a)
			free_range(a >> PAGE_SHIFT, stop >> PAGE_SHIFT);
		a = MAX(stop, a + PAGE_SIZE);
	}
}

/*
 * Find room for the boot allocations (page tables, struct pages) past
 * the kernel image and clear of the boot modules, inside what the entry
 * stub mapped.
 */
static void boot_alloc_place(const struct boot_info *bi, size_t need)
{
	uintptr_t start = ALIGN_UP(__pa(_end), PAGE_SIZE);
	unsigned i, moved = 1;

	while (moved) {
		moved = 0;
		for (i = 0; i < bi->nmods; i++) {
			if (start < bi->mods[i].end &&
			    start + need > bi->mods[i].start) {
				start = ALIGN_UP(bi->mods[i].end, PAGE_SIZE);
				moved = 1;
			}
		}
	}
	if (start + need > BOOT_MAPPED)
		panic("boot: no room for %zu bytes of memory maps below %u MiB",
		      need, BOOT_MAPPED >> 20);
	boot_start = boot_next = start;
	boot_limit = start + need;
}

void mm_init(const struct boot_info *bi)
{
	uintptr_t lowmem_end = 0;
	unsigned long pfn;
	size_t need;
	unsigned i;

	for (i = 0; i < bi->nranges; i++)
		lowmem_end = MAX(lowmem_end, bi->ranges[i].end);
	lowmem_end = MIN(lowmem_end, LOWMEM_LIMIT);
	npages = lowmem_end >> PAGE_SHIFT;
	need = (npages / PTRS_PER_TABLE + 3) * PAGE_SIZE +
	       ALIGN_UP(npages * sizeof(struct page), PAGE_SIZE);
	boot_alloc_place(bi, need);
	paging_init(lowmem_end);
	for (i = 0; i < MAX_ORDER; i++)
		INIT_LIST_HEAD(&free_area[i]);
	pages = boot_alloc(npages * sizeof(struct page));
	for (pfn = 0; pfn < npages; pfn++)
		pages[pfn].flags = PG_RESERVED;

	for (i = 0; i < bi->nranges; i++)
		free_usable(bi,
			    ALIGN_UP(MAX(bi->ranges[i].start, LOW_RESERVED),
				     PAGE_SIZE),
			    ALIGN_DOWN(MIN(bi->ranges[i].end, lowmem_end),
				       PAGE_SIZE));
	printk("mm: %lu MiB usable, %lu pages free, kernel %u KiB, maps %u KiB\n",
	       total_count >> 8, free_count,
	       (unsigned)(__pa(_end) - __pa(_text)) >> 10,
	       (unsigned)(boot_limit - boot_start) >> 10);
}
