/*
 * Host tests of the hardware BTS unit's probe (kernel/ds/bts_hw.c) on
 * every fake CPU profile -- verdict, reason, layout, DEBUGCTL bits, the
 * exact MSR sequence and the MSRs left at 0 -- and of the boot-time
 * unit choice from bts= (kernel/ds/probe.c).  Part of the test_ds
 * program (see test_ds.c).
 */
#include <spoor/compiler.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ds_cpu.h>
#include <spoor/errno.h>
#include <spoor/ktest.h>
#include <spoor/string.h>
#include "fake_cpu.h"
#include "kernel_shim.h"

/* -- bts_hw probe on every CPU profile -------------------------------- */

static void probe(struct kt_test *t, const struct fake_cpu_profile *prof,
		  struct bts_probe *p)
{
	fake_cpu_reset(prof);
	memset(p, 0, sizeof(*p));
	bts_hw_unit.probe(p);
	kt_log(t, "%s: %s: %s", prof->name, p->ok ? "ok" : "rejected",
	       p->reason);
}

static int has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static void expect_bits(struct kt_test *t, const struct debugctl_bits *b,
			uint64_t tr, uint64_t bts, uint64_t btint,
			uint64_t off_os, uint64_t off_usr)
{
	KT_EXPECT_EQ(t, b->tr, tr);
	KT_EXPECT_EQ(t, b->bts, bts);
	KT_EXPECT_EQ(t, b->btint, btint);
	KT_EXPECT_EQ(t, b->off_os, off_os);
	KT_EXPECT_EQ(t, b->off_usr, off_usr);
}

/* What the probe leaves behind: both MSRs off, the test area used. */
static void expect_msrs_off(struct kt_test *t)
{
	const struct fake_event *wr_area = fake_cpu_event(1);

	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DS_AREA), 0);
	/* The DS area read back is the one written. */
	if (wr_area && fake_cpu_event(2))
		KT_EXPECT_EQ(t, fake_cpu_event(2)->value, wr_area->value);
}

static void probe_core2(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x00850089),
		X_WR(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_RD(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_WR(MSR_IA32_DEBUGCTL, 0x2c0),	/* TR|BTS|BTS_OFF_OS */
		X_RD(MSR_IA32_DEBUGCTL, 0x2c0),
		X_WR(MSR_IA32_DEBUGCTL, 0),
		X_WR(MSR_IA32_DS_AREA, 0),
	};
	struct bts_probe p;

	probe(t, &fake_core2, &p);
	KT_EXPECT_TRUE(t, p.ok);
	KT_EXPECT_PTR_EQ(t, p.layout, &ds_layout_64);	/* DTES64 */
	expect_bits(t, &p.bits, 1 << 6, 1 << 7, 1 << 8, 1 << 9, 1 << 10);
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	expect_msrs_off(t);
}

static void probe_pentium_m(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x00100089),
		X_WR(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_RD(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_WR(MSR_IA32_DEBUGCTL, 0xc0),	/* TR|BTS: no CPL bits */
		X_RD(MSR_IA32_DEBUGCTL, 0xc0),
		X_WR(MSR_IA32_DEBUGCTL, 0),
		X_WR(MSR_IA32_DS_AREA, 0),
	};
	struct bts_probe p;

	probe(t, &fake_pentium_m, &p);
	KT_EXPECT_TRUE(t, p.ok);
	KT_EXPECT_PTR_EQ(t, p.layout, &ds_layout_32);	/* no DTES64 */
	expect_bits(t, &p.bits, 1 << 6, 1 << 7, 1 << 8, 0, 0);
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	expect_msrs_off(t);
}

static void probe_netburst(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x89),
		X_WR(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_RD(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_WR(MSR_IA32_DEBUGCTL, 0x2c),	/* TR 2, BTS 3, OFF_OS 5 */
		X_RD(MSR_IA32_DEBUGCTL, 0x2c),
		X_WR(MSR_IA32_DEBUGCTL, 0),
		X_WR(MSR_IA32_DS_AREA, 0),
	};
	struct bts_probe p;

	probe(t, &fake_netburst, &p);
	KT_EXPECT_TRUE(t, p.ok);
	KT_EXPECT_PTR_EQ(t, p.layout, &ds_layout_32);
	expect_bits(t, &p.bits, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6);
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	expect_msrs_off(t);
}

/* The CPL bits come from CPUID.1 ECX[4], not from the family alone. */
static void probe_core2_without_dscpl(struct kt_test *t)
{
	struct fake_cpu_profile prof = fake_core2;
	struct bts_probe p;
	unsigned i, wrote_ctl = 0;

	prof.name = "core2-no-ds-cpl";
	prof.ecx &= ~CPUID1_ECX_DSCPL;
	probe(t, &prof, &p);
	KT_EXPECT_TRUE(t, p.ok);
	expect_bits(t, &p.bits, 1 << 6, 1 << 7, 1 << 8, 0, 0);
	for (i = 0; i < fake_cpu_nlog(); i++) {
		const struct fake_event *e = fake_cpu_event(i);

		if (e->kind == FAKE_WR && e->msr == MSR_IA32_DEBUGCTL &&
		    e->value)
			wrote_ctl = (unsigned)e->value;
	}
	KT_EXPECT_EQ(t, wrote_ctl, 0xc0);
}

/* Rejections before any MSR is touched (AMD: DEBUGCTL bits reserved). */
static void expect_untouched(struct kt_test *t, const struct bts_probe *p,
			     const char *why)
{
	KT_EXPECT_FALSE(t, p->ok);
	KT_EXPECT_TRUE(t, has(p->reason, why));
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
}

static void probe_amd(struct kt_test *t)
{
	struct bts_probe p;

	probe(t, &fake_amd, &p);
	expect_untouched(t, &p, "no DS");
	probe(t, &fake_amd_forced_ds, &p);	/* CPUID says DS anyway */
	expect_untouched(t, &p, "AuthenticAMD");
}

static void probe_tcg(struct kt_test *t)
{
	struct bts_probe p;

	probe(t, &fake_tcg, &p);
	expect_untouched(t, &p, "no DS");
}

static void probe_486(struct kt_test *t)
{
	struct bts_probe p;

	probe(t, &fake_486, &p);
	expect_untouched(t, &p, "CPUID");
}

/* MISC_ENABLE[11]: rejected on the read alone, nothing written. */
static void probe_misc_enable_bts_unavailable(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x00851889),
	};
	struct bts_probe p;

	probe(t, &fake_bts_unavailable, &p);
	KT_EXPECT_FALSE(t, p.ok);
	KT_EXPECT_TRUE(t, has(p.reason, "IA32_MISC_ENABLE[11]"));
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
}

/*
 * QEMU TCG with +ds: advertised, MISC_ENABLE = 1, writes vanish.  A
 * write that did not fault may still have landed somewhere: the probe
 * puts IA32_DS_AREA back to 0 before it gives up.
 */
static void probe_tcg_ds_dropped(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x1),
		X_WR(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_RD(MSR_IA32_DS_AREA, 0),
		X_WR(MSR_IA32_DS_AREA, 0),
	};
	struct bts_probe p;

	probe(t, &fake_tcg_ds, &p);
	KT_EXPECT_FALSE(t, p.ok);
	KT_EXPECT_TRUE(t, has(p.reason, "IA32_DS_AREA"));
	KT_EXPECT_TRUE(t, has(p.reason, "read back"));
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
}

/* KVM: DS exposed, TR/BTS in DEBUGCTL #GP; both MSRs back to 0. */
static void probe_kvm(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x1),
		X_WR(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_RD(MSR_IA32_DS_AREA, FAKE_NONZERO),
		X_WR_GP(MSR_IA32_DEBUGCTL, 0x2c0),
		X_WR(MSR_IA32_DEBUGCTL, 0),
		X_WR(MSR_IA32_DS_AREA, 0),
	};
	struct bts_probe p;

	probe(t, &fake_kvm, &p);
	KT_EXPECT_FALSE(t, p.ok);
	KT_EXPECT_TRUE(t, has(p.reason, "IA32_DEBUGCTL"));
	KT_EXPECT_TRUE(t, has(p.reason, "#GP"));
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	expect_msrs_off(t);
}

/* KVM with DS forced into CPUID but not exposed: IA32_DS_AREA #GP. */
static void probe_kvm_ds_area_faults(struct kt_test *t)
{
	static const struct fake_expect seq[] = {
		X_RD(MSR_IA32_MISC_ENABLE, 0x1),
		X_WR_GP(MSR_IA32_DS_AREA, FAKE_NONZERO),
	};
	struct bts_probe p;

	probe(t, &fake_kvm_forced_ds, &p);
	KT_EXPECT_FALSE(t, p.ok);
	KT_EXPECT_TRUE(t, has(p.reason, "IA32_DS_AREA"));
	KT_EXPECT_TRUE(t, has(p.reason, "#GP"));
	KT_EXPECT_TRUE(t, fake_cpu_expect(t, seq, ARRAY_SIZE(seq)));
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
}

/*
 * Regression test for a bug the probe (kernel/ds/bts_hw.c, hw_probe)
 * once had, fixed by probe_area.
 *
 * The probe sets DEBUGCTL to TR|BTS|off_os and reads it back.  Where
 * the CPU has no DS-CPL (Pentium M; any CPU with CPUID.1 ECX[4] clear)
 * off_os is 0, so the CPU records the kernel's own branches -- the
 * return from wrmsr, the call to rdmsr -- into the probe's DS area.
 * That area was once all zeroes (BTS base = index = absolute maximum
 * = 0): the SDM leaves an absolute maximum below base + record size + 1
 * undefined, and the index said the record goes to linear address 0.
 * The probe's area now points at a small valid buffer; the fake CPU
 * counts any record written without one as a violation.
 */
static void probe_records_kernel_branches_into_valid_area(
	struct kt_test *t)
{
	const struct fake_cpu_profile *profs[] = {
		&fake_core2, &fake_netburst, &fake_pentium_m,
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(profs); i++) {
		struct bts_probe p;

		probe(t, profs[i], &p);
		if (fake_cpu_violations()) {
			kt_log(t, "probe violates the SDM on %s: %s", profs[i]->name,
			       fake_cpu_violation());
			fake_cpu_dump(t);
		}
		KT_EXPECT_EQ(t, fake_cpu_violations(), 0);
	}
}

/*
 * The driver's cases install the unit with fake_cpu_bts instead of
 * running the probe (ds_env.c): on every profile, the probe must find
 * what that says, and reject where it says there is no working BTS.
 */
static void probe_agrees_with_every_profile(struct kt_test *t)
{
	const struct fake_cpu_profile *profs[] = {
		&fake_core2,	     &fake_pentium_m,
		&fake_netburst,	     &fake_amd,
		&fake_amd_forced_ds, &fake_kvm,
		&fake_kvm_forced_ds, &fake_tcg,
		&fake_tcg_ds,	     &fake_bts_unavailable,
		&fake_486,
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(profs); i++) {
		const struct ds_layout *l = NULL;
		struct debugctl_bits b;
		struct bts_probe p;
		int works = !fake_cpu_bts(profs[i], &l, &b);

		probe(t, profs[i], &p);
		KT_EXPECT_EQ(t, p.ok, works);
		if (!works || !p.ok)
			continue;
		KT_EXPECT_PTR_EQ(t, p.layout, l);
		expect_bits(t, &p.bits, b.tr, b.bts, b.btint, b.off_os,
			    b.off_usr);
	}
}

KT_SUITE(bts_probe_suite, "bts_hw_probe",
	 KT_CASE(probe_core2),
	 KT_CASE(probe_pentium_m),
	 KT_CASE(probe_netburst),
	 KT_CASE(probe_core2_without_dscpl),
	 KT_CASE(probe_amd),
	 KT_CASE(probe_tcg),
	 KT_CASE(probe_486),
	 KT_CASE(probe_misc_enable_bts_unavailable),
	 KT_CASE(probe_tcg_ds_dropped),
	 KT_CASE(probe_kvm),
	 KT_CASE(probe_kvm_ds_area_faults),
	 KT_CASE(probe_records_kernel_branches_into_valid_area),
	 KT_CASE(probe_agrees_with_every_profile));

/* -- ds_init: the unit chosen from bts= -------------------------------- */

static void init_with(const struct fake_cpu_profile *prof, const char *opt)
{
	ds_set_unit(NULL, NULL, NULL);
	fake_cpu_reset(prof);
	shim_printk_clear();
	shim_apic_result = 0;
	ds_init(opt);
}

/* The boot log so far, one diagnostic line per printk line. */
static void log_printk(struct kt_test *t)
{
	const char *s = shim_printk_text();

	while (*s) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);

		kt_log(t, "printk: %.*s", len, s);
		s += len + (nl != NULL);
	}
}

static void init_done(struct kt_test *t)
{
	log_printk(t);
	ds_set_unit(NULL, NULL, NULL);
	shim_apic_result = 0;
}

/* Where the probe passes, auto and hw both take the hardware. */
static void init_auto_uses_hardware(struct kt_test *t)
{
	init_with(&fake_core2, NULL);	/* no bts= means auto */
	KT_EXPECT_TRUE(t, ds_available());
	KT_EXPECT_STREQ(t, ds_unit_name(), "hardware");
	KT_EXPECT_PTR_EQ(t, ds_layout(), &ds_layout_64);
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "hardware unit in use"));
	init_done(t);
	init_with(&fake_pentium_m, "hw");
	KT_EXPECT_STREQ(t, ds_unit_name(), "hardware");
	KT_EXPECT_PTR_EQ(t, ds_layout(), &ds_layout_32);
	init_done(t);
	/* No local APIC: still the hardware, and the log says so. */
	shim_apic_result = -1;
	ds_set_unit(NULL, NULL, NULL);
	fake_cpu_reset(&fake_core2);
	shim_printk_clear();
	ds_init("auto");
	KT_EXPECT_STREQ(t, ds_unit_name(), "hardware");
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "no local APIC"));
	init_done(t);
}

/*
 * Advertised but not working: auto falls back to the software unit,
 * and the log gives the hardware's reason; no MSR left on.
 */
static void init_auto_falls_back_to_software(struct kt_test *t)
{
	init_with(&fake_tcg_ds, "auto");
	KT_EXPECT_STREQ(t, ds_unit_name(), "software");
	KT_EXPECT_PTR_EQ(t, ds_layout(), &ds_layout_64);
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "hardware unit rejected"));
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "read back"));
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "software unit in use"));
	KT_EXPECT_EQ(t, fake_cpu_msr(MSR_IA32_DEBUGCTL), 0);
	init_done(t);
	init_with(&fake_amd, NULL);
	KT_EXPECT_STREQ(t, ds_unit_name(), "software");
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	init_done(t);
}

/* bts=hw insists: no fallback, no unit, and the log says what fails. */
static void init_hw_without_hardware_has_no_unit(struct kt_test *t)
{
	init_with(&fake_kvm, "hw");
	KT_EXPECT_FALSE(t, ds_available());
	KT_EXPECT_STREQ(t, ds_unit_name(), "none");
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "#GP"));
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "EOPNOTSUPP"));
	init_done(t);
}

/* bts=soft, fake, fake32, off: the hardware is never probed. */
static void init_explicit_units_touch_no_msr(struct kt_test *t)
{
	init_with(&fake_core2, "soft");
	KT_EXPECT_STREQ(t, ds_unit_name(), "software");
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	init_done(t);
	init_with(&fake_core2, "fake");
	KT_EXPECT_STREQ(t, ds_unit_name(), "fake");
	KT_EXPECT_PTR_EQ(t, ds_layout(), &ds_layout_64);
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	init_done(t);
	init_with(&fake_core2, "fake32");
	KT_EXPECT_STREQ(t, ds_unit_name(), "fake");
	KT_EXPECT_PTR_EQ(t, ds_layout(), &ds_layout_32);
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	init_done(t);
	init_with(&fake_core2, "off");
	KT_EXPECT_FALSE(t, ds_available());
	KT_EXPECT_EQ(t, fake_cpu_msr_accesses(), 0);
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "bts=off"));
	init_done(t);
}

static void init_unknown_option_falls_back(struct kt_test *t)
{
	init_with(&fake_core2, "bogus");
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "unknown option bts=bogus"));
	KT_EXPECT_STREQ(t, ds_unit_name(), "hardware");
	init_done(t);
}

/*
 * The "no unit" line only when there is none.  (At 6adbe07 an `else`
 * hung on the APIC check printed "no unit ... EOPNOTSUPP" under every
 * unit in use; 12c0388 fixed it.  This case keeps it fixed.)
 */
static void init_logs_no_unit_only_without_one(struct kt_test *t)
{
	static const char *const opts[] = { "auto", "soft", "fake" };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		init_with(&fake_core2, opts[i]);
		KT_EXPECT_TRUE(t, ds_available());
		KT_EXPECT_FALSE(t, has(shim_printk_text(), "no unit"));
		init_done(t);
	}
	init_with(&fake_kvm, "hw");
	KT_EXPECT_FALSE(t, ds_available());
	KT_EXPECT_TRUE(t, has(shim_printk_text(), "no unit"));
	init_done(t);
}

KT_SUITE(ds_init_suite, "ds_init",
	 KT_CASE(init_auto_uses_hardware),
	 KT_CASE(init_auto_falls_back_to_software),
	 KT_CASE(init_hw_without_hardware_has_no_unit),
	 KT_CASE(init_explicit_units_touch_no_msr),
	 KT_CASE(init_unknown_option_falls_back),
	 KT_CASE(init_logs_no_unit_only_without_one));
