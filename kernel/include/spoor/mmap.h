/* Memory mappings (kernel/mmap.c). */
#ifndef SPOOR_MMAP_H
#define SPOOR_MMAP_H

#include <spoor/types.h>

long sys_old_mmap(const uint32_t *args);
long sys_mmap2(uintptr_t addr, size_t len, unsigned prot, unsigned flags,
	       int fd, uint32_t pgoff);
long sys_munmap(uintptr_t addr, size_t len);
long sys_mprotect(uintptr_t addr, size_t len, unsigned prot);

#endif
