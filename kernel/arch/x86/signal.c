/*
 * The x86 signal frames, laid out as Linux i386's so that a debugger,
 * glibc or a student's Linux knowledge applies: the old sigframe for
 * handlers installed without SA_SIGINFO (handler(sig), back through
 * sigreturn) and the rt_sigframe for SA_SIGINFO ones (handler(sig,
 * info, uc), back through rt_sigreturn).  Each holds the interrupted
 * registers, the mask and the x87/SSE state; both returns go through
 * one restore that trusts nothing in the frame.
 */
#include <asm/segment.h>
#include <asm/sse.h>
#include <asm/step.h>
#include <asm/tls.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/kmalloc.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include <spoor/syscall_nr.h>
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

/*
 * Linux's struct _fpstate_32: the x87 state in fnsave format, a magic
 * word saying whether the fxsave image (SSE) follows, and that image.
 */
struct fpstate {
	uint8_t fsave[FSAVE_SIZE];
	uint16_t status, magic;
	uint8_t fxsave[FXSAVE_SIZE];
};
_Static_assert(sizeof(struct fpstate) == 624, "i386 _fpstate");

#define FP_MAGIC_FXSR	0x0000		/* the fxsave image is valid */
#define FP_MAGIC_FSAVE	0xffff		/* the fnsave part alone */

/* Linux's old frame, for handlers installed without SA_SIGINFO. */
struct sigframe {
	uint32_t pretcode;
	int sig;
	struct sigcontext sc;
	struct fpstate fpstate_unused;	/* kept for the offsets below */
	uint32_t extramask;		/* the mask's upper 32 bits */
	uint8_t retcode[8];
	struct fpstate fpstate;		/* sc.fpstate points here */
};

/* Linux's rt frame, for SA_SIGINFO handlers. */
struct rt_sigframe {
	uint32_t pretcode;
	int sig;
	uint32_t pinfo, puc;
	struct k_siginfo info;
	struct ucontext uc;
	uint8_t retcode[8];
	struct fpstate fpstate;
};

/*
 * Without SA_RESTORER the handler returns into retcode, which does
 * what Linux's does: (popl %eax;) movl $NR, %eax; int $0x80.
 */
/* clang-format off */
static const uint8_t sigreturn_code[8] = {
	0x58, 0xb8, __NR_sigreturn, 0, 0, 0, 0xcd, 0x80
};
static const uint8_t rt_sigreturn_code[8] = {
	0xb8, __NR_rt_sigreturn, 0, 0, 0, 0xcd, 0x80, 0
};
/* clang-format on */

/* Save the interrupted registers and mask (low half) in @sc. */
static void save_sigcontext(struct sigcontext *sc, const struct trap_frame *tf,
			    sigset_t oldmask, uint32_t fpstate)
{
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
	sc->fpstate = fpstate;
	sc->oldmask = (uint32_t)oldmask;
}

/*
 * Save the program's x87 and SSE state in @fp; the handler starts
 * with a clean x87 (fnsave resets it).  SSE first: fnsave would not
 * disturb it, but fxsave must see the x87 as the program left it.
 */
static void save_fpstate(struct fpstate *fp)
{
	fp->magic = cpu_has_sse ? FP_MAGIC_FXSR : FP_MAGIC_FSAVE;
	sse_save(fp->fxsave);
	asm volatile("fnsave %0" : "=m"(fp->fsave));
	fp->status = *(uint16_t *)(fp->fsave + 4);	/* the status word */
}

/* Point @tf at the handler, with its stack at @sp and arguments in regs. */
static void enter_handler(struct trap_frame *tf, const struct k_sigaction *ka,
			  uint32_t sp, int sig, uint32_t edx, uint32_t ecx)
{
	tf->esp = sp;
	tf->eip = ka->handler;
	tf->eax = sig;
	tf->edx = edx;
	tf->ecx = ecx;
	tf->cs = __USER_CS;
	tf->ds = tf->es = tf->ss = __USER_DS;
	tf->eflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF);
	current->thread.user_tf = 0;	/* handlers start without TF */
}

/* The frame's address: below esp, with (esp + 4) 16-byte aligned at entry. */
static uint32_t frame_address(const struct trap_frame *tf, size_t size)
{
	return ALIGN_DOWN(tf->esp - size, 16) - 4;
}

/* The old frame: handler(sig), returning through sigreturn. */
static int setup_frame(int sig, const struct k_sigaction *ka, sigset_t oldmask,
		       struct trap_frame *tf)
{
	uint32_t sp = frame_address(tf, sizeof(struct sigframe));
	struct sigframe *f = kzalloc(sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	f->pretcode = sp + offsetof(struct sigframe, retcode);
	if (ka->flags & SA_RESTORER)
		f->pretcode = ka->restorer;
	f->sig = sig;
	save_sigcontext(&f->sc, tf, oldmask,
			sp + offsetof(struct sigframe, fpstate));
	f->extramask = (uint32_t)(oldmask >> 32);
	memcpy(f->retcode, sigreturn_code, sizeof(f->retcode));
	save_fpstate(&f->fpstate);
	err = copy_to_user((void *)sp, f, sizeof(*f)) ? -EFAULT : 0;
	kfree(f);
	if (!err)
		enter_handler(tf, ka, sp, sig, 0, 0);
	return err;
}

/* The rt frame: handler(sig, &info, &uc), returning through rt_sigreturn. */
static int setup_rt_frame(int sig, const struct k_sigaction *ka,
			  const struct k_siginfo *info, sigset_t oldmask,
			  struct trap_frame *tf)
{
	uint32_t sp = frame_address(tf, sizeof(struct rt_sigframe));
	struct rt_sigframe *f = kzalloc(sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	f->pretcode = sp + offsetof(struct rt_sigframe, retcode);
	if (ka->flags & SA_RESTORER)
		f->pretcode = ka->restorer;
	f->sig = sig;
	f->pinfo = sp + offsetof(struct rt_sigframe, info);
	f->puc = sp + offsetof(struct rt_sigframe, uc);
	f->info = *info;
	save_sigcontext(&f->uc.mcontext, tf, oldmask,
			sp + offsetof(struct rt_sigframe, fpstate));
	f->uc.sigmask = oldmask;
	memcpy(f->retcode, rt_sigreturn_code, sizeof(f->retcode));
	save_fpstate(&f->fpstate);
	err = copy_to_user((void *)sp, f, sizeof(*f)) ? -EFAULT : 0;
	if (!err)
		enter_handler(tf, ka, sp, sig, f->pinfo, f->puc);
	kfree(f);
	return err;
}

/*
 * Build the frame Linux builds for @ka's kind of handler.  0, or
 * -errno when the frame cannot be written (the caller kills).
 */
int setup_signal_frame(int sig, const struct k_sigaction *ka,
		       const struct k_siginfo *info, sigset_t oldmask,
		       struct trap_frame *tf)
{
	if (ka->flags & SA_SIGINFO)
		return setup_rt_frame(sig, ka, info, oldmask, tf);
	return setup_frame(sig, ka, oldmask, tf);
}

/*
 * The x87 and SSE state a handler hands back at @ufp (NULL: a clean
 * one, as Linux gives).  0, or -EFAULT.
 */
static int restore_fpstate(uint32_t ufp)
{
	struct fpstate *fp;
	int err = 0;

	if (!ufp) {
		asm volatile("fninit");
		return 0;
	}
	fp = kmalloc(sizeof(*fp));
	if (!fp)
		return -ENOMEM;
	if (copy_from_user(fp, (void *)ufp, sizeof(*fp))) {
		err = -EFAULT;
		goto out;
	}
	if (cpu_has_sse && fp->magic == FP_MAGIC_FXSR)
		sse_restore(fp->fxsave);
	/*
	 * frstor is a waiting instruction: an unmasked exception the
	 * handler left pending would fire here, in the kernel.  Clear it;
	 * one pending in the restored state fires in user mode, at the
	 * program's next x87 instruction, as on Linux.
	 */
	asm volatile("fnclex; frstor %0" : : "m"(fp->fsave));
out:
	kfree(fp);
	return err;
}

/* A data segment selector a signal frame may hand back (asm/tls.h). */
static int frame_selectors_ok(const struct sigcontext *sc)
{
	return (sc->cs & 0xffff) == __USER_CS &&
	       (sc->ss & 0xffff) == __USER_DS &&
	       user_segment_selector_ok(sc->ds & 0xffff) &&
	       user_segment_selector_ok(sc->es & 0xffff) &&
	       user_segment_selector_ok(sc->fs & 0xffff) &&
	       user_segment_selector_ok(sc->gs & 0xffff);
}

/*
 * The one way back from a handler, for both frames: trust nothing in
 * @sc.  Segment selectors must be user ones and only X86_EFLAGS_USER come
 * from the frame: a forged frame cannot reach ring 0, raise IOPL or
 * turn interrupts off.  Returns the eax to go back with; a bad frame
 * kills with SIGSEGV.
 */
static long restore_sigcontext(struct trap_frame *tf,
			       const struct sigcontext *sc, sigset_t mask)
{
	if (!frame_selectors_ok(sc) || restore_fpstate(sc->fpstate)) {
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
	current->sig.blocked = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	return sc->eax;
}

/*
 * sigreturn(2): the handler's ret popped pretcode and the restorer's
 * popl popped sig, so the old frame starts 8 bytes below esp.
 */
long sys_sigreturn(void)
{
	struct trap_frame *tf = task_pt_regs(current);
	struct sigframe f;

	if (copy_from_user(&f, (void *)(tf->esp - 8),
			   offsetof(struct sigframe, retcode))) {
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return tf->eax;
	}
	return restore_sigcontext(tf, &f.sc,
				  (sigset_t)f.extramask << 32 | f.sc.oldmask);
}

/* rt_sigreturn(2): the handler's ret popped pretcode: 4 bytes below esp. */
long sys_rt_sigreturn(void)
{
	struct trap_frame *tf = task_pt_regs(current);
	struct rt_sigframe f;

	if (copy_from_user(&f, (void *)(tf->esp - 4),
			   offsetof(struct rt_sigframe, retcode))) {
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return tf->eax;
	}
	return restore_sigcontext(tf, &f.uc.mcontext, f.uc.sigmask);
}
