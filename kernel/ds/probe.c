/*
 * Choosing the BTS unit at boot from bts=auto|hw|soft|off (default
 * auto: the hardware where its probe passes).  The choice and the
 * probe's reason are logged, so a student sees why a machine records
 * branches or not.
 */
#include <asm/apic.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/printk.h>
#include <spoor/string.h>

/* The unit bts=@option names: hw for auto and hw, NULL for off. */
static const struct bts_unit *named_unit(const char *option,
					 struct bts_probe *p)
{
	if (!strcmp(option, "off"))
		return NULL;
	if (!strcmp(option, "fake32"))
		p->layout = &ds_layout_32;
	if (!strcmp(option, "fake") || !strcmp(option, "fake32"))
		return &bts_fake_unit;
	if (!strcmp(option, "soft"))
		return &bts_soft_unit;
	if (strcmp(option, "auto") && strcmp(option, "hw"))
		printk("bts: unknown option bts=%s; using auto\n", option);
	return &bts_hw_unit;
}

void ds_init(const char *option)
{
	struct bts_probe p = { 0 };
	const struct bts_unit *u;

	if (!option || !*option)
		option = "auto";
	u = named_unit(option, &p);
	if (u) {
		u->probe(&p);
		printk("bts: %s unit %s: %s\n", u->name,
		       p.ok ? "in use" : "rejected", p.reason);
	}
	/* auto: without the hardware, the software model does the job. */
	if (u == &bts_hw_unit && !p.ok && strcmp(option, "hw")) {
		u = &bts_soft_unit;
		memset(&p, 0, sizeof(p));
		u->probe(&p);
		printk("bts: %s unit in use: %s\n", u->name, p.reason);
	}
	if (!u || !p.ok) {
		printk("bts: no unit (bts=%s): PTRACE_BTS_CONFIG fails with "
		       "EOPNOTSUPP\n",
		       option);
		return;
	}
	ds_set_unit(u, p.layout, &p.bits);
	/* The real CPU signals overflow through the local APIC. */
	if (u == &bts_hw_unit && apic_init())
		printk("bts: no local APIC: O_SIGNAL overflow cannot be seen\n");
}
