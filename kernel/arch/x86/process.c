/*
 * The x86 side of tasks: building a forked child's kernel stack, the
 * per-switch hook (kernel stack in the TSS, TLS descriptors, page
 * directory, x87 state, debug registers) and the register state exec starts a program with.
 */
#include <asm/paging.h>
#include <asm/segment.h>
#include <asm/sse.h>
#include <asm/step.h>
#include <asm/tls.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/bts_unit.h>
#include <spoor/ds.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

void switch_stacks(uint32_t *save_esp, uint32_t load_esp);
void ret_from_fork(void);
void ret_from_kernel_thread(void);

/* The frame switch_stacks pops: edi, esi, ebx, ebp, return address. */
struct switch_frame {
	uint32_t edi, esi, ebx, ebp;
	uint32_t eip;
};

void switch_to(struct task_struct *prev, struct task_struct *next)
{
	switch_stacks(&prev->thread.esp, next->thread.esp);
}

/* Runs first in a new task, still with interrupts off from schedule(). */
void schedule_tail(void)
{
	finish_switch();
	sti();
}

/*
 * Give @child a kernel stack holding a copy of @parent's user registers
 * (with eax = 0: fork returns 0 in the child) and a switch frame that
 * returns into ret_from_fork.
 */
int copy_thread(struct task_struct *child, struct task_struct *parent)
{
	struct trap_frame *regs = task_pt_regs(child);
	struct switch_frame *sf = (struct switch_frame *)regs - 1;

	*regs = *task_pt_regs(parent);
	sse_save(child->thread.sse);	/* the parent's live XMM registers */
	regs->eax = 0;
	regs->eflags = step_visible_eflags(parent, regs->eflags);
	memset(sf, 0, sizeof(*sf));
	sf->eip = (uint32_t)ret_from_fork;
	child->thread.esp = (uint32_t)sf;
	return 0;
}

/*
 * Make @t start by running @fn in the kernel, then enter user mode
 * through its trap frame (which @fn fills, e.g. by exec).
 */
void kernel_thread_frame(struct task_struct *t, void (*fn)(void))
{
	struct trap_frame *regs = task_pt_regs(t);
	struct switch_frame *sf = (struct switch_frame *)regs - 1;

	memset(regs, 0, sizeof(*regs));
	memset(sf, 0, sizeof(*sf));
	sf->ebx = (uint32_t)fn;
	sf->eip = (uint32_t)ret_from_kernel_thread;
	t->thread.esp = (uint32_t)sf;
	asm volatile("fninit; fnsave %0" : "=m"(t->thread.fpu));
	sse_init_state(t->thread.sse);
}

static uint32_t loaded_dr7;	/* DR7 as the CPU has it now */

/* Load the debug registers a tracer gave @t (thread.debugreg). */
static void load_debugregs(const struct thread_struct *t)
{
	const uint32_t *dr = t->debugreg;

	asm volatile("mov %0, %%db0" : : "r"(dr[0]));
	asm volatile("mov %0, %%db1" : : "r"(dr[1]));
	asm volatile("mov %0, %%db2" : : "r"(dr[2]));
	asm volatile("mov %0, %%db3" : : "r"(dr[3]));
	asm volatile("mov %0, %%db7" : : "r"(dr[7]));
	loaded_dr7 = dr[7];
}

void debugregs_sync(struct task_struct *t)
{
	if (t == current && (t->thread.debugreg[7] || loaded_dr7))
		load_debugregs(&t->thread);
}

/*
 * Called by schedule() on every switch, before the stacks change.
 * The x87 registers are saved and restored on every switch: fnsave is
 * one instruction, cheaper than tracking who used the FPU.
 */
void arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	/* fnsave also resets the x87, so frstor (a waiting instruction)
	 * cannot fault on an exception prev left pending. */
	sse_save(prev->thread.sse);	/* before fnsave resets the x87 */
	asm volatile("fnsave %0" : "=m"(prev->thread.fpu));
	sse_restore(next->thread.sse);	/* the x87 part is frstor's */
	asm volatile("frstor %0" : : "m"(next->thread.fpu));
	tss_set_kernel_stack((uint32_t)next->kstack + KSTACK_SIZE);
	/* next's %fs and %gs reload from these on its way to user mode. */
	gdt_load_tls(next->thread.tls_array);
	if (next->mm && next->mm != prev->mm)
		mm_activate(next->mm);
	/* DR7 = 0 disables every breakpoint: only tasks that set one pay. */
	if (next->thread.debugreg[7] || loaded_dr7)
		load_debugregs(&next->thread);
	ds_switch_to(prev, next);
}

/* Reset the registers of the current task to start a program at @eip. */
void start_thread(struct trap_frame *regs, uint32_t eip, uint32_t esp)
{
	uint32_t orig_eax = regs->orig_eax, trapno = regs->trapno;

	/* A tracer at the exec stop still sees which call this was. */
	memset(regs, 0, sizeof(*regs));
	regs->orig_eax = orig_eax;
	regs->trapno = trapno;
	regs->cs = __USER_CS;
	regs->ds = regs->es = regs->ss = __USER_DS;
	regs->eip = eip;
	regs->esp = esp;
	regs->eflags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	current->thread.user_tf = 0;
	asm volatile("fninit; fnsave %0" : "=m"(current->thread.fpu));
	sse_init_state(current->thread.sse);
	sse_restore(current->thread.sse);	/* live: we are current */
	tls_flush(current);	/* %gs is null: no thread pointer yet */
	if (current->thread.debugreg[7]) {	/* breakpoints die with exec */
		memset(current->thread.debugreg, 0,
		       sizeof(current->thread.debugreg));
		debugregs_sync(current);
	}
	ds_unit_exec(current);	/* the old image went, patched or not */
}
