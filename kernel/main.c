/*
 * kmain: bring the machine up in dependency order, then do what the
 * command line asks: run kernel tests (ktest=), figures (bench=), or
 * start the system.
 */
#include <asm/cpuid.h>
#include <asm/irq.h>
#include <asm/sse.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/bench.h>
#include <spoor/boot.h>
#include <spoor/cmdline.h>
#include <spoor/console.h>
#include <spoor/ds.h>
#include <spoor/ptrace_bts.h>
#include <spoor/file.h>
#include <spoor/mm.h>
#include <spoor/panic.h>
#include <spoor/sched.h>
#include <spoor/ktest.h>
#include <spoor/power.h>
#include <spoor/printk.h>
#include <spoor/string.h>
#include <spoor/time.h>

uint64_t boot_tsc_entry, boot_tsc_done;

/* ktest's output goes straight to the console. */
void kt_write(const char *s, size_t n)
{
	console_write(s, n);
}

/* Run the suites named by ktest=..., report, and leave QEMU. */
static void run_ktests(const char *filter)
{
	int failed = kt_run(filter);

	if (failed < 0)
		printk("ktest: no suite matches \"%s\"\n", filter);
	printk("spoor: end of run\n");
	machine_exit(failed ? EXIT_FAIL : EXIT_PASS);
}

/* Name the accelerator from the hypervisor's CPUID signature. */
static const char *accel_name(void)
{
	if (!strcmp(boot_cpu.hypervisor, "KVMKVMKVM"))
		return "kvm";
	if (!strcmp(boot_cpu.hypervisor, "TCGTCGTCGTCG"))
		return "tcg";
	if (boot_cpu.hypervisor[0])
		return boot_cpu.hypervisor;
	return "none (bare metal, or TCG with a CPU model that hides it)";
}

void kmain(uint32_t magic, uint32_t mbi_pa)
{
	const char *arg;

	uart_init();
	boot_info_parse(magic, mbi_pa);
	printk("Spoor: booting (cmdline \"%s\")\n", cmdline_all());
	gdt_init();
	idt_init();
	cpu_identify();
	sse_init();
	boot_tsc_entry = read_tsc();
	printk("cpu: accel %s\n", accel_name());
	mm_init(&boot_info);
	sched_init();
	pic_init();
	pit_init(HZ);
	uart_enable_rx();
	sti();
	boot_tsc_done = read_tsc();
	printk("Spoor: kernel init done\n");

	ds_init(cmdline_get("bts"));
	ptrace_bts_init();
	if ((arg = cmdline_get("ktest")))
		run_ktests(arg);
	if ((arg = cmdline_get("bench")))
		run_bench(arg);
	if (!boot_info.nmods)
		panic("no initramfs: boot with -initrd or a GRUB module line");
	initramfs_init(__va(boot_info.mods[0].start),
		       boot_info.mods[0].end - boot_info.mods[0].start);
	serial_init();		/* /dev/ttyS1 joins the namespace */
	start_init();
}
