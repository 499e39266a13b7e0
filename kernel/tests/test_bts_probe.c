/*
 * ktest suite "bts_probe": the hardware unit's probe on the machine we
 * booted, against the verdict the boot configuration expects, passed
 * as bts_expect=... on the command line:
 *   no-ds      CPUID has no DS (QEMU's default CPUs, -cpu 486)
 *   readback   DS advertised, MSR writes dropped (-cpu ...,+ds under TCG)
 *   ok         real BTS hardware
 * Every probe leaves DEBUGCTL and IA32_DS_AREA as it found them (0).
 */
#include <asm/msr.h>
#include <spoor/cmdline.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ktest.h>
#include <spoor/string.h>

static void probe_verdict(struct kt_test *t)
{
	const char *expect = cmdline_get("bts_expect");
	struct bts_probe p = { 0 };

	if (!expect)
		KT_SKIP(t, "no bts_expect= on the command line");
	bts_hw_unit.probe(&p);
	kt_log(t, "probe: %s: %s", p.ok ? "ok" : "rejected", p.reason);
	if (!strcmp(expect, "ok")) {
		KT_EXPECT_TRUE(t, p.ok);
		return;
	}
	KT_EXPECT_FALSE(t, p.ok);
	if (!strcmp(expect, "no-ds"))
		KT_EXPECT_PTR_NE(t, strstr(p.reason, "no DS"), NULL);
	else if (!strcmp(expect, "readback"))
		KT_EXPECT_PTR_NE(t, strstr(p.reason, "did not read back"),
				 NULL);
	else
		KT_EXPECT_STREQ(t, expect, "no-ds|readback|ok");
}

/* bts=auto: the hardware where its probe passes, else the software. */
static void unit_choice(struct kt_test *t)
{
	struct bts_probe p = { 0 };

	bts_hw_unit.probe(&p);
	if (cmdline_get("bts"))
		KT_SKIP(t, "bts= given: the choice is not automatic");
	KT_EXPECT_TRUE(t, ds_available());
	KT_EXPECT_STREQ(t, ds_unit_name(), p.ok ? "hardware" : "software");
}

static void probe_leaves_msrs_off(struct kt_test *t)
{
	struct bts_probe p = { 0 };
	uint64_t ctl = 1, area = 1;

	bts_hw_unit.probe(&p);
	if (rdmsr_safe(MSR_IA32_DEBUGCTL, &ctl) ||
	    rdmsr_safe(MSR_IA32_DS_AREA, &area))
		KT_SKIP(t, "MSRs not readable here");
	KT_EXPECT_EQ(t, ctl, 0);
	KT_EXPECT_EQ(t, area, 0);
}

KT_SUITE(bts_probe_suite, "bts_probe",
	 KT_CASE(probe_verdict),
	 KT_CASE(unit_choice),
	 KT_CASE(probe_leaves_msrs_off));
