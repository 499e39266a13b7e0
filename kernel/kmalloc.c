/*
 * kmalloc: size classes of 32..2048-byte slots carved from single
 * pages, and whole-page blocks above that.
 *
 * A slot is [header][object][red zone].  The header holds a magic word
 * and, for a live object, its size; for a free slot, the link to the
 * next free slot of its page.  The red zone (every byte after the
 * object) and a free slot's body are filled with known bytes, checked
 * when the object is freed or the slot handed out again.
 *
 * Each slab page keeps its own free list (struct page.freelist) and
 * live-object count; pages with free slots sit on the class's partial
 * list.  A page that becomes empty is freed unless it is the class's
 * last partial page, which stays cached until kmalloc_shrink().
 */
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/panic.h>
#include <spoor/string.h>

#define MAGIC_LIVE	0x4b4c4956u	/* "VILK" */
#define MAGIC_FREE	0x4b455246u	/* "FREK" */
#define REDZONE_BYTE	0xfd
#define POISON_BYTE	0x6b
#define POISON_WORD	0x6b6b6b6bu
#define NR_CLASSES	7		/* 32 << 0 .. 32 << 6 */
#define MIN_SLOT	32
#define REDZONE_MIN	4

struct kobj {
	uint32_t magic;
	union {
		uint32_t size;		/* live */
		struct kobj *next;	/* free */
	};
};

static struct list_head partial[NR_CLASSES] = {
	LIST_HEAD_INIT(partial[0]), LIST_HEAD_INIT(partial[1]),
	LIST_HEAD_INIT(partial[2]), LIST_HEAD_INIT(partial[3]),
	LIST_HEAD_INIT(partial[4]), LIST_HEAD_INIT(partial[5]),
	LIST_HEAD_INIT(partial[6]),
};
static unsigned long bytes_in_use;

static void heap_panic(enum heap_error err, const void *p)
{
	static const char *const what[] = {
		[HEAP_REDZONE] = "red zone overwritten (heap overflow)",
		[HEAP_DOUBLE_FREE] = "double free",
		[HEAP_USE_AFTER_FREE] = "free object modified (use after free)",
		[HEAP_BAD_POINTER] = "pointer not from kmalloc",
	};

	panic("kmalloc: %s at %p", what[err], p);
}

static heap_error_fn heap_error = heap_panic;

heap_error_fn kmalloc_set_error_handler(heap_error_fn fn)
{
	heap_error_fn old = heap_error;

	heap_error = fn ? fn : heap_panic;
	return old;
}

static size_t slot_size(unsigned cls)
{
	return MIN_SLOT << cls;
}

static unsigned size_class(size_t size)
{
	unsigned cls = 0;

	while (slot_size(cls) < size + sizeof(struct kobj) + REDZONE_MIN)
		cls++;
	return cls;
}

/* Are all @n bytes at @p equal to @b?  (Word-wise; n is a multiple of 4.) */
static int all_bytes(const void *p, uint8_t b, size_t n)
{
	const uint32_t *w = p;
	uint32_t pattern = b * 0x01010101u;

	for (n /= 4; n; n--)
		if (*w++ != pattern)
			return 0;
	return 1;
}

/* Is every one of the @n bytes at @p still REDZONE_BYTE? */
static int redzone_intact(const uint8_t *p, size_t n)
{
	for (; n && ((uintptr_t)p & 3); n--, p++)	/* unaligned head */
		if (*p != REDZONE_BYTE)
			return 0;
	if (!all_bytes(p, REDZONE_BYTE, n & ~3u))
		return 0;
	for (p += n & ~3u, n &= 3; n; n--, p++)	/* tail */
		if (*p != REDZONE_BYTE)
			return 0;
	return 1;
}

/* A fresh slab page for class @cls, every slot free and poisoned. */
static struct page *slab_grow(unsigned cls)
{
	size_t slot = slot_size(cls), off;
	uint8_t *base = alloc_pages(0);
	struct page *pg;

	if (!base)
		return NULL;
	memset(base, POISON_BYTE, PAGE_SIZE);
	pg = virt_to_page(base);
	pg->flags = PG_SLAB;
	pg->order = cls;
	pg->count = 0;
	pg->freelist = NULL;
	for (off = PAGE_SIZE; off >= slot; off -= slot) {
		struct kobj *o = (struct kobj *)(base + off - slot);

		o->magic = MAGIC_FREE;
		o->next = pg->freelist;
		pg->freelist = o;
	}
	list_add(&pg->lru, &partial[cls]);
	return pg;
}

static void *kmalloc_small(size_t size)
{
	unsigned cls = size_class(size);
	size_t slot = slot_size(cls);
	struct page *pg;
	struct kobj *o;

	if (!list_empty(&partial[cls]))
		pg = list_first_entry(&partial[cls], struct page, lru);
	else if (!(pg = slab_grow(cls)))
		return NULL;
	o = pg->freelist;
	pg->freelist = o->next;
	if (!pg->freelist)		/* full: off the partial list */
		list_del_init(&pg->lru);
	pg->count++;
	if (!all_bytes(o + 1, POISON_BYTE, slot - sizeof(*o)))
		heap_error(HEAP_USE_AFTER_FREE, o + 1);
	o->magic = MAGIC_LIVE;
	o->size = size;
	memset((uint8_t *)(o + 1) + size, REDZONE_BYTE,
	       slot - sizeof(*o) - size);
	return o + 1;
}

static void *kmalloc_large(size_t size)
{
	unsigned order = 0;
	uint8_t *p;
	struct page *pg;

	while ((PAGE_SIZE << order) < size)
		order++;
	p = alloc_pages(order);
	if (!p)
		return NULL;
	pg = virt_to_page(p);
	pg->flags = PG_LARGE;
	pg->size = size;
	memset(p + size, REDZONE_BYTE, (PAGE_SIZE << order) - size);
	return p;
}

void *kmalloc(size_t size)
{
	uint32_t flags;
	void *p;

	if (size > (PAGE_SIZE << (MAX_ORDER - 1)))
		return NULL;
	flags = irq_save();
	p = size <= KMALLOC_MAX_SMALL ? kmalloc_small(size) :
					kmalloc_large(size);
	if (p)
		bytes_in_use += size;
	irq_restore(flags);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	return p ? memset(p, 0, size) : NULL;
}

/* Find the header of small object @p, or NULL if @p is no slot start. */
static struct kobj *slot_of(const void *p, struct page *pg)
{
	uintptr_t off = ((uintptr_t)p - sizeof(struct kobj)) & (PAGE_SIZE - 1);

	if (off % slot_size(pg->order))
		return NULL;
	return (struct kobj *)((uintptr_t)p - sizeof(struct kobj));
}

static enum heap_error check_small(const void *p, struct page *pg)
{
	struct kobj *o = slot_of(p, pg);

	if (!o)
		return HEAP_BAD_POINTER;
	if (o->magic == MAGIC_FREE)
		return HEAP_DOUBLE_FREE;
	if (o->magic != MAGIC_LIVE ||
	    o->size + sizeof(*o) > slot_size(pg->order))
		return HEAP_BAD_POINTER;
	if (!redzone_intact((const uint8_t *)p + o->size,
			    slot_size(pg->order) - sizeof(*o) - o->size))
		return HEAP_REDZONE;
	return HEAP_OK;
}

static enum heap_error check_large(const void *p, struct page *pg)
{
	if ((uintptr_t)p & (PAGE_SIZE - 1))
		return HEAP_BAD_POINTER;
	if (!redzone_intact((const uint8_t *)p + pg->size,
			    (PAGE_SIZE << pg->order) - pg->size))
		return HEAP_REDZONE;
	return HEAP_OK;
}

static enum heap_error check(const void *p)
{
	struct page *pg;

	if ((uintptr_t)p < KERNEL_BASE || ((uintptr_t)p & 7))
		return HEAP_BAD_POINTER;
	pg = virt_to_page(p);
	if (pg->flags & PG_SLAB)
		return check_small(p, pg);
	if (pg->flags & PG_LARGE)
		return check_large(p, pg);
	if (pg->flags & PG_FREE)
		return HEAP_DOUBLE_FREE;
	return HEAP_BAD_POINTER;
}

enum heap_error kmalloc_validate(const void *p)
{
	uint32_t flags = irq_save();
	enum heap_error err = check(p);

	irq_restore(flags);
	return err;
}

static void kfree_small(void *p, struct page *pg)
{
	struct kobj *o = (struct kobj *)p - 1;
	unsigned cls = pg->order;

	bytes_in_use -= o->size;
	memset(p, POISON_BYTE, slot_size(cls) - sizeof(*o));
	o->magic = MAGIC_FREE;
	o->next = pg->freelist;
	if (!pg->freelist)		/* was full: partial again */
		list_add(&pg->lru, &partial[cls]);
	pg->freelist = o;
	/* Keep the class's last partial page: malloc/free pairs stay cheap. */
	if (--pg->count == 0 && partial[cls].next != partial[cls].prev) {
		list_del_init(&pg->lru);
		pg->flags = 0;
		free_pages(page_to_virt(pg), 0);
	}
}

void kfree(void *p)
{
	enum heap_error err;
	struct page *pg;
	uint32_t flags;

	if (!p)
		return;
	flags = irq_save();
	err = check(p);
	if (err != HEAP_OK) {
		irq_restore(flags);
		heap_error(err, p);
		return;
	}
	pg = virt_to_page(p);
	if (pg->flags & PG_SLAB) {
		kfree_small(p, pg);
	} else {
		bytes_in_use -= pg->size;
		pg->flags = 0;
		free_pages(p, pg->order);
	}
	irq_restore(flags);
}

unsigned long kmalloc_bytes_in_use(void)
{
	return bytes_in_use;
}

void kmalloc_shrink(void)
{
	uint32_t flags = irq_save();
	unsigned cls;

	for (cls = 0; cls < NR_CLASSES; cls++) {
		struct page *pg, *next;

		list_for_each_entry_safe(pg, next, &partial[cls], lru) {
			if (pg->count)
				continue;
			list_del_init(&pg->lru);
			pg->flags = 0;
			free_pages(page_to_virt(pg), 0);
		}
	}
	irq_restore(flags);
}
