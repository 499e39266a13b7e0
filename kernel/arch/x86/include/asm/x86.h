/* Control registers, flags and the few privileged instructions C needs. */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <stdint.h>

#define X86_EFLAGS_CF	0x00000001
#define X86_EFLAGS_FIXED 0x00000002	/* bit 1 always reads as 1 */
#define X86_EFLAGS_PF	0x00000004
#define X86_EFLAGS_AF	0x00000010
#define X86_EFLAGS_ZF	0x00000040
#define X86_EFLAGS_SF	0x00000080
#define X86_EFLAGS_TF	0x00000100
#define X86_EFLAGS_IF	0x00000200
#define X86_EFLAGS_DF	0x00000400
#define X86_EFLAGS_OF	0x00000800
#define X86_EFLAGS_IOPL	0x00003000
#define X86_EFLAGS_NT	0x00004000
#define X86_EFLAGS_RF	0x00010000
#define X86_EFLAGS_VM	0x00020000
#define X86_EFLAGS_AC	0x00040000
#define X86_EFLAGS_ID	0x00200000

/*
 * The EFLAGS bits user space may change, through sigreturn or a
 * tracer's SETREGS (Linux's FIX_EFLAGS and ptrace's FLAG_MASK).
 */
#define X86_EFLAGS_USER                                                  \
	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
	 X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_OF | \
	 X86_EFLAGS_RF | X86_EFLAGS_AC)

#define X86_CR0_PE	0x00000001
#define X86_CR0_WP	0x00010000
#define X86_CR0_PG	0x80000000

static inline uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint32_t read_eflags(void)
{
	uint32_t v;

	asm volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

static inline void cli(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void sti(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void hlt(void)
{
	asm volatile("hlt" : : : "memory");
}

/* Enable interrupts and wait for one, with no window between the two. */
static inline void sti_hlt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

/*
 * Save the interrupt flag and disable interrupts; irq_restore puts the
 * flag back.  The single-CPU kernel's only lock.
 */
static inline uint32_t irq_save(void)
{
	uint32_t f = read_eflags();

	cli();
	return f;
}

static inline void irq_restore(uint32_t flags)
{
	if (flags & X86_EFLAGS_IF)
		sti();
}

static inline uint64_t rdtsc(void)
{
	uint64_t v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;

	asm volatile("mov %%ebp, %0" : "=r"(v));
	return v;
}

#endif
