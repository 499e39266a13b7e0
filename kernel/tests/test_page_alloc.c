/* ktest suite "page_alloc": the buddy allocator. */
#include <spoor/ktest.h>
#include <spoor/mm.h>
#include <spoor/string.h>

static void single_page(struct kt_test *t)
{
	unsigned long before = nr_free_pages();
	uint8_t *p = alloc_page();

	KT_ASSERT_PTR_NE(t, p, NULL);
	KT_EXPECT_EQ(t, (uintptr_t)p & (PAGE_SIZE - 1), 0);
	KT_EXPECT_GE(t, (uintptr_t)p, KERNEL_BASE);
	KT_EXPECT_EQ(t, p[0] | p[PAGE_SIZE / 2] | p[PAGE_SIZE - 1], 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before - 1);
	free_page(p);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* Each order gives a block aligned to its own size. */
static void orders_are_aligned(struct kt_test *t)
{
	unsigned long before = nr_free_pages();
	unsigned k;

	for (k = 0; k < MAX_ORDER; k++) {
		void *p = alloc_pages(k);

		KT_ASSERT_PTR_NE(t, p, NULL);
		KT_EXPECT_EQ(t, __pa(p) & ((PAGE_SIZE << k) - 1), 0);
		KT_EXPECT_EQ(t, nr_free_pages(), before - (1ul << k));
		free_pages(p, k);
		KT_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KT_EXPECT_PTR_EQ(t, alloc_pages(MAX_ORDER), NULL);
}

/*
 * Take every free page, one at a time, chaining them through their own
 * first word and stamping each with its address; then check every stamp
 * (no page handed out twice), give them all back, and check that the
 * free blocks merged again into a largest-order block.
 */
static void exhaust_and_refill(struct kt_test *t)
{
	unsigned long before = nr_free_pages(), n = 0, bad = 0;
	uintptr_t *chain = NULL, *p;

	while ((p = alloc_pages(0))) {
		p[0] = (uintptr_t)chain;
		p[1] = (uintptr_t)p;
		chain = p;
		n++;
	}
	KT_EXPECT_EQ(t, n, before);
	KT_EXPECT_EQ(t, nr_free_pages(), 0);
	while (chain) {
		p = (uintptr_t *)chain[0];
		bad += chain[1] != (uintptr_t)chain;
		free_pages(chain, 0);
		chain = p;
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	p = alloc_pages(MAX_ORDER - 1);
	KT_ASSERT_PTR_NE(t, p, NULL);
	free_pages(p, MAX_ORDER - 1);
}

/* Two live blocks never overlap, and freeing one leaves the other. */
static void blocks_are_disjoint(struct kt_test *t)
{
	uint8_t *a = alloc_pages(2), *b = alloc_pages(2);

	KT_ASSERT_PTR_NE(t, a, NULL);
	KT_ASSERT_PTR_NE(t, b, NULL);
	KT_EXPECT_TRUE(t, a + 4 * PAGE_SIZE <= b || b + 4 * PAGE_SIZE <= a);
	memset(a, 0xaa, 4 * PAGE_SIZE);
	memset(b, 0x55, 4 * PAGE_SIZE);
	free_pages(a, 2);
	KT_EXPECT_EQ(t, b[0], 0x55);
	KT_EXPECT_EQ(t, b[4 * PAGE_SIZE - 1], 0x55);
	free_pages(b, 2);
}

KT_SUITE(page_alloc_suite, "page_alloc",
	 KT_CASE(single_page),
	 KT_CASE(orders_are_aligned),
	 KT_CASE(exhaust_and_refill),
	 KT_CASE(blocks_are_disjoint));
