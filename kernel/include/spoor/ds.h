/*
 * The Debug Store (DS) driver: per-task DS contexts (a DS save area
 * each) and the Branch Trace Store (BTS) buffer each one points at.
 * The driver programs a DS area and a DEBUGCTL value exactly as for
 * the CPU; a BTS *unit* (spoor/bts_unit.h) acts on them.
 *
 * Lifetimes follow Linux 2.6.29 "x86, bts: add fork and exit handling":
 * a tracer (struct bts_tracer) belongs to one traced task, is created
 * by ds_request_bts and ended by ds_release_bts on every end of tracing.
 */
#ifndef SPOOR_DS_H
#define SPOOR_DS_H

#include <stddef.h>
#include <stdint.h>
#include <spoor/ptrace_abi.h>	/* struct bts_struct, BTS_BRANCH, ... */

struct task_struct;

/* -- layout: the DS save area and BTS records (kernel/ds/ds_layout.c) -- */

enum ds_field { DS_BTS_BASE, DS_BTS_INDEX, DS_BTS_ABSMAX, DS_BTS_THRESHOLD };

/* Sizes of the two layouts (SDM vol. 3B, "Debug Store"). */
#define DS_RECORD_SIZE_32	12	/* 3 x 4-byte from, to, flags */
#define DS_RECORD_SIZE_64	24	/* 3 x 8 bytes (DTES64) */
#define DS_AREA_SIZE_32		0x28
#define DS_AREA_SIZE_64		0x48	/* the larger: room for either */
#define DS_RECORD_SIZE(wide)	((wide) ? DS_RECORD_SIZE_64 : DS_RECORD_SIZE_32)

struct ds_layout {
	const char *name;
	unsigned field_size;	/* 4 (32-bit) or 8 (DTES64) */
	unsigned record_size;	/* DS_RECORD_SIZE_32 or _64 */
	unsigned area_size;	/* whole save area, PEBS part included */
};

extern const struct ds_layout ds_layout_32, ds_layout_64;

uint64_t ds_get(const struct ds_layout *l, const void *area, enum ds_field f);
void ds_set(const struct ds_layout *l, void *area, enum ds_field f, uint64_t v);

/* Encode one raw record in @l's format. */
void bts_record_write(const struct ds_layout *l, void *raw,
		      const struct bts_struct *in);

/*
 * Decode one raw record (@wide: the 64-bit layout).  On the hot path
 * of DRAIN, so it is inline and reads 32-bit words: every field of a
 * 32-bit task's record fits in its low half.
 */
static inline __attribute__((always_inline)) void
bts_record_decode(int wide, const void *raw, struct bts_struct *out)
{
	const uint32_t *w = raw;
	uint32_t from = w[0], to = w[wide ? 2 : 1], flags = w[wide ? 4 : 2];
	uint32_t from_hi = wide ? w[1] : 0, to_hi = wide ? w[3] : 0;

	if ((from & ~0xffu) == 0xffffff00u && (!wide || from_hi == ~0u)) {
		out->qualifier = from & 0xff;	/* the driver's own record */
		out->variant.timestamp.jiffies = (uint64_t)to_hi << 32 | to;
		out->variant.timestamp.pid = (int32_t)flags;
		return;
	}
	out->qualifier = (from | from_hi | to | to_hi) ? BTS_BRANCH :
							 BTS_INVALID;
	out->variant.lbr.from = (uint64_t)from_hi << 32 | from;
	out->variant.lbr.to = (uint64_t)to_hi << 32 | to;
}

static inline void bts_record_read(const struct ds_layout *l, const void *raw,
				   struct bts_struct *out)
{
	bts_record_decode(l->field_size == 8, raw, out);
}

/* -- the CPU's logic for one branch (kernel/ds/bts_model.c) -- */

/*
 * Write the record {@from, @to} as the CPU would: at the DS area's BTS
 * index, advancing it, wrapping at the absolute maximum when BTINT is
 * off.  Returns 1 when the index reached the interrupt threshold with
 * BTINT on (the CPU would raise the BTS interrupt now), else 0.
 */
int bts_model_record(const struct ds_layout *l, void *area, int btint,
		     uint64_t from, uint64_t to);
/* The same for any record (the driver's own timestamp records). */
int bts_model_write(const struct ds_layout *l, void *area, int btint,
		    const struct bts_struct *rec);

/* -- the driver (kernel/ds/ds.c) -- */

#define BTS_USER	0x1	/* record user-mode branches */
#define BTS_KERNEL	0x2	/* record kernel-mode branches */
#define BTS_TIMESTAMPS	0x4	/* task arrives/departs records */
#define BTS_OVERFLOW	0x8	/* interrupt near the end instead of wrapping */
/* The exact method where a unit has a faster, less transparent one
 * (the software unit: single steps, no int3 in the program's text). */
#define BTS_EXACT	0x10

struct bts_tracer;
struct bts_unit;
struct debugctl_bits;

/* Choose the unit from the probe and the bts= boot option; log it. */
void ds_init(const char *option);
/* Install @unit directly (tests); returns the previous one. */
const struct bts_unit *ds_set_unit(const struct bts_unit *unit,
				   const struct ds_layout *layout,
				   const struct debugctl_bits *bits);
/* Is there a unit to record with?  Its name, for messages. */
int ds_available(void);
const char *ds_unit_name(void);
const struct ds_layout *ds_layout(void);

/*
 * Start recording @task's branches into @buf (@size bytes, of which a
 * multiple of the record size is used: at least two records, six with
 * BTS_OVERFLOW) with @flags.  Returns the tracer, or NULL with *@err =
 * -EOPNOTSUPP (no unit), -EBUSY (already traced), -EINVAL (buffer
 * misaligned or too small) or -ENOMEM.
 */
struct bts_tracer *ds_request_bts(struct task_struct *task, void *buf,
				  size_t size, unsigned flags, int *err);
/*
 * Stop recording (DEBUGCTL first), then free the DS context.  The
 * buffer is the caller's: it may be freed once this returns.
 */
void ds_release_bts(struct bts_tracer *tracer);
void ds_suspend_bts(struct bts_tracer *tracer);
void ds_resume_bts(struct bts_tracer *tracer);

/* The buffer as the CPU left it. */
struct bts_trace {
	const struct ds_layout *layout;
	uint8_t *begin, *end;	/* the whole buffer */
	uint8_t *top;		/* next record to be written */
	unsigned flags;		/* BTS_* */
};

void ds_read_bts(struct bts_tracer *tracer, struct bts_trace *trace);
/* The DS save area of a context (what IA32_DS_AREA points at). */
struct ds_context;
void *ds_context_area(struct ds_context *ctx);
/* Zero the buffer and point the index at its start. */
void ds_reset_bts(struct bts_tracer *tracer);
/* Append a record in software (timestamps), as the CPU would. */
void ds_write_bts(struct bts_tracer *tracer, const struct bts_struct *rec);

/* Context switch hook, from arch_switch_to: O(1) when neither traces. */
void ds_switch_to(struct task_struct *prev, struct task_struct *next);

/*
 * The BTS interrupt (index reached the threshold with BTINT).  Stops
 * recording for the current task and calls the overflow action.
 */
void ds_overflow_interrupt(void);
/* Set by the ptrace layer: what to do on overflow of @task's buffer. */
typedef void (*bts_ovfl_fn)(struct task_struct *task);
void ds_set_overflow_handler(bts_ovfl_fn fn);

#endif
