/*
 * malloc, free, calloc, realloc: the first-fit free-list allocator of
 * Kernighan & Ritchie (as in xv6's umalloc.c), over sbrk.
 *
 * Every block starts with a header of 8 bytes, so blocks and the memory
 * handed out are 8-byte aligned. Free blocks sit on a circular list sorted
 * by address; free() merges a block with the neighbours it touches.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef union header {
	struct {
		union header *next;	/* next free block (if free) */
		size_t units;		/* size in headers, this one included */
	} s;
	long long align;		/* forces 8-byte size and alignment */
} Header;

_Static_assert(sizeof(Header) == 8, "malloc header must be 8 bytes");

#define ALIGN		sizeof(Header)
#define MIN_GROW	1024		/* grow the heap by at least 8 KiB */

static Header base;			/* zero-sized list head */
static Header *freep;			/* where the last search stopped */

/* Ask sbrk for at least @units more headers and free them into the list. */
static Header *morecore(size_t units)
{
	char *cur;
	Header *hp;
	uintptr_t pad;

	if (units < MIN_GROW)
		units = MIN_GROW;
	if (units > SIZE_MAX / sizeof(Header))
		return NULL;
	/* The initial break need not be aligned; the first growth fixes it. */
	cur = sbrk(0);
	pad = (ALIGN - (uintptr_t)cur % ALIGN) % ALIGN;
	if (sbrk(pad + units * sizeof(Header)) == (void *)-1)
		return NULL;
	hp = (Header *)(cur + pad);
	hp->s.units = units;
	free(hp + 1);
	return freep;
}

/* Returns 8-byte aligned memory, or NULL with ENOMEM. */
void *malloc(size_t nbytes)
{
	Header *p, *prev;
	size_t units;

	if (nbytes > SIZE_MAX - 2 * sizeof(Header)) {
		errno = ENOMEM;
		return NULL;
	}
	units = (nbytes + sizeof(Header) - 1) / sizeof(Header) + 1;
	if (!freep) {
		base.s.next = freep = &base;
		base.s.units = 0;
	}
	prev = freep;
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.units >= units) {
			if (p->s.units == units) {
				prev->s.next = p->s.next;
			} else {
				/* Hand out the tail; the head stays linked. */
				p->s.units -= units;
				p += p->s.units;
				p->s.units = units;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && !(p = morecore(units))) {
			errno = ENOMEM;
			return NULL;
		}
	}
}

/* Return @ap's block to the list, merged with adjacent free blocks. */
void free(void *ap)
{
	Header *bp, *p;

	if (!ap)
		return;
	bp = (Header *)ap - 1;
	/* Find p with p < bp < p->next, allowing for the wrap-around. */
	for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
		if (p >= p->s.next && (bp > p || bp < p->s.next))
			break;

	if (bp + bp->s.units == p->s.next) {
		bp->s.units += p->s.next->s.units;
		bp->s.next = p->s.next->s.next;
	} else {
		bp->s.next = p->s.next;
	}
	if (p + p->s.units == bp) {
		p->s.units += bp->s.units;
		p->s.next = bp->s.next;
	} else {
		p->s.next = bp;
	}
	freep = p;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Grows by moving; keeps the block when it is already big enough. */
void *realloc(void *ap, size_t nbytes)
{
	Header *bp;
	size_t have;
	void *np;

	if (!ap)
		return malloc(nbytes);
	if (nbytes == 0) {
		free(ap);
		return NULL;
	}
	bp = (Header *)ap - 1;
	have = (bp->s.units - 1) * sizeof(Header);
	if (nbytes <= have)
		return ap;
	np = malloc(nbytes);
	if (!np)
		return NULL;
	memcpy(np, ap, have);
	free(ap);
	return np;
}
