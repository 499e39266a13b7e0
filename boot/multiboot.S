/*
 * Multiboot v1 header and the kernel's first instructions.
 *
 * The boot loader jumps to _start at its physical address with paging
 * off, EAX = 0x2BADB002 and EBX = the multiboot information.  We map
 * the first 32 MiB twice, at 0 (so the next instruction fetch still
 * works once paging is on) and at KERNEL_BASE (where the kernel is
 * linked), turn paging on and jump to the higher half.  kmain replaces
 * these tables with the real ones, dropping the identity map.
 */
#include <asm/segment.h>
#include <spoor/memlayout.h>	/* KERNEL_BASE, KSTACK_SIZE */

#define MB_MAGIC	0x1BADB002
/*
 * Flags: page-aligned modules, memory map, and the load addresses
 * below.  With them GRUB and QEMU load the image by these physical
 * addresses and need not make sense of a higher-half ELF entry point.
 */
#define MB_FLAGS	0x00010003

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header - KERNEL_BASE	/* header_addr */
	.long _text - KERNEL_BASE	/* load_addr: the image starts here */
	.long _edata - KERNEL_BASE	/* load_end_addr */
	.long _end - KERNEL_BASE	/* bss_end_addr */
	.long _start - KERNEL_BASE	/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov	%eax, %esi		/* keep magic and info pointer */
	mov	%ebx, %edi

	/* Fill the boot page tables: entry i maps frame i, present+writable. */
	mov	$(boot_page_tables - KERNEL_BASE), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	or	$0x003, %eax
	mov	%eax, (%ebx, %ecx, 4)
	inc	%ecx
	cmp	$(BOOT_TABLES * 1024), %ecx
	jb	1b

	/* Point PDEs 0.. and 768.. at them. */
	mov	$(boot_page_dir - KERNEL_BASE), %edx
	xor	%ecx, %ecx
2:	lea	0x003(%ebx), %eax
	mov	%eax, (%edx, %ecx, 4)
	mov	%eax, (768 * 4)(%edx, %ecx, 4)
	add	$4096, %ebx
	inc	%ecx
	cmp	$BOOT_TABLES, %ecx
	jb	2b

	mov	%edx, %cr3
	mov	%cr0, %eax
	/*
	 * PG | WP | NE: with NE an unmasked x87 exception is reported as
	 * #MF on the next waiting x87 instruction, as Linux has it, not
	 * through the PC's FERR#/IRQ 13 wiring.
	 */
	or	$0x80010020, %eax
	mov	%eax, %cr0
	lea	higher_half, %eax
	jmp	*%eax

	.text
higher_half:
	mov	$boot_stack_top, %esp
	xor	%ebp, %ebp		/* ends the backtrace */
	push	%edi			/* multiboot info (physical) */
	push	%esi			/* multiboot magic */
	call	kmain
3:	cli
	hlt
	jmp	3b

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.globl boot_page_dir
boot_page_dir:
	.skip 4096
boot_page_tables:
	.skip BOOT_TABLES * 4096
	/* The boot stack is aligned to its size, like every kernel stack,
	   so a frame pointer tells which stack it is on. */
	.balign KSTACK_SIZE
	.globl boot_stack
boot_stack:
	.skip KSTACK_SIZE
boot_stack_top:
