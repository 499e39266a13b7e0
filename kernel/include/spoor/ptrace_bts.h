/*
 * PTRACE_BTS_* (Linux 2.6.29 ABI, numbers and structures in
 * spoor/ptrace_abi.h): the requests on top of the DS driver, in
 * kernel/arch/x86/ptrace_bts.c.
 */
#ifndef SPOOR_PTRACE_BTS_H
#define SPOOR_PTRACE_BTS_H

#include <stdint.h>
#include <spoor/ptrace_abi.h>

struct task_struct;

long ptrace_bts_request(struct task_struct *child, long request, uintptr_t addr,
			uintptr_t data);
void ptrace_bts_untrace(struct task_struct *child);
void ptrace_bts_init(void);

/* Bytes of BTS buffers held by all tracers, and the system-wide limit. */
struct bts_charge {
	size_t bytes, limit;
};
struct bts_charge ptrace_bts_charge(void);

#endif
