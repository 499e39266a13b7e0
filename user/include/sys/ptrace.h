/*
 * sys/ptrace.h - process tracing: Linux i386 requests, options, events,
 * and the Linux 2.6.29 Branch Trace Store requests that Spoor keeps.
 */
#ifndef _SYS_PTRACE_H
#define _SYS_PTRACE_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include <spoor/ptrace_abi.h>	/* requests, options, events, BTS */

/* glibc's names for PEEKUSR/POKEUSR */
#define PTRACE_PEEKUSER		PTRACE_PEEKUSR
#define PTRACE_POKEUSER		PTRACE_POKEUSR

/* BSD-style aliases glibc also provides */
#define PT_TRACE_ME		PTRACE_TRACEME
#define PT_READ_I		PTRACE_PEEKTEXT
#define PT_READ_D		PTRACE_PEEKDATA
#define PT_READ_U		PTRACE_PEEKUSER
#define PT_WRITE_I		PTRACE_POKETEXT
#define PT_WRITE_D		PTRACE_POKEDATA
#define PT_WRITE_U		PTRACE_POKEUSER
#define PT_CONTINUE		PTRACE_CONT
#define PT_KILL			PTRACE_KILL
#define PT_STEP			PTRACE_SINGLESTEP
#define PT_ATTACH		PTRACE_ATTACH
#define PT_DETACH		PTRACE_DETACH

/* Every option Linux defines (the kernel accepts fewer). */
#define PTRACE_O_MASK		0x003000ff

/*
 * ptrace(request, pid, addr, data), glibc style: for PEEKTEXT, PEEKDATA
 * and PEEKUSER the word read is the return value (errno is set to 0 so a
 * word of -1 can be told from an error).
 */
long ptrace(int request, ...);

#endif /* _SYS_PTRACE_H */
