/*
 * Signal numbers and sigaction flags of the Linux i386 ABI, shared by
 * the kernel (spoor/signal.h) and the user library (<signal.h>).
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

/* si_code of SIGFPE: which arithmetic exception (Linux's order). */
#define FPE_INTDIV	1	/* integer divide by zero (#DE) */
#define FPE_INTOVF	2
#define FPE_FLTDIV	3	/* x87: zero divide */
#define FPE_FLTOVF	4	/* x87: overflow */
#define FPE_FLTUND	5	/* x87: underflow or denormal */
#define FPE_FLTRES	6	/* x87: inexact result */
#define FPE_FLTINV	7	/* x87: invalid operation, stack fault */

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#endif
