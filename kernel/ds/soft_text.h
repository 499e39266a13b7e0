/*
 * The software BTS unit's view of a traced program's code: the int3s it
 * put on branches (with the bytes they replaced and the branch they
 * hide, decoded once), and the basic blocks it has scanned.  Private
 * to kernel/ds/bts_soft.c and kernel/ds/soft_text.c.
 */
#ifndef DS_SOFT_TEXT_H
#define DS_SOFT_TEXT_H

#include <asm/decode.h>
#include <stdint.h>

struct task_struct;

struct soft_patch {
	uint32_t addr;		/* 0: free slot */
	uint8_t orig;		/* the byte the int3 replaced */
	uint8_t emulate;	/* a branch the kernel can perform */
	uint8_t unsafe;		/* lies inside an instruction the program
				 * runs: never armed (its block is stepped) */
	struct insn in;		/* decoded from the original bytes */
};

struct soft_block {
	uint32_t start;		/* 0: free slot */
	uint32_t bp;		/* its last instruction (patched, or not) */
};

/*
 * Which bytes of a page of text begin an instruction some scanned
 * block runs, and which lie inside one (one bit each).  An int3 goes
 * only where no scanned instruction has the byte inside it.
 */
struct soft_page {
	uint32_t base;		/* page address */
	struct soft_page *next;
	uint8_t starts[4096 / 8];
	uint8_t inside[4096 / 8];
};

struct soft_text {
	struct soft_patch *patch;
	struct soft_block *block;
	struct soft_page *pages;	/* most recently used first */
	unsigned cap;		/* slots in each table (a power of two) */
	unsigned npatch, nblock;
};

/* The patch at @addr in @t's text, or NULL. */
struct soft_patch *soft_patch_find(struct task_struct *t, uint32_t addr);
/*
 * The block starting at @eip: its last instruction (the first control
 * transfer, or where scanning stopped) and, if that is patchable, an
 * int3 on it.  Returns the block's end, or 0 when the tables are full
 * (the caller falls back to single steps).  *@stepped is set when the
 * end cannot carry an int3 because it lies inside another instruction
 * the program runs: the caller must single-step the block.
 */
uint32_t soft_block_ensure(struct task_struct *t, uint32_t eip, int *stepped);
/* Does a scanned instruction begin at @addr, and none contain it? */
int soft_text_boundary(struct task_struct *t, uint32_t addr);
/* Put back / take out the int3 of @p in @t's memory. */
void soft_patch_arm(struct task_struct *t, struct soft_patch *p);
void soft_patch_disarm(struct task_struct *t, struct soft_patch *p);
/* Every int3 out, the tables freed (tracing ended; or @t's text gone). */
void soft_text_release(struct task_struct *t, int restore);
/* In @buf, read from @t at @addr: the original bytes where int3s are. */
void soft_hide_patches(struct task_struct *t, uint32_t addr, uint8_t *buf,
		       size_t len);
/* Decode the instruction at @addr as the program wrote it. */
int soft_fetch(struct task_struct *t, uint32_t addr, struct insn *in);

#endif
