/* The local APIC, for the BTS interrupt (LVT performance counter). */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdint.h>
#include <asm/trap.h>

#define APIC_LVT_MASKED		(1u << 16)

/* Map and enable the local APIC; 0, or -1 when there is none. */
int apic_init(void);
uint32_t apic_lvt_perf(void);
void apic_mask_lvt_perf(void);
void apic_self_bts(void);
void apic_bts_interrupt(void);

extern unsigned long apic_bts_interrupts;

#endif
