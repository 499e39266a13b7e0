/*
 * x87: an unmasked x87 exception is reported at the next waiting x87
 * instruction as SIGFPE, with an si_code that says which exception
 * (Linux's #MF handling, which needs CR0.NE); a masked one only sets a
 * flag.  A handler that leaves an unmasked exception pending and
 * returns does not hurt the kernel's sigreturn: the program goes on
 * with its own x87 state.
 */
#include "conf.h"

#define X87_IM	0x01	/* control word: invalid operation masked */
#define X87_ZM	0x04	/* zero divide masked */
#define X87_ZE	0x04	/* status word: zero divide flagged */

static void x87_unmask(unsigned short bits)
{
	unsigned short cw;

	asm volatile("fnstcw %0" : "=m"(cw));
	cw &= ~bits;
	asm volatile("fldcw %0" : : "m"(cw));
}

/* 1 / 0, left on the x87 stack; nothing waits for the result. */
static void x87_divide_by_zero(void)
{
	asm volatile("fldz; fld1; fdiv %%st(1), %%st" : : : "memory");
}

/* sqrt(-1): an invalid operation; nothing waits. */
static void x87_invalid(void)
{
	asm volatile("fld1; fchs; fsqrt" : : : "memory");
}

static void x87_wait(void)
{
	asm volatile("fwait" : : : "memory");
}

static unsigned short x87_status(void)
{
	unsigned short sw;

	asm volatile("fnstsw %0" : "=m"(sw));
	return sw;
}

static const char *fpe_code_name(int code)
{
	switch (code) {
	case FPE_FLTDIV:
		return "FPE_FLTDIV";
	case FPE_FLTINV:
		return "FPE_FLTINV";
	case FPE_FLTOVF:
		return "FPE_FLTOVF";
	case FPE_FLTUND:
		return "FPE_FLTUND";
	case FPE_FLTRES:
		return "FPE_FLTRES";
	default:
		return "another code";
	}
}

static void on_fpe(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	say("  SIGFPE %s, si_code %s", sig == SIGFPE ? "caught" : "?",
	    fpe_code_name(si->si_code));
	_exit(3);		/* returning would fault again */
}

/* In a child with a SIGFPE handler: unmask @bits, run @op, wait. */
static void unmasked(const char *what, unsigned short bits, void (*op)(void))
{
	struct sigaction sa;
	pid_t pid = fork();

	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_fpe;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGFPE, &sa, NULL);
		x87_unmask(bits);
		op();
		say("  no signal before fwait");
		x87_wait();
		say("  no signal after fwait");
		_exit(0);
	}
	wait_say(what, pid, 0);
}

static void masked(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		x87_divide_by_zero();
		x87_wait();
		say("  zero divide flagged: %s", yes(x87_status() & X87_ZE));
		_exit(0);
	}
	wait_say("masked zero divide", pid, 0);
}

static void no_handler(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		x87_unmask(X87_ZM);
		x87_divide_by_zero();
		x87_wait();
		_exit(0);
	}
	wait_say("unmasked zero divide, no handler", pid, 0);
}

/* A handler that returns with an unmasked zero divide pending. */
static void leave_pending(int sig)
{
	(void)sig;
	x87_unmask(X87_ZM);
	x87_divide_by_zero();
}

static void pending_at_sigreturn(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		set_handler(SIGUSR1, leave_pending, 0);
		kill(getpid(), SIGUSR1);
		x87_wait();
		say("  after the handler: zero divide flagged: %s",
		    yes(x87_status() & X87_ZE));
		_exit(0);
	}
	wait_say("handler returns with an exception pending", pid, 0);
}

int main(void)
{
	conf_init();
	unmasked("unmasked zero divide", X87_ZM, x87_divide_by_zero);
	unmasked("unmasked invalid operation", X87_IM, x87_invalid);
	masked();
	no_handler();
	pending_at_sigreturn();
	return 0;
}
