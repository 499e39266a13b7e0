/*
 * test_signal: handlers, SIG_IGN and default actions, masks and pending
 * delivery, the signals that cannot be caught, interrupted sleeps,
 * SIGCHLD, and that rt_sigreturn puts every register back where the
 * signal found it (i386 only: hand-written assembly holds the values).
 * Suite "stop": SIGSTOP/SIGCONT as wait() reports them.
 */
#include "utest.h"

static volatile int hits, last_sig, depth, max_depth, in_handler_masked;
static char order[32];
static volatile int norder;

static void note(char c)
{
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = c;
	order[norder] = '\0';
}

static void reset_notes(void)
{
	hits = last_sig = depth = max_depth = norder = 0;
	in_handler_masked = 0;
	order[0] = '\0';
}

static void counting_handler(int sig)
{
	sigset_t cur;

	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	in_handler_masked = sigismember(&cur, sig);
}

static int is_blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void block(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

/* A handler runs, with its own number, before kill() returns. */
static void handler_runs(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	KT_ASSERT_EQ(t, ut_handle(SIGUSR2, counting_handler, 0), 0);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR1), 0);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, last_sig, SIGUSR1);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR2), 0);
	KT_EXPECT_EQ(t, hits, 2);
	KT_EXPECT_EQ(t, last_sig, SIGUSR2);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	ut_handle(SIGUSR2, SIG_DFL, 0);
}

/* The signal is blocked while its handler runs, and unblocked after. */
static void handler_mask_restored(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_TRUE(t, in_handler_masked);
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* sigaction hands back the action it replaces. */
static void sigaction_returns_old(struct kt_test *t)
{
	struct sigaction sa, old;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, &sa, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, counting_handler);
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, NULL, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_IGN);
	sa.sa_handler = SIG_DFL;
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, &sa, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_IGN);
}

/* SIGKILL and SIGSTOP take no action; bad numbers are refused. */
static void uncatchable_and_invalid(struct kt_test *t)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting_handler;
	UT_EXPECT_ERR(t, sigaction(SIGKILL, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	UT_EXPECT_ERR(t, sigaction(SIGKILL, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(SIGSTOP, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(0, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(65, &sa, NULL), EINVAL);
	UT_EXPECT_ERR(t, sigaction(-1, &sa, NULL), EINVAL);
	/* Asking is allowed, and the answer is the default. */
	KT_EXPECT_EQ(t, sigaction(SIGKILL, NULL, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_DFL);
	UT_EXPECT_ERR(t, kill(getpid(), -1), EINVAL);
	UT_EXPECT_ERR(t, kill(getpid(), 65), EINVAL);
	UT_EXPECT_ERR(t, kill(getpid(), 1000), EINVAL);
	KT_EXPECT_EQ(t, kill(getpid(), 0), 0);
}

/* kill of a pid that no longer exists: ESRCH. */
static void kill_reaped_pid(struct kt_test *t)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	UT_EXPECT_ERR(t, kill(pid, 0), ESRCH);
	UT_EXPECT_ERR(t, kill(pid, SIGKILL), ESRCH);
}

static int ignore_term_then_wait(void *arg)
{
	int fd = (int)(long)arg;

	ut_handle(SIGTERM, SIG_IGN, 0);
	write(fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/* An ignored signal changes nothing, here or in a child. */
static void sig_ign_ignores(struct kt_test *t)
{
	int fds[2], st;
	pid_t pid;
	char c;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, SIG_IGN, 0), 0);
	KT_EXPECT_EQ(t, kill(getpid(), SIGUSR1), 0);
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	KT_EXPECT_EQ(t, hits, 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGUSR1, SIG_DFL, 0);

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(ignore_term_then_wait, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	close(fds[0]);
	KT_EXPECT_EQ(t, kill(pid, SIGTERM), 0);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);	/* still alive */
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

static int raise_ignored_defaults(void *arg)
{
	(void)arg;
	kill(getpid(), SIGCHLD);
	kill(getpid(), SIGURG);
	kill(getpid(), SIGWINCH);
	kill(getpid(), SIGCONT);
	return 42;
}

/* SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored by default. */
static void default_ignore(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(raise_ignored_defaults, NULL), 42);
}

/* Blocked signals wait; unblocking delivers one of each, at once. */
static void mask_defers_delivery(struct kt_test *t)
{
	sigset_t set, old;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	KT_EXPECT_EQ(t, sigprocmask(SIG_BLOCK, &set, &old), 0);
	KT_EXPECT_FALSE(t, sigismember(&old, SIGUSR1));
	KT_EXPECT_TRUE(t, is_blocked(SIGUSR1));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, hits, 0);
	KT_EXPECT_EQ(t, sigprocmask(SIG_UNBLOCK, &set, &old), 0);
	KT_EXPECT_TRUE(t, sigismember(&old, SIGUSR1));
	KT_EXPECT_EQ(t, hits, 1);	/* standard signals do not queue */
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* Setting SIG_IGN discards a pending signal. */
static void ignore_discards_pending(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	block(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	ut_handle(SIGUSR1, SIG_IGN, 0);
	ut_handle(SIGUSR1, counting_handler, 0);
	block(SIG_UNBLOCK, SIGUSR1);
	KT_EXPECT_EQ(t, hits, 0);
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/* SIGKILL and SIGSTOP never enter the mask; a bad `how` is refused. */
static void mask_cannot_hold_kill_stop(struct kt_test *t)
{
	sigset_t all, cur, none;

	sigfillset(&all);
	sigemptyset(&none);
	KT_EXPECT_EQ(t, sigprocmask(SIG_SETMASK, &all, NULL), 0);
	KT_EXPECT_EQ(t, sigprocmask(SIG_BLOCK, NULL, &cur), 0);
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGKILL));
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGSTOP));
	KT_EXPECT_TRUE(t, sigismember(&cur, SIGUSR1));
	KT_EXPECT_TRUE(t, sigismember(&cur, SIGTERM));
	KT_EXPECT_EQ(t, sigprocmask(SIG_SETMASK, &none, NULL), 0);
	UT_EXPECT_ERR(t, sigprocmask(99, &all, NULL), EINVAL);
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR1));
}

static int block_all_then_wait(void *arg)
{
	int fd = (int)(long)arg;
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	write(fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/* A child that blocks everything still stops on SIGSTOP, dies on SIGKILL. */
static void kill_stop_beat_the_mask(struct kt_test *t)
{
	int fds[2], st;
	pid_t pid;
	char c;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(block_all_then_wait, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	close(fds[0]);
	kill(pid, SIGTERM);	/* blocked: stays pending */
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* Raises its own signal once from inside; records nesting and order. */
static void reraise_handler(int sig)
{
	if (++depth > max_depth)
		max_depth = depth;
	note('1');
	if (hits++ == 0)
		kill(getpid(), sig);
	note('a');
	depth--;
}

/* Without SA_NODEFER the re-raised signal waits for the handler's end. */
static void handler_blocks_own_signal(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, reraise_handler, 0), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, max_depth, 1);
	KT_EXPECT_STREQ(t, order, "1a1a");

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, reraise_handler, SA_NODEFER), 0);
	kill(getpid(), SIGUSR1);
	KT_EXPECT_EQ(t, max_depth, 2);
	KT_EXPECT_STREQ(t, order, "11aa");
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

static void usr1_raises_usr2(int sig)
{
	(void)sig;
	note('1');
	kill(getpid(), SIGUSR2);
	note('a');
}

static void usr2_notes(int sig)
{
	(void)sig;
	note('2');
	note('b');
}

/* sa_mask holds other signals off while the handler runs. */
static void sa_mask_defers_others(struct kt_test *t)
{
	struct sigaction sa;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR2, usr2_notes, 0), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr1_raises_usr2;
	sigemptyset(&sa.sa_mask);
	KT_ASSERT_EQ(t, sigaction(SIGUSR1, &sa, NULL), 0);
	reset_notes();
	kill(getpid(), SIGUSR1);
	KT_EXPECT_STREQ(t, order, "12ba");	/* nested */

	sigaddset(&sa.sa_mask, SIGUSR2);
	KT_ASSERT_EQ(t, sigaction(SIGUSR1, &sa, NULL), 0);
	reset_notes();
	kill(getpid(), SIGUSR1);
	KT_EXPECT_STREQ(t, order, "1a2b");	/* deferred */
	KT_EXPECT_FALSE(t, is_blocked(SIGUSR2));
	ut_handle(SIGUSR1, SIG_DFL, 0);
	ut_handle(SIGUSR2, SIG_DFL, 0);
}

/*
 * The child inherits handlers and the mask but not pending signals.
 * Exit codes: 0 fine, 2 mask not inherited, 3 parent's pending signal
 * delivered, 4 handler not inherited.
 */
static int check_fork_inheritance(void *arg)
{
	(void)arg;
	if (!is_blocked(SIGUSR1))
		return 2;
	block(SIG_UNBLOCK, SIGUSR1);
	if (hits != 0)
		return 3;
	kill(getpid(), SIGUSR1);
	return hits == 1 ? 0 : 4;
}

static void fork_inherits_handlers_not_pending(struct kt_test *t)
{
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	block(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);	/* pending here, not in the child */
	UT_EXPECT_EXITED(t, ut_run(check_fork_inheritance, NULL), 0);
	KT_EXPECT_EQ(t, hits, 0);
	block(SIG_UNBLOCK, SIGUSR1);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

/*
 * Signal child @pid with @sig every 10 ms until it exits (a blocking
 * call can only be interrupted once the child is in it, and we cannot
 * see when that is); its wait status.
 */
static int signal_until_exit(pid_t pid, int sig)
{
	int st, ms;

	for (ms = 0; ms < UT_POLL_MS; ms += 10) {
		kill(pid, sig);
		ut_sleep_ms(10);
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
	}
	kill(pid, SIGKILL);
	ut_wait(pid, 0);
	return -1;
}

static int pause_until_handled(void *arg)
{
	int r, e;

	(void)arg;
	reset_notes();
	r = pause();
	e = errno;
	return r == -1 && e == EINTR && hits >= 1 ? 0 : 1;
}

/*
 * pause() returns -1/EINTR after a handler ran.  The child inherits the
 * handler, so no signal can find it without one.
 */
static void pause_interrupted(struct kt_test *t)
{
	pid_t pid;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	pid = ut_spawn(pause_until_handled, NULL);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, signal_until_exit(pid, SIGUSR1), 0);
}

/* Exit codes: 0 fine, 1 not EINTR, 2 remaining time wrong. */
static int nanosleep_until_handled(void *arg)
{
	struct timespec req, rem;
	int r, e;

	(void)arg;
	req.tv_sec = 10;
	req.tv_nsec = 0;
	rem.tv_sec = rem.tv_nsec = -1;
	r = nanosleep(&req, &rem);
	e = errno;
	if (r != -1 || e != EINTR)
		return 1;
	if (rem.tv_sec < 1 || rem.tv_sec > 10 || rem.tv_nsec < 0 ||
	    rem.tv_nsec >= 1000000000L)
		return 2;
	return 0;
}

/* nanosleep() cut short by a handler: EINTR and the time left. */
static void nanosleep_interrupted(struct kt_test *t)
{
	pid_t pid;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, counting_handler, 0), 0);
	pid = ut_spawn(nanosleep_until_handled, NULL);
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, signal_until_exit(pid, SIGUSR1), 0);
}

/* The parent hears of its child's exit through SIGCHLD. */
static void sigchld_on_exit(struct kt_test *t)
{
	pid_t pid;

	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, 0), 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
	/* Sent before the parent woke from wait: delivered by now. */
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, last_sig, SIGCHLD);
	ut_handle(SIGCHLD, SIG_DFL, 0);
}

#ifdef __i386__
/*
 * Register contents seen by the probes below; the offsets are used by
 * the assembly.
 */
struct regs {
	unsigned long eax, ebx, ecx, edx, esi, edi, ebp, eflags;
};

#define EFLAGS_CF	0x001UL
#define EFLAGS_DF	0x400UL

void ut_regs_probe(struct regs *out, int pid);
void ut_spin_probe(struct regs *out, volatile int *acks, int want,
		   unsigned long limit);

_Static_assert(SIGUSR1 == 10, "the probe sends signal 10");

/*
 * ut_regs_probe: fill every general register with a known value, set
 * CF and DF, and kill(@pid, SIGUSR1) through int $0x80; store what the
 * registers hold afterwards.  The handler that runs on the way back
 * scribbles on eax, ecx, edx and the flags; rt_sigreturn must undo it.
 *
 * ut_spin_probe: the same values, then spin until *@acks reaches @want
 * (a handler counts) or @limit rounds pass, so signals arrive while the
 * CPU runs user code, not at a system call.
 */
asm(".text\n"
    ".globl ut_regs_probe\n"
    ".type ut_regs_probe, @function\n"
    "ut_regs_probe:\n"
    "	pushl %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 24(%esp), %ebx\n"		/* pid */
    "	movl $37, %eax\n"		/* __NR_kill */
    "	movl $10, %ecx\n"		/* SIGUSR1 */
    "	movl $0x11111111, %edx\n"
    "	movl $0x22222222, %esi\n"
    "	movl $0x33333333, %edi\n"
    "	movl $0x44444444, %ebp\n"
    "	std\n"
    "	stc\n"
    "	int $0x80\n"
    "	pushfl\n"
    "	cld\n"
    "	pushl %ebp\n"
    "	movl 28(%esp), %ebp\n"		/* out */
    "	movl %eax, 0(%ebp)\n"
    "	movl %ebx, 4(%ebp)\n"
    "	movl %ecx, 8(%ebp)\n"
    "	movl %edx, 12(%ebp)\n"
    "	movl %esi, 16(%ebp)\n"
    "	movl %edi, 20(%ebp)\n"
    "	popl 24(%ebp)\n"
    "	popl 28(%ebp)\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	popl %ebp\n"
    "	ret\n"
    ".size ut_regs_probe, . - ut_regs_probe\n"
    "\n"
    ".globl ut_spin_probe\n"
    ".type ut_spin_probe, @function\n"
    "ut_spin_probe:\n"
    "	pushl %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 24(%esp), %ebx\n"		/* acks */
    "	movl 28(%esp), %ebp\n"		/* want */
    "	movl $0x11111111, %eax\n"
    "	movl $0x22222222, %ecx\n"
    "	movl $0x33333333, %edx\n"
    "	movl $0x44444444, %esi\n"
    "	movl $0x55555555, %edi\n"
    "	std\n"
    "1:	cmpl %ebp, (%ebx)\n"
    "	jge 2f\n"
    "	subl $1, 32(%esp)\n"		/* limit */
    "	jnz 1b\n"
    "2:	pushfl\n"
    "	cld\n"
    "	pushl %ebp\n"
    "	movl 28(%esp), %ebp\n"		/* out */
    "	movl %eax, 0(%ebp)\n"
    "	movl %ebx, 4(%ebp)\n"
    "	movl %ecx, 8(%ebp)\n"
    "	movl %edx, 12(%ebp)\n"
    "	movl %esi, 16(%ebp)\n"
    "	movl %edi, 20(%ebp)\n"
    "	popl 24(%ebp)\n"
    "	popl 28(%ebp)\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	popl %ebp\n"
    "	ret\n"
    ".size ut_spin_probe, . - ut_spin_probe\n");

static volatile unsigned long handler_eflags;
static volatile int acks, ack_fd = -1;

/* Counts, acknowledges, then wrecks the scratch registers and flags. */
static void clobbering_handler(int sig)
{
	unsigned long fl;

	(void)sig;
	asm volatile("pushfl; popl %0" : "=r"(fl));
	handler_eflags = fl;
	hits++;
	acks++;
	if (ack_fd >= 0)
		write(ack_fd, "k", 1);
	asm volatile("movl $0xdeadbeef, %%eax\n\t"
		     "movl %%eax, %%ecx\n\t"
		     "movl %%eax, %%edx\n\t"
		     "addl %%eax, %%eax\n\t"
		     "stc"
		     : : : "eax", "ecx", "edx", "cc");
}

/* A signal taken at int $0x80 returns with every register intact. */
static void sigreturn_restores_registers(struct kt_test *t)
{
	struct regs r;

	reset_notes();
	handler_eflags = 0;
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, clobbering_handler, 0), 0);
	ut_regs_probe(&r, getpid());
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, r.eax, 0);		/* kill() succeeded */
	KT_EXPECT_EQ(t, r.ebx, (unsigned long)getpid());
	KT_EXPECT_EQ(t, r.ecx, SIGUSR1);
	KT_EXPECT_EQ(t, r.edx, 0x11111111);
	KT_EXPECT_EQ(t, r.esi, 0x22222222);
	KT_EXPECT_EQ(t, r.edi, 0x33333333);
	KT_EXPECT_EQ(t, r.ebp, 0x44444444);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_DF);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_CF);
	/* The i386 ABI: handlers start with the direction flag clear. */
	KT_EXPECT_FALSE(t, handler_eflags & EFLAGS_DF);
}

#define SPIN_SIGNALS	20

/* Sends SPIN_SIGNALS SIGUSR1 to its parent, one per acknowledgement. */
static int send_acked(void *arg)
{
	int fd = (int)(long)arg, i;
	pid_t parent = getppid();
	char c;

	for (i = 0; i < SPIN_SIGNALS; i++) {
		kill(parent, SIGUSR1);
		if (read(fd, &c, 1) != 1)
			return 1;
	}
	return 0;
}

/* Signals that interrupt user code, not a system call, return cleanly. */
static void async_signal_restores_registers(struct kt_test *t)
{
	int fds[2];
	struct regs r;
	pid_t pid;

	reset_notes();
	acks = 0;
	KT_ASSERT_EQ(t, pipe(fds), 0);
	ack_fd = fds[1];
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, clobbering_handler, 0), 0);
	pid = ut_spawn(send_acked, (void *)(long)fds[0]);
	KT_ASSERT_GT(t, pid, 0);
	ut_spin_probe(&r, &acks, SPIN_SIGNALS, 1UL << 30);
	ack_fd = -1;
	ut_handle(SIGUSR1, SIG_DFL, 0);
	close(fds[0]);
	close(fds[1]);
	if (acks < SPIN_SIGNALS)
		kill(pid, SIGKILL);
	ut_wait(pid, 0);
	KT_EXPECT_EQ(t, acks, SPIN_SIGNALS);
	KT_EXPECT_EQ(t, r.eax, 0x11111111);
	KT_EXPECT_EQ(t, r.ebx, (unsigned long)&acks);
	KT_EXPECT_EQ(t, r.ecx, 0x22222222);
	KT_EXPECT_EQ(t, r.edx, 0x33333333);
	KT_EXPECT_EQ(t, r.esi, 0x44444444);
	KT_EXPECT_EQ(t, r.edi, 0x55555555);
	KT_EXPECT_EQ(t, r.ebp, SPIN_SIGNALS);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_DF);
	KT_EXPECT_FALSE(t, handler_eflags & EFLAGS_DF);
}
#else
static void sigreturn_restores_registers(struct kt_test *t)
{
	KT_SKIP(t, "i386 only");
}

static void async_signal_restores_registers(struct kt_test *t)
{
	KT_SKIP(t, "i386 only");
}
#endif

KT_SUITE(signal_suite, "signal",
	 KT_CASE(handler_runs),
	 KT_CASE(handler_mask_restored),
	 KT_CASE(sigaction_returns_old),
	 KT_CASE(uncatchable_and_invalid),
	 KT_CASE(kill_reaped_pid),
	 KT_CASE(sig_ign_ignores),
	 KT_CASE(default_ignore),
	 KT_CASE(mask_defers_delivery),
	 KT_CASE(ignore_discards_pending),
	 KT_CASE(mask_cannot_hold_kill_stop),
	 KT_CASE(kill_stop_beat_the_mask),
	 KT_CASE(handler_blocks_own_signal),
	 KT_CASE(sa_mask_defers_others),
	 KT_CASE(fork_inherits_handlers_not_pending),
	 KT_CASE(pause_interrupted),
	 KT_CASE(nanosleep_interrupted),
	 KT_CASE(sigchld_on_exit),
	 KT_CASE(sigreturn_restores_registers),
	 KT_CASE(async_signal_restores_registers));

/* ---- stop: SIGSTOP and SIGCONT through WUNTRACED and WCONTINUED ------- */

/* Stopped and continued are each reported once, in Linux encoding. */
static void stop_continue_reported(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, kill(pid, SIGSTOP), 0);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	KT_EXPECT_EQ(t, WSTOPSIG(st), SIGSTOP);
	KT_EXPECT_EQ(t, st, SIGSTOP << 8 | 0x7f);
	KT_EXPECT_FALSE(t, WIFEXITED(st) || WIFSIGNALED(st) || WIFCONTINUED(st));
	KT_EXPECT_EQ(t, waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
	KT_EXPECT_EQ(t, kill(pid, SIGCONT), 0);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	KT_EXPECT_EQ(t, st, 0xffff);
	KT_EXPECT_FALSE(t, WIFEXITED(st) || WIFSIGNALED(st) || WIFSTOPPED(st));
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* Without WUNTRACED/WCONTINUED a wait neither reports nor eats them. */
static void stop_needs_wuntraced(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	kill(pid, SIGSTOP);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGCONT);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG | WUNTRACED), 0);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	/* SIGCONT to a running process reports nothing. */
	kill(pid, SIGCONT);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WCONTINUED | WNOHANG), 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

static volatile int report_fd = -1;

static void write_b(int sig)
{
	(void)sig;
	write(report_fd, "B", 1);
}

static void write_c(int sig)
{
	(void)sig;
	write(report_fd, "C", 1);
}

static int wait_with_handlers(void *arg)
{
	report_fd = (int)(long)arg;
	ut_handle(SIGUSR1, write_b, 0);
	ut_handle(SIGCONT, write_c, 0);
	write(report_fd, "r", 1);
	for (;;)
		pause();
	return 0;
}

/*
 * A stopped process runs no handler until continued: its 'B' must come
 * after the 'A' we write while it is stopped; the SIGCONT handler's 'C'
 * comes with the continue.
 */
static void stopped_child_defers_handler(struct kt_test *t)
{
	char buf[4] = { 0 };
	int fds[2], st;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = ut_spawn(wait_with_handlers, (void *)(long)fds[1]);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, read(fds[0], buf, 1), 1);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGUSR1);
	ut_sleep_ms(50);	/* time enough to misbehave */
	write(fds[1], "A", 1);
	kill(pid, SIGCONT);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], buf, 3), 3);
	buf[3] = '\0';
	/* SIGCONT and SIGUSR1 are both pending at the continue: any order. */
	KT_EXPECT_TRUE(t, !strcmp(buf, "ABC") || !strcmp(buf, "ACB"));
	if (strcmp(buf, "ABC") && strcmp(buf, "ACB"))
		kt_log(t, "got \"%s\"", buf);
	close(fds[0]);
	close(fds[1]);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* SIGKILL ends a stopped process without a SIGCONT. */
static void sigkill_kills_stopped(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* SIGTERM to a stopped process waits for the continue, then kills. */
static void sigterm_waits_for_continue(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGTERM);
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, waitpid(pid, &st, WNOHANG), 0);
	kill(pid, SIGCONT);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGTERM);
}

/* Poll until the handler count reaches @n; 1 if it did. */
static int wait_hits(int n)
{
	int ms;

	for (ms = 0; ms < UT_POLL_MS && hits < n; ms += 10)
		ut_sleep_ms(10);
	return hits >= n;
}

/* SIGCHLD on stop and on continue, unless SA_NOCLDSTOP; always on exit. */
static void sigchld_on_stop_and_continue(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int st;

	KT_ASSERT_GT(t, pid, 0);
	reset_notes();
	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, 0), 0);
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	KT_EXPECT_EQ(t, hits, 1);	/* sent before wait returned */
	kill(pid, SIGCONT);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	KT_EXPECT_TRUE(t, wait_hits(2));

	KT_ASSERT_EQ(t, ut_handle(SIGCHLD, counting_handler, SA_NOCLDSTOP), 0);
	reset_notes();
	kill(pid, SIGSTOP);
	st = ut_wait(pid, WUNTRACED);
	KT_EXPECT_TRUE(t, st != -1 && WIFSTOPPED(st));
	kill(pid, SIGCONT);
	st = ut_wait(pid, WCONTINUED);
	KT_EXPECT_TRUE(t, st != -1 && WIFCONTINUED(st));
	ut_sleep_ms(50);
	KT_EXPECT_EQ(t, hits, 0);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
	KT_EXPECT_EQ(t, hits, 1);
	ut_handle(SIGCHLD, SIG_DFL, 0);
}

/* Many stop/continue rounds, each reported exactly. */
static void stop_continue_cycles(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	int i, good = 0;

	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 20; i++) {
		kill(pid, SIGSTOP);
		good += ut_wait(pid, WUNTRACED) == (SIGSTOP << 8 | 0x7f);
		kill(pid, SIGCONT);
		good += ut_wait(pid, WCONTINUED) == 0xffff;
	}
	KT_EXPECT_EQ(t, good, 40);
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

KT_SUITE(stop_suite, "stop",
	 KT_CASE(stop_continue_reported),
	 KT_CASE(stop_needs_wuntraced),
	 KT_CASE(stopped_child_defers_handler),
	 KT_CASE(sigkill_kills_stopped),
	 KT_CASE(sigterm_waits_for_continue),
	 KT_CASE(sigchld_on_stop_and_continue),
	 KT_CASE(stop_continue_cycles));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
