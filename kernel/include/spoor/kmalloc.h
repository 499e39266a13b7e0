/*
 * The kernel heap.  Small objects come from per-size slabs, large ones
 * from whole pages.  Every object carries a header and a red zone, and
 * free memory is poisoned, so overflows, double frees and use after
 * free are caught at the next kfree or kmalloc that sees them.
 */
#ifndef SPOOR_KMALLOC_H
#define SPOOR_KMALLOC_H

#include <stddef.h>

#define KMALLOC_MAX_SMALL	2036	/* larger requests take whole pages */

/*
 * Returns memory aligned to 8 bytes (requests above KMALLOC_MAX_SMALL:
 * page-aligned), or NULL when memory is exhausted.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* kfree(NULL) does nothing. */
void kfree(void *p);

/* Bytes handed out and not yet freed (the sizes callers asked for). */
unsigned long kmalloc_bytes_in_use(void);
/* Give cached empty slab pages back to the page allocator. */
void kmalloc_shrink(void);

/* What the heap checks can find. */
enum heap_error {
	HEAP_OK,
	HEAP_REDZONE,		/* bytes written past the object's end */
	HEAP_DOUBLE_FREE,
	HEAP_USE_AFTER_FREE,	/* a free object's poison was changed */
	HEAP_BAD_POINTER,	/* not something kmalloc returned */
};

/* Check a live object without freeing it. */
enum heap_error kmalloc_validate(const void *p);

/*
 * By default a heap error panics.  Tests install a recorder instead;
 * the heap then reports the error, refuses the bad operation, and goes
 * on.  Returns the previous handler.
 */
typedef void (*heap_error_fn)(enum heap_error err, const void *p);
heap_error_fn kmalloc_set_error_handler(heap_error_fn fn);

#endif
