/*
 * ptrace: Linux i386 request numbers and the hooks of the seed change
 * "x86, bts: add fork and exit handling".  The generic half lives in
 * kernel/ptrace/, the x86 half (registers, single step, debug
 * registers, PTRACE_BTS_*) in kernel/arch/x86/ptrace.c.
 *
 * Call chains the DS/BTS driver hangs on:
 *   fork:          ptrace_fork -> arch_ptrace_fork -> x86_ptrace_fork
 *   end of trace:  __ptrace_unlink -> arch_ptrace_untrace -> x86_ptrace_untrace
 *   detach only:   ptrace_detach -> ptrace_disable
 */
#ifndef SPOOR_PTRACE_H
#define SPOOR_PTRACE_H

#include <spoor/types.h>

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
#define PTRACE_SYSCALL		24
#define PTRACE_GET_THREAD_AREA	25
#define PTRACE_SET_THREAD_AREA	26
#define PTRACE_SETOPTIONS	0x4200
#define PTRACE_GETEVENTMSG	0x4201
#define PTRACE_GETSIGINFO	0x4202

#define PTRACE_O_TRACESYSGOOD	0x01
#define PTRACE_O_TRACEFORK	0x02
#define PTRACE_O_TRACEVFORK	0x04
#define PTRACE_O_TRACECLONE	0x08
#define PTRACE_O_TRACEEXEC	0x10
#define PTRACE_O_TRACEVFORKDONE	0x20
#define PTRACE_O_TRACEEXIT	0x40
#define PTRACE_O_EXITKILL	0x100000
#define PTRACE_O_MASK		(0x7f | PTRACE_O_EXITKILL)

#define PTRACE_EVENT_FORK	1
#define PTRACE_EVENT_VFORK	2
#define PTRACE_EVENT_CLONE	3
#define PTRACE_EVENT_EXEC	4
#define PTRACE_EVENT_VFORK_DONE	5
#define PTRACE_EVENT_EXIT	6

/* task->ptrace: PT_PTRACED, the options (shifted), and resume state. */
#define PT_PTRACED		0x00000001
#define PT_SYSCALL		0x00000002	/* stop at syscall entry/exit */
#define PT_FORCED_TF		0x00000004	/* we set TF for SINGLESTEP */
#define PT_OPT_SHIFT		8		/* PTRACE_O_x << PT_OPT_SHIFT */
#define PT_OPT(o)		((unsigned)(o) << PT_OPT_SHIFT)

struct task_struct;
struct trap_frame;
struct k_siginfo;

long sys_ptrace(long request, pid_t pid, uintptr_t addr, uintptr_t data);

/* fork: the child is not traced unless the tracer asked for it. */
void ptrace_fork(struct task_struct *child, struct task_struct *parent);
/* After fork: report PTRACE_EVENT_FORK/VFORK if asked; 1 if reported. */
void ptrace_event_fork(struct task_struct *child, int vfork);
/* End @child's tracing (detach, tracer exit, reap). */
void __ptrace_unlink(struct task_struct *child);
/* The tracer exits: let go of every tracee (or kill it: EXITKILL). */
void exit_ptrace(struct task_struct *tracer);

/*
 * Stop current for its tracer, reporting @code (a signal, or
 * SIGTRAP | event << 8, or SIGTRAP | 0x80).  Returns the signal the
 * tracer resumed us with (0: none).
 */
int ptrace_stop(int code, const struct k_siginfo *info);
/* PTRACE_EVENT_x stop if the tracer set the option; else nothing. */
void ptrace_event(int event, unsigned long message);
/* System call entry/exit stops (PTRACE_SYSCALL). */
void ptrace_syscall_entry(struct trap_frame *tf);
void ptrace_syscall_exit(struct trap_frame *tf);
/* A signal is about to be delivered to a traced current; see signal.c. */
int ptrace_signal(int sig, struct k_siginfo *info);

/* Copy to/from another process's memory (text too). Bytes done. */
size_t access_process_vm(struct task_struct *t, uintptr_t addr, void *buf,
			 size_t len, int write);

/* Architecture half. */
long arch_ptrace(struct task_struct *child, long request, uintptr_t addr,
		 uintptr_t data);
void arch_ptrace_fork(struct task_struct *child);
void arch_ptrace_untrace(struct task_struct *child);
void ptrace_disable(struct task_struct *child);
void user_enable_single_step(struct task_struct *child);
void user_disable_single_step(struct task_struct *child);

#endif
