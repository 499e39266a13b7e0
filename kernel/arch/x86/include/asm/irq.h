/* Hardware interrupt lines behind the 8259 PICs (IRQ 0-15). */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <stdint.h>

#define NR_IRQS 16

typedef void (*irq_handler_t)(void);

void pic_init(void);
void irq_register(unsigned irq, irq_handler_t handler);
void irq_unmask(unsigned irq);
void irq_mask(unsigned irq);
/* Called by trap() for vectors 32..47. */
void irq_dispatch(unsigned irq);

void pit_init(unsigned hz);
void uart_enable_rx(void);

#endif
