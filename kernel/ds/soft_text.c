/*
 * Patching a traced program's branches with int3 (the software BTS
 * unit's fast mode).  The first time control reaches a basic block,
 * the block is decoded up to its first control transfer and an int3
 * replaces the transfer's first byte; from then on each execution of
 * that branch costs one trap, in which the kernel performs the branch
 * itself.  Patches stay until tracing ends, so a loop pays for its
 * scan once.
 *
 * Code may overlap itself: a jump into the middle of an instruction (a
 * jmp hidden in a mov's immediate), the same bytes decoded from two
 * offsets.  An int3 there would change what the other instruction
 * does (the mov would load 0xcc), so the rule is: no int3 on a byte
 * that lies inside an instruction some scanned block runs.  Every
 * instruction a block will run natively is noted when the block is
 * scanned (struct soft_page); a patch that turns out to lie inside one
 * is taken out for good, and a block whose branch cannot carry an int3
 * is single-stepped instead (bts_soft.c, BTS_SOFT_STEP_BLOCK).  So the
 * CPU never runs an int3 as part of another instruction, and what
 * control reaches unpatched it still sees, one step at a time.
 * (Removing patches before each block and putting them back after
 * would cost writes on every trap; stepping is rare: only code that
 * really overlaps pays.)
 *
 * The patched bytes live in the traced process's own pages (Spoor never
 * shares user pages), written through the kernel's mapping so read-only
 * text can be patched.  A tracer's PEEKTEXT sees the original bytes; a
 * tracer's POKETEXT takes the patches out first (bts_soft.c,
 * soft_poke); a fork's child gets its pages with every original byte back.
 */
#include <asm/uaccess.h>
#include <spoor/kmalloc.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>
#include "soft_text.h"

#define INT3		0xcc
#define CAP_FIRST	512
#define CAP_MAX		16384	/* beyond: single-step new code instead */
#define SCAN_MAX	256	/* instructions decoded per block */

static unsigned hash(uint32_t addr, unsigned cap)
{
	return (addr * 2654435761u) & (cap - 1);
}

static struct soft_text *text_of(struct task_struct *t)
{
	struct soft_text *st = t->thread.bts_soft.text;

	if (st)
		return st;
	st = kzalloc(sizeof(*st));
	if (!st)
		return NULL;
	st->patch = kzalloc(CAP_FIRST * sizeof(*st->patch));
	st->block = kzalloc(CAP_FIRST * sizeof(*st->block));
	if (!st->patch || !st->block) {
		kfree(st->patch);
		kfree(st->block);
		kfree(st);
		return NULL;
	}
	st->cap = CAP_FIRST;
	t->thread.bts_soft.text = st;
	return st;
}

struct soft_patch *soft_patch_find(struct task_struct *t, uint32_t addr)
{
	struct soft_text *st = t->thread.bts_soft.text;
	unsigned i;

	if (!st || !addr)
		return NULL;
	for (i = hash(addr, st->cap);; i = (i + 1) & (st->cap - 1)) {
		if (st->patch[i].addr == addr)
			return &st->patch[i];
		if (!st->patch[i].addr)
			return NULL;
	}
}

static struct soft_block *block_find(struct soft_text *st, uint32_t start)
{
	unsigned i;

	for (i = hash(start, st->cap);; i = (i + 1) & (st->cap - 1)) {
		if (st->block[i].start == start || !st->block[i].start)
			return &st->block[i];
	}
}

/* Double both tables (rehashing), up to CAP_MAX; 0 or -1. */
static int text_grow(struct soft_text *st)
{
	unsigned cap = st->cap * 2, i, j;
	struct soft_patch *np;
	struct soft_block *nb;

	if (cap > CAP_MAX)
		return -1;
	np = kzalloc(cap * sizeof(*np));
	nb = kzalloc(cap * sizeof(*nb));
	if (!np || !nb) {
		kfree(np);
		kfree(nb);
		return -1;
	}
	for (i = 0; i < st->cap; i++) {
		if (st->patch[i].addr) {
			for (j = hash(st->patch[i].addr, cap); np[j].addr;
			     j = (j + 1) & (cap - 1))
				;
			np[j] = st->patch[i];
		}
		if (st->block[i].start) {
			for (j = hash(st->block[i].start, cap); nb[j].start;
			     j = (j + 1) & (cap - 1))
				;
			nb[j] = st->block[i];
		}
	}
	kfree(st->patch);
	kfree(st->block);
	st->patch = np;
	st->block = nb;
	st->cap = cap;
	return 0;
}

/* The byte at @addr of @t's memory, through the kernel's mapping. */
static uint8_t *text_byte(struct task_struct *t, uint32_t addr)
{
	return t->mm ? vm_kaddr(t->mm, addr, 0) : NULL;
}

void soft_patch_arm(struct task_struct *t, struct soft_patch *p)
{
	uint8_t *b = text_byte(t, p->addr);

	if (b && !p->unsafe)
		*b = INT3;
}

void soft_patch_disarm(struct task_struct *t, struct soft_patch *p)
{
	uint8_t *b = text_byte(t, p->addr);

	if (b)
		*b = p->orig;
}

/* clang-format off */
void soft_hide_patches(struct task_struct *t, uint32_t addr,
			   uint8_t *buf, size_t len)
/* clang-format on */
{
	size_t i;

	if (!t->thread.bts_soft.text)
		return;
	for (i = 0; i < len; i++) {
		/* clang-format off */
		struct soft_patch *p = buf[i] == INT3 ?
				       soft_patch_find(t, addr + i) : NULL;
		/* clang-format on */

		if (p && !p->unsafe)
			buf[i] = p->orig;
	}
}

int soft_fetch(struct task_struct *t, uint32_t addr, struct insn *in)
{
	uint8_t bytes[INSN_MAX];
	size_t got = INSN_MAX - copy_safe_user(bytes, addr, INSN_MAX);

	soft_hide_patches(t, addr, bytes, got);
	return insn_decode(in, bytes, got);
}

/* --- which bytes scanned instructions start at and run through ------ */

static int map_test(const uint8_t *map, uint32_t addr)
{
	unsigned o = addr & (PAGE_SIZE - 1);

	return (map[o / 8] >> (o % 8)) & 1;
}

static void map_set(uint8_t *map, uint32_t addr)
{
	unsigned o = addr & (PAGE_SIZE - 1);

	map[o / 8] |= 1u << (o % 8);
}

/* The maps of the page holding @addr (made if @create), or NULL. */
static struct soft_page *page_of(struct soft_text *st, uint32_t addr,
				 int create)
{
	uint32_t base = addr & ~(PAGE_SIZE - 1);
	struct soft_page **pp, *pg;

	for (pp = &st->pages; (pg = *pp); pp = &pg->next)
		if (pg->base == base)
			break;
	if (pg) {
		*pp = pg->next;		/* unlink: it goes to the front */
	} else {
		if (!create || !(pg = kzalloc(sizeof(*pg))))
			return NULL;
		pg->base = base;
	}
	/* A scan stays on one page: the front is where it looks first. */
	pg->next = st->pages;
	st->pages = pg;
	return pg;
}

/*
 * A scanned block runs the instruction [@addr, @addr + @len): note its
 * bytes, and take out for good any int3 inside it, which the CPU would
 * otherwise run as part of this instruction (the block that ends
 * there is stepped from now on).  0, or -1 without memory.
 */
static int mark_insn(struct task_struct *t, struct soft_text *st, uint32_t addr,
		     unsigned len)
{
	struct soft_page *pg = page_of(st, addr, 1);
	struct soft_patch *p;
	uint32_t a;

	if (!pg)
		return -1;
	map_set(pg->starts, addr);
	for (a = addr + 1; a < addr + len; a++) {
		pg = page_of(st, a, 1);
		if (!pg)
			return -1;
		map_set(pg->inside, a);
		p = map_test(pg->starts, a) ? soft_patch_find(t, a) : NULL;
		if (p && !p->unsafe) {
			soft_patch_disarm(t, p);
			p->unsafe = 1;
		}
	}
	return 0;
}

/* Does a scanned instruction lie over @addr without starting there? */
static int inside_insn(struct soft_text *st, uint32_t addr)
{
	struct soft_page *pg = page_of(st, addr, 0);

	return pg && map_test(pg->inside, addr);
}

int soft_text_boundary(struct task_struct *t, uint32_t addr)
{
	struct soft_text *st = t->thread.bts_soft.text;
	struct soft_page *pg = st ? page_of(st, addr, 0) : NULL;

	return pg && map_test(pg->starts, addr) && !map_test(pg->inside, addr);
}

/* Does @in end a basic block (a transfer that is not into the kernel)? */
static int ends_block(const struct insn *in)
{
	return in->cls != INSN_OTHER && in->cls != INSN_INT &&
	       in->cls != INSN_SYSENTER;
}

/* Branches the kernel performs itself (arch/x86/emulate.c). */
static int emulatable(const struct insn *in)
{
	switch (in->cls) {
	case INSN_JMP_REL:
	case INSN_JCC_REL:
	case INSN_CALL_REL:
	case INSN_RET:
	case INSN_RET_IMM:
	case INSN_JMP_IND:
	case INSN_CALL_IND:
	case INSN_LOOP:
	case INSN_JCXZ:
		return !in->opsize16 && !in->adsize16;
	default:
		return 0;
	}
}

/*
 * Add a patch at @addr for @in (the last instruction of a block).  Not
 * for int3 (the program's own, which traps anyway) or an undecodable
 * instruction (the CPU faults on it): both bring control back to the
 * kernel by themselves.
 */
static void patch_add(struct task_struct *t, struct soft_text *st,
		      uint32_t addr, const struct insn *in)
{
	struct soft_patch *p;
	uint8_t *b = text_byte(t, addr);
	unsigned i;

	if (!b || in->cls == INSN_INT3 || in->cls == INSN_INVALID ||
	    soft_patch_find(t, addr))
		return;
	for (i = hash(addr, st->cap); st->patch[i].addr;
	     i = (i + 1) & (st->cap - 1))
		;
	p = &st->patch[i];
	p->addr = addr;
	p->orig = *b;
	p->in = *in;
	p->emulate = emulatable(in);
	p->unsafe = inside_insn(st, addr);
	st->npatch++;
	soft_patch_arm(t, p);
}

/* Is the block ending at @bp to be stepped (its int3 taken out)? */
static int block_stepped(struct task_struct *t, uint32_t bp)
{
	struct soft_patch *p = soft_patch_find(t, bp);

	return p && p->unsafe;
}

uint32_t soft_block_ensure(struct task_struct *t, uint32_t eip, int *stepped)
{
	struct soft_text *st = text_of(t);
	struct soft_block *b;
	struct insn in;
	uint32_t addr = eip;
	int i, len = -1;

	*stepped = 0;
	if (!st)
		return 0;
	b = block_find(st, eip);
	if (b->start) {
		*stepped = block_stepped(t, b->bp);
		return b->bp;
	}
	/* Keep both tables at most half full: probing stays short. */
	if ((st->nblock + 1) * 2 > st->cap || (st->npatch + 1) * 2 > st->cap) {
		if (text_grow(st))
			return 0;
		b = block_find(st, eip);
	}
	for (i = 0; i < SCAN_MAX; i++) {
		len = soft_fetch(t, addr, &in);
		if (len > 0 && mark_insn(t, st, addr, len))
			return 0;
		if (len < 0 || ends_block(&in))
			break;
		addr += len;
	}
	if (len < 0)
		in.cls = INSN_INVALID;
	else if (!ends_block(&in))
		in.cls = INSN_OTHER;	/* scan limit: a place to go on from */
	patch_add(t, st, addr, &in);
	b->start = eip;
	b->bp = addr;
	st->nblock++;
	*stepped = block_stepped(t, addr);
	return addr;
}

void soft_text_release(struct task_struct *t, int restore)
{
	struct soft_text *st = t->thread.bts_soft.text;
	unsigned i;

	if (!st)
		return;
	for (i = 0; restore && i < st->cap; i++)
		if (st->patch[i].addr)
			soft_patch_disarm(t, &st->patch[i]);
	while (st->pages) {
		struct soft_page *pg = st->pages;

		st->pages = pg->next;
		kfree(pg);
	}
	kfree(st->patch);
	kfree(st->block);
	kfree(st);
	t->thread.bts_soft.text = NULL;
	t->thread.bts_soft.block = t->thread.bts_soft.bp = 0;
}
