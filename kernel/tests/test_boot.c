/*
 * ktest suites that check the boot itself: "smoke" (what the GRUB ISO
 * boot runs) and "crash", a deliberate NULL dereference run only when
 * named, so the host runner can prove it reports crashes with a
 * symbolised backtrace.
 */
#include <spoor/boot.h>
#include <spoor/cmdline.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/mm.h>

static void memory_found(struct kt_test *t)
{
	KT_EXPECT_GT(t, boot_info.nranges, 0);
	KT_EXPECT_GT(t, nr_total_pages(), 1024);	/* > 4 MiB */
	KT_EXPECT_GT(t, nr_free_pages(), 0);
}

static void cmdline_parsed(struct kt_test *t)
{
	KT_EXPECT_STREQ(t, cmdline_get("ktest"), "smoke");
	KT_EXPECT_PTR_EQ(t, cmdline_get("no_such_option"), NULL);
}

static void initramfs_module_loaded(struct kt_test *t)
{
	KT_ASSERT_GE(t, boot_info.nmods, 1);
	KT_EXPECT_GT(t, boot_info.mods[0].end, boot_info.mods[0].start);
}

static void heap_works(struct kt_test *t)
{
	char *p = kmalloc(100);

	KT_ASSERT_PTR_NE(t, p, NULL);
	kfree(p);
}

KT_SUITE_EXPLICIT(smoke_suite, "smoke",
		  KT_CASE(memory_found),
		  KT_CASE(cmdline_parsed),
		  KT_CASE(initramfs_module_loaded),
		  KT_CASE(heap_works));

/* Kept out of line so the backtrace shows a frame of its own. */
static __attribute__((noinline)) int read_through(volatile int *p)
{
	// cppcheck-suppress [nullPointer,ctunullpointer] ; on purpose
	return *p;
}

static void null_dereference(struct kt_test *t)
{
	kt_log(t, "dereferencing NULL on purpose: expect a KERNEL FAULT");
	KT_EXPECT_EQ(t, read_through(NULL), 0);
}

KT_SUITE_EXPLICIT(crash_suite, "crash", KT_CASE(null_dereference));
