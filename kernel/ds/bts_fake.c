/*
 * The fake BTS unit, for tests only (boot option bts=fake): it accepts
 * a DS area and a DEBUGCTL value like the CPU's MSRs would and keeps
 * them where a test can look (bts_fake_state), but records nothing by
 * itself.  Tests produce branches with bts_model_record, the same CPU
 * model the software unit uses.  Its layout is chosen by the probe
 * from bts=fake (64-bit) or bts=fake32.
 */
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/string.h>

struct bts_fake_state bts_fake_state;

static void fake_probe(struct bts_probe *p)
{
	p->ok = 1;
	p->bits = debugctl_bits_core;
	if (!p->layout)
		p->layout = &ds_layout_64;
	strcpy(p->reason, "test double: records only what tests write");
}

static void fake_load(struct task_struct *task, void *area, uint64_t debugctl)
{
	bts_fake_state.task = task;
	bts_fake_state.area = area;
	bts_fake_state.debugctl = debugctl;
	bts_fake_state.loads++;
}

static void fake_stop(struct task_struct *task)
{
	(void)task;
	bts_fake_state.debugctl = 0;
	bts_fake_state.stops++;
}

const struct bts_unit bts_fake_unit = {
	.name = "fake",
	.probe = fake_probe,
	.load = fake_load,
	.stop = fake_stop,
};
