/*
 * GDT layout and selectors.  Spoor uses Linux i386's GDT slots, so the
 * selector values a student sees in GETREGS match Linux's.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

/* Thread-local storage: three descriptors a task sets (set_thread_area). */
#define GDT_ENTRY_TLS_MIN	6
#define GDT_ENTRY_TLS_ENTRIES	3
#define GDT_ENTRY_TLS_MAX	(GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES - 1)
#define GDT_ENTRY_KERNEL_CS	12
#define GDT_ENTRY_KERNEL_DS	13
#define GDT_ENTRY_USER_CS	14
#define GDT_ENTRY_USER_DS	15
#define GDT_ENTRY_TSS		16
#define GDT_ENTRIES		32

#define __KERNEL_CS	(GDT_ENTRY_KERNEL_CS * 8)		/* 0x60 */
#define __KERNEL_DS	(GDT_ENTRY_KERNEL_DS * 8)		/* 0x68 */
#define __USER_CS	(GDT_ENTRY_USER_CS * 8 + 3)		/* 0x73 */
#define __USER_DS	(GDT_ENTRY_USER_DS * 8 + 3)		/* 0x7b */
#define __TSS_SEL	(GDT_ENTRY_TSS * 8)			/* 0x80 */

#define SEGMENT_RPL_MASK	3
#define SEGMENT_TI_MASK		4	/* selector names an LDT entry */
#define USER_RPL		3

/* The selector of GDT entry @idx with RPL 3. */
#define GDT_USER_SEL(idx)	(8 * (idx) + USER_RPL)

#endif
