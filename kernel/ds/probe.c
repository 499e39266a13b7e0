/*
 * Choosing the BTS unit at boot from bts=auto|hw|soft|off (default
 * auto: the hardware where its probe passes).  The choice and the
 * probe's reason are logged, so a student sees why a machine records
 * branches or not.
 */
#include <asm/apic.h>
#include <spoor/ds.h>
#include <spoor/printk.h>
#include <spoor/string.h>

void ds_init(const char *option)
{
	struct bts_probe p = { 0 };
	const struct bts_unit *u = NULL;

	if (!option || !*option)
		option = "auto";
	if (!strcmp(option, "off")) {
		printk("bts: off (bts=off)\n");
		return;
	}
	if (!strcmp(option, "fake") || !strcmp(option, "fake32")) {
		if (!strcmp(option, "fake32"))
			p.layout = &ds_layout_32;
		u = &bts_fake_unit;
	} else if (!strcmp(option, "auto") || !strcmp(option, "hw")) {
		u = &bts_hw_unit;
	} else {
		printk("bts: unknown option bts=%s; using auto\n", option);
		u = &bts_hw_unit;
	}
	u->probe(&p);
	printk("bts: %s unit %s: %s\n", u->name, p.ok ? "in use" : "rejected",
	       p.reason);
	if (p.ok)
		ds_set_unit(u, p.layout, &p.bits);
	/* The real CPU signals overflow through the local APIC. */
	if (p.ok && u == &bts_hw_unit && apic_init())
		printk("bts: no local APIC: O_SIGNAL overflow cannot be seen\n");
	else
		printk("bts: no unit: PTRACE_BTS_CONFIG fails with EOPNOTSUPP\n");
}
