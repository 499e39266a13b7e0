/*
 * Signal numbers, sigaction flags and si_code values of the Linux i386
 * ABI, shared by the kernel (spoor/signal.h) and the user library
 * (<signal.h>).
 */
#ifndef SPOOR_SIGNUM_H
#define SPOOR_SIGNUM_H

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* siginfo si_code values: who sent it, and why. */
#define SI_USER		0
#define SI_KERNEL	0x80
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define TRAP_HWBKPT	4	/* a debug-register breakpoint or watchpoint */
#define ILL_ILLOPN	2
/* SIGFPE: which arithmetic exception. */
#define FPE_INTDIV	1	/* integer divide by zero (#DE) */
#define FPE_INTOVF	2
#define FPE_FLTDIV	3	/* x87: zero divide */
#define FPE_FLTOVF	4	/* x87: overflow */
#define FPE_FLTUND	5	/* x87: underflow or denormal */
#define FPE_FLTRES	6	/* x87: inexact result */
#define FPE_FLTINV	7	/* x87: invalid operation, stack fault */

#endif
