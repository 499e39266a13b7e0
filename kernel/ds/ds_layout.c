/*
 * The DS save area and BTS record formats (SDM vol. 3B, "Debug Store").
 * Two layouts: 4-byte fields and 12-byte records, or, with DTES64,
 * 8-byte fields and 24-byte records; Core 2 and later use the 64-bit
 * one even in 32-bit mode.  Only the BTS half of the area is used; the
 * PEBS fields stay zero.
 *
 * A raw record is {from, to, flags}; bts_record_read, the decoder, is
 * inline in spoor/ds.h because DRAIN runs it once per record.  Records
 * the driver writes itself (task arrives/departs) are marked by a `from`
 * of all ones but the low byte, which holds the qualifier: no branch
 * starts at such an address.
 */
#include <spoor/ds.h>
#include <spoor/string.h>

#define BTS_ESCAPE	(~0xffull)

const struct ds_layout ds_layout_32 = { "32-bit", 4, DS_RECORD_SIZE_32,
					DS_AREA_SIZE_32 };
const struct ds_layout ds_layout_64 = { "64-bit", 8, DS_RECORD_SIZE_64,
					DS_AREA_SIZE_64 };

/* Fields are naturally aligned in both layouts: plain loads do. */
static uint64_t get_field(const struct ds_layout *l, const void *p)
{
	if (l->field_size == 8)
		return *(const uint64_t *)p;
	return *(const uint32_t *)p;
}

static void set_field(const struct ds_layout *l, void *p, uint64_t v)
{
	if (l->field_size == 8)
		*(uint64_t *)p = v;
	else
		*(uint32_t *)p = (uint32_t)v;
}

uint64_t ds_get(const struct ds_layout *l, const void *area, enum ds_field f)
{
	return get_field(l, (const uint8_t *)area + f * l->field_size);
}

void ds_set(const struct ds_layout *l, void *area, enum ds_field f, uint64_t v)
{
	set_field(l, (uint8_t *)area + f * l->field_size, v);
}

void bts_record_write(const struct ds_layout *l, void *raw,
		      const struct bts_struct *in)
{
	uint8_t *r = raw;
	uint64_t from = 0, to = 0, flags = 0;

	switch (in->qualifier) {
	case BTS_BRANCH:
		from = in->variant.lbr.from;
		to = in->variant.lbr.to;
		break;
	case BTS_TASK_ARRIVES:
	case BTS_TASK_DEPARTS:
		from = BTS_ESCAPE | in->qualifier;
		to = in->variant.timestamp.jiffies;
		flags = (uint32_t)in->variant.timestamp.pid;
		break;
	default:
		break;
	}
	set_field(l, r, from);
	set_field(l, r + l->field_size, to);
	set_field(l, r + 2 * l->field_size, flags);
}
