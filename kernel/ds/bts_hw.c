/*
 * The hardware BTS unit: the CPU records branches itself once
 * IA32_DS_AREA points at a DS save area and IA32_DEBUGCTL has TR and
 * BTS set.  Every write is fault-safe: the probe only passes on
 * machines where these writes work, but a hypervisor may change its
 * mind, and a #GP here must not take the kernel down.
 *
 * The probe trusts nothing it cannot check (docs/ds-bts.md, section 3):
 * CPUID.1 EDX[21] (DS), IA32_MISC_ENABLE[11] (BTS unavailable), the
 * family's DEBUGCTL bit positions, a fault-safe write of IA32_DS_AREA
 * and of IA32_DEBUGCTL, and both reading back what was written.  QEMU
 * TCG drops the writes and reads 0; KVM raises #GP.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/ds_cpu.h>
#include <spoor/format.h>
#include <spoor/string.h>

#define MISC_ENABLE_BTS_UNAVAILABLE	(1ull << 11)

/* DEBUGCTL bit positions by CPU family (SDM vol. 3B, table of MSRs). */
/* clang-format off */
const struct debugctl_bits debugctl_bits_core = {	/* Core 2 and later */
	.tr = DEBUGCTL_TR, .bts = DEBUGCTL_BTS, .btint = DEBUGCTL_BTINT,
	.off_os = DEBUGCTL_BTS_OFF_OS, .off_usr = DEBUGCTL_BTS_OFF_USR,
};
static const struct debugctl_bits bits_netburst = {	/* Pentium 4 */
	.tr = 1 << 2, .bts = 1 << 3, .btint = 1 << 4,
	.off_os = 1 << 5, .off_usr = 1 << 6,
};
static const struct debugctl_bits bits_pentium_m = {	/* no CPL bits */
	.tr = DEBUGCTL_TR, .bts = DEBUGCTL_BTS, .btint = DEBUGCTL_BTINT,
};
/* clang-format on */

static const struct debugctl_bits *family_bits(const struct ds_cpu_id *c)
{
	if (c->family == 0xf)
		return &bits_netburst;
	if (c->family == 6 && (c->model == 0x9 || c->model == 0xd))
		return &bits_pentium_m;
	return &debugctl_bits_core;
}

#define REJECT(p, ...)                                                   \
	do {                                                             \
		snprintf((p)->reason, sizeof((p)->reason), __VA_ARGS__); \
		return;                                                  \
	} while (0)

/* Write @v to @msr and read it back: 0, or why it did not stick. */
static const char *msr_sticks(uint32_t msr, uint64_t v)
{
	uint64_t back;

	if (ds_wrmsr(msr, v))
		return "write faulted (#GP)";
	if (ds_rdmsr(msr, &back))
		return "read faulted";
	if (back != v)
		return "write did not read back (dropped)";
	return NULL;
}

/*
 * The DS area the probe points the CPU at.  It must be a valid one:
 * without DS-CPL the probe's DEBUGCTL value records kernel branches
 * too, and they must land in a buffer, not at address 0.
 */
static void probe_area(const struct ds_layout *l, void *area, void *buf,
		       size_t size)
{
	uint64_t base = (uintptr_t)buf;

	memset(area, 0, l->area_size);
	ds_set(l, area, DS_BTS_BASE, base);
	ds_set(l, area, DS_BTS_INDEX, base);
	ds_set(l, area, DS_BTS_ABSMAX, base + size);
	ds_set(l, area, DS_BTS_THRESHOLD, base + size + l->record_size);
}

/*
 * Does this CPU record branches?  Fill @p: ok, the reason for the boot
 * log, and (when ok) the DS layout and the DEBUGCTL bits to use.  Must
 * survive a #GP on any MSR, and leaves IA32_DEBUGCTL and IA32_DS_AREA
 * at 0, DEBUGCTL first.  Called once at boot (ds_init), and by tests.
 */
static void hw_probe(struct bts_probe *p)
{
	/* LAB(probe) BEGIN probe: stub = says no BTS on every machine */
	static uint8_t test_area[DS_AREA_SIZE_64] __attribute__((aligned(64)));
	static uint8_t test_buf[8 * DS_RECORD_SIZE_64]
		__attribute__((aligned(64)));
	struct ds_cpu_id id, *c = &id;
	uint64_t misc, ctl;
	const char *why;

	p->ok = 0;
	ds_cpu_identify(c);
	if (c->max_leaf < 1)
		REJECT(p, "no CPUID leaf 1");
	if (!(c->feat_edx & CPUID1_EDX_DS))
		REJECT(p, "no DS (CPUID.1:EDX[21] clear)");
	if (strcmp(c->vendor, "GenuineIntel"))
		REJECT(p, "%s CPU: DEBUGCTL has no BTS bits", c->vendor);
	if (ds_rdmsr(MSR_IA32_MISC_ENABLE, &misc))
		REJECT(p, "IA32_MISC_ENABLE unreadable");
	if (misc & MISC_ENABLE_BTS_UNAVAILABLE)
		REJECT(p, "BTS unavailable (IA32_MISC_ENABLE[11] set)");
	p->layout = (c->feat_ecx & CPUID1_ECX_DTES64) ? &ds_layout_64 :
							&ds_layout_32;
	p->bits = *family_bits(c);
	if (!(c->feat_ecx & CPUID1_ECX_DSCPL))
		p->bits.off_os = p->bits.off_usr = 0;
	probe_area(p->layout, test_area, test_buf, sizeof(test_buf));
	why = msr_sticks(MSR_IA32_DS_AREA, (uintptr_t)test_area);
	if (why) {
		if (strcmp(why, "write faulted (#GP)"))	/* it may be set */
			ds_wrmsr(MSR_IA32_DS_AREA, 0);
		REJECT(p, "IA32_DS_AREA %s", why);
	}
	ctl = p->bits.tr | p->bits.bts | p->bits.off_os;
	why = msr_sticks(MSR_IA32_DEBUGCTL, ctl);
	/* Recording off before the area goes away, as always. */
	ds_wrmsr(MSR_IA32_DEBUGCTL, 0);
	ds_wrmsr(MSR_IA32_DS_AREA, 0);
	if (why)
		REJECT(p, "IA32_DEBUGCTL %s", why);
	p->ok = 1;
	snprintf(p->reason, sizeof(p->reason), "%s DS layout, DEBUGCTL %s",
		 p->layout->name,
		 p->bits.off_os ? "user-only (DS-CPL)" : "without CPL bits");
	/* LAB(probe) END */
}

/* DEBUGCTL off before the DS area changes: the order the SDM needs. */
static void hw_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	(void)task;
	/* LAB(probe) BEGIN load: stub = loads nothing, the CPU never records */
	ds_wrmsr(MSR_IA32_DEBUGCTL, 0);
	/* Never record into whatever area the CPU had before. */
	if (ds_wrmsr(MSR_IA32_DS_AREA, (uintptr_t)area))
		return;
	ds_wrmsr(MSR_IA32_DEBUGCTL, debugctl);
	/* LAB(probe) END */
}

/* Recording off: the driver is about to change what the CPU uses. */
static void hw_stop(struct task_struct *task)
{
	(void)task;
	/* LAB(probe) BEGIN stop: stub = recording stays on */
	ds_wrmsr(MSR_IA32_DEBUGCTL, 0);
	/* LAB(probe) END */
}

const struct bts_unit bts_hw_unit = {
	.name = "hardware",
	.probe = hw_probe,
	.load = hw_load,
	.stop = hw_stop,
};
