/*
 * The x86 half of ptrace: the i386 register file as user_regs_struct
 * and struct user (PEEKUSER/POKEUSER, GETREGS/SETREGS), the x87 state,
 * the debug registers, single step, and the fork/untrace hooks of
 * Linux 2.6.29's "x86, bts: add fork and exit handling".  Everything a tracer writes is filtered as Linux does:
 * it can never give the tracee ring 0 selectors, IOPL, or a breakpoint
 * on a kernel address.
 */
#include <asm/segment.h>
#include <asm/step.h>
#include <asm/tls.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/bts_unit.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/ptrace.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

#define NREGS			17	/* struct user_regs_struct */
#define USER_DEBUGREG_OFF	252	/* offsetof(struct user, u_debugreg) */
#define USER_SIZE		284	/* sizeof(struct user) */
#define REG_EFLAGS		14
#define TASK_SIZE		KERNEL_BASE

enum reg_kind { REG_GENERAL, REG_DATA_SEG, REG_CS, REG_SS, REG_FLAGS };

/* user_regs_struct order: where each lives in the trap frame. */
static const struct {
	size_t off;
	enum reg_kind kind;
} regs_layout[NREGS] = {
	{ offsetof(struct trap_frame, ebx), REG_GENERAL },
	{ offsetof(struct trap_frame, ecx), REG_GENERAL },
	{ offsetof(struct trap_frame, edx), REG_GENERAL },
	{ offsetof(struct trap_frame, esi), REG_GENERAL },
	{ offsetof(struct trap_frame, edi), REG_GENERAL },
	{ offsetof(struct trap_frame, ebp), REG_GENERAL },
	{ offsetof(struct trap_frame, eax), REG_GENERAL },
	{ offsetof(struct trap_frame, ds), REG_DATA_SEG },
	{ offsetof(struct trap_frame, es), REG_DATA_SEG },
	{ offsetof(struct trap_frame, fs), REG_DATA_SEG },
	{ offsetof(struct trap_frame, gs), REG_DATA_SEG },
	{ offsetof(struct trap_frame, orig_eax), REG_GENERAL },
	{ offsetof(struct trap_frame, eip), REG_GENERAL },
	{ offsetof(struct trap_frame, cs), REG_CS },
	{ offsetof(struct trap_frame, eflags), REG_FLAGS },
	{ offsetof(struct trap_frame, esp), REG_GENERAL },
	{ offsetof(struct trap_frame, ss), REG_SS },
};

static uint32_t *reg_slot(struct task_struct *child, int i)
{
	return (uint32_t *)((char *)task_pt_regs(child) + regs_layout[i].off);
}

static uint32_t get_reg(struct task_struct *child, int i)
{
	uint32_t v = *reg_slot(child, i);

	if (regs_layout[i].kind == REG_FLAGS)	/* the program's TF only */
		v = step_visible_eflags(child, v);
	if (regs_layout[i].kind != REG_GENERAL &&
	    regs_layout[i].kind != REG_FLAGS)
		v &= 0xffff;
	return v;
}

/* Would writing @v to register @i be allowed?  0 or -EIO. */
static int check_reg(int i, uint32_t v)
{
	switch (regs_layout[i].kind) {
	case REG_DATA_SEG:		/* Linux's rule: null or RPL 3 */
		return user_segment_selector_ok(v & 0xffff) ? 0 : -EIO;
	case REG_CS:
		return v == __USER_CS ? 0 : -EIO;
	case REG_SS:
		return v == __USER_DS ? 0 : -EIO;
	default:
		return 0;
	}
}

static void set_reg(struct task_struct *child, int i, uint32_t v)
{
	uint32_t *slot = reg_slot(child, i);

	if (regs_layout[i].kind == REG_FLAGS) {
		v = (*slot & ~X86_EFLAGS_USER) | (v & X86_EFLAGS_USER);
		step_set_user_eflags(child, v);	/* TF: now the program's */
	}
	if (regs_layout[i].kind == REG_DATA_SEG)	/* 16 bits, as Linux */
		v &= 0xffff;
	*slot = v;
}

/* A debug register value a user task may hold; 0 or -errno. */
static int check_debugreg(struct task_struct *child, int n, uint32_t v)
{
	int i;

	if (n == 4 || n == 5)
		return -EIO;
	if (n < 4)
		return v < TASK_SIZE - 3 ? 0 : -EINVAL;
	if (n != 7)
		return 0;
	if (v & ~0xffff00ffu)		/* GD, LE/GE and reserved bits */
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		unsigned rw = (v >> (16 + 4 * i)) & 3,
			 len = (v >> (18 + 4 * i)) & 3;
		uint32_t addr = child->thread.debugreg[i];
		/* LEN 00, 01, 11: 1, 2, 4 bytes; 10 (8 bytes) is 64-bit only. */
		static const unsigned bytes[4] = { 1, 2, 0, 4 };

		if (!(v & (3u << (2 * i))))
			continue;
		if (rw == 2 || (rw == 0 && len != 0))	/* I/O, or bad exec */
			return -EINVAL;
		if (!bytes[len] || (addr & (bytes[len] - 1)))	/* misaligned */
			return -EINVAL;
		if (addr >= TASK_SIZE - 3)
			return -EINVAL;
	}
	return 0;
}

static long peek_user(struct task_struct *child, uintptr_t off, uintptr_t data)
{
	uint32_t v = 0;

	if ((off & 3) || off >= USER_SIZE)
		return -EIO;
	if (off < NREGS * 4)
		v = get_reg(child, off / 4);
	else if (off >= USER_DEBUGREG_OFF)
		v = child->thread.debugreg[(off - USER_DEBUGREG_OFF) / 4];
	return copy_to_user((void *)data, &v, 4) ? -EFAULT : 0;
}

static long poke_user(struct task_struct *child, uintptr_t off, uint32_t v)
{
	int err, n;

	if ((off & 3) || off >= USER_SIZE)
		return -EIO;
	if (off < NREGS * 4) {
		err = check_reg(off / 4, v);
		if (!err)
			set_reg(child, off / 4, v);
		return err;
	}
	if (off < USER_DEBUGREG_OFF)	/* the rest of struct user: read-only */
		return -EIO;
	n = (off - USER_DEBUGREG_OFF) / 4;
	err = check_debugreg(child, n, v);
	if (!err)
		child->thread.debugreg[n] = v;
	return err;
}

static long get_regs(struct task_struct *child, uintptr_t data)
{
	uint32_t r[NREGS];
	int i;

	for (i = 0; i < NREGS; i++)
		r[i] = get_reg(child, i);
	return copy_to_user((void *)data, r, sizeof(r)) ? -EFAULT : 0;
}

/* All registers are checked before any is written: all or nothing. */
static long set_regs(struct task_struct *child, uintptr_t data)
{
	uint32_t r[NREGS];
	int i;

	if (copy_from_user(r, (void *)data, sizeof(r)))
		return -EFAULT;
	for (i = 0; i < NREGS; i++)
		if (check_reg(i, r[i]))
			return -EIO;
	for (i = 0; i < NREGS; i++)
		set_reg(child, i, r[i]);
	return 0;
}

long arch_ptrace(struct task_struct *child, long request, uintptr_t addr,
		 uintptr_t data)
{
	switch (request) {
	case PTRACE_PEEKUSR:
		return peek_user(child, addr, data);
	case PTRACE_POKEUSR:
		return poke_user(child, addr, data);
	case PTRACE_GETREGS:
		return get_regs(child, data);
	case PTRACE_SETREGS:
		return set_regs(child, data);
	case PTRACE_GETFPREGS:	/* the fnsave image is user_i387_struct */
		return copy_to_user((void *)data, child->thread.fpu,
				    FSAVE_SIZE) ?
			       -EFAULT :
			       0;
	case PTRACE_SETFPREGS:
		return copy_from_user(child->thread.fpu, (void *)data,
				      FSAVE_SIZE) ?
			       -EFAULT :
			       0;
	case PTRACE_GET_THREAD_AREA:	/* addr: the GDT entry number */
		return do_get_thread_area(child, addr, (void *)data);
	case PTRACE_SET_THREAD_AREA:	/* no allocation for a tracer */
		return do_set_thread_area(child, addr, (void *)data, 0);
	case PTRACE_BTS_CONFIG ... PTRACE_BTS_DRAIN:
		return ptrace_bts_request(child, request, addr, data);
	default:
		return -EIO;
	}
}

/* TF itself is set on the way out to user mode (asm/step.h). */
void user_enable_single_step(struct task_struct *child)
{
	child->ptrace |= PT_FORCED_TF;
}

void user_disable_single_step(struct task_struct *child)
{
	child->ptrace &= ~PT_FORCED_TF;
}

/* Voluntary detach only: drop what only a live tracer wants. */
void ptrace_disable(struct task_struct *child)
{
	user_disable_single_step(child);
	child->ptrace &= ~PT_SYSCALL;
}

/*
 * Fork hook: the child starts with none of the parent's tracing state.
 * Its thread_struct was copied whole from the parent (as Linux's
 * dup_task_struct does), so every field that names a tracer's resource
 * must be cleared here, or the child would share the parent's DS area
 * and branch buffer, and both would free them.
 */
static void x86_ptrace_fork(struct task_struct *child)
{
	/* LAB(fork-hook) BEGIN clear: stub = the child keeps it all */
	child->bts = NULL;
	child->bts_buffer = NULL;
	child->bts_size = 0;
	child->thread.bts_ovfl_signal = 0;
	child->thread.debugctlmsr = 0;
	child->thread.ds_ctx = NULL;
	memset(child->thread.debugreg, 0, sizeof(child->thread.debugreg));
	ds_unit_fork(child, current);
	/* LAB(fork-hook) END */
}

void arch_ptrace_fork(struct task_struct *child)
{
	x86_ptrace_fork(child);
}

/*
 * Every end of tracing (ptrace_untrace): detach, the tracer's exit,
 * the tracee's exit and its reap.
 * The branch trace stops and its memory goes back now, not when the
 * tracee dies.  Breakpoints belong to the tracer too: they go with it.
 */
static void x86_ptrace_untrace(struct task_struct *child)
{
	/* LAB(untrace) BEGIN hook: stub = nothing is given back */
	ptrace_bts_untrace(child);
	user_disable_single_step(child);
	memset(child->thread.debugreg, 0, sizeof(child->thread.debugreg));
	/* LAB(untrace) END */
}

void arch_ptrace_untrace(struct task_struct *child)
{
	x86_ptrace_untrace(child);
}

/*
 * access_process_vm's hooks: a BTS unit that patches the tracee's text
 * shows a tracer the original bytes, and takes its patches out of the
 * way of a tracer's write.
 */
void arch_ptrace_vm_read(struct task_struct *t, uintptr_t addr, void *buf,
			 size_t len)
{
	ds_unit_peek(t, addr, buf, len);
}

void arch_ptrace_vm_write(struct task_struct *t, uintptr_t addr, size_t len)
{
	ds_unit_poke(t, addr, len);
}
