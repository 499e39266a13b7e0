/*
 * Host unit tests of the DS/BTS driver (kernel/ds/), compiled natively
 * against a fake CPU (fake_cpu.c: CPU profiles, every MSR access and
 * kfree logged in order) and kernel shims (kernel_shim.c).  One
 * program, test_ds, whose suites live in:
 *   test_ds.c            DS save area layouts, record codec, CPU model
 *   ds_probe_cases.c     the hardware unit's probe per CPU profile; ds_init
 *   ds_request_cases.c   ds_request_bts: DEBUGCTL value, DS area, refusals
 *   ds_lifetime_cases.c  context switch, release, untrace, overflow
 * (extra sources in the Makefile's HOST_TEST_SRCS_test_ds).
 *
 * Expected values come from the Intel SDM (vol. 3B, "Debug Store" and
 * the IA32_DEBUGCTL layout; summed up in docs/ds-bts.md), never from
 * the code under test.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/string.h>

/* -- ds_layout: offsets, sizes, record codec -------------------------- */

/* Field offsets of the BTS half of the DS save area, by layout. */
static const unsigned off32[4] = { 0x0, 0x4, 0x8, 0xc };
static const unsigned off64[4] = { 0x0, 0x8, 0x10, 0x18 };

static unsigned nonzero_outside(const uint8_t *a, unsigned n, unsigned from,
				unsigned len)
{
	unsigned i, bad = 0;

	for (i = 0; i < n; i++)
		if ((i < from || i >= from + len) && a[i])
			bad++;
	return bad;
}

/*
 * ds_set puts each field at its SDM offset, little-endian, touching
 * nothing else (a 64-bit value must not spill past a 4-byte field);
 * ds_get reads a field written there by hand.
 */
static void check_offsets(struct kt_test *t, const struct ds_layout *l,
			  const unsigned *off, unsigned fs)
{
	uint8_t area[0x60];
	int f;

	for (f = DS_BTS_BASE; f <= DS_BTS_THRESHOLD; f++) {
		uint64_t v = 0xa1b2c3d4e5f60718ull + (uint64_t)f * 0x0101;
		uint64_t want = fs == 4 ? (v & 0xffffffffu) : v, got = 0;

		memset(area, 0, sizeof(area));
		ds_set(l, area, (enum ds_field)f, v);
		memcpy(&got, area + off[f], fs);
		KT_EXPECT_EQ(t, got, want);
		KT_EXPECT_EQ(t, nonzero_outside(area, sizeof(area), off[f], fs),
			     0);
		memset(area, 0xff, sizeof(area));
		memset(area + off[f], 0, fs);
		memcpy(area + off[f], &v, fs);
		KT_EXPECT_EQ(t, ds_get(l, area, (enum ds_field)f), want);
	}
}

static void layout_offsets_32(struct kt_test *t)
{
	check_offsets(t, &ds_layout_32, off32, 4);
}

static void layout_offsets_64(struct kt_test *t)
{
	check_offsets(t, &ds_layout_64, off64, 8);
}

/* 12-byte and 24-byte records; the save area up to PEBS counter reset. */
static void layout_sizes(struct kt_test *t)
{
	KT_EXPECT_EQ(t, ds_layout_32.field_size, 4);
	KT_EXPECT_EQ(t, ds_layout_32.record_size, 12);
	KT_EXPECT_EQ(t, ds_layout_32.area_size, 0x20 + 8);
	KT_EXPECT_EQ(t, ds_layout_64.field_size, 8);
	KT_EXPECT_EQ(t, ds_layout_64.record_size, 24);
	KT_EXPECT_EQ(t, ds_layout_64.area_size, 0x40 + 8);
}

static uint64_t raw_field(const uint8_t *raw, unsigned i, unsigned fs)
{
	uint64_t v = 0;

	memcpy(&v, raw + i * fs, fs);
	return v;
}

static void check_codec(struct kt_test *t, const struct ds_layout *l,
			unsigned fs)
{
	uint8_t raw[3 * 8 + 8];
	struct bts_struct in, out;
	uint64_t from = 0xc0101234, to = 0x08048abc;

	/* A record as the CPU writes it: from, to, flags (predicted). */
	memset(raw, 0, sizeof(raw));
	memcpy(raw, &from, fs);
	memcpy(raw + fs, &to, fs);
	raw[2 * fs] = 0x10;
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_BRANCH);
	KT_EXPECT_EQ(t, out.variant.lbr.from, from);
	KT_EXPECT_EQ(t, out.variant.lbr.to, to);

	/* Encoding a branch writes exactly one record, CPU format. */
	memset(raw, 0xee, sizeof(raw));
	memset(&in, 0, sizeof(in));
	in.qualifier = BTS_BRANCH;
	in.variant.lbr.from = 0x08048123;
	in.variant.lbr.to = 0x08049000;
	bts_record_write(l, raw, &in);
	KT_EXPECT_EQ(t, raw_field(raw, 0, fs), 0x08048123);
	KT_EXPECT_EQ(t, raw_field(raw, 1, fs), 0x08049000);
	KT_EXPECT_EQ(t, raw_field(raw, 2, fs), 0);
	KT_EXPECT_EQ(t, raw[3 * fs], 0xee);	/* nothing past the record */
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_BRANCH);
	KT_EXPECT_EQ(t, out.variant.lbr.from, 0x08048123);
	KT_EXPECT_EQ(t, out.variant.lbr.to, 0x08049000);

	/* Task arrives / departs: qualifier, jiffies and pid survive. */
	memset(&in, 0, sizeof(in));
	in.qualifier = BTS_TASK_ARRIVES;
	in.variant.timestamp.jiffies = 0x12345678;
	in.variant.timestamp.pid = 31337;
	bts_record_write(l, raw, &in);
	KT_EXPECT_EQ(t, raw[3 * fs], 0xee);
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_TASK_ARRIVES);
	KT_EXPECT_EQ(t, out.variant.timestamp.jiffies, 0x12345678);
	KT_EXPECT_EQ(t, out.variant.timestamp.pid, 31337);
	in.qualifier = BTS_TASK_DEPARTS;
	in.variant.timestamp.jiffies = 9;
	in.variant.timestamp.pid = 2;
	bts_record_write(l, raw, &in);
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_TASK_DEPARTS);
	KT_EXPECT_EQ(t, out.variant.timestamp.jiffies, 9);
	KT_EXPECT_EQ(t, out.variant.timestamp.pid, 2);

	/* Invalid: an empty slot, and what encoding "invalid" leaves. */
	memset(raw, 0, sizeof(raw));
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_INVALID);
	memset(raw, 0x5a, sizeof(raw));
	memset(&in, 0, sizeof(in));
	bts_record_write(l, raw, &in);
	KT_EXPECT_EQ(t, raw_field(raw, 0, fs) | raw_field(raw, 1, fs), 0);
	bts_record_read(l, raw, &out);
	KT_EXPECT_EQ(t, out.qualifier, BTS_INVALID);
}

static void record_codec_32(struct kt_test *t)
{
	check_codec(t, &ds_layout_32, 4);
}

static void record_codec_64(struct kt_test *t)
{
	check_codec(t, &ds_layout_64, 8);
}

KT_SUITE(ds_layout_suite, "ds_layout",
	 KT_CASE(layout_offsets_32),
	 KT_CASE(layout_offsets_64),
	 KT_CASE(layout_sizes),
	 KT_CASE(record_codec_32),
	 KT_CASE(record_codec_64));

/* -- bts_model: what the CPU does with one branch --------------------- */

#define SLOTS	6

/* A DS area over @buf: @n records, threshold @thr records from base. */
static void model_area(const struct ds_layout *l, uint8_t *area,
		       uint8_t *buf, unsigned n, unsigned thr)
{
	uint64_t base = (uintptr_t)buf;

	memset(area, 0, 0x48);
	memset(buf, 0, (SLOTS + 1) * 24);
	memset(buf + n * l->record_size, 0xee, l->record_size);	/* guard */
	ds_set(l, area, DS_BTS_BASE, base);
	ds_set(l, area, DS_BTS_INDEX, base);
	ds_set(l, area, DS_BTS_ABSMAX, base + n * l->record_size);
	ds_set(l, area, DS_BTS_THRESHOLD, base + thr * l->record_size);
}

static uint64_t slot_from(const struct ds_layout *l, const uint8_t *buf,
			  unsigned i)
{
	return raw_field(buf + i * l->record_size, 0, l->field_size);
}

/* Circular: 4 slots, 6 branches: slots 0,1 hold 5,6; wraps at the max. */
/* Low memory (kernel_shim.c): the 32-bit layout keeps 4-byte addresses. */
static uint8_t *model_buf(void)
{
	return kmalloc((SLOTS + 1) * 24);
}

static void check_circular(struct kt_test *t, const struct ds_layout *l)
{
	uint8_t area[0x48], *buf = model_buf();
	uint64_t base = (uintptr_t)buf;
	int i, irq = 0;

	KT_ASSERT_TRUE(t, buf);
	model_area(l, area, buf, 4, 5);
	for (i = 1; i <= 4; i++)
		irq |= bts_model_record(l, area, 0, 0x1000 + i, 0x2000 + i);
	KT_EXPECT_EQ(t, ds_get(l, area, DS_BTS_INDEX), base);	/* wrapped */
	for (i = 5; i <= 6; i++)
		irq |= bts_model_record(l, area, 0, 0x1000 + i, 0x2000 + i);
	KT_EXPECT_EQ(t, irq, 0);
	KT_EXPECT_EQ(t, ds_get(l, area, DS_BTS_INDEX),
		     base + 2 * l->record_size);
	KT_EXPECT_EQ(t, slot_from(l, buf, 0), 0x1005);
	KT_EXPECT_EQ(t, slot_from(l, buf, 1), 0x1006);
	KT_EXPECT_EQ(t, slot_from(l, buf, 2), 0x1003);
	KT_EXPECT_EQ(t, slot_from(l, buf, 3), 0x1004);
	KT_EXPECT_EQ(t, buf[4 * l->record_size], 0xee);
	kfree(buf);
}

/*
 * BTINT: the report comes when the index reaches the threshold (3 of
 * 6), keeps coming, and the index does not wrap at the maximum.
 */
static void check_threshold(struct kt_test *t, const struct ds_layout *l)
{
	uint8_t area[0x48], *buf = model_buf();
	uint64_t base = (uintptr_t)buf;
	int i;

	KT_ASSERT_TRUE(t, buf);
	model_area(l, area, buf, SLOTS, 3);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 0x1001, 0x2001), 0);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 0x1002, 0x2002), 0);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 0x1003, 0x2003), 1);
	KT_EXPECT_EQ(t, ds_get(l, area, DS_BTS_INDEX),
		     base + 3 * l->record_size);
	KT_EXPECT_EQ(t, bts_model_record(l, area, 1, 0x1004, 0x2004), 1);
	for (i = 5; i <= SLOTS; i++)
		bts_model_record(l, area, 1, 0x1000 + i, 0x2000 + i);
	KT_EXPECT_EQ(t, ds_get(l, area, DS_BTS_INDEX),
		     base + SLOTS * l->record_size);
	KT_EXPECT_EQ(t, slot_from(l, buf, SLOTS - 1), 0x1000 + SLOTS);
	KT_EXPECT_EQ(t, slot_from(l, buf, 0), 0x1001);
	KT_EXPECT_EQ(t, buf[SLOTS * l->record_size], 0xee);

	/* The same threshold without BTINT: the CPU never interrupts. */
	model_area(l, area, buf, SLOTS, 3);
	for (i = 1; i <= 2 * SLOTS; i++)
		KT_EXPECT_EQ(t, bts_model_record(l, area, 0, i, i), 0);
	kfree(buf);
}

static void model_circular_wraps_32(struct kt_test *t)
{
	check_circular(t, &ds_layout_32);
}

static void model_circular_wraps_64(struct kt_test *t)
{
	check_circular(t, &ds_layout_64);
}

static void model_threshold_btint_32(struct kt_test *t)
{
	check_threshold(t, &ds_layout_32);
}

static void model_threshold_btint_64(struct kt_test *t)
{
	check_threshold(t, &ds_layout_64);
}

KT_SUITE(bts_model_suite, "bts_model",
	 KT_CASE(model_circular_wraps_32),
	 KT_CASE(model_circular_wraps_64),
	 KT_CASE(model_threshold_btint_32),
	 KT_CASE(model_threshold_btint_64));
