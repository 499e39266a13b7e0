/*
 * Host memory for the kernel shims, kept apart from every Spoor header:
 * the libc headers it needs clash with spoor/types.h (sigset_t).
 */
#ifndef HOST_MEM_H
#define HOST_MEM_H

#include <stddef.h>

/*
 * @n bytes of zeroed memory below 2 GiB (mmap MAP_32BIT), so that the
 * 32-bit DS layout, which stores addresses in 4-byte fields, and
 * copy_from_user's "below KERNEL_BASE" check both hold.  Page-aligned.
 * NULL when the host has no memory left there.
 */
void *host_alloc_low(size_t n);
/* Unmap: a later access faults, which is how use after free shows. */
void host_free_low(void *p, size_t n);
/* Is every byte of [@p, @p + @n) mapped in this process? */
int host_mapped(const void *p, size_t n);

#endif
