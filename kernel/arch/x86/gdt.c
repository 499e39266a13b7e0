/*
 * The GDT: flat kernel and user segments in Linux i386's slots, the
 * running task's three TLS entries, and the TSS whose esp0 gives the
 * kernel stack to use on a trap from ring 3.
 */
#include <stdint.h>
#include <asm/segment.h>
#include <asm/trap.h>
#include <spoor/string.h>

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES];
static struct tss tss;

#define SEG_CODE	0x9a	/* present, ring 0, code, readable */
#define SEG_DATA	0x92	/* present, ring 0, data, writable */
#define SEG_DPL3	0x60
#define SEG_TSS		0x89	/* present, 32-bit available TSS */
#define SEG_4K_32	0xc	/* granularity 4 KiB, 32-bit */

static uint64_t gdt_entry(uint32_t base, uint32_t limit, uint8_t access,
			  uint8_t flags)
{
	return (limit & 0xffffull) | (base & 0xffffffull) << 16 |
	       (uint64_t)access << 40 | ((uint64_t)(limit >> 16) & 0xf) << 48 |
	       (uint64_t)flags << 52 | (uint64_t)(base >> 24) << 56;
}

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };

	gdt[GDT_ENTRY_KERNEL_CS] = gdt_entry(0, 0xfffff, SEG_CODE, SEG_4K_32);
	gdt[GDT_ENTRY_KERNEL_DS] = gdt_entry(0, 0xfffff, SEG_DATA, SEG_4K_32);
	gdt[GDT_ENTRY_USER_CS] = gdt_entry(0, 0xfffff, SEG_CODE | SEG_DPL3,
					   SEG_4K_32);
	gdt[GDT_ENTRY_USER_DS] = gdt_entry(0, 0xfffff, SEG_DATA | SEG_DPL3,
					   SEG_4K_32);
	tss.ss0 = __KERNEL_DS;
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ring 3 gets no ports */
	gdt[GDT_ENTRY_TSS] = gdt_entry((uint32_t)&tss, sizeof(tss) - 1, SEG_TSS,
				       0);

	asm volatile("lgdt %0\n\t"
		     "ljmp %1, $1f\n"
		     "1:\n\t"
		     "mov %2, %%ds\n\t"
		     "mov %2, %%es\n\t"
		     "mov %2, %%ss\n\t"
		     "mov %3, %%fs\n\t"
		     "mov %3, %%gs\n\t"
		     "ltr %4"
		     :
		     : "m"(gdtr), "i"(__KERNEL_CS), "r"(__KERNEL_DS), "r"(0),
		       "r"((uint16_t)__TSS_SEL)
		     : "memory");
}

/*
 * Install @tls as GDT entries GDT_ENTRY_TLS_MIN..MAX.  A segment
 * register keeps the descriptor it loaded: the new entries take effect
 * when the return to user mode pops %fs and %gs again.
 */
void gdt_load_tls(const uint64_t *tls)
{
	memcpy(&gdt[GDT_ENTRY_TLS_MIN], tls,
	       GDT_ENTRY_TLS_ENTRIES * sizeof(*tls));
}

/* The stack the CPU switches to when a user task traps. */
void tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
