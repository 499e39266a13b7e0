/* ktest suite "paging": the kernel half, mapping, and caught faults. */
#include <asm/paging.h>
#include <asm/uaccess.h>
#include <spoor/ktest.h>
#include <spoor/mm.h>

extern char _text[];

/* The last page of the I/O window: no driver maps that far. */
#define SCRATCH_VA	(IOMAP_BASE + (IOMAP_PAGES - 1) * PAGE_SIZE)

static void direct_map(struct kt_test *t)
{
	uint32_t *p = alloc_page();
	pte_t *pte;

	KT_ASSERT_PTR_NE(t, p, NULL);
	pte = pte_lookup(kernel_pgd, (uintptr_t)p);
	KT_ASSERT_PTR_NE(t, pte, NULL);
	KT_EXPECT_EQ(t, PTE_ADDR(*pte), __pa(p));
	KT_EXPECT_TRUE(t, (*pte & (PTE_P | PTE_W)) == (PTE_P | PTE_W));
	KT_EXPECT_FALSE(t, *pte & PTE_U);
	free_page(p);
}

static void text_is_read_only(struct kt_test *t)
{
	pte_t *pte = pte_lookup(kernel_pgd, (uintptr_t)_text);
	char c = 0;

	KT_ASSERT_PTR_NE(t, pte, NULL);
	KT_EXPECT_FALSE(t, *pte & PTE_W);
	/* CR0.WP makes the write fault even in ring 0; the fixup catches it. */
	KT_EXPECT_EQ(t, copy_safe(_text + 16, &c, 1), 1);
}

static void map_and_unmap(struct kt_test *t)
{
	uint32_t *page = alloc_page(), v = 0;
	volatile uint32_t *alias = (uint32_t *)SCRATCH_VA;

	KT_ASSERT_PTR_NE(t, page, NULL);
	KT_ASSERT_EQ(t, kernel_map_page(SCRATCH_VA, __pa(page), PTE_W), 0);
	alias[3] = 0x5ca1ab1e;		/* write through the new mapping */
	KT_EXPECT_EQ(t, page[3], 0x5ca1ab1e);
	kernel_unmap_page(SCRATCH_VA);
	KT_EXPECT_EQ(t, copy_safe(&v, (void *)SCRATCH_VA, 4), 4);
	KT_EXPECT_EQ(t, v, 0);
	KT_EXPECT_EQ(t, kernel_map_page(0x1000, __pa(page), PTE_W), -EINVAL);
	free_page(page);
}

/* Unmapped kernel addresses and NULL fault, and the fault is caught. */
static void faults_are_caught(struct kt_test *t)
{
	uint32_t v = 0xffffffff, *page = alloc_page();

	KT_EXPECT_EQ(t, copy_safe(&v, NULL, 4), 4);
	KT_EXPECT_EQ(t, copy_safe(&v, (void *)0xFFFFF000, 4), 4);
	KT_EXPECT_EQ(t, v, 0xffffffff);
	/* A copy that runs off the end of a mapping stops at the boundary. */
	KT_ASSERT_PTR_NE(t, page, NULL);
	KT_ASSERT_EQ(t, kernel_map_page(SCRATCH_VA - PAGE_SIZE, __pa(page),
					PTE_W), 0);
	KT_EXPECT_EQ(t, copy_safe(&v, (char *)SCRATCH_VA - 2, 4), 2);
	kernel_unmap_page(SCRATCH_VA - PAGE_SIZE);
	free_page(page);
}

static void user_range_checks(struct kt_test *t)
{
	uint32_t v;

	KT_EXPECT_EQ(t, copy_from_user(&v, (void *)KERNEL_BASE, 4), -EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, (void *)(KERNEL_BASE - 2), 4),
		     -EFAULT);
	KT_EXPECT_EQ(t, copy_to_user((void *)0xFFFFFFFC, &v, 8), -EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, NULL, 4), -EFAULT);
}

KT_SUITE(paging_suite, "paging",
	 KT_CASE(direct_map),
	 KT_CASE(text_is_read_only),
	 KT_CASE(map_and_unmap),
	 KT_CASE(faults_are_caught),
	 KT_CASE(user_range_checks));
