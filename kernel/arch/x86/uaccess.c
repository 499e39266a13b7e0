/*
 * User-memory copies: range check, then the fault-safe copy.  A fault
 * on a user address first goes to the page-fault handler (which may
 * fix it, e.g. copy on write); only a fault it cannot fix reaches the
 * fixup and becomes -EFAULT here.
 */
#include <asm/uaccess.h>

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok((uintptr_t)usrc, n))
		return -EFAULT;
	return copy_safe(dst, usrc, n) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok((uintptr_t)udst, n))
		return -EFAULT;
	return copy_safe(udst, src, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t i;

	for (i = 0; i < max; i++) {
		if (!user_range_ok((uintptr_t)usrc + i, 1) ||
		    copy_safe(dst + i, usrc + i, 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}
