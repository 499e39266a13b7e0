/*
 * The fake CPU of the host tests: CPU profiles, the ds_cpu.h seam on
 * top of them, the event log and the SDM rule checks (fake_cpu.h).
 * The DEBUGCTL bit positions and DS offsets here are written out from
 * the SDM, not taken from the driver, so the checks do
 * not share a mistake with the code they check.
 */
#include <stdarg.h>
#include <spoor/ds_cpu.h>
#include <spoor/errno.h>
#include <spoor/format.h>
#include <spoor/ktest.h>
#include <spoor/string.h>
#include "fake_cpu.h"
#include "host_mem.h"

#define DBG_LBR		(1ull << 0)
#define DBG_BTF		(1ull << 1)
#define DBG_FREEZE	(1ull << 11)

/* Per family: TR, BTS, BTINT, BTS_OFF_OS, BTS_OFF_USR (0: absent). */
static const uint64_t family_bits[][5] = {
	[FAKE_BITS_CORE] = { 1 << 6, 1 << 7, 1 << 8, 1 << 9, 1 << 10 },
	[FAKE_BITS_NETBURST] = { 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6 },
	[FAKE_BITS_PENTIUM_M] = { 1 << 6, 1 << 7, 1 << 8, 0, 0 },
};
enum { B_TR, B_BTS, B_BTINT, B_OFF_OS, B_OFF_USR };

/* Intel: CPUID.1 EDX 0xbfebfbff (FPU .. PBE, DS = bit 21 included). */
#define EDX_INTEL	0xbfebfbffu
#define EDX_NO_DS	(EDX_INTEL & ~CPUID1_EDX_DS)
#define MISC_CORE2	0x00850089ull	/* BTS available (bit 11 clear) */

const struct fake_cpu_profile fake_core2 = {
	"core2", "GenuineIntel", 6, 0x0f, 10, 0x0000e3bd, EDX_INTEL,
	MISC_CORE2, FAKE_MSR_STICK, FAKE_BITS_CORE, 0,
};
const struct fake_cpu_profile fake_pentium_m = {	/* EST, TM2 */
	"pentium-m", "GenuineIntel", 6, 0x0d, 2, 0x00000180, 0xafe9fbff,
	0x00100089ull, FAKE_MSR_STICK, FAKE_BITS_PENTIUM_M, 0,
};
const struct fake_cpu_profile fake_netburst = {	/* DS-CPL, no DTES64 */
	"netburst", "GenuineIntel", 0xf, 0x03, 5, 0x00000019, EDX_INTEL,
	0x00000089ull, FAKE_MSR_STICK, FAKE_BITS_NETBURST, 0,
};
const struct fake_cpu_profile fake_amd = {	/* AMD never sets DS */
	"amd", "AuthenticAMD", 0x10, 0x02, 5, 0x00802009, 0x178bfbff,
	0, FAKE_MSR_AMD, FAKE_BITS_CORE, 1,
};
const struct fake_cpu_profile fake_amd_forced_ds = {	/* qemu64,+ds */
	"amd+ds", "AuthenticAMD", 0xf, 0x06, 0xd, 0x00000015,
	0x078bfbff | CPUID1_EDX_DS, 1, FAKE_MSR_AMD, FAKE_BITS_CORE, 1,
};
const struct fake_cpu_profile fake_kvm = {	/* DS exposed (PEBS host) */
	"kvm", "GenuineIntel", 6, 0x55, 0x16, 0x7ffefbbf, EDX_INTEL,
	0x1, FAKE_MSR_KVM, FAKE_BITS_CORE, 0,
};
const struct fake_cpu_profile fake_kvm_forced_ds = {	/* +ds, not exposed */
	"kvm+ds", "GenuineIntel", 6, 0x55, 0x16, 0x7ffefbbf, EDX_INTEL,
	0x1, FAKE_MSR_KVM, FAKE_BITS_CORE, 1,
};
const struct fake_cpu_profile fake_tcg = {	/* qemu32 */
	"tcg", "GenuineIntel", 6, 0x06, 4, 0x80000001, 0x0781abfd & EDX_NO_DS,
	0x1, FAKE_MSR_DROP, FAKE_BITS_CORE, 0,
};
const struct fake_cpu_profile fake_tcg_ds = {	/* +ds,+dtes64,+ds-cpl */
	"tcg+ds", "GenuineIntel", 6, 0x06, 4, 0x80000015,
	0x0781abfd | CPUID1_EDX_DS, 0x1, FAKE_MSR_DROP, FAKE_BITS_CORE, 0,
};
const struct fake_cpu_profile fake_bts_unavailable = {	/* MISC[11,12] */
	"bts-unavailable", "GenuineIntel", 6, 0x0f, 10, 0x0000e3bd,
	EDX_INTEL, MISC_CORE2 | (1 << 11) | (1 << 12), FAKE_MSR_STICK,
	FAKE_BITS_CORE, 0,
};
const struct fake_cpu_profile fake_486 = {	/* no CPUID leaf 1 */
	"486", "", 4, 0, 0, 0, 0, 0, FAKE_MSR_DROP, FAKE_BITS_CORE, 1,
};

static const struct fake_cpu_profile *prof = &fake_core2;
static uint64_t debugctl, ds_area;
static struct fake_event log_ev[FAKE_LOG_MAX];
static unsigned nlog, nlost;
static const struct ds_layout *watch_layout;
static const void *watch_area;
static unsigned violations;
static char first_violation[160];

void fake_cpu_reset(const struct fake_cpu_profile *p)
{
	prof = p;
	debugctl = ds_area = 0;
	violations = 0;
	first_violation[0] = '\0';
	watch_layout = NULL;
	watch_area = NULL;
	fake_cpu_clear_log();
}

const struct fake_cpu_profile *fake_cpu_profile(void)
{
	return prof;
}

void fake_cpu_clear_log(void)
{
	nlog = nlost = 0;
}

unsigned fake_cpu_nlog(void)
{
	return nlog;
}

const struct fake_event *fake_cpu_event(unsigned i)
{
	return i < nlog ? &log_ev[i] : NULL;
}

unsigned fake_cpu_msr_accesses(void)
{
	unsigned i, n = nlost;

	for (i = 0; i < nlog; i++)
		n += log_ev[i].kind != FAKE_FREE;
	return n;
}

uint64_t fake_cpu_msr(uint32_t msr)
{
	if (msr == MSR_IA32_DEBUGCTL)
		return debugctl;
	if (msr == MSR_IA32_DS_AREA)
		return ds_area;
	return 0;
}

void fake_cpu_watch(const struct ds_layout *l, const void *area)
{
	watch_layout = l;
	watch_area = area;
}

unsigned fake_cpu_violations(void)
{
	return violations;
}

const char *fake_cpu_violation(void)
{
	return first_violation;
}

static void violation(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (!violations++) {
		va_start(ap, fmt);
		vsnprintf(first_violation, sizeof(first_violation), fmt, ap);
		va_end(ap);
	}
}

static void log_event(enum fake_ev_kind kind, uint32_t msr, uint64_t v,
		      int rc)
{
	struct fake_event *e;

	if (nlog == FAKE_LOG_MAX) {
		nlost++;
		return;
	}
	e = &log_ev[nlog++];
	e->kind = kind;
	e->msr = msr;
	e->value = v;
	e->rc = rc;
	e->watch = 0;
	if (watch_area && host_mapped(watch_area, watch_layout->area_size))
		e->watch = ds_get(watch_layout, watch_area, DS_BTS_INDEX);
}

void fake_cpu_log_free(const void *p)
{
	log_event(FAKE_FREE, 0, (uintptr_t)p, 0);
}

static uint64_t bit(int which)
{
	return family_bits[prof->bits][which];
}

static int has_dscpl(void)
{
	return (prof->ecx & CPUID1_ECX_DSCPL) != 0;
}

/*
 * Contract: fake_cpu.h.  Written from the profile, not by running the
 * probe, so that the driver's cases judge the driver alone.
 */
int fake_cpu_bts(const struct fake_cpu_profile *p, const struct ds_layout **l,
		 struct debugctl_bits *b)
{
	const uint64_t *fb = family_bits[p->bits];
	int dscpl = (p->ecx & CPUID1_ECX_DSCPL) != 0;

	if (p->mode != FAKE_MSR_STICK || p->ds_area_faults)
		return -1;	/* the writes fault or vanish */
	if (!(p->edx & CPUID1_EDX_DS) || (p->misc_enable & (1ull << 11)))
		return -1;	/* no DS, or BTS unavailable */
	*l = (p->ecx & CPUID1_ECX_DTES64) ? &ds_layout_64 : &ds_layout_32;
	b->tr = fb[B_TR];
	b->bts = fb[B_BTS];
	b->btint = fb[B_BTINT];
	b->off_os = dscpl ? fb[B_OFF_OS] : 0;
	b->off_usr = dscpl ? fb[B_OFF_USR] : 0;
	return 0;
}

/* DEBUGCTL bits this silicon defines; writing any other one is #GP. */
static uint64_t debugctl_defined(void)
{
	uint64_t v = DBG_LBR | DBG_BTF | bit(B_TR) | bit(B_BTS) | bit(B_BTINT);

	if (prof->bits == FAKE_BITS_CORE)
		v |= DBG_FREEZE;
	if (has_dscpl())
		v |= bit(B_OFF_OS) | bit(B_OFF_USR);
	return v;
}

static int bts_on(uint64_t ctl)
{
	return (ctl & bit(B_TR)) && (ctl & bit(B_BTS));
}

/* Read a DS field at @off: 4 or 8 bytes, little-endian. */
static uint64_t field(const uint8_t *area, unsigned off, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, area + off, size);
	return v;
}

/*
 * The kernel just took a branch.  If this CPU records kernel branches
 * now, check the DS area the record would go to, as the SDM asks.
 */
static void kernel_branch(void)
{
	int dtes64 = (prof->ecx & CPUID1_ECX_DTES64) != 0;
	unsigned fs = dtes64 ? 8 : 4, rs = 3 * fs;
	const uint8_t *a = (const uint8_t *)(uintptr_t)ds_area;
	uint64_t base, index, absmax, threshold;

	if (prof->mode != FAKE_MSR_STICK || !bts_on(debugctl))
		return;
	if (has_dscpl() && (debugctl & bit(B_OFF_OS)))
		return;		/* user-only: kernel branches not stored */
	if (!a) {
		violation("kernel branch stored with IA32_DS_AREA = 0");
		return;
	}
	if (!host_mapped(a, 4 * fs)) {
		violation("kernel branch stored: DS area %p not mapped", a);
		return;
	}
	base = field(a, 0, fs);
	index = field(a, fs, fs);
	absmax = field(a, 2 * fs, fs);
	threshold = field(a, 3 * fs, fs);
	if (!base)
		violation("kernel branch stored: BTS base 0, no buffer");
	else if (base & 3)
		violation("kernel branch stored: BTS base %#llx not "
			  "dword-aligned", (unsigned long long)base);
	else if (absmax < base + rs + 1)
		violation("kernel branch stored: absolute maximum %#llx "
			  "below base %#llx + record + 1",
			  (unsigned long long)absmax, (unsigned long long)base);
	else if (index < base || index + rs > absmax)
		violation("kernel branch stored: index %#llx outside the "
			  "buffer", (unsigned long long)index);
	else if (!(debugctl & bit(B_BTINT)) && threshold <= absmax)
		violation("kernel branch stored: circular mode with the "
			  "threshold inside the buffer");
	else if (!host_mapped((const void *)(uintptr_t)base, absmax - base))
		violation("kernel branch stored: buffer not mapped");
}

/* The value @msr reads, or -EIO. */
static int msr_read(uint32_t msr, uint64_t *v)
{
	int amd = prof->mode == FAKE_MSR_AMD;

	switch (msr) {
	case MSR_IA32_MISC_ENABLE:
		if (amd)
			return -EIO;
		*v = prof->misc_enable;
		return 0;
	case MSR_IA32_DEBUGCTL:
		*v = prof->mode == FAKE_MSR_DROP ? 0 : debugctl;
		return 0;
	case MSR_IA32_DS_AREA:
		if (prof->ds_area_faults)
			return -EIO;
		*v = prof->mode == FAKE_MSR_DROP ? 0 : ds_area;
		return 0;
	default:
		return -EIO;
	}
}

static int write_debugctl(uint64_t v)
{
	switch (prof->mode) {
	case FAKE_MSR_STICK:
		if (v & ~debugctl_defined())
			return -EIO;
		debugctl = v;
		return 0;
	case FAKE_MSR_DROP:
		return 0;
	case FAKE_MSR_KVM:	/* only LBR and FREEZE pass; BTF vanishes */
		if (v & ~(DBG_LBR | DBG_BTF | DBG_FREEZE))
			return -EIO;
		debugctl = v & ~DBG_BTF;
		return 0;
	case FAKE_MSR_AMD:	/* bits 6 and up are reserved */
		if (v & ~0x3full)
			return -EIO;
		debugctl = v;
		return 0;
	}
	return -EIO;
}

static int msr_write(uint32_t msr, uint64_t v)
{
	switch (msr) {
	case MSR_IA32_DEBUGCTL:
		return write_debugctl(v);
	case MSR_IA32_DS_AREA:
		if (prof->ds_area_faults || prof->mode == FAKE_MSR_AMD)
			return -EIO;
		if (prof->mode == FAKE_MSR_DROP)
			return 0;
		if (bts_on(debugctl) && v != ds_area)
			violation("IA32_DS_AREA changed to %#llx while "
				  "DEBUGCTL = %#llx records branches",
				  (unsigned long long)v,
				  (unsigned long long)debugctl);
		ds_area = v;
		return 0;
	default:
		return -EIO;
	}
}

/* -- spoor/ds_cpu.h -- */

void ds_cpu_identify(struct ds_cpu_id *id)
{
	memset(id, 0, sizeof(*id));
	strncpy(id->vendor, prof->vendor, sizeof(id->vendor) - 1);
	id->family = prof->family;
	id->model = prof->model;
	id->max_leaf = prof->max_leaf;
	id->feat_ecx = prof->max_leaf ? prof->ecx : 0;
	id->feat_edx = prof->max_leaf ? prof->edx : 0;
}

int ds_rdmsr(uint32_t msr, uint64_t *v)
{
	uint64_t val = 0;
	int rc;

	kernel_branch();
	rc = msr_read(msr, &val);
	if (!rc)
		*v = val;
	log_event(FAKE_RD, msr, val, rc);
	return rc;
}

int ds_wrmsr(uint32_t msr, uint64_t v)
{
	int rc;

	kernel_branch();
	rc = msr_write(msr, v);
	log_event(FAKE_WR, msr, v, rc);
	return rc;
}

static const char *msr_name(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_DEBUGCTL:
		return "DEBUGCTL";
	case MSR_IA32_DS_AREA:
		return "DS_AREA";
	case MSR_IA32_MISC_ENABLE:
		return "MISC_ENABLE";
	default:
		return "?";
	}
}

static void dump_event(struct kt_test *t, const char *tag, unsigned i,
		       enum fake_ev_kind kind, uint32_t msr, uint64_t v, int rc)
{
	if (kind == FAKE_FREE)
		kt_log(t, "%s%2u kfree(%#llx)", tag, i, (unsigned long long)v);
	else if (v == FAKE_NONZERO)
		kt_log(t, "%s%2u %s %s (non-zero)%s", tag, i,
		       kind == FAKE_RD ? "rdmsr" : "wrmsr", msr_name(msr),
		       rc ? " -> #GP" : "");
	else
		kt_log(t, "%s%2u %s %s %#llx%s", tag, i,
		       kind == FAKE_RD ? "rdmsr" : "wrmsr", msr_name(msr),
		       (unsigned long long)v, rc ? " -> #GP" : "");
}

static int event_matches(const struct fake_event *e,
			 const struct fake_expect *x)
{
	if (e->kind != x->kind || e->msr != x->msr || e->rc != x->rc)
		return 0;
	return x->value == FAKE_NONZERO ? e->value != 0 : e->value == x->value;
}

int fake_cpu_expect(struct kt_test *t, const struct fake_expect *exp,
		    unsigned n)
{
	unsigned i;

	if (nlog == n && !nlost) {
		for (i = 0; i < n && event_matches(&log_ev[i], &exp[i]); i++)
			;
		if (i == n)
			return 1;
	}
	kt_log(t, "event log differs from the expected sequence:");
	for (i = 0; i < n; i++)
		dump_event(t, "  expected ", i, exp[i].kind, exp[i].msr,
			   exp[i].value, exp[i].rc);
	fake_cpu_dump(t);
	return 0;
}

void fake_cpu_dump(struct kt_test *t)
{
	unsigned i;

	kt_log(t, "fake CPU %s: %u events%s", prof->name, nlog,
	       nlost ? " (log overflowed)" : "");
	for (i = 0; i < nlog; i++) {
		const struct fake_event *e = &log_ev[i];

		dump_event(t, "  actual   ", i, e->kind, e->msr, e->value,
			   e->rc);
	}
	if (violations)
		kt_log(t, "  %u SDM violation(s), first: %s", violations,
		       first_violation);
}
