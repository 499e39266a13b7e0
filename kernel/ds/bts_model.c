/*
 * What the CPU does with one taken branch when DEBUGCTL.TR and .BTS
 * are set (SDM vol. 3B, "BTS buffer"): store {from, to, flags} at the
 * BTS index, advance the index by one record, and then
 *  - with BTINT clear (circular mode): when the index reaches the
 *    absolute maximum, wrap it to the buffer base;
 *  - with BTINT set: when the index reaches the interrupt threshold,
 *    raise the BTS interrupt; writing does not stop by itself.
 * The fake unit of the tests and the software unit both record through
 * this one function, so they cannot disagree with each other.
 */
#include <spoor/ds.h>

int bts_model_write(const struct ds_layout *l, void *area, int btint,
		    const struct bts_struct *rec)
{
	uint64_t base = ds_get(l, area, DS_BTS_BASE);
	uint64_t index = ds_get(l, area, DS_BTS_INDEX);
	uint64_t absmax = ds_get(l, area, DS_BTS_ABSMAX);
	uint64_t threshold = ds_get(l, area, DS_BTS_THRESHOLD);

	/* An index outside the buffer would be a driver bug: do not write. */
	if (index < base || index + l->record_size > absmax)
		return 0;
	bts_record_write(l, (void *)(uintptr_t)index, rec);
	index += l->record_size;
	if (!btint && index >= absmax)
		index = base;
	ds_set(l, area, DS_BTS_INDEX, index);
	return btint && index >= threshold;
}

int bts_model_record(const struct ds_layout *l, void *area, int btint,
		     uint64_t from, uint64_t to)
{
	struct bts_struct rec = { .qualifier = BTS_BRANCH };

	rec.variant.lbr.from = from;
	rec.variant.lbr.to = to;
	return bts_model_write(l, area, btint, &rec);
}
