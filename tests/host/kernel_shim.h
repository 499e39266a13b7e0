/*
 * What the kernel/ds files and kernel/arch/x86/ptrace_bts.c need from the
 * rest of the kernel, for the host: the heap (kmalloc.h) in low memory
 * with every kfree logged in the fake CPU's event log, printk into a
 * buffer, `current`, jiffies, copy_{from,to}_user, send_sig, apic_init.
 * The functions below are the tests' handles on those shims.
 */
#ifndef KERNEL_SHIM_H
#define KERNEL_SHIM_H

#include <stddef.h>

struct task_struct;

/* Everything printk printed since the last clear (NUL-terminated). */
const char *shim_printk_text(void);
void shim_printk_clear(void);

/* Make the next @n kmalloc/kzalloc calls fail (return NULL). */
void shim_kmalloc_fail(unsigned n);
/* Live objects and kfree calls of pointers kmalloc did not return. */
unsigned long shim_kmalloc_objects(void);
unsigned long shim_bad_frees(void);

/* What apic_init returns: 0 (a local APIC, default) or -1 (none). */
extern int shim_apic_result;

/* The last send_sig, and how many there were. */
struct shim_signal {
	unsigned count;
	int sig;
	struct task_struct *task;
};
extern struct shim_signal shim_last_signal;
/* What nr_total_pages() answers (the system-wide BTS buffer cap). */
extern unsigned long shim_total_pages;

#endif
