/*
 * The ptrace ABI of Linux i386, shared by the kernel (spoor/ptrace.h,
 * spoor/ptrace_bts.h) and the user library (<sys/ptrace.h>): request
 * numbers, options, stop events, and the Linux 2.6.29 Branch Trace
 * Store requests with their two structures.  Values only: what each
 * side builds on them lives in its own header.
 */
#ifndef SPOOR_PTRACE_ABI_H
#define SPOOR_PTRACE_ABI_H

#include <stdint.h>

#define PTRACE_TRACEME		0
#define PTRACE_PEEKTEXT		1
#define PTRACE_PEEKDATA		2
#define PTRACE_PEEKUSR		3
#define PTRACE_POKETEXT		4
#define PTRACE_POKEDATA		5
#define PTRACE_POKEUSR		6
#define PTRACE_CONT		7
#define PTRACE_KILL		8
#define PTRACE_SINGLESTEP	9
#define PTRACE_GETREGS		12
#define PTRACE_SETREGS		13
#define PTRACE_GETFPREGS	14
#define PTRACE_SETFPREGS	15
#define PTRACE_ATTACH		16
#define PTRACE_DETACH		17
#define PTRACE_GETFPXREGS	18
#define PTRACE_SETFPXREGS	19
#define PTRACE_SYSCALL		24
#define PTRACE_GET_THREAD_AREA	25
#define PTRACE_SET_THREAD_AREA	26
#define PTRACE_SYSEMU		31
#define PTRACE_SYSEMU_SINGLESTEP 32
#define PTRACE_SINGLEBLOCK	33
#define PTRACE_SETOPTIONS	0x4200
#define PTRACE_GETEVENTMSG	0x4201
#define PTRACE_GETSIGINFO	0x4202
#define PTRACE_SETSIGINFO	0x4203
#define PTRACE_SEIZE		0x4206
#define PTRACE_INTERRUPT	0x4207
#define PTRACE_LISTEN		0x4208

/* PTRACE_SETOPTIONS */
#define PTRACE_O_TRACESYSGOOD	0x00000001
#define PTRACE_O_TRACEFORK	0x00000002
#define PTRACE_O_TRACEVFORK	0x00000004
#define PTRACE_O_TRACECLONE	0x00000008
#define PTRACE_O_TRACEEXEC	0x00000010
#define PTRACE_O_TRACEVFORKDONE	0x00000020
#define PTRACE_O_TRACEEXIT	0x00000040
#define PTRACE_O_TRACESECCOMP	0x00000080
#define PTRACE_O_EXITKILL	0x00100000
#define PTRACE_O_SUSPEND_SECCOMP 0x00200000

/* Stop events: the wait status is (SIGTRAP | event << 8) << 8 | 0x7f. */
#define PTRACE_EVENT_FORK	1
#define PTRACE_EVENT_VFORK	2
#define PTRACE_EVENT_CLONE	3
#define PTRACE_EVENT_EXEC	4
#define PTRACE_EVENT_VFORK_DONE	5
#define PTRACE_EVENT_EXIT	6
#define PTRACE_EVENT_SECCOMP	7
#define PTRACE_EVENT_STOP	128

/* Branch Trace Store (Linux 2.6.29) */
#define PTRACE_BTS_CONFIG	40
#define PTRACE_BTS_STATUS	41
#define PTRACE_BTS_SIZE		42
#define PTRACE_BTS_GET		43
#define PTRACE_BTS_CLEAR	44
#define PTRACE_BTS_DRAIN	45

/* ptrace_bts_config.flags */
#define PTRACE_BTS_O_TRACE	0x1	/* record branches */
#define PTRACE_BTS_O_SCHED	0x2	/* record task arrivals/departures */
#define PTRACE_BTS_O_SIGNAL	0x4	/* signal on overflow, do not wrap */
#define PTRACE_BTS_O_ALLOC	0x8	/* (re)allocate a .size byte buffer */
/*
 * Spoor's extension (not in Linux): record by the exact method.  Only
 * the software unit has a choice: its single-step mode instead of int3
 * patches, for a program that reads its own text (where it could see
 * a patch).  Slower; harmless on the hardware unit, which is exact.
 */
#define PTRACE_BTS_O_EXACT	0x10

/* PTRACE_BTS_CONFIG (addr; data = its size), PTRACE_BTS_STATUS (addr) */
struct ptrace_bts_config {
	uint32_t size;		/* buffer size in bytes */
	uint32_t flags;		/* PTRACE_BTS_O_* */
	uint32_t signal;	/* overflow signal with PTRACE_BTS_O_SIGNAL */
	uint32_t bts_size;	/* STATUS: sizeof(struct bts_struct) */
};

/* bts_struct.qualifier */
#define BTS_INVALID		0
#define BTS_BRANCH		1
#define BTS_TASK_ARRIVES	2
#define BTS_TASK_DEPARTS	3

/* One record of PTRACE_BTS_GET / PTRACE_BTS_DRAIN: 24 bytes. */
struct bts_struct {
	uint64_t qualifier;
	union {
		struct {
			uint64_t from;
			uint64_t to;
		} lbr;			/* BTS_BRANCH */
		struct {
			uint64_t jiffies;
			int32_t pid;
		} timestamp;		/* BTS_TASK_ARRIVES, BTS_TASK_DEPARTS */
	} variant;
};

_Static_assert(sizeof(struct ptrace_bts_config) == 16, "bts config ABI");
_Static_assert(sizeof(struct bts_struct) == 24, "bts record ABI");

#endif
