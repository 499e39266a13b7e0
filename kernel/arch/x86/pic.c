/*
 * The two 8259 PICs, remapped so IRQ 0-15 arrive at vectors 32-47
 * (0-31 belong to CPU exceptions).  All lines start masked.
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/trap.h>
#include <spoor/printk.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20
#define ICW1_INIT_ICW4	0x11
#define ICW4_8086	0x01
#define CASCADE_IRQ	2

static irq_handler_t handlers[NR_IRQS];
static uint16_t irq_mask_bits = 0xffff & ~(1u << CASCADE_IRQ);

static void pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask_bits & 0xff);
	outb(PIC2_DATA, irq_mask_bits >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	io_delay();
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	io_delay();
	outb(PIC1_DATA, T_IRQ0);		/* ICW2: vector base */
	io_delay();
	outb(PIC2_DATA, T_IRQ0 + 8);
	io_delay();
	outb(PIC1_DATA, 1u << CASCADE_IRQ);	/* ICW3: slave on line 2 */
	io_delay();
	outb(PIC2_DATA, CASCADE_IRQ);
	io_delay();
	outb(PIC1_DATA, ICW4_8086);
	io_delay();
	outb(PIC2_DATA, ICW4_8086);
	io_delay();
	pic_write_mask();
}

void irq_register(unsigned irq, irq_handler_t handler)
{
	handlers[irq] = handler;
}

void irq_unmask(unsigned irq)
{
	irq_mask_bits &= ~(1u << irq);
	pic_write_mask();
}

void irq_mask(unsigned irq)
{
	irq_mask_bits |= 1u << irq;
	pic_write_mask();
}

/*
 * Acknowledge before running the handler: the timer handler may switch
 * tasks and not come back here for a long time.
 */
void irq_dispatch(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
	if (handlers[irq])
		handlers[irq]();
	else if (irq != 7 && irq != 15)	/* 7 and 15: spurious */
		printk("[kernel] unexpected IRQ %u\n", irq);
}
