/*
 * ptrace: the kernel's side of the Linux i386 ABI (spoor/ptrace_abi.h)
 * and the hooks of Linux 2.6.29's "x86, bts: add fork and exit
 * handling".  The generic half lives in kernel/ptrace/, the x86 half
 * (registers, single step, debug registers, PTRACE_BTS_*) in
 * kernel/arch/x86/ptrace.c.
 *
 * Call chains the DS/BTS driver hangs on:
 *   fork:          ptrace_fork -> arch_ptrace_fork -> x86_ptrace_fork
 *   end of trace:  ptrace_untrace -> arch_ptrace_untrace -> x86_ptrace_untrace
 *                  (from __ptrace_unlink, and from do_exit for a tracee)
 *   detach only:   ptrace_detach -> ptrace_disable
 */
#ifndef SPOOR_PTRACE_H
#define SPOOR_PTRACE_H

#include <spoor/types.h>

#include <spoor/ptrace_abi.h>

/* The options Spoor implements; others are -EINVAL. */
#define PTRACE_O_SUPPORTED	(0x7f | PTRACE_O_EXITKILL)

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
/* After fork: report PTRACE_EVENT_FORK/VFORK if the tracer asked. */
void ptrace_event_fork(struct task_struct *child, int vfork);
/* End @child's tracing (detach, tracer exit, reap). */
void __ptrace_unlink(struct task_struct *child);
/* Give back what tracing @child holds (branch trace, breakpoints). */
void ptrace_untrace(struct task_struct *child);
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
/* access_process_vm: fix up bytes read from, or about to be written to, @t. */
void arch_ptrace_vm_read(struct task_struct *t, uintptr_t addr, void *buf,
			 size_t len);
void arch_ptrace_vm_write(struct task_struct *t, uintptr_t addr, size_t len);
void ptrace_disable(struct task_struct *child);
void user_enable_single_step(struct task_struct *child);
void user_disable_single_step(struct task_struct *child);

#endif
