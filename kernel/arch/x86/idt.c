/*
 * The IDT: interrupt gates for the 32 exceptions and 16 PIC lines, all
 * ring 0 except the breakpoint/overflow vectors and int $0x80, which
 * user code may raise itself.
 */
#include <stdint.h>
#include <asm/segment.h>
#include <asm/trap.h>

#define IDT_VECTORS	256
#define GATE_INTR	0x8e	/* present, ring 0, 32-bit interrupt gate */
#define GATE_DPL3	0x60

extern const uint32_t trap_vectors[];	/* entry.S: 0..47, 0x80, T_BTS */

static uint64_t idt[IDT_VECTORS];

static void set_gate(unsigned vec, uint32_t handler, uint8_t type)
{
	idt[vec] = (handler & 0xffff) | (uint64_t)__KERNEL_CS << 16 |
		   (uint64_t)type << 40 | (uint64_t)(handler >> 16) << 48;
}

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };
	unsigned v;

	for (v = 0; v < 48; v++)
		set_gate(v, trap_vectors[v], GATE_INTR);
	/* int3 and into are instructions a user program may execute. */
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], GATE_INTR | GATE_DPL3);
	set_gate(T_OFLOW, trap_vectors[T_OFLOW], GATE_INTR | GATE_DPL3);
	set_gate(T_SYSCALL, trap_vectors[48], GATE_INTR | GATE_DPL3);
	set_gate(T_BTS, trap_vectors[49], GATE_INTR);
	asm volatile("lidt %0" : : "m"(idtr));
}
