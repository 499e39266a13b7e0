/*
 * Memory mappings: mmap through mmap2 (its offset in pages), munmap,
 * mprotect.  Errno and MAP_FAILED or -1 on failure.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "syscall.h"

#define MMAP2_UNIT	4096	/* mmap2's offset unit, whatever the page */

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & (MMAP2_UNIT - 1)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	/* Six arguments: syscall(), whose -1 is MAP_FAILED. */
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd,
			       off / MMAP2_UNIT);
}

int munmap(void *addr, size_t len)
{
	return __syscall_ret(__syscall(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return __syscall_ret(__syscall(SYS_mprotect, addr, len, prot));
}
