/*
 * What the boot loader told us, copied out of its memory before the
 * page allocator may reuse that memory.
 */
#ifndef SPOOR_BOOT_H
#define SPOOR_BOOT_H

#include <stdint.h>

#define BOOT_MAX_RANGES	32
#define BOOT_MAX_MODS	4

struct boot_range {
	uintptr_t start, end;	/* physical, end exclusive */
};

struct boot_info {
	struct boot_range ranges[BOOT_MAX_RANGES];	/* usable RAM */
	unsigned nranges;
	struct boot_range mods[BOOT_MAX_MODS];		/* modules (initrd) */
	unsigned nmods;
};

extern struct boot_info boot_info;

/* Parse the multiboot information at physical @mbi_pa. */
void boot_info_parse(uint32_t magic, uint32_t mbi_pa);
/* Build the direct map and the page allocator from @bi. */
void mm_init(const struct boot_info *bi);

#endif
