/*
 * trap(): the C side of every exception, interrupt and system call.
 * Kernel-mode faults first consult the exception fixup table (fault-
 * safe MSR access, user-memory copies); anything else in the kernel is
 * a bug and gets the full report.  User-mode faults become signals.
 */
#include <asm/apic.h>
#include <asm/extable.h>
#include <asm/irq.h>
#include <asm/step.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/bts_unit.h>
#include <spoor/panic.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/syscalls.h>
#include <spoor/vm.h>

static const char *const exception_names[32] = {
	[T_DIVIDE] = "divide error (#DE)",
	[T_DEBUG] = "debug (#DB)",
	[T_NMI] = "non-maskable interrupt",
	[T_BRKPT] = "breakpoint (#BP)",
	[T_OFLOW] = "overflow (#OF)",
	[T_BOUND] = "bound range (#BR)",
	[T_ILLOP] = "invalid opcode (#UD)",
	[T_DEVICE] = "device not available (#NM)",
	[T_DBLFLT] = "double fault (#DF)",
	[T_TSS] = "invalid TSS (#TS)",
	[T_SEGNP] = "segment not present (#NP)",
	[T_STACK] = "stack fault (#SS)",
	[T_GPFLT] = "general protection (#GP)",
	[T_PGFLT] = "page fault (#PF)",
	[T_FPERR] = "x87 floating point (#MF)",
	[T_ALIGN] = "alignment check (#AC)",
	[T_MCHK] = "machine check (#MC)",
	[T_SIMDERR] = "SIMD floating point (#XM)",
};

static const char *trap_name(unsigned n)
{
	if (n < 32 && exception_names[n])
		return exception_names[n];
	return "unknown exception";
}

void kernel_fault(struct trap_frame *tf)
{
	/* A fault in the kernel has no user stack: esp is where the frame ends. */
	uint32_t esp = (uint32_t)&tf->esp;

	cli();
	printk("KERNEL FAULT: %s at eip=0x%08x err=0x%04x cr2=0x%08x\n",
	       trap_name(tf->trapno), tf->eip, tf->err, read_cr2());
	printk("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx,
	       tf->ecx, tf->edx);
	printk("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi,
	       tf->ebp, trap_from_user(tf) ? tf->esp : esp);
	printk("  cs=%04x ds=%04x es=%04x eflags=%08x\n", tf->cs, tf->ds,
	       tf->es, tf->eflags);
	dump_backtrace(tf->eip, tf->ebp);
	die();
}

/* The signal each exception raises in a user program, as on Linux. */
static const struct {
	int sig, code;
} user_fault_signal[32] = {
	[T_DIVIDE] = { SIGFPE, FPE_INTDIV },
	[T_DEBUG] = { SIGTRAP, TRAP_TRACE },
	[T_NMI] = { SIGSEGV, SI_KERNEL },
	[T_BRKPT] = { SIGTRAP, SI_KERNEL },	/* as Linux's do_int3 */
	[T_OFLOW] = { SIGSEGV, SI_KERNEL },
	[T_BOUND] = { SIGSEGV, SI_KERNEL },
	[T_ILLOP] = { SIGILL, ILL_ILLOPN },
	[T_DEVICE] = { SIGFPE, SI_KERNEL },
	[T_TSS] = { SIGSEGV, SI_KERNEL },
	[T_SEGNP] = { SIGBUS, SI_KERNEL },
	[T_STACK] = { SIGBUS, SI_KERNEL },
	[T_GPFLT] = { SIGSEGV, SI_KERNEL },
	[T_PGFLT] = { SIGSEGV, SEGV_MAPERR },
	[T_ALIGN] = { SIGBUS, SI_KERNEL },
	[T_SIMDERR] = { SIGFPE, SI_KERNEL },
};

/*
 * A page fault on a user address below the stack may just be the
 * stack growing (from user mode, or from the kernel writing a signal
 * frame); anything else is the faulting code's problem.
 */
static int stack_fault(uint32_t addr)
{
	return current->mm && addr < KERNEL_BASE &&
	       !vm_grow_stack(current->mm, addr);
}

#define DR6_BREAKPOINTS	0x0000000f	/* B0-B3: which breakpoint hit */
#define DR6_BS		0x00004000	/* single step */
#define DR6_RESERVED	0xffff0ff0	/* reads as 1 */

/*
 * #DB: remember DR6 for the tracer (PEEKUSER of u_debugreg[6]), then
 * clear it, since the CPU never does.  An instruction breakpoint is a
 * fault: RF makes the instruction run once before it can fire again.
 * A #DB in the kernel comes from a user watchpoint hit by a kernel
 * access or from single-stepping into the kernel; it becomes SIGTRAP
 * for current, never a kernel fault.
 */
static void debug_exception(struct trap_frame *tf)
{
	uint32_t dr6, dr7 = current->thread.debugreg[7];
	int code, i, wanted;

	asm volatile("mov %%db6, %0" : "=r"(dr6));
	asm volatile("mov %0, %%db6" : : "r"(DR6_RESERVED));
	current->thread.debugreg[6] = dr6;
	code = (dr6 & DR6_BREAKPOINTS) ? TRAP_HWBKPT : TRAP_TRACE;
	if (!trap_from_user(tf)) {
		tf->eflags &= ~X86_EFLAGS_TF;
		if (dr6 & DR6_BREAKPOINTS)
			force_sig_fault(SIGTRAP, code, tf->eip);
		return;
	}
	for (i = 0; i < 4; i++)		/* execute breakpoints: RW = 00 */
		if ((dr6 & (1u << i)) && !((dr7 >> (16 + 4 * i)) & 3))
			tf->eflags |= X86_EFLAGS_RF;
	/* A step only the software BTS unit wanted is not the program's. */
	wanted = (dr6 & DR6_BREAKPOINTS) != 0;
	if (dr6 & DR6_BS)
		wanted |= step_trap(tf);
	if (wanted)
		force_sig_fault(SIGTRAP, code, tf->eip);
}

/*
 * #MF: the SIGFPE si_code for the x87 exceptions that are both flagged
 * and unmasked, in Linux's order of precedence; 0 when none is (a
 * spurious #MF, which Linux ignores too).  The x87 state is still the
 * program's own: fnstsw and fnstcw do not wait, so they cannot fault.
 */
static int x87_fault_code(void)
{
	uint16_t sw, cw, err;

	asm volatile("fnstsw %0; fnstcw %1" : "=m"(sw), "=m"(cw));
	err = sw & ~cw;
	if (err & X87_IE)	/* also a stack fault */
		return FPE_FLTINV;
	if (err & X87_ZE)
		return FPE_FLTDIV;
	if (err & X87_OE)
		return FPE_FLTOVF;
	if (err & (X87_DE | X87_UE))
		return FPE_FLTUND;
	if (err & X87_PE)
		return FPE_FLTRES;
	return 0;
}

static void user_exception(struct trap_frame *tf)
{
	uint32_t addr = tf->trapno == T_PGFLT ? read_cr2() : tf->eip;
	int code;

	if (tf->trapno == T_PGFLT && stack_fault(addr))
		return;
	if (tf->trapno == T_FPERR) {
		code = x87_fault_code();
		if (code)
			force_sig_fault(SIGFPE, code, addr);
		return;
	}
	/* An int3 a BTS unit put on a branch is the unit's own. */
	if (tf->trapno == T_BRKPT && ds_unit_breakpoint(tf))
		return;
	if (tf->trapno >= 32 || !user_fault_signal[tf->trapno].sig) {
		force_sig_fault(SIGSEGV, SI_KERNEL, addr);
		return;
	}
	force_sig_fault(user_fault_signal[tf->trapno].sig,
			user_fault_signal[tf->trapno].code, addr);
}

void trap(struct trap_frame *tf)
{
	if (trap_from_user(tf)) {
		step_enter_from_user(tf);
		/* Not a system call: a tracer reads orig_eax -1, as on Linux. */
		if (tf->trapno != T_SYSCALL)
			tf->orig_eax = -1;
	}
	if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + NR_IRQS)
		irq_dispatch(tf->trapno - T_IRQ0);
	else if (tf->trapno == T_SYSCALL)
		syscall_entry(tf);
	else if (tf->trapno == T_BTS)
		apic_bts_interrupt();
	else if (tf->trapno == T_DEBUG)
		debug_exception(tf);
	else if (trap_from_user(tf))
		user_exception(tf);
	else if (tf->trapno == T_PGFLT && stack_fault(read_cr2()))
		;	/* the kernel touched the user stack below its end */
	else if (!fixup_exception(tf))
		kernel_fault(tf);
	if (trap_from_user(tf))
		return_to_user(tf);
}
