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
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ptrace.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include "tests/kt_user.h"
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

/*
 * A loop of two instructions run 100000 times: under -icount
 * shift=0 it takes 200000 ticks, showing one tick per instruction.
 */
static void bench_calibrate(void)
{
	uint64_t t0 = read_tsc(), t1;
	int n = 100000;

	asm volatile("1: dec %0; jnz 1b" : "+r"(n));
	t1 = read_tsc();
	printk("bench: calibration_200000_instructions %llu ticks\n", t1 - t0);
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

/*
 * The DS part of a context switch, with the hardware unit's MSR writes
 * (under TCG they are executed and dropped): between two tasks without
 * a DS context, and to and from one that has one.
 */
static struct task_struct plain, traced;

static void op_switch_traced(void)
{
	ds_switch_to(&plain, &traced);
	ds_switch_to(&traced, &plain);
}

static void op_switch_plain_pair(void)
{
	ds_switch_to(&plain, &plain);
	ds_switch_to(&plain, &plain);
}

/*
 * Guest instructions per record of PTRACE_BTS_SIZE and PTRACE_BTS_DRAIN
 * (issue 9's target for DRAIN: 50): 1000 user-space branches in the
 * 64-bit layout, each checked by the kernel-address filter; DRAIN's
 * figure includes the copy to user memory and the clear that ends it.
 */
static void bench_drain(void)
{
	struct ptrace_bts_config *cfg;
	struct kt_user u;
	uint64_t t0, t1;
	long n;
	int i;

	ds_set_unit(&bts_hw_unit, &ds_layout_64, &debugctl_bits_core);
	traced.ptrace = PT_PTRACED;
	traced.parent = current;
	if (kt_user_enter(&u, 8))
		return;
	cfg = (struct ptrace_bts_config *)u.base;
	cfg->size = 1000 * 24;
	cfg->flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC;
	if (ptrace_bts_request(&traced, PTRACE_BTS_CONFIG, (uintptr_t)cfg,
			       16) != 16)
		goto out;
	printk("bench: ds_switch_without_context %llu ticks\n",
	       measure(op_switch_plain_pair) / 2);
	printk("bench: ds_switch_with_context %llu ticks\n",
	       measure(op_switch_traced) / 2);
	for (i = 0; i < 1000; i++)
		bts_model_record(&ds_layout_64,
				 ds_context_area(traced.thread.ds_ctx), 0,
				 0x08048000 + i, 0x08049000 + i);
	t0 = read_tsc();
	n = ptrace_bts_request(&traced, PTRACE_BTS_SIZE, 0, 0);
	t1 = read_tsc();
	printk("bench: bts_size_per_record %llu ticks\n", (t1 - t0) / 1000);
	t0 = read_tsc();
	n = ptrace_bts_request(&traced, PTRACE_BTS_DRAIN,
			       (uintptr_t)u.base + 64, 1000 * 24);
	t1 = read_tsc();
	if (n == 1000)
		printk("bench: bts_drain_per_record %llu ticks (target 50)\n",
		       (t1 - t0) / 1000);
	else
		printk("bench: bts_drain_per_record failed: %ld\n", n);
	ptrace_bts_untrace(&traced);
out:
	kt_user_leave(&u);
	ds_set_unit(NULL, NULL, NULL);
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
	bench_calibrate();
	printk("bench: boot_kernel_entry %llu ticks\n", boot_tsc_entry);
	printk("bench: boot_init_done %llu ticks\n", boot_tsc_done);
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		printk("bench: %s %llu ticks\n", benches[i].name,
		       measure(benches[i].op));
	bench_drain();
	printk("spoor: end of run\n");
	machine_exit(EXIT_PASS);
}
