/*
 * The trap frame: what entry.S pushes on the kernel stack for every
 * exception, interrupt and system call.  Its order is fixed by the
 * pushes in entry.S and by the CPU (eip..ss).
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax; /* pusha */
	uint32_t gs, fs, es, ds;
	uint32_t trapno;
	union {
		uint32_t err;		/* exceptions: the CPU's error code */
		uint32_t orig_eax;	/* system calls: the call number */
	};
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;	/* only pushed on a change of privilege */
};

#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BRKPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_ILLOP		6
#define T_DEVICE	7
#define T_DBLFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STACK		12
#define T_GPFLT		13
#define T_PGFLT		14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMDERR	19
#define T_IRQ0		32	/* PIC interrupts: 32..47 */
#define T_SYSCALL	0x80
#define T_BTS		0xee	/* local APIC: BTS interrupt (LVT perf) */

#define PF_PROT		0x1	/* error code: page was present */
#define PF_WRITE	0x2
#define PF_USER		0x4

static inline int trap_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}

void trap(struct trap_frame *tf);
void idt_init(void);
void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void gdt_load_tls(const uint64_t *tls);

/* Print the report for an unrecoverable kernel fault and panic. */
void kernel_fault(struct trap_frame *tf) __attribute__((noreturn));

#endif
