/*
 * sys/mman.h - memory mappings: mmap(2), munmap(2), mprotect(2).
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>

#include <spoor/mman_abi.h>	/* PROT_*, MAP_* */

#define MAP_ANON	MAP_ANONYMOUS

#define MAP_FAILED	((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#endif /* _SYS_MMAN_H */
