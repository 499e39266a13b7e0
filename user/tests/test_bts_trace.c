/*
 * test_bts_trace - branch tracing end to end through PTRACE_BTS_* with
 * the software BTS unit (or any working unit):
 *  - exact traces: the assembly workload of bts_work.h (a loop, a call
 *    chain, a recursion) yields exactly the expected records, and so
 *    does each workload of bts_classes.h (overlapping code, mov ss,
 *    jcc +0, far transfers, ...), in the boot's mode and in the exact
 *    mode (PTRACE_BTS_O_EXACT);
 *  - a program reading its own text under the exact mode reads what
 *    it was built with;
 *  - a program's own signals (SIGUSR2, SIGTRAP, SIGSEGV) under btrace;
 *  - a static glibc program under btrace, to its end;
 *  - a C recursion yields one call record per invocation;
 *  - a digest of every record of `fib 15`, printed for the twin boots
 *    (bts_soft=step vs fast) to compare;
 *  - the tracer's view of text the software unit patched;
 *  - a traced task's fork: the child runs untraced, without traps.
 * Transparency, overflow and scheduling records: test_bts_transparent.
 */
#include "bts_work.h"
#include "bts_classes.h"

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

/* --- exact traces --------------------------------------------------------- */

/*
 * Compare the records of @recs[0..@n) with both ends in [@begin, @end)
 * against @want[0..@nwant), logging each difference; the number of
 * differences.
 */
static long compare_region(struct kt_test *t, const char *name, long n,
			   const char *begin, const char *end,
			   const struct branch *want, size_t nwant)
{
	uintptr_t lo = (uintptr_t)begin, hi = (uintptr_t)end;
	long i, bad = 0;
	size_t k = 0;

	for (i = 0; i < n; i++) {
		uint64_t from = recs[i].variant.lbr.from;
		uint64_t to = recs[i].variant.lbr.to;

		if (recs[i].qualifier != BTS_BRANCH || from < lo ||
		    from >= hi || to < lo || to >= hi)
			continue;
		if (k >= nwant || from != (uintptr_t)want[k].from ||
		    to != (uintptr_t)want[k].to) {
			kt_log(t, "%s: record %zu: %#llx -> %#llx, expected %p -> %p",
			       name, k, from, to, k < nwant ? want[k].from : NULL,
			       k < nwant ? want[k].to : NULL);
			bad++;
		}
		k++;
	}
	if (k != nwant) {
		kt_log(t, "%s: %zu records, expected %zu", name, k, nwant);
		bad++;
	}
	return bad;
}

/*
 * Each workload of bts_classes.h traced on its own, with @flags added
 * to the configuration: exactly its records, and it computes what it
 * computes untraced (exit status 0).
 */
static void trace_classes(struct kt_test *t, uint32_t flags)
{
	size_t c;

	for (c = 0; c < NR_BTS_CLASSES; c++) {
		const struct bts_class *cl = &bts_classes[c];
		pid_t pid = traced_child(cl->run);
		long n;

		KT_ASSERT_GT(t, pid, 0);
		KT_ASSERT_EQ(t, bts_config(pid, 8192 * 24,
					   PTRACE_BTS_O_TRACE | flags, 0), 16);
		KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));
		n = drain(pid, recs, 8192);
		KT_EXPECT_EQ(t, compare_region(t, cl->name, n, cl->begin,
					       cl->end, cl->expected, cl->n), 0);
		UT_EXPECT_EXITED(t, cont(pid, 0), 0);
	}
}

static void exact_class_traces(struct kt_test *t)
{
	trace_classes(t, 0);
}

static void exact_class_traces_exact_mode(struct kt_test *t)
{
	trace_classes(t, PTRACE_BTS_O_EXACT);
}

/* A checksum of work()'s text, read as data. */
static uint32_t work_text_sum(void)
{
	const volatile unsigned char *p = (const void *)work_begin;
	uint32_t sum = 0;

	while (p < (const unsigned char *)work_end)
		sum = sum * 31 + *p++;
	return sum;
}

static int sum_work_sum(void)
{
	uint32_t before = work_text_sum();

	work();
	return work_text_sum() != before;
}

/*
 * Code read as data under the exact mode (the one PTRACE_BTS_O_EXACT
 * promises): the program reads the bytes it was built with after its
 * branches ran traced, and its records are work()'s, exactly.
 */
static void text_read_exact_mode(struct kt_test *t)
{
	pid_t pid = traced_child(sum_work_sum);
	long n;

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, bts_config(pid, 8192 * 24,
				   PTRACE_BTS_O_TRACE | PTRACE_BTS_O_EXACT, 0),
		     16);
	KT_ASSERT_TRUE(t, WIFSTOPPED(cont(pid, 0)));
	n = drain(pid, recs, 8192);
	KT_EXPECT_EQ(t, compare_region(t, "work", n, work_begin, work_end,
				       expected_work,
				       sizeof(expected_work) /
					       sizeof(expected_work[0])),
		     0);
	UT_EXPECT_EXITED(t, cont(pid, 0), 0);	/* the sums agreed */
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

/* --- a program's own signals under btrace -------------------------------- */

/*
 * Run @argv with its stdout into @buf (at most @size - 1 bytes, NUL
 * ended), keeping only the lines that begin with @prefix; 0 or -1.
 */
static int run_lines(char *const argv[], const char *prefix, char *buf,
		     size_t size)
{
	char all[8192];
	long n, got = 0;
	int fds[2], status;
	size_t len = 0, plen = strlen(prefix);
	char *line, *nl;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execve(argv[0], argv, NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], all + got, sizeof(all) - 1 - got)) > 0)
		got += n;
	/* btrace's listing may not fit: the rest is drained unread. */
	while (read(fds[0], buf, size) > 0)
		;
	close(fds[0]);
	waitpid(pid, &status, 0);
	all[got] = '\0';
	buf[0] = '\0';
	for (line = all; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (strncmp(line, prefix, plen) || len + strlen(line) + 2 > size)
			continue;
		len += snprintf(buf + len, size - len, "%s\n", line);
	}
	return 0;
}

/*
 * sigown sends itself SIGUSR2 (btrace's own overflow signal), raises
 * SIGTRAP with int3 and with TF, and catches a SIGSEGV: under btrace,
 * in either mode, its handlers see what they see untraced.
 */
static void own_signals_under_btrace(struct kt_test *t)
{
	static char *const plain[] = { "/bin/sigown", NULL };
	static char *const traced[] = { "/bin/btrace", "-n", "1",
					"/bin/sigown", NULL };
	static char *const exact[] = { "/bin/btrace", "-x", "-n", "1",
				       "/bin/sigown", NULL };
	static char want[512], got[512];

	KT_ASSERT_EQ(t, run_lines(plain, "sigown:", want, sizeof(want)), 0);
	kt_log(t, "untraced:\n%s", want);
	KT_EXPECT_TRUE(t, strstr(want, "usr2 2") && strstr(want, "int3 1") &&
				  strstr(want, "segv 11"));
	KT_ASSERT_EQ(t, run_lines(traced, "sigown:", got, sizeof(got)), 0);
	KT_EXPECT_STREQ(t, got, want);
	KT_ASSERT_EQ(t, run_lines(exact, "sigown:", got, sizeof(got)), 0);
	KT_EXPECT_STREQ(t, got, want);
}

/* --- a static glibc program under btrace ------------------------------ */

/*
 * ghello, built against glibc (its TLS set-up, its own start-up code):
 * btrace runs it to the end and lists the last 20 of its branches.
 */
static void glibc_program_under_btrace(struct kt_test *t)
{
	static char *const argv[] = { "/bin/btrace", "-n", "20",
				      "/bin/ghello", NULL };
	static char out[4096];
	const char *p, *summary;
	int records = 0;

	KT_ASSERT_EQ(t, run_lines(argv, "", out, sizeof(out)), 0);
	KT_EXPECT_TRUE(t, strstr(out, "hello from glibc") != NULL);
	summary = strstr(out, "btrace: ");
	KT_ASSERT_TRUE(t, summary != NULL);
	kt_log(t, "%s", summary);
	KT_EXPECT_TRUE(t, strstr(summary, " branches, /bin/ghello exited "
					  "with 0") != NULL);
	KT_EXPECT_GT(t, strtol(summary + 8, NULL, 10), 1000);
	for (p = out; (p = strstr(p, " -> ")); p++)
		records++;
	KT_EXPECT_EQ(t, records, 20);
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
 * The fork rule of Linux 2.6.29 ("x86, bts: add fork and exit
 * handling") at user level: the traced task forks; the child runs
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

KT_SUITE(bts_trace_suite, "bts_trace",
	 KT_CASE(exact_work_trace),
	 KT_CASE(exact_class_traces),
	 KT_CASE(exact_class_traces_exact_mode),
	 KT_CASE(text_read_exact_mode),
	 KT_CASE(own_signals_under_btrace),
	 KT_CASE(glibc_program_under_btrace),
	 KT_CASE(recursion_counts),
	 KT_CASE(fib_digest),
	 KT_CASE(tracer_sees_original_text),
	 KT_CASE(forked_child_runs_untraced));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
