/*
 * Reading the multiboot v1 information.  It lives in boot-loader memory
 * that the entry stub mapped (first 32 MiB), and that the page allocator
 * may hand out later, so everything we need is copied here first.
 */
#include <spoor/boot.h>
#include <spoor/cmdline.h>
#include <spoor/mm.h>
#include <spoor/multiboot.h>
#include <spoor/panic.h>

struct boot_info boot_info;

static void add_ram(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	if (addr >= 0x100000000ull || boot_info.nranges == BOOT_MAX_RANGES)
		return;
	if (end > 0x100000000ull)
		end = 0x100000000ull;
	boot_info.ranges[boot_info.nranges].start = addr;
	boot_info.ranges[boot_info.nranges].end = end;
	boot_info.nranges++;
}

void boot_info_parse(uint32_t magic, uint32_t mbi_pa)
{
	const struct mb_info *mbi = __va(mbi_pa);
	unsigned i;

	if (magic != MULTIBOOT_LOADER_MAGIC)
		panic("not booted by a multiboot loader (eax=%#x)", magic);
	if (mbi->flags & MBI_FLAG_CMDLINE)
		cmdline_init(__va(mbi->cmdline));
	if (mbi->flags & MBI_FLAG_MMAP) {
		uint32_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

		while (p < end) {
			const struct mb_mmap_entry *e = __va(p);

			if (e->type == MB_MMAP_AVAILABLE)
				add_ram(e->addr, e->len);
			p += e->size + sizeof(e->size);
		}
	} else if (mbi->flags & MBI_FLAG_MEM) {
		add_ram(0x100000, (uint64_t)mbi->mem_upper << 10);
	} else {
		panic("boot loader gave no memory map");
	}
	if (mbi->flags & MBI_FLAG_MODS) {
		const struct mb_module *m = __va(mbi->mods_addr);

		for (i = 0; i < mbi->mods_count && i < BOOT_MAX_MODS; i++) {
			boot_info.mods[i].start = m[i].start;
			boot_info.mods[i].end = m[i].end;
		}
		boot_info.nmods = i;
	}
}
