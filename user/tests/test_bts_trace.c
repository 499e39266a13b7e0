/*
 * test_bts_trace - branch tracing end to end through PTRACE_BTS_* with
 * the software BTS unit (or any working unit):
 *  - exact traces: an assembly workload with known control flow (a
 *    loop, a call chain, a recursion) yields exactly the expected
 *    records, named by the labels it exports;
 *  - a C recursion yields as many calls and returns as it made;
 *  - a digest of every record of `fib 15`, printed for the twin boots
 *    (bts_soft=step vs fast) to compare;
 *  - transparency: the traced program sees its own EFLAGS.TF only (in
 *    pushf, signal frames and GETREGS), its own TF still gives it
 *    SIGTRAP, and a tracer's PTRACE_SINGLESTEP reports every step once
 *    while records are still written;
 *  - O_SIGNAL: overflow stops the tracee with the configured signal;
 *  - O_SCHED: task arrives/departs records around context switches.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spoor/ktest.h>
#include "utest.h"

#define EFLAGS_TF 0x100

/* --- the workload: every branch at a label ------------------------------ */

void work(void);
extern char work_begin[], work_end[], w_loop[], w_jnz[], w_call_a[], w_ret_a_to[],
	w_call_rec[], w_rec_to[], chain_a[], a_call_b[], a_ret_b_to[], a_ret[],
	chain_b[], b_call_c[], b_ret_c_to[], b_ret[], chain_c[], c_ret[], rec[],
	rec_jz[], rec_call[], rec_after[], rec_ret[], w_ret[];

asm(".text\n"
    ".globl work, work_begin, work_end, w_loop, w_jnz, w_call_a, w_ret_a_to\n"
    ".globl w_call_rec, w_rec_to, w_ret, chain_a, a_call_b, a_ret_b_to, a_ret\n"
    ".globl chain_b, b_call_c, b_ret_c_to, b_ret, chain_c, c_ret\n"
    ".globl rec, rec_jz, rec_call, rec_after, rec_ret\n"
    "work_begin:\n"
    "work:		movl $5, %ecx\n"
    "w_loop:	decl %ecx\n"
    "w_jnz:		jnz w_loop\n"		/* taken 4 times */
    "w_call_a:	call chain_a\n"
    "w_ret_a_to:	pushl $3\n"
    "w_call_rec:	call rec\n"
    "w_rec_to:	addl $4, %esp\n"
    "w_ret:		ret\n"
    "chain_a:	nop\n"
    "a_call_b:	call chain_b\n"
    "a_ret_b_to:	nop\n"
    "a_ret:		ret\n"
    "chain_b:	nop\n"
    "b_call_c:	call chain_c\n"
    "b_ret_c_to:	nop\n"
    "b_ret:		ret\n"
    "chain_c:	nop\n"
    "c_ret:		ret\n"
    "rec:		movl 4(%esp), %eax\n"
    "		testl %eax, %eax\n"
    "rec_jz:	jz rec_ret\n"
    "		decl %eax\n"
    "		pushl %eax\n"
    "rec_call:	call rec\n"
    "rec_after:	addl $4, %esp\n"
    "rec_ret:	ret\n"
    "work_end:\n");

struct branch {
	const char *from, *to;
};

#define B(f, t) { f, t }
#define ANY_TO	((const char *)0)	/* out of the workload (filtered) */

/* What the CPU records for work(), in order, kept to inside the region. */
static const struct branch expected_work[] = {
	B(w_jnz, w_loop), B(w_jnz, w_loop), B(w_jnz, w_loop), B(w_jnz, w_loop),
	B(w_call_a, chain_a),
	B(a_call_b, chain_b),
	B(b_call_c, chain_c),
	B(c_ret, b_ret_c_to),
	B(b_ret, a_ret_b_to),
	B(a_ret, w_ret_a_to),
	B(w_call_rec, rec),			/* rec(3) */
	B(rec_call, rec),			/* rec(2) */
	B(rec_call, rec),			/* rec(1) */
	B(rec_call, rec),			/* rec(0) */
	B(rec_jz, rec_ret),			/* rec(0) returns at once */
	B(rec_ret, rec_after),
	B(rec_ret, rec_after),
	B(rec_ret, rec_after),
	B(rec_ret, w_rec_to),
};

static int in_work(uint64_t a)
{
	return a >= (uintptr_t)work_begin && a < (uintptr_t)work_end;
}

/* --- tracing helpers ---------------------------------------------------- */

static long bts_config(pid_t pid, uint32_t size, uint32_t flags,
		       uint32_t sig)
{
	struct ptrace_bts_config cfg = { size, flags | PTRACE_BTS_O_ALLOC,
					 sig, 0 };

	return ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
}

/*
 * A child that stops (TRACEME + SIGSTOP), runs @body, stops again
 * with SIGSTOP, and exits with what @body returned.  Returns its pid
 * at the first stop.
 */
static pid_t traced_child(int (*body)(void))
{
	int status, ret;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		ret = body();
		raise(SIGSTOP);
		_exit(ret);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	return pid;
}

/* Continue @pid to its next stop; the wait status. */
static int cont(pid_t pid, int sig)
{
	int status;

	ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	waitpid(pid, &status, 0);
	return status;
}

/* All records, oldest first, into @out (at most @max); the count. */
static long drain(pid_t pid, struct bts_struct *out, long max)
{
	return ptrace(PTRACE_BTS_DRAIN, pid, out, (void *)(max * sizeof(*out)));
}

static void finish(pid_t pid)
{
	int status;

	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &status, 0);
}

static struct bts_struct recs[8192];

/* --- exact traces --------------------------------------------------------- */

static int run_work(void)
{
	work();
	return 0;
}

static void exact_work_trace(struct kt_test *t)
{
	pid_t pid = traced_child(run_work);
	long n, i, k = 0, bad = 0;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 8192 * 24, PTRACE_BTS_O_TRACE, 0), 16);
	KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));	/* after work() */
	n = drain(pid, recs, 8192);
	KT_ASSERT_GT(t, n, 0);
	for (i = 0; i < n; i++) {
		const struct branch *e;

		if (!in_work(recs[i].variant.lbr.from) ||
		    !in_work(recs[i].variant.lbr.to))
			continue;
		if (k >= (long)(sizeof(expected_work) / sizeof(expected_work[0]))) {
			bad++;
			continue;
		}
		e = &expected_work[k++];
		if (recs[i].qualifier != BTS_BRANCH ||
		    recs[i].variant.lbr.from != (uintptr_t)e->from ||
		    recs[i].variant.lbr.to != (uintptr_t)e->to) {
			kt_log(t, "record %ld: %#llx -> %#llx, expected %p -> %p",
			       k - 1, recs[i].variant.lbr.from,
			       recs[i].variant.lbr.to, e->from, e->to);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, k, sizeof(expected_work) / sizeof(expected_work[0]));
	KT_EXPECT_EQ(t, bad, 0);
	/* The call into work() from C and the ret out of it are there too. */
	for (i = 0, k = 0; i < n; i++)
		k += recs[i].variant.lbr.to == (uintptr_t)work ||
		     recs[i].variant.lbr.from == (uintptr_t)w_ret;
	KT_EXPECT_EQ(t, k, 2);
	finish(pid);
}

/*
 * A C recursion: one call record into it for every invocation.  The
 * calls go through a volatile pointer, so the compiler can turn none
 * of them into a loop (and they are indirect calls: another class).
 */
static int crec(int n);
static int (*volatile crec_ptr)(int) = crec;

static int __attribute__((noinline)) crec(int n)
{
	return n < 2 ? n : crec_ptr(n - 1) + crec_ptr(n - 2);
}

static int run_crec(void)
{
	return crec_ptr(10) == 55 ? 0 : 1;
}

static void recursion_counts(struct kt_test *t)
{
	pid_t pid = traced_child(run_crec);
	long n, i, calls = 0;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 8192 * 24, PTRACE_BTS_O_TRACE, 0), 16);
	KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));
	n = drain(pid, recs, 8192);
	for (i = 0; i < n; i++)
		calls += recs[i].variant.lbr.to == (uintptr_t)crec;
	/* crec(10) makes 2 * fib(11) - 1 = 177 calls. */
	KT_EXPECT_EQ(t, calls, 177);
	finish(pid);
}

/*
 * Every record of `fib 15`, run from its exec to its exit: a count and
 * an FNV-1a hash, which the twin boots compare (the single-step
 * reference against the fast mode).
 */
static void fib_digest(struct kt_test *t)
{
	char *argv[] = { "/bin/fib", "15", NULL };
	uint32_t hash = 2166136261u;
	long total = 0, n, i;
	int status, null[2];
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(null), 0);
	pid = fork();
	if (pid == 0) {
		dup2(null[1], 1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execve(argv[0], argv, NULL);
		_exit(127);
	}
	close(null[1]);
	waitpid(pid, &status, 0);		/* the exec stop */
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETOPTIONS, pid, 0,
			       (void *)PTRACE_O_TRACEEXIT), 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096 * 24, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_SIGNAL, SIGUSR2), 16);
	for (;;) {
		status = cont(pid, 0);
		if (!WIFSTOPPED(status))
			break;
		n = drain(pid, recs, 8192);	/* overflow (SIGUSR2) or exit */
		for (i = 0; i < n; i++) {
			const unsigned char *p = (const void *)&recs[i];
			size_t j;

			for (j = 0; j < sizeof(recs[i]); j++)
				hash = (hash ^ p[j]) * 16777619u;
		}
		total += n > 0 ? n : 0;
	}
	close(null[0]);
	UT_EXPECT_EXITED(t, status, 0);
	kt_log(t, "digest: fib 15: %ld records, hash %08x", total,
	       (unsigned)hash);
	KT_EXPECT_GT(t, total, 1000);
}

/* --- transparency -------------------------------------------------------- */

static int pushf_sees_no_tf(void)
{
	unsigned long f;

	work();				/* branches: the unit is busy */
	asm volatile("pushfl; popl %0" : "=r"(f));
	return f & EFLAGS_TF ? 1 : 0;
}

static void pushf_transparent(struct kt_test *t)
{
	pid_t pid = traced_child(pushf_sees_no_tf);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	status = cont(pid, 0);
	UT_EXPECT_EXITED(t, status, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), -1); /* gone */
}

static volatile unsigned long frame_eflags;

static void grab_eflags(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	/* ucontext: flags, link, stack_t (3 words), then sigcontext. */
	frame_eflags = ((unsigned long *)uc)[5 + 16];
}

static int frame_sees_no_tf(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = grab_eflags;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	work();
	raise(SIGUSR1);
	return frame_eflags & EFLAGS_TF ? 1 : frame_eflags ? 0 : 2;
}

static void signal_frame_transparent(struct kt_test *t)
{
	pid_t pid = traced_child(frame_sees_no_tf);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	status = cont(pid, 0);			/* SIGUSR1 stop */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	KT_EXPECT_EQ(t, WSTOPSIG(status), SIGUSR1);
	status = cont(pid, SIGUSR1);		/* deliver it */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));	/* the second SIGSTOP */
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);
}

static int spin_a_while(void)
{
	volatile int i;

	for (i = 0; i < 20000; i++)
		;
	return 0;
}

/* GETREGS in the middle of recording: no TF there either. */
static void getregs_transparent(struct kt_test *t)
{
	struct user_regs_struct r;
	pid_t pid = traced_child(spin_a_while);

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	ptrace(PTRACE_CONT, pid, 0, 0);
	ut_sleep_ms(20);
	kill(pid, SIGUSR2);
	waitpid(pid, NULL, 0);			/* stopped mid-loop */
	KT_ASSERT_EQ(t, ptrace(PTRACE_GETREGS, pid, 0, &r), 0);
	KT_EXPECT_EQ(t, r.eflags & EFLAGS_TF, 0);
	KT_EXPECT_GT(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static volatile int traps;

static void count_trap(int sig)
{
	(void)sig;
	traps++;
}

/* The program's own TF: it still gets its SIGTRAP (once). */
static int own_tf(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_trap;
	sigaction(SIGTRAP, &sa, NULL);
	asm volatile("pushfl\n\t"
		     "orl $0x100, (%%esp)\n\t"
		     "popfl\n\t"		/* TF on: trap after the next */
		     "nop\n\t"
		     "pushfl\n\t"
		     "andl $~0x100, (%%esp)\n\t"
		     "popfl" : : : "memory", "cc");
	return traps >= 1 ? 0 : 1;
}

static void own_tf_still_traps(struct kt_test *t)
{
	pid_t pid = traced_child(own_tf);
	int status, stops = 0;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	for (status = cont(pid, 0); WIFSTOPPED(status) &&
	     WSTOPSIG(status) == SIGTRAP && stops < 10; stops++)
		status = cont(pid, SIGTRAP);	/* hand each one over */
	KT_EXPECT_GE(t, stops, 1);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));	/* the final SIGSTOP */
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);
}

/* A tracer's single steps over the workload: each reported once, the
 * eips follow the code, and the branches are recorded meanwhile. */
static void singlestep_with_recording(struct kt_test *t)
{
	static const char *const path[] = {
		w_loop, w_jnz, w_loop, w_jnz, w_loop, w_jnz,
	};
	struct user_regs_struct r;
	pid_t pid = traced_child(run_work);
	unsigned i, bad = 0;
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096, PTRACE_BTS_O_TRACE, 0), 16);
	/* Run to work()'s first instruction with a breakpoint on it. */
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKEUSER, pid,
			       (void *)offsetof(struct user, u_debugreg),
			       (void *)work), 0);
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKEUSER, pid,
			       (void *)(offsetof(struct user, u_debugreg) + 28),
			       (void *)1), 0);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	ptrace(PTRACE_POKEUSER, pid,
	       (void *)(offsetof(struct user, u_debugreg) + 28), 0);
	ptrace(PTRACE_BTS_CLEAR, pid, 0, 0);
	for (i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
		waitpid(pid, &status, 0);
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP ||
		    (unsigned long)r.eip != (unsigned long)path[i]) {
			kt_log(t, "step %u: status %#x eip %#lx, expected %p",
			       i, status, r.eip, path[i]);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, (long)(r.eflags & EFLAGS_TF), 0);
	/* Two taken jnz were stepped over: two records. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 2);
	finish(pid);
	finish(pid);
}

/* --- the tracer's view of patched text -------------------------------- */

static int work_twice(void)
{
	work();
	raise(SIGSTOP);		/* the tracer looks at the text here */
	work();
	return 0;
}

/*
 * After work() ran under the unit (its branches may now carry int3s),
 * PEEKTEXT shows the bytes the program was built with (the tracer's own
 * copy of the same binary says what they are), and a tracer's own
 * breakpoint, POKEd in, still stops the tracee where it was put.
 */
static void tracer_sees_original_text(struct kt_test *t)
{
	static char *const spots[] = { w_jnz, w_call_a, a_ret, rec_jz, rec_ret };
	struct user_regs_struct r;
	pid_t pid = traced_child(work_twice);
	unsigned i, bad = 0;
	long word, orig;
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 4096 * 24, PTRACE_BTS_O_TRACE, 0), 16);
	status = cont(pid, 0);			/* work() ran: SIGSTOP */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	for (i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		errno = 0;
		word = ptrace(PTRACE_PEEKTEXT, pid, spots[i], 0);
		memcpy(&orig, spots[i], sizeof(orig));
		if (errno || word != orig) {
			kt_log(t, "PEEKTEXT %p: %#lx, built as %#lx", spots[i],
			       word, orig);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	/* The tracer's own int3 on chain_c. */
	memcpy(&orig, chain_c, sizeof(orig));
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKETEXT, pid, chain_c,
			       (void *)((orig & ~0xffL) | 0xcc)), 0);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	KT_ASSERT_EQ(t, ptrace(PTRACE_GETREGS, pid, 0, &r), 0);
	KT_EXPECT_EQ(t, (unsigned long)r.eip, (unsigned long)chain_c + 1);
	/* Put the byte back, back up over it, and let it finish. */
	KT_ASSERT_EQ(t, ptrace(PTRACE_POKETEXT, pid, chain_c, (void *)orig), 0);
	r.eip--;
	KT_ASSERT_EQ(t, ptrace(PTRACE_SETREGS, pid, 0, &r), 0);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);
}

/* --- fork of a traced task -------------------------------------------- */

/* The software unit's trap count, from /proc/bts (0 if absent). */
static long soft_traps(void)
{
	char buf[256], *p;
	long n = ut_read_file("/proc/bts", buf, sizeof(buf));

	if (n <= 0 || !(p = strstr(buf, "soft_traps ")))
		return 0;
	return strtol(p + 11, NULL, 10);
}

static int fork_and_work(void)
{
	int i, status;
	pid_t pid;

	work();			/* our branches are patched now */
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 100; i++)
			work();	/* int3s left in its text would kill it */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/*
 * The seed change at user level: the traced task forks; the child runs
 * the same (patched) code untraced, at full speed: it takes no trap of
 * the software unit and dies of no int3.
 */
static void forked_child_runs_untraced(struct kt_test *t)
{
	pid_t pid = traced_child(fork_and_work);
	long before;
	int status;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 8192 * 24, PTRACE_BTS_O_TRACE, 0), 16);
	before = soft_traps();
	status = cont(pid, 0);		/* runs, forks, waits, stops */
	while (WIFSTOPPED(status) && WSTOPSIG(status) == SIGCHLD)
		status = cont(pid, SIGCHLD);	/* its child's exit */
	KT_ASSERT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	/*
	 * Our own work() and fork() cost a few hundred traps at most (in
	 * step mode, one per instruction); the child's 100 work() calls,
	 * were it traced, would cost 1900 branches or more.
	 */
	if (ut_is_spoor())
		KT_EXPECT_LT(t, soft_traps() - before, 1000);
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);	/* the child was fine */
}

/* --- O_SIGNAL and O_SCHED -------------------------------------------- */

static int loop_forever(void)
{
	for (;;)
		work();
	return 0;
}

static void overflow_signal_stops(struct kt_test *t)
{
	struct ptrace_bts_config cfg;
	pid_t pid = traced_child(loop_forever);
	int status;

	KT_ASSERT_GT(t, pid, 0);
	/* 10 records; the signal comes 4 before the end. */
	KT_ASSERT_EQ(t, bts_config(pid, 10 * 24, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_SIGNAL, SIGUSR2), 16);
	KT_ASSERT_EQ(t, ptrace(PTRACE_BTS_STATUS, pid, &cfg, (void *)16), 16);
	KT_EXPECT_EQ(t, cfg.flags, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_SIGNAL);
	status = cont(pid, 0);
	KT_ASSERT_TRUE(t, WIFSTOPPED(status));
	KT_EXPECT_EQ(t, WSTOPSIG(status), SIGUSR2);
	KT_EXPECT_EQ(t, ptrace(PTRACE_BTS_SIZE, pid, 0, 0), 6);
	/* Draining lets recording go on: the next overflow comes again. */
	KT_EXPECT_EQ(t, drain(pid, recs, 16), 6);
	status = cont(pid, 0);			/* suppress the signal */
	KT_EXPECT_TRUE(t, WIFSTOPPED(status) && WSTOPSIG(status) == SIGUSR2);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int yield_some(void)
{
	int i;

	for (i = 0; i < 5; i++)
		sched_yield();
	return 0;
}

static void sched_records(struct kt_test *t)
{
	pid_t pid = traced_child(yield_some), busy;
	long n, i, arrives = 0, departs = 0;

	KT_ASSERT_GT(t, pid, 0);
	busy = fork();			/* something to switch to */
	if (busy == 0)
		for (;;)
			sched_yield();
	KT_ASSERT_EQ(t, bts_config(pid, 4096 * 24, PTRACE_BTS_O_TRACE |
				   PTRACE_BTS_O_SCHED, 0), 16);
	KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));
	n = drain(pid, recs, 4096);
	for (i = 0; i < n; i++) {
		if (recs[i].qualifier == BTS_TASK_ARRIVES &&
		    recs[i].variant.timestamp.pid == pid)
			arrives++;
		if (recs[i].qualifier == BTS_TASK_DEPARTS &&
		    recs[i].variant.timestamp.pid == pid)
			departs++;
	}
	kt_log(t, "%ld arrives, %ld departs", arrives, departs);
	KT_EXPECT_GE(t, arrives, 5);
	KT_EXPECT_GE(t, departs, 5);
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	finish(pid);
}

KT_SUITE(bts_trace_suite, "bts_trace",
	 KT_CASE(exact_work_trace),
	 KT_CASE(recursion_counts),
	 KT_CASE(fib_digest),
	 KT_CASE(pushf_transparent),
	 KT_CASE(signal_frame_transparent),
	 KT_CASE(getregs_transparent),
	 KT_CASE(own_tf_still_traps),
	 KT_CASE(singlestep_with_recording),
	 KT_CASE(tracer_sees_original_text),
	 KT_CASE(forked_child_runs_untraced),
	 KT_CASE(overflow_signal_stops),
	 KT_CASE(sched_records));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
