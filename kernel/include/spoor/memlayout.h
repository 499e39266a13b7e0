/*
 * Where the kernel sits in memory, in one place for C, assembly
 * (boot/multiboot.S) and the linker script (linker.ld, which the
 * Makefile runs through the C preprocessor).  Macros only.
 */
#ifndef SPOOR_MEMLAYOUT_H
#define SPOOR_MEMLAYOUT_H

/* An unsigned constant in C; the bare number in assembly and ld. */
#ifdef __ASSEMBLER__
#define MEMLAYOUT_U(x)	x
#else
#define MEMLAYOUT_U(x)	x##u
#endif

/* The higher half: kernel virtual = physical + KERNEL_BASE, as on Linux i386. */
#define KERNEL_BASE	MEMLAYOUT_U(0xC0000000)
/* The kernel image is loaded at 1 MiB physical. */
#define KERNEL_LOAD	MEMLAYOUT_U(0x100000)
/*
 * The entry stub maps the first BOOT_TABLES x 4 MiB (32 MiB: the
 * kernel, the initramfs with BusyBox, and the memory maps must fit).
 */
#define BOOT_TABLES	8
#define BOOT_MAPPED	(BOOT_TABLES * MEMLAYOUT_U(0x400000))
/* Kernel stacks are aligned to their size: ebp & ~(KSTACK_SIZE-1) finds one. */
#define KSTACK_SIZE	MEMLAYOUT_U(8192)

#endif
