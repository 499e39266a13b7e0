/*
 * signals: handlers and their arguments, the old action, SIG_IGN,
 * actions that cannot be set, masks (deferral, no queueing, SIGKILL and
 * SIGSTOP never masked), nesting and sa_mask, SA_NODEFER, SA_RESETHAND,
 * pause and EINTR, what fork passes on.
 */
#include "conf.h"

static volatile int hits, last_sig;
static char trace[32];
static volatile int ntrace;

static void mark(char c)
{
	if (ntrace < (int)sizeof(trace) - 1)
		trace[ntrace++] = c;
	trace[ntrace] = '\0';
}

static void reset(void)
{
	hits = last_sig = ntrace = 0;
	trace[0] = '\0';
}

static void count(int sig)
{
	hits++;
	last_sig = sig;
}

static void reraise_once(int sig)
{
	mark('<');
	if (hits++ == 0)
		kill(getpid(), sig);
	mark('>');
}

static void usr1_raises_usr2(int sig)
{
	(void)sig;
	mark('1');
	kill(getpid(), SIGUSR2);
	mark('a');
}

static void usr2_marks(int sig)
{
	(void)sig;
	mark('2');
}

static const char *action_name(void (*h)(int))
{
	return h == SIG_DFL ? "SIG_DFL" :
	       h == SIG_IGN ? "SIG_IGN" :
	       h == count   ? "count" :
			      "other";
}

static void handlers(void)
{
	struct sigaction sa, old;

	reset();
	set_handler(SIGUSR1, count, 0);
	TRY("kill(self, SIGUSR1)", kill(getpid(), SIGUSR1));
	say("handler ran %d time(s), with signal %d", hits, last_sig);
	set_handler(SIGUSR2, count, 0);
	kill(getpid(), SIGUSR2);
	say("same handler for SIGUSR2: ran %d time(s), last signal %d", hits,
	    last_sig);
	say("SIGUSR1 blocked after its handler: %s", yes(is_blocked(SIGUSR1)));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR1, &sa, &old);
	say("old action: %s", action_name(old.sa_handler));
	sigaction(SIGUSR1, NULL, &old);
	say("current action: %s", action_name(old.sa_handler));
	TRY("kill(self, SIGUSR1) while ignored", kill(getpid(), SIGUSR1));
	say("handler runs: %d", hits);
	set_handler(SIGUSR1, SIG_DFL, 0);
	set_handler(SIGUSR2, SIG_DFL, 0);
}

static void refused_actions(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	TRY("sigaction(SIGKILL, handler)", sigaction(SIGKILL, &sa, NULL));
	TRY("sigaction(SIGSTOP, handler)", sigaction(SIGSTOP, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	TRY("sigaction(SIGKILL, SIG_IGN)", sigaction(SIGKILL, &sa, NULL));
	TRY("sigaction(SIGSTOP, SIG_IGN)", sigaction(SIGSTOP, &sa, NULL));
	TRY("sigaction(0, SIG_IGN)", sigaction(0, &sa, NULL));
	TRY("sigaction(65, SIG_IGN)", sigaction(65, &sa, NULL));
	TRY("sigaction(SIGKILL, NULL, &old)", sigaction(SIGKILL, NULL, &old));
	say("SIGKILL's action: %s", action_name(old.sa_handler));
}

static void masks(void)
{
	sigset_t set, old, all;

	reset();
	set_handler(SIGUSR1, count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	TRY("block SIGUSR1", sigprocmask(SIG_BLOCK, &set, &old));
	say("was blocked before: %s", yes(sigismember(&old, SIGUSR1)));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	say("three sent while blocked, handler runs: %d", hits);
	TRY("unblock SIGUSR1", sigprocmask(SIG_UNBLOCK, &set, &old));
	say("was blocked before: %s", yes(sigismember(&old, SIGUSR1)));
	say("after unblocking, handler runs: %d", hits);

	/* SIG_IGN throws a pending signal away. */
	reset();
	mask_one(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	set_handler(SIGUSR1, SIG_IGN, 0);
	set_handler(SIGUSR1, count, 0);
	mask_one(SIG_UNBLOCK, SIGUSR1);
	say("pending then ignored then unblocked, handler runs: %d", hits);
	set_handler(SIGUSR1, SIG_DFL, 0);

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	say("full mask holds SIGKILL: %s, SIGSTOP: %s, SIGTERM: %s",
	    yes(is_blocked(SIGKILL)), yes(is_blocked(SIGSTOP)),
	    yes(is_blocked(SIGTERM)));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	TRY("sigprocmask(99, ...)", sigprocmask(99, &all, NULL));
}

static void nesting(void)
{
	struct sigaction sa;

	reset();
	set_handler(SIGUSR1, reraise_once, 0);
	kill(getpid(), SIGUSR1);
	say("re-raise inside the handler: %s", trace);
	reset();
	set_handler(SIGUSR1, reraise_once, SA_NODEFER);
	kill(getpid(), SIGUSR1);
	say("same with SA_NODEFER: %s", trace);

	set_handler(SIGUSR2, usr2_marks, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr1_raises_usr2;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	reset();
	kill(getpid(), SIGUSR1);
	say("SIGUSR2 raised in SIGUSR1's handler: %s", trace);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	reset();
	kill(getpid(), SIGUSR1);
	say("same with SIGUSR2 in sa_mask: %s", trace);
	set_handler(SIGUSR1, SIG_DFL, 0);
	set_handler(SIGUSR2, SIG_DFL, 0);
}

static void resethand(void)
{
	struct sigaction old;

	reset();
	set_handler(SIGUSR1, count, SA_RESETHAND);
	kill(getpid(), SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	say("SA_RESETHAND: handler runs %d, then the action is %s", hits,
	    action_name(old.sa_handler));
	set_handler(SIGUSR1, SIG_DFL, 0);
}

/* pause() returns -1/EINTR once a handler has run. */
static void pause_eintr(void)
{
	int st, ms;
	pid_t pid;

	set_handler(SIGUSR1, count, 0);	/* inherited: no window without it */
	pid = fork();
	if (pid == 0) {
		int r, e;

		reset();
		r = pause();
		e = errno;
		say("child: pause returned %d %s after a handler ran: %s", r,
		    errno_name(e), yes(hits > 0));
		_exit(0);
	}
	set_handler(SIGUSR1, SIG_DFL, 0);
	/* Signal until it is out of pause: we cannot see when it is in. */
	for (ms = 0; ms < 5000; ms += 10) {
		kill(pid, SIGUSR1);
		sleep_ms(10);
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
	}
	say("child: %s", status_str(st));
}

/* fork copies handlers and mask, but not pending signals. */
static void fork_inheritance(void)
{
	pid_t pid;

	reset();
	set_handler(SIGUSR1, count, 0);
	mask_one(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	pid = fork();
	if (pid == 0) {
		say("child: SIGUSR1 blocked: %s", yes(is_blocked(SIGUSR1)));
		mask_one(SIG_UNBLOCK, SIGUSR1);
		say("child: parent's pending signal delivered here: %s",
		    yes(hits > 0));
		kill(getpid(), SIGUSR1);
		say("child: inherited handler ran: %s", yes(hits == 1));
		_exit(0);
	}
	wait_quiet(pid, 0);
	mask_one(SIG_UNBLOCK, SIGUSR1);
	say("parent: pending signal delivered on unblock: %s", yes(hits == 1));
	set_handler(SIGUSR1, SIG_DFL, 0);
}

int main(void)
{
	conf_init();
	handlers();
	refused_actions();
	masks();
	nesting();
	resethand();
	pause_eintr();
	fork_inheritance();
	return 0;
}
