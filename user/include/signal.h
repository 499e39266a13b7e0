/*
 * signal.h - signals, Linux i386 numbering and sigaction flags.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>

#include <spoor/signum.h>

#define SIGIOT		SIGABRT
#define SIGPOLL		SIGIO
#define NSIG		65	/* one more than the highest signal */
#define _NSIG		NSIG

typedef void (*sighandler_t)(int);

#define SIG_ERR		((sighandler_t)-1)
#define SIG_DFL		((sighandler_t)0)
#define SIG_IGN		((sighandler_t)1)

/* The kernel's signal set: 64 signals, 8 bytes (what rt_sig* expect). */
typedef struct {
	unsigned long sig[2];
} sigset_t;

typedef int sig_atomic_t;

union sigval {
	int sival_int;
	void *sival_ptr;
};

/* Linux siginfo: 128 bytes, the fields a teaching kernel fills. */
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[29];
		struct {
			pid_t pid;
			uid_t uid;
		} _kill;
		struct {
			pid_t pid;
			uid_t uid;
			int status;
			clock_t utime;
			clock_t stime;
		} _sigchld;
		struct {
			void *addr;
		} _sigfault;
	} _sifields;
} siginfo_t;

#define si_pid		_sifields._kill.pid
#define si_uid		_sifields._kill.uid
#define si_status	_sifields._sigchld.status
#define si_addr		_sifields._sigfault.addr

struct sigaction {
	union {
		sighandler_t sa_handler;
		void (*sa_sigaction)(int, siginfo_t *, void *);
	} __sigaction_handler;
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};

#define sa_handler	__sigaction_handler.sa_handler
#define sa_sigaction	__sigaction_handler.sa_sigaction

int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
int sigsuspend(const sigset_t *mask);
int sigpending(sigset_t *set);
int kill(pid_t pid, int sig);
int raise(int sig);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

#endif /* _SIGNAL_H */
