/* Host memory for the shims: see host_mem.h. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "host_mem.h"

static size_t page_round(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

void *host_alloc_low(size_t n)
{
	void *p = mmap(NULL, page_round(n ? n : 1), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (p == MAP_FAILED || (uintptr_t)p + n > 0x80000000u)
		return NULL;
	return p;
}

void host_free_low(void *p, size_t n)
{
	munmap(p, page_round(n ? n : 1));
}

int host_mapped(const void *p, size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)p / pg * pg;
	unsigned char vec[64];

	if (!n)
		return 1;
	while (start < (uintptr_t)p + n) {
		/* mincore fails with ENOMEM on an unmapped page. */
		if (mincore((void *)start, pg, vec))
			return 0;
		start += pg;
	}
	return 1;
}
