/*
 * The x86 signal frame, laid out as Linux i386's rt_sigframe so that a
 * debugger or a student's Linux knowledge applies: return address
 * (the restorer), signal number, pointers to siginfo and ucontext, the
 * siginfo, the ucontext holding the interrupted registers and mask,
 * and the x87 state.  rt_sigreturn undoes it, trusting nothing in it.
 */
#include <asm/segment.h>
#include <asm/step.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include <spoor/wait.h>

struct sigcontext {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss;
	uint32_t fpstate, oldmask, cr2;
};

struct ucontext {
	uint32_t uc_flags, uc_link;
	uint32_t ss_sp, ss_flags, ss_size;	/* stack_t: no altstack */
	struct sigcontext mcontext;
	sigset_t sigmask;
};

struct rt_sigframe {
	uint32_t pretcode;
	int sig;
	uint32_t pinfo, puc;
	struct k_siginfo info;
	struct ucontext uc;
	uint8_t fpu[FSAVE_SIZE];
};

int setup_rt_frame(int sig, const struct k_sigaction *ka,
		   const struct k_siginfo *info, sigset_t oldmask,
		   struct trap_frame *tf)
{
	/* The ABI wants (esp + 4) 16-byte aligned at a function's entry. */
	uint32_t sp = ALIGN_DOWN(tf->esp - sizeof(struct rt_sigframe), 16) - 4;
	struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.mcontext;

	if (!(ka->flags & SA_RESTORER))	/* no way back from the handler */
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.sig = sig;
	f.pinfo = sp + offsetof(struct rt_sigframe, info);
	f.puc = sp + offsetof(struct rt_sigframe, uc);
	f.info = *info;
	sc->gs = tf->gs;
	sc->fs = tf->fs;
	sc->es = tf->es;
	sc->ds = tf->ds;
	sc->edi = tf->edi;
	sc->esi = tf->esi;
	sc->ebp = tf->ebp;
	sc->esp = tf->esp;
	sc->ebx = tf->ebx;
	sc->edx = tf->edx;
	sc->ecx = tf->ecx;
	sc->eax = tf->eax;
	sc->trapno = tf->trapno;
	sc->err = tf->err;
	sc->eip = tf->eip;
	sc->cs = tf->cs;
	sc->eflags = step_visible_eflags(current, tf->eflags);
	sc->esp_at_signal = tf->esp;
	sc->ss = tf->ss;
	sc->fpstate = sp + offsetof(struct rt_sigframe, fpu);
	sc->oldmask = (uint32_t)oldmask;
	f.uc.sigmask = oldmask;
	/* Save the program's x87 state; the handler starts with a clean one. */
	asm volatile("fnsave %0" : "=m"(f.fpu));
	if (copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;
	tf->esp = sp;
	tf->eip = ka->handler;
	tf->eax = sig;
	tf->edx = f.pinfo;
	tf->ecx = f.puc;
	tf->cs = __USER_CS;
	tf->ds = tf->es = tf->ss = __USER_DS;
	tf->eflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF);
	current->thread.user_tf = 0;	/* handlers start without TF */
	return 0;
}

static int user_data_selector(uint32_t sel)
{
	return (sel & 0xffff) == 0 || (sel & 0xffff) == __USER_DS;
}

/*
 * rt_sigreturn(2): the handler's `ret` popped pretcode, so the frame
 * starts 4 bytes below esp.  Segment selectors must be the user ones
 * and only X86_EFLAGS_USER come from the frame: a forged frame cannot
 * reach ring 0, raise IOPL or turn interrupts off.
 */
long sys_rt_sigreturn(void)
{
	struct trap_frame *tf = task_pt_regs(current);
	struct rt_sigframe f;
	const struct sigcontext *sc = &f.uc.mcontext;

	if (copy_from_user(&f, (void *)(tf->esp - 4), sizeof(f)) ||
	    (sc->cs & 0xffff) != __USER_CS || (sc->ss & 0xffff) != __USER_DS ||
	    !user_data_selector(sc->ds) || !user_data_selector(sc->es) ||
	    !user_data_selector(sc->fs) || !user_data_selector(sc->gs)) {
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return tf->eax;
	}
	tf->gs = sc->gs & 0xffff;
	tf->fs = sc->fs & 0xffff;
	tf->es = sc->es & 0xffff;
	tf->ds = sc->ds & 0xffff;
	tf->edi = sc->edi;
	tf->esi = sc->esi;
	tf->ebp = sc->ebp;
	tf->esp = sc->esp;
	tf->ebx = sc->ebx;
	tf->edx = sc->edx;
	tf->ecx = sc->ecx;
	tf->eip = sc->eip;
	tf->cs = __USER_CS;
	tf->ss = __USER_DS;
	tf->eflags = (tf->eflags & ~X86_EFLAGS_USER) |
		     (sc->eflags & X86_EFLAGS_USER);
	step_set_user_eflags(current, tf->eflags);
	tf->orig_eax = -1;		/* not a system call: never restart */
	current->sig.blocked = f.uc.sigmask &
			       ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	/*
	 * frstor is a waiting instruction: an unmasked exception the
	 * handler left pending would fire here, in the kernel.  Clear it;
	 * one pending in the restored state fires in user mode, at the
	 * program's next x87 instruction, as on Linux.
	 */
	asm volatile("fnclex; frstor %0" : : "m"(f.fpu));
	return sc->eax;
}
