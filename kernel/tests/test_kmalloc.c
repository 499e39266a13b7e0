/* ktest suite "kmalloc": the kernel heap, its checks and its counters. */
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/mm.h>
#include <spoor/string.h>

static enum heap_error last_error;
static int nr_errors;

static void record_error(enum heap_error err, const void *p)
{
	(void)p;
	last_error = err;
	nr_errors++;
}

static void start_recording(void)
{
	last_error = HEAP_OK;
	nr_errors = 0;
	kmalloc_set_error_handler(record_error);
}

static void stop_recording(void)
{
	kmalloc_set_error_handler(NULL);
}

static void sizes_and_alignment(struct kt_test *t)
{
	static const size_t sizes[] = { 1, 7, 8, 20, 32, 100, 500, 1000, 2036,
					2037, 4096, 5000, 65536 };
	unsigned long base = kmalloc_bytes_in_use();
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	unsigned i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT_PTR_NE(t, p[i], NULL);
		KT_EXPECT_EQ(t, (uintptr_t)p[i] & 7, 0);
		if (sizes[i] > KMALLOC_MAX_SMALL)
			KT_EXPECT_EQ(t, (uintptr_t)p[i] & (PAGE_SIZE - 1), 0);
		memset(p[i], i, sizes[i]);	/* all of it is usable */
		KT_EXPECT_EQ(t, kmalloc_validate(p[i]), HEAP_OK);
	}
	KT_EXPECT_GT(t, kmalloc_bytes_in_use(), base);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		KT_EXPECT_EQ(t, ((uint8_t *)p[i])[sizes[i] - 1], i);
		kfree(p[i]);
	}
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), base);
	KT_EXPECT_PTR_EQ(t, kmalloc(64 << 20), NULL);
}

static void kzalloc_zeroes(struct kt_test *t)
{
	uint8_t *p = kmalloc(200);
	unsigned i, sum = 0;

	KT_ASSERT_PTR_NE(t, p, NULL);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200);
	KT_ASSERT_PTR_NE(t, p, NULL);
	for (i = 0; i < 200; i++)
		sum += p[i];
	KT_EXPECT_EQ(t, sum, 0);
	kfree(p);
}

static void redzone_overflow_caught(struct kt_test *t)
{
	uint8_t *p = kmalloc(24), *big = kmalloc(5000);

	KT_ASSERT_PTR_NE(t, p, NULL);
	KT_ASSERT_PTR_NE(t, big, NULL);
	start_recording();
	p[24] = 0;			/* one byte past the end */
	KT_EXPECT_EQ(t, kmalloc_validate(p), HEAP_REDZONE);
	kfree(p);			/* refused: reported, not freed */
	KT_EXPECT_EQ(t, last_error, HEAP_REDZONE);
	KT_EXPECT_EQ(t, kmalloc_validate(p), HEAP_REDZONE);
	big[5003] = 1;
	KT_EXPECT_EQ(t, kmalloc_validate(big), HEAP_REDZONE);
	stop_recording();
	p[24] = 0xfd;			/* repair, then a clean free works */
	big[5003] = 0xfd;
	KT_EXPECT_EQ(t, kmalloc_validate(p), HEAP_OK);
	kfree(p);
	kfree(big);
}

static void double_free_caught(struct kt_test *t)
{
	unsigned long base = kmalloc_bytes_in_use();
	void *p = kmalloc(40), *q = kmalloc(40);

	KT_ASSERT_PTR_NE(t, p, NULL);
	kfree(p);
	start_recording();
	kfree(p);
	stop_recording();
	KT_EXPECT_EQ(t, nr_errors, 1);
	KT_EXPECT_EQ(t, last_error, HEAP_DOUBLE_FREE);
	kfree(q);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), base);
}

/* A write into a freed object is found when its slot is reused. */
static void use_after_free_caught(struct kt_test *t)
{
	uint8_t *p = kmalloc(100), *q;

	KT_ASSERT_PTR_NE(t, p, NULL);
	kfree(p);
	p[5] = 1;
	start_recording();
	q = kmalloc(100);		/* the slot just freed comes back first */
	stop_recording();
	KT_EXPECT_PTR_EQ(t, q, p);
	KT_EXPECT_EQ(t, nr_errors, 1);
	KT_EXPECT_EQ(t, last_error, HEAP_USE_AFTER_FREE);
	kfree(q);
}

static void bad_pointer_caught(struct kt_test *t)
{
	static uint64_t not_heap;
	uint8_t *p = kmalloc(64);

	start_recording();
	kfree(&not_heap);
	KT_EXPECT_EQ(t, last_error, HEAP_BAD_POINTER);
	kfree(p + 8);			/* inside an object, not its start */
	KT_EXPECT_EQ(t, last_error, HEAP_BAD_POINTER);
	stop_recording();
	KT_EXPECT_EQ(t, nr_errors, 2);
	kfree(p);
}

/* A storm of allocations leaves heap bytes and free pages as they were. */
static void counters_return_to_baseline(struct kt_test *t)
{
	unsigned long bytes, pages;
	void *p[300];
	unsigned i, round;

	kmalloc_shrink();
	bytes = kmalloc_bytes_in_use();
	pages = nr_free_pages();
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 300; i++)
			p[i] = kmalloc((i * 37 + round * 11) % 3000 + 1);
		for (i = 0; i < 300; i++)
			kfree(p[(i * 7) % 300]);
	}
	kmalloc_shrink();
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), bytes);
	KT_EXPECT_EQ(t, nr_free_pages(), pages);
}

KT_SUITE(kmalloc_suite, "kmalloc",
	 KT_CASE(sizes_and_alignment),
	 KT_CASE(kzalloc_zeroes),
	 KT_CASE(redzone_overflow_caught),
	 KT_CASE(double_free_caught),
	 KT_CASE(use_after_free_caught),
	 KT_CASE(bad_pointer_caught),
	 KT_CASE(counters_return_to_baseline));
