/*
 * The i386 page size, for the kernel and for the user library's
 * <sys/user.h> (glibc's spelling for programs).
 */
#ifndef SPOOR_PAGE_H
#define SPOOR_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)

#endif
