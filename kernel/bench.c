/*
 * Kernel figures for `make bench`.  Under QEMU -icount shift=0,sleep=off
 * the guest TSC advances one tick per guest instruction, so each figure
 * is deterministic: the same build prints the same numbers every run.
 * Each operation runs once to warm up (fill caches such as the slab's
 * partial page), then BENCH_ITERS times; the mean is printed.
 */
#include <asm/cpuid.h>
#include <asm/x86.h>
#include <spoor/bench.h>
#include <spoor/compiler.h>
#include <spoor/cmdline.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/power.h>
#include <spoor/printk.h>
#include <spoor/string.h>

#define BENCH_ITERS 1000

uint64_t read_tsc(void)
{
	return (boot_cpu.feat_edx & CPUID1_EDX_TSC) ? rdtsc() : 0;
}

static void op_page(void)
{
	free_pages(alloc_pages(0), 0);
}

static void op_kmalloc32(void)
{
	kfree(kmalloc(32));
}

static void op_kmalloc4096(void)
{
	kfree(kmalloc(4096));
}

/* Mean ticks of @op over BENCH_ITERS runs, loop overhead included. */
static uint64_t measure(void (*op)(void))
{
	uint64_t t0;
	int i;

	op();
	t0 = read_tsc();
	for (i = 0; i < BENCH_ITERS; i++)
		op();
	return (read_tsc() - t0) / BENCH_ITERS;
}

struct bench {
	const char *name;
	void (*op)(void);
};

static const struct bench benches[] = {
	{ "page_alloc_free", op_page },
	{ "kmalloc_kfree_32", op_kmalloc32 },
	{ "kmalloc_kfree_4096", op_kmalloc4096 },
};

void run_bench(const char *which)
{
	unsigned i;

	(void)which;
	printk("bench: boot_kernel_entry %llu ticks\n", boot_tsc_entry);
	printk("bench: boot_init_done %llu ticks\n", boot_tsc_done);
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		printk("bench: %s %llu ticks\n", benches[i].name,
		       measure(benches[i].op));
	printk("spoor: end of run\n");
	machine_exit(EXIT_PASS);
}
