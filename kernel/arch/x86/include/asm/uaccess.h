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

/*
 * Copy @n bytes; returns the number NOT copied (0: all of them).
 * Dwords first (QEMU's -icount counts each rep iteration), then the
 * tail bytes.  A fault in the dword part goes on byte by byte from
 * where it stopped, so the count left is exact to the byte.
 */
#ifdef __i386__
static inline size_t copy_safe(void *dst, const void *src, size_t n)
{
	size_t words = n / 4, tail = n % 4;

	asm volatile("1:	rep movsl\n"
		     "	movl %[tail], %%ecx\n"
		     "2:	rep movsb\n"
		     "3:\n"
		     ".pushsection .fixup, \"ax\"\n"
		     "4:	leal (%[tail], %%ecx, 4), %%ecx\n"
		     "	jmp 2b\n"
		     ".popsection\n" _ASM_EXTABLE(1b, 4b) _ASM_EXTABLE(2b, 3b)
		     : "+D"(dst), "+S"(src), "+c"(words)
		     : [tail] "r"(tail)
		     : "memory");
	return words;
}
#else
/* The host unit tests (tests/host) build the DS driver natively. */
size_t copy_safe(void *dst, const void *src, size_t n);
#endif

/* Is [@addr, @addr + @n) entirely user space (and not wrapping)? */
static inline int user_range_ok(uintptr_t addr, size_t n)
{
	return addr <= KERNEL_BASE && n <= KERNEL_BASE - addr;
}

/*
 * Copy up to @n bytes from user address @usrc, stopping at the first
 * byte that cannot be read (or at the end of user space).  Returns the
 * number of bytes NOT copied.
 */
static inline size_t copy_safe_user(void *dst, uintptr_t usrc, size_t n)
{
	size_t room = usrc < KERNEL_BASE ? KERNEL_BASE - usrc : 0;
	size_t want = n < room ? n : room;

	return n - want + copy_safe(dst, (const void *)usrc, want);
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
