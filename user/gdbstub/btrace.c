/*
 * Branch trace for GDB's `record btrace bts`.  The kernel records the
 * program's branches (PTRACE_BTS_CONFIG; whichever BTS unit the kernel
 * chose) into its buffer; at every stop the stub drains them into a
 * ring of its own, sized as GDB asked (Qbtrace-conf:bts:size, in bytes
 * of 24-byte records as on Linux).  When the kernel's buffer fills
 * between stops it signals (PTRACE_BTS_O_SIGNAL) and the stub drains
 * and resumes, so nothing is lost before the ring's own limit.
 *
 * GDB's branch-trace XML is a list of blocks, newest first, each a run
 * of sequential instructions from its begin to its end (the address of
 * the last instruction, inclusive): the newest runs from the newest
 * record's target to the current pc; each older one from a record's
 * target to the next record's source.  The oldest record's source ends
 * a block whose start is unknown: a full read drops it, a delta read
 * sends it with begin 0 and GDB joins it to the trace it has.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

#include "gdbstub.h"

#define OVERFLOW_SIGNAL	SIGPWR
#define KERNEL_BUFFER	(64 * 1024)	/* bytes, between two drains */
#define DEFAULT_SIZE	(64 * 1024)	/* GDB's default bts buffer-size */
#define RECORD_BYTES	24		/* what GDB's size counts in */
#define MAX_SIZE	(16 * 1024 * 1024)
#define BLOCK_XML_MAX	64		/* one <block .../> line */

struct branch {
	uint32_t from, to;
};

struct btrace {
	int on;
	uint32_t size;		/* bytes, as GDB configured */
	struct branch *ring;
	size_t cap;		/* records the ring holds */
	unsigned long long total;	/* records ever stored */
	unsigned long long seen;	/* total at GDB's last read */
};

static struct btrace bt_state = { .size = DEFAULT_SIZE };

static struct btrace *bt(struct target *t)
{
	if (!t->bt)
		t->bt = &bt_state;
	return t->bt;
}

const char *btrace_set_size(struct target *t, uint32_t size)
{
	if (!size || size > MAX_SIZE)
		return "E.Bad size.";
	if (bt(t)->on)
		return "E.Btrace already enabled.";
	bt(t)->size = size;
	return NULL;
}

const char *btrace_enable(struct target *t)
{
	struct btrace *b = bt(t);
	struct ptrace_bts_config cfg = {
		KERNEL_BUFFER, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC |
		PTRACE_BTS_O_SIGNAL, OVERFLOW_SIGNAL, 0
	};

	if (b->on)
		return "E.Btrace already enabled.";
	b->cap = b->size / RECORD_BYTES ? b->size / RECORD_BYTES : 1;
	b->ring = malloc(b->cap * sizeof(*b->ring));
	if (!b->ring)
		return "E.Out of memory.";
	if (ptrace(PTRACE_BTS_CONFIG, t->pid, &cfg, (void *)sizeof(cfg)) < 0) {
		free(b->ring);
		b->ring = NULL;
		return "E.Could not enable branch tracing.";
	}
	b->total = b->seen = 0;
	b->on = 1;
	return NULL;
}

const char *btrace_disable(struct target *t)
{
	struct btrace *b = bt(t);
	struct ptrace_bts_config cfg = { 0, 0, 0, 0 };

	if (!b->on)
		return "E.Branch tracing not enabled.";
	ptrace(PTRACE_BTS_CONFIG, t->pid, &cfg, (void *)sizeof(cfg));
	free(b->ring);
	b->ring = NULL;
	b->on = 0;
	return NULL;
}

int btrace_is_overflow(struct target *t, int sig)
{
	return t->bt && t->bt->on && sig == OVERFLOW_SIGNAL;
}

void btrace_drain(struct target *t)
{
	struct btrace *b = t->bt;
	struct bts_struct *recs;
	long n, i;

	if (!b || !b->on)
		return;
	n = ptrace(PTRACE_BTS_SIZE, t->pid, 0, 0);
	if (n <= 0 || !(recs = malloc(n * sizeof(*recs))))
		return;
	n = ptrace(PTRACE_BTS_DRAIN, t->pid, recs,
		   (void *)(n * sizeof(*recs)));
	for (i = 0; i < n; i++) {
		if (recs[i].qualifier != BTS_BRANCH)
			continue;
		b->ring[b->total % b->cap] = (struct branch){
			recs[i].variant.lbr.from, recs[i].variant.lbr.to
		};
		b->total++;
	}
	free(recs);
}

/* Record @k (counting from the first ever stored); must be in the ring. */
static const struct branch *rec(const struct btrace *b, unsigned long long k)
{
	return &b->ring[k % b->cap];
}

/*
 * The blocks made of records [@first, b->total) and @pc, newest first;
 * with @delta the oldest, open-ended block too.
 */
static char *blocks_xml(const struct btrace *b, unsigned long long first,
			uint32_t pc, int delta, size_t *len)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE btrace SYSTEM \"btrace.dtd\">\n"
		"<btrace version=\"1.0\">\n";
	static const char tail[] = "</btrace>\n";
	unsigned long long k, n = b->total - first;
	size_t room = sizeof(head) + sizeof(tail) + (n + 1) * BLOCK_XML_MAX;
	char *doc = malloc(room);
	uint32_t end = pc;
	size_t at;

	if (!doc)
		return NULL;
	at = snprintf(doc, room, "%s", head);
	for (k = b->total; k > first; k--) {
		at += snprintf(doc + at, room - at,
			       "<block begin=\"0x%x\" end=\"0x%x\"/>\n",
			       rec(b, k - 1)->to, end);
		end = rec(b, k - 1)->from;
	}
	if (delta)
		at += snprintf(doc + at, room - at,
			       "<block begin=\"0x0\" end=\"0x%x\"/>\n", end);
	at += snprintf(doc + at, room - at, "%s", tail);
	*len = at;
	return doc;
}

/*
 * all: what the ring holds; new: the same, or nothing if no branch
 * came since the last read; delta: the branches since the last read,
 * or an overflow error when the ring lost some of them.
 */
const char *btrace_read(struct target *t, const char *annex, char **doc,
			size_t *len)
{
	struct btrace *b = t->bt;
	unsigned long long first;
	int delta = !strcmp(annex, "delta");
	uint32_t pc;

	if (!b || !b->on)
		return "E.Btrace not enabled.";
	if (strcmp(annex, "all") && strcmp(annex, "new") && !delta)
		return "E.Bad annex.";
	if (target_get_pc(t, &pc))
		return "E.No pc.";
	first = b->total > b->cap ? b->total - b->cap : 0;
	if (delta && b->seen < first)
		return "E.Overflow.";
	if (delta)
		first = b->seen;
	else if (!strcmp(annex, "new") && b->seen == b->total)
		first = b->total;	/* unchanged: no blocks */
	*doc = blocks_xml(b, first, pc, delta, len);
	if (!*doc)
		return "E.Out of memory.";
	/* GDB now has everything up to here: the next delta starts here. */
	b->seen = b->total;
	return NULL;
}

const char *btrace_conf(struct target *t, char **doc, size_t *len)
{
	struct btrace *b = t->bt;
	size_t room = 256;

	*doc = malloc(room);
	if (!*doc)
		return "E.Out of memory.";
	*len = snprintf(*doc, room, "<?xml version=\"1.0\"?>\n"
			"<!DOCTYPE btrace-conf SYSTEM \"btrace-conf.dtd\">\n"
			"<btrace-conf version=\"1.0\">\n");
	if (b && b->on)
		*len += snprintf(*doc + *len, room - *len,
				 "<bts size=\"0x%x\"/>\n", b->size);
	*len += snprintf(*doc + *len, room - *len, "</btrace-conf>\n");
	return NULL;
}
