/*
 * The kernel half of the address space: every frame of low memory
 * mapped at KERNEL_BASE + physical address (the direct map), kernel
 * text read-only, and one page table for device memory (ioremap).
 * These tables are made once here; each user page directory later
 * copies the 256 kernel entries and so shares them.
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/mm.h>
#include <spoor/string.h>

extern char _text[], _etext[];

pde_t *kernel_pgd;
static pte_t *iomap_table;
static unsigned iomap_used;

void paging_init(uintptr_t lowmem_end)
{
	uintptr_t pa;

	kernel_pgd = boot_alloc(PAGE_SIZE);
	for (pa = 0; pa < lowmem_end; pa += PAGE_SIZE) {
		uintptr_t va = (uintptr_t)__va(pa);
		pte_t *pt;
		uint32_t flags = PTE_P | PTE_W;

		if (!kernel_pgd[PDX(va)]) {
			pt = boot_alloc(PAGE_SIZE);
			kernel_pgd[PDX(va)] = __pa(pt) | PTE_P | PTE_W;
		}
		pt = __va(PTE_ADDR(kernel_pgd[PDX(va)]));
		if (va >= (uintptr_t)_text && va < (uintptr_t)_etext)
			flags = PTE_P;	/* kernel text: a stray write faults */
		pt[PTX(va)] = pa | flags;
	}
	iomap_table = boot_alloc(PAGE_SIZE);
	kernel_pgd[PDX(IOMAP_BASE)] = __pa(iomap_table) | PTE_P | PTE_W;
	/* Leaves the boot identity map behind: a NULL access now faults. */
	write_cr3(__pa(kernel_pgd));
}

pte_t *pte_lookup(pde_t *pgd, uintptr_t va)
{
	pde_t pde = pgd[PDX(va)];

	if (!(pde & PTE_P))
		return NULL;
	return (pte_t *)__va(PTE_ADDR(pde)) + PTX(va);
}

void *ioremap(uintptr_t phys)
{
	uintptr_t va;

	if (iomap_used == IOMAP_PAGES)
		return NULL;
	va = IOMAP_BASE + iomap_used * PAGE_SIZE;
	iomap_table[iomap_used++] = ALIGN_DOWN(phys, PAGE_SIZE) | PTE_P |
				    PTE_W | PTE_PCD | PTE_PWT;
	invlpg(va);
	return (void *)(va + (phys & (PAGE_SIZE - 1)));
}

int kernel_map_page(uintptr_t va, uintptr_t pa, uint32_t flags)
{
	pte_t *pte = va >= KERNEL_BASE ? pte_lookup(kernel_pgd, va) : NULL;

	if (!pte)
		return -EINVAL;
	*pte = ALIGN_DOWN(pa, PAGE_SIZE) | flags | PTE_P;
	invlpg(va);
	return 0;
}

void kernel_unmap_page(uintptr_t va)
{
	pte_t *pte = pte_lookup(kernel_pgd, va);

	if (pte) {
		*pte = 0;
		invlpg(va);
	}
}
