/*
 * Single-step ownership (see thread_struct): who wants EFLAGS.TF, what
 * the program may see of it, and what a single-step trap means.
 */
#ifndef ASM_STEP_H
#define ASM_STEP_H

#include <stdint.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>

struct trap_frame;
struct task_struct;

/*
 * On every entry from user mode: learn the program's own TF; and, last
 * thing before iret to user mode, set TF for whoever wants it.  Both
 * are inline for the common case (nobody but the program owns TF),
 * which every system call takes.
 */
void step_exit_slow(struct trap_frame *tf);

/* Does the kernel want TF (the software BTS unit, a tracer's step)? */
static inline int step_kernel_owned(const struct task_struct *t)
{
	return bts_soft_steps(&t->thread.bts_soft) ||
	       (t->ptrace & PT_FORCED_TF);
}

static inline void step_enter_from_user(struct trap_frame *tf)
{
	/* Nobody else set TF: whatever is there is the program's. */
	if (!step_kernel_owned(current))
		current->thread.user_tf = !!(tf->eflags & X86_EFLAGS_TF);
}

static inline void step_exit_to_user(struct trap_frame *tf)
{
	if (current->thread.user_tf ||
	    current->thread.bts_soft.mode != BTS_SOFT_OFF ||
	    step_kernel_owned(current))
		step_exit_slow(tf);
	else
		tf->eflags &= ~X86_EFLAGS_TF;
}
/* EFLAGS as the program (and its tracer) may see them. */
uint32_t step_visible_eflags(struct task_struct *t, uint32_t eflags);
/* The program (via sigreturn) or its tracer wrote EFLAGS. */
void step_set_user_eflags(struct task_struct *t, uint32_t eflags);
/*
 * A single-step #DB from user mode: let the software BTS unit see the
 * instruction that ran, hide its TF from a pushf, follow a popf.
 * Returns 1 if the program or its tracer wanted this step (SIGTRAP).
 */
int step_trap(struct trap_frame *tf);

/* Load @t's debug registers now if it is running (process.c). */
void debugregs_sync(struct task_struct *t);

#endif
