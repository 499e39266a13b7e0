/*
 * ktest suite "msr": fault-safe MSR access through the fixup table.
 * Run under the default CPU (MSRs exist; unknown ones #GP) and under
 * -cpu 486 (no MSRs at all: rdmsr/wrmsr are #UD).
 */
#include <asm/cpuid.h>
#include <asm/extable.h>
#include <asm/msr.h>
#include <spoor/ktest.h>
#include <spoor/string.h>

#define MSR_NONEXISTENT	0x4b564d99	/* in no CPU's MSR space */

static int cpu_has_msr(void)
{
	return (boot_cpu.feat_edx & CPUID1_EDX_MSR) != 0;
}

/*
 * QEMU 7.2 TCG answers every unknown MSR with 0 and drops writes to it
 * (docs/ds-bts.md, section 3), and executes rdmsr/wrmsr even for a CPU
 * model without MSRs (-cpu 486: no #UD, measured); hardware and KVM
 * raise #GP or #UD.  The cases check what this machine must do.
 */
static int msr_quirk_tcg(void)
{
	return !strcmp(boot_cpu.hypervisor, "TCGTCGTCGTCG");
}

static void unknown_msr_read(struct kt_test *t)
{
	uint64_t v = 0x1234;

	if (msr_quirk_tcg()) {
		KT_EXPECT_EQ(t, rdmsr_safe(MSR_NONEXISTENT, &v), 0);
		KT_EXPECT_EQ(t, v, 0);
		return;
	}
	KT_EXPECT_EQ(t, rdmsr_safe(MSR_NONEXISTENT, &v), -EIO);
	KT_EXPECT_EQ(t, v, 0x1234);	/* untouched on failure */
}

static void unknown_msr_write(struct kt_test *t)
{
	KT_EXPECT_EQ(t, wrmsr_safe(MSR_NONEXISTENT, 1),
		     msr_quirk_tcg() ? 0 : -EIO);
}

/* Real MSRs read fine where the CPU has MSRs, and fail safely where not. */
static void real_msr_read(struct kt_test *t)
{
	uint64_t v = 0;
	int expect = cpu_has_msr() || msr_quirk_tcg() ? 0 : -EIO;

	kt_log(t, "CPUID MSR feature: %s", cpu_has_msr() ? "yes" : "no");
	KT_EXPECT_EQ(t, rdmsr_safe(MSR_IA32_MISC_ENABLE, &v), expect);
	KT_EXPECT_EQ(t, wrmsr_safe(MSR_IA32_DEBUGCTL, 0), expect);
}

/* A deliberate #GP (a selector past the GDT's end) is fixed up too. */
static void gp_fault_fixed_up(struct kt_test *t)
{
	int reached = 0;

	asm volatile("1:	movw %w1, %%fs\n"
		     "	movl $1, %0\n"
		     "2:\n"
		     _ASM_FIXUP_MOV("$2", "%0")
		     : "+r"(reached) : "r"(0xfff8));
	KT_EXPECT_EQ(t, reached, 2);
}

/* A deliberate #UD through the table: the kernel resumes at the fixup. */
static void deliberate_fault_fixed_up(struct kt_test *t)
{
	int reached = 0;

	asm volatile("1:	ud2\n"
		     "	movl $1, %0\n"		/* skipped by the fixup */
		     "2:\n"
		     _ASM_FIXUP_MOV("$2", "%0")
		     : "+r"(reached));
	KT_EXPECT_EQ(t, reached, 2);
	KT_EXPECT_PTR_EQ(t, search_extable(0x1234), NULL);
}

KT_SUITE(msr_suite, "msr",
	 KT_CASE(unknown_msr_read),
	 KT_CASE(unknown_msr_write),
	 KT_CASE(real_msr_read),
	 KT_CASE(gp_fault_fixed_up),
	 KT_CASE(deliberate_fault_fixed_up));
