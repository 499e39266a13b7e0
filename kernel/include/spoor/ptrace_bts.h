/* PTRACE_BTS_* requests and structures (Linux 2.6.29 ABI). */
#ifndef SPOOR_PTRACE_BTS_H
#define SPOOR_PTRACE_BTS_H

#include <stdint.h>

#define PTRACE_BTS_CONFIG	40
#define PTRACE_BTS_STATUS	41
#define PTRACE_BTS_SIZE		42
#define PTRACE_BTS_GET		43
#define PTRACE_BTS_CLEAR	44
#define PTRACE_BTS_DRAIN	45

#define PTRACE_BTS_O_TRACE	0x1	/* record branches */
#define PTRACE_BTS_O_SCHED	0x2	/* task arrives/departs records */
#define PTRACE_BTS_O_SIGNAL	0x4	/* signal on overflow, no wrap */
#define PTRACE_BTS_O_ALLOC	0x8	/* (re)allocate the buffer */

struct ptrace_bts_config {
	uint32_t size;		/* buffer bytes */
	uint32_t flags;
	uint32_t signal;	/* with O_SIGNAL */
	uint32_t bts_size;	/* STATUS: sizeof(struct bts_struct) */
};

struct task_struct;

long ptrace_bts_request(struct task_struct *child, long request,
			uintptr_t addr, uintptr_t data);
void ptrace_bts_untrace(struct task_struct *child);
void ptrace_bts_init(void);

/* Bytes of BTS buffers held by all tracers, and the system-wide limit. */
struct bts_charge {
	size_t bytes, limit;
};
struct bts_charge ptrace_bts_charge(void);

#endif
