/*
 * A fake CPU behind spoor/ds_cpu.h for the host unit tests.
 *
 * It plays back a CPU profile (CPUID facts, and how IA32_DEBUGCTL,
 * IA32_DS_AREA and IA32_MISC_ENABLE behave: stick, vanish, fault) and
 * logs every MSR read and write in order, together with the kernel
 * heap's kfree calls (kernel_shim.c), so a test can assert orderings
 * such as "DEBUGCTL = 0 before the memory goes".
 *
 * It also watches the rules the SDM sets for a running BTS unit and
 * counts violations instead of crashing the way a real CPU would:
 *  - IA32_DS_AREA written while DEBUGCTL has TR and BTS set;
 *  - a kernel-mode branch recorded (TR|BTS on and, where DS-CPL
 *    exists, BTS_OFF_OS clear) while IA32_DS_AREA does not point at a
 *    valid BTS configuration.  Every MSR access is such a branch: the
 *    kernel called a function to make it.
 * Facts: the Intel SDM vol. 3B ("Debug Store", "Branch Trace Store")
 * and what QEMU and KVM do (docs/ds-bts.md, section 3).
 */
#ifndef FAKE_CPU_H
#define FAKE_CPU_H

#include <stdint.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/errno.h>

/* How the profile's MSRs react to writes. */
enum fake_msr_mode {
	FAKE_MSR_STICK,	/* real Intel: writes stick and read back */
	FAKE_MSR_DROP,	/* QEMU TCG: writes vanish, reads return 0 */
	FAKE_MSR_KVM,	/* DEBUGCTL TR/BTS/BTINT... #GP, BTF dropped */
	FAKE_MSR_AMD,	/* no MISC_ENABLE; DEBUGCTL bits 6+ reserved */
};

/* Which DEBUGCTL bit positions the profile's silicon has. */
enum fake_bits { FAKE_BITS_CORE, FAKE_BITS_NETBURST, FAKE_BITS_PENTIUM_M };

struct fake_cpu_profile {
	const char *name;
	const char *vendor;
	uint32_t family, model, max_leaf;
	uint32_t ecx, edx;		/* CPUID.1 */
	uint64_t misc_enable;		/* what IA32_MISC_ENABLE reads */
	enum fake_msr_mode mode;
	enum fake_bits bits;
	int ds_area_faults;		/* IA32_DS_AREA #GP: DS not exposed */
};

extern const struct fake_cpu_profile fake_core2, fake_pentium_m,
	fake_netburst, fake_amd, fake_amd_forced_ds, fake_kvm,
	fake_kvm_forced_ds, fake_tcg, fake_tcg_ds, fake_bts_unavailable,
	fake_486;

enum fake_ev_kind { FAKE_RD = 1, FAKE_WR, FAKE_FREE };

struct fake_event {
	enum fake_ev_kind kind;
	uint32_t msr;		/* FAKE_RD, FAKE_WR */
	uint64_t value;		/* written / read (0 if faulted) / freed ptr */
	int rc;			/* 0 or -EIO */
	uint64_t watch;		/* BTS index of the watched area, see below */
};

#define FAKE_LOG_MAX	256

/* Power on with @p: MSRs 0, empty log, no violations, no watch. */
void fake_cpu_reset(const struct fake_cpu_profile *p);
const struct fake_cpu_profile *fake_cpu_profile(void);
void fake_cpu_clear_log(void);
unsigned fake_cpu_nlog(void);
const struct fake_event *fake_cpu_event(unsigned i);
/* Number of MSR accesses (reads and writes) in the log. */
unsigned fake_cpu_msr_accesses(void);
/* The register as the CPU holds it now. */
uint64_t fake_cpu_msr(uint32_t msr);

/* The heap shim reports each kfree here, into the same log. */
void fake_cpu_log_free(const void *p);

/* Record, with every event, the BTS index of the DS area @area. */
void fake_cpu_watch(const struct ds_layout *l, const void *area);

/*
 * What a passing probe must find on @p: the DS layout (DTES64) and the
 * DEBUGCTL bits of its family, the CPL bits only with DS-CPL.  0, or -1
 * if @p has no working BTS (the probe must reject it).
 */
int fake_cpu_bts(const struct fake_cpu_profile *p, const struct ds_layout **l,
		 struct debugctl_bits *b);

/* SDM rule violations seen since the reset (see the top comment). */
unsigned fake_cpu_violations(void);
const char *fake_cpu_violation(void);	/* the first one, or "" */

/* Print the log as KTAP diagnostics (for a failing case). */
struct kt_test;
void fake_cpu_dump(struct kt_test *t);

/* One expected log entry; FAKE_NONZERO matches any value but 0. */
struct fake_expect {
	enum fake_ev_kind kind;
	uint32_t msr;
	uint64_t value;
	int rc;
};
#define FAKE_NONZERO	(~0ull)
#define X_RD(msr, v)	{ FAKE_RD, msr, v, 0 }
#define X_RD_GP(msr)	{ FAKE_RD, msr, 0, -EIO }
#define X_WR(msr, v)	{ FAKE_WR, msr, v, 0 }
#define X_WR_GP(msr, v)	{ FAKE_WR, msr, v, -EIO }
#define X_FREE(p)	{ FAKE_FREE, 0, (uintptr_t)(p), 0 }

/*
 * Is the log exactly @n entries equal to @exp?  If not, print both as
 * KTAP diagnostics and return 0.
 */
int fake_cpu_expect(struct kt_test *t, const struct fake_expect *exp,
		    unsigned n);

#endif
