/*
 * User address spaces (see spoor/vm.h).  Pages are private and mapped
 * eagerly: fork copies every present user page, so no page is ever
 * shared between processes and a debugger's POKETEXT into one process
 * cannot show up in another.  Only the stack grows on demand.
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

struct mm_struct *mm_create(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = alloc_page();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	/* The kernel half is the same page tables in every directory. */
	memcpy(mm->pgd + KERNEL_PDX, kernel_pgd + KERNEL_PDX,
	       (PTRS_PER_TABLE - KERNEL_PDX) * sizeof(pde_t));
	return mm;
}

void mm_activate(const struct mm_struct *mm)
{
	write_cr3(__pa(mm->pgd));
}

/* The PTE for user @va, creating its page table if @create. */
static pte_t *walk(struct mm_struct *mm, uintptr_t va, int create)
{
	pde_t *pde = &mm->pgd[PDX(va)];
	pte_t *pt;

	if (!(*pde & PTE_P)) {
		if (!create || !(pt = alloc_page()))
			return NULL;
		*pde = __pa(pt) | PTE_P | PTE_W | PTE_U;
	}
	return (pte_t *)__va(PTE_ADDR(*pde)) + PTX(va);
}

void vm_unmap(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	for (va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm, va, 0);

		if (!pte || !(*pte & PTE_P))
			continue;
		free_page(__va(PTE_ADDR(*pte)));
		*pte = 0;
		mm->pages--;
		invlpg(va);
	}
}

int vm_map_zero(struct mm_struct *mm, uintptr_t start, uintptr_t end,
		uint32_t flags)
{
	uintptr_t va;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	for (va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm, va, 1);
		void *page;

		if (pte && (*pte & PTE_P))	/* already mapped: keep it */
			continue;
		page = pte ? alloc_page() : NULL;
		if (!page) {
			vm_unmap(mm, start, va);
			return -ENOMEM;
		}
		*pte = __pa(page) | PTE_P | PTE_U | flags;
		mm->pages++;
	}
	return 0;
}

int vm_mapped_pages(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	uintptr_t va;
	int n = 0;

	for (va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm, va, 0);

		if (pte && (*pte & PTE_P))
			n++;
	}
	return n;
}

int vm_protect(struct mm_struct *mm, uintptr_t start, uintptr_t end,
	       uint32_t flags)
{
	uintptr_t va;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	/* All or nothing: check every page before changing one. */
	if (vm_mapped_pages(mm, start, end) != (int)((end - start +
						      PAGE_SIZE - 1) / PAGE_SIZE))
		return -ENOMEM;
	for (va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm, va, 0);

		*pte = (*pte & ~(PTE_U | PTE_W)) | flags;
		invlpg(va);
	}
	return 0;
}

void *vm_kaddr(const struct mm_struct *mm, uintptr_t va, int write)
{
	pde_t pde;
	pte_t pte;

	if (va >= KERNEL_BASE)
		return NULL;
	pde = mm->pgd[PDX(va)];
	if (!(pde & PTE_P))
		return NULL;
	pte = ((pte_t *)__va(PTE_ADDR(pde)))[PTX(va)];
	if (!(pte & PTE_P) || (write && !(pte & PTE_W)))
		return NULL;
	return (char *)__va(PTE_ADDR(pte)) + (va & (PAGE_SIZE - 1));
}

struct mm_struct *mm_copy(const struct mm_struct *old)
{
	struct mm_struct *mm = mm_create();
	unsigned pdx, ptx;

	if (!mm)
		return NULL;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->stack_low = old->stack_low;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	for (pdx = 0; pdx < KERNEL_PDX; pdx++) {
		const pte_t *src;

		if (!(old->pgd[pdx] & PTE_P))
			continue;
		src = __va(PTE_ADDR(old->pgd[pdx]));
		for (ptx = 0; ptx < PTRS_PER_TABLE; ptx++) {
			uintptr_t va = (uintptr_t)pdx << 22 | ptx << 12;
			pte_t *dst;
			void *page;

			if (!(src[ptx] & PTE_P))
				continue;
			dst = walk(mm, va, 1);
			page = dst ? alloc_pages(0) : NULL;
			if (!page) {
				mm_destroy(mm);
				return NULL;
			}
			memcpy(page, __va(PTE_ADDR(src[ptx])), PAGE_SIZE);
			*dst = __pa(page) | (src[ptx] & (PTE_U | PTE_W | PTE_P));
			mm->pages++;
		}
	}
	return mm;
}

void mm_destroy(struct mm_struct *mm)
{
	unsigned pdx, ptx;

	if (!mm)
		return;
	for (pdx = 0; pdx < KERNEL_PDX; pdx++) {
		pte_t *pt;

		if (!(mm->pgd[pdx] & PTE_P))
			continue;
		pt = __va(PTE_ADDR(mm->pgd[pdx]));
		for (ptx = 0; ptx < PTRS_PER_TABLE; ptx++)
			if (pt[ptx] & PTE_P)
				free_page(__va(PTE_ADDR(pt[ptx])));
		free_page(pt);
	}
	free_page(mm->pgd);
	kfree(mm);
}

int vm_grow_stack(struct mm_struct *mm, uintptr_t addr)
{
	uintptr_t low = ALIGN_DOWN(addr, PAGE_SIZE);

	if (addr >= mm->stack_low || addr >= USER_STACK_TOP ||
	    low < USER_STACK_TOP - USER_STACK_MAX || low < mm->brk)
		return -EFAULT;
	if (vm_map_zero(mm, low, mm->stack_low, PTE_W))
		return -EFAULT;
	mm->stack_low = low;
	return 0;
}

/*
 * brk(2) as Linux does it: returns the new break, or the old one when
 * the request is refused (below start_brk, into the stack, no memory).
 */
long sys_brk(uintptr_t brk)
{
	struct mm_struct *mm = current->mm;
	uintptr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	uintptr_t new_end = ALIGN_UP(brk, PAGE_SIZE);

	if (brk < mm->start_brk || brk > mm->stack_low - PAGE_SIZE)
		return mm->brk;
	/* The heap may not grow over an mmap'd region. */
	if (new_end > old_end && vm_mapped_pages(mm, old_end, new_end))
		return mm->brk;
	if (new_end > old_end &&
	    vm_map_zero(mm, old_end, new_end, PTE_W) < 0)
		return mm->brk;
	if (new_end < old_end)
		vm_unmap(mm, new_end, old_end);
	mm->brk = brk;
	return brk;
}
