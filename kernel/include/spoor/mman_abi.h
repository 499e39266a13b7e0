/*
 * mmap(2) and mprotect(2)'s protections and flags (Linux i386 values),
 * shared by the kernel's mmap.c and the user library's <sys/mman.h>.
 */
#ifndef SPOOR_MMAN_ABI_H
#define SPOOR_MMAN_ABI_H

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_TYPE	0x0f	/* the bits that hold SHARED or PRIVATE */
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20

#endif
