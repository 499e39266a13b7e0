/*
 * Copying to and from memory that may fault.  One primitive,
 * copy_safe(), does the copy with `rep movsb` listed in the exception
 * fixup table: a fault ends the copy early and reports how much is
 * left.  copy_from_user/copy_to_user add the check that the range lies
 * below KERNEL_BASE, so user space can never name kernel memory.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/extable.h>
#include <spoor/errno.h>
#include <spoor/mm.h>

/* Copy @n bytes; returns the number NOT copied (0: all of them). */
static inline size_t copy_safe(void *dst, const void *src, size_t n)
{
	asm volatile("1:	rep movsb\n"
		     "2:\n"
		     ".pushsection .fixup, \"ax\"\n"
		     "3:	jmp 2b\n"
		     ".popsection\n"
		     _ASM_EXTABLE(1b, 3b)
		     : "+D"(dst), "+S"(src), "+c"(n)
		     : : "memory");
	return n;
}

/* Is [@addr, @addr + @n) entirely user space (and not wrapping)? */
static inline int user_range_ok(uintptr_t addr, size_t n)
{
	return addr <= KERNEL_BASE && n <= KERNEL_BASE - addr;
}

/* 0 on success, -EFAULT if any byte could not be read or written. */
int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);
/*
 * Copy a NUL-terminated string of at most @max bytes (NUL included).
 * Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL within @max.
 */
long strncpy_from_user(char *dst, const char *usrc, size_t max);

#endif
