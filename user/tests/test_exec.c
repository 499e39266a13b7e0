/*
 * test_exec: execve.  The new image gets exactly the argv and envp
 * given, keeps the pid and open fds, loses handlers but keeps ignored
 * signals and the mask; failures return to the caller with ENOENT and
 * friends.  Most cases exec this very program with a helper command in
 * argv[1] (see helper_main), so the other side is code we control.
 */
#include <spoor/limits.h>	/* Spoor's ARG_MAX, also on a Linux host */

#include "utest.h"

#define SELF_DEFAULT	"/bin/test_exec"
#define BIG_ARGS	32
#define BIG_ARG_LEN	48

static const char *self = SELF_DEFAULT;
static char *no_env[] = { NULL };

/* ---- the helper side: this program run as `test_exec CMD ...` -------- */

static void put(const char *s)
{
	ut_write_full(1, s, strlen(s));
}

/* Print argc, every argv and envp string; exit 42. */
static int helper_argdump(int argc, char **argv, char **envp)
{
	char line[512];
	int i;

	snprintf(line, sizeof(line), "argc=%d\n", argc);
	put(line);
	for (i = 0; i < argc; i++) {
		snprintf(line, sizeof(line), "argv[%d]=<%s>\n", i, argv[i]);
		put(line);
	}
	if (argv[argc] != NULL)
		put("argv not NULL-terminated\n");
	for (i = 0; envp[i]; i++) {
		snprintf(line, sizeof(line), "env=<%s>\n", envp[i]);
		put(line);
	}
	return 42;
}

/* The @i-th long argument of exec_big_args. */
static void big_arg(char *buf, int i)
{
	int k;

	for (k = 0; k < BIG_ARG_LEN; k++)
		buf[k] = 'a' + (i + k) % 26;
	buf[BIG_ARG_LEN] = '\0';
}

/*
 * Exit code bits: 1 SIGUSR1 handler survived exec, 2 SIGUSR2 no longer
 * ignored, 4 SIGHUP no longer blocked.
 */
static int helper_sigstate(void)
{
	struct sigaction sa;
	sigset_t cur;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &sa);
	bad |= sa.sa_handler != SIG_DFL;
	sigaction(SIGUSR2, NULL, &sa);
	bad |= (sa.sa_handler != SIG_IGN) << 1;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	bad |= !sigismember(&cur, SIGHUP) << 2;
	return bad;
}

static int helper_main(int argc, char **argv, char **envp)
{
	const char *cmd = argv[1];
	char line[32];
	int i;

	if (!strcmp(cmd, "argdump"))
		return helper_argdump(argc, argv, envp);
	if (!strcmp(cmd, "getpid")) {
		snprintf(line, sizeof(line), "%d", (int)getpid());
		put(line);
		return 0;
	}
	if (!strcmp(cmd, "nargs")) {
		snprintf(line, sizeof(line), "%d", argc);
		put(line);
		return 0;
	}
	if (!strcmp(cmd, "fdwrite") && argc == 3)
		return write(atoi(argv[2]), "fd-ok", 5) == 5 ? 0 : 1;
	if (!strcmp(cmd, "sigstate"))
		return helper_sigstate();
	if (!strcmp(cmd, "exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(cmd, "bigargs")) {
		char want[BIG_ARG_LEN + 1];

		if (argc != 2 + BIG_ARGS)
			return 1;
		for (i = 0; i < BIG_ARGS; i++) {
			big_arg(want, i);
			if (strcmp(argv[2 + i], want))
				return 2;
		}
		return 0;
	}
	return 125;
}

/* ---- the test side ---------------------------------------------------- */

/* The new image sees argv and envp exactly, empty strings included. */
static void exec_argv_envp(struct kt_test *t)
{
	char *argv[] = { "first-arg", "argdump", "two words", "", "last",
			 NULL };
	char *envp[] = { "A=1", "EMPTY=", "SPACED=x y z", NULL };
	static const char want[] =
		"argc=5\n"
		"argv[0]=<first-arg>\n"
		"argv[1]=<argdump>\n"
		"argv[2]=<two words>\n"
		"argv[3]=<>\n"
		"argv[4]=<last>\n"
		"env=<A=1>\n"
		"env=<EMPTY=>\n"
		"env=<SPACED=x y z>\n";
	char out[1024];
	int st;

	st = ut_run_capture(self, argv, envp, out, sizeof(out));
	UT_EXPECT_EXITED(t, st, 42);
	KT_EXPECT_STREQ(t, out, want);
	/* An empty environment is empty. */
	st = ut_run_capture(self, argv, no_env, out, sizeof(out));
	UT_EXPECT_EXITED(t, st, 42);
	KT_EXPECT_TRUE(t, strstr(out, "env=") == NULL);
}

/* A system program gets its arguments: echo joins them. */
static void exec_echo(struct kt_test *t)
{
	char *argv[] = { "echo", "hello", "world", NULL };
	char out[64];
	int st;

	st = ut_run_capture("/bin/echo", argv, no_env, out, sizeof(out));
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_STREQ(t, out, "hello world\n");
}

static void exec_hello(struct kt_test *t)
{
	char *argv[] = { "hello", NULL };
	char out[64];
	int st;

	if (!ut_is_spoor())
		KT_SKIP(t, "/bin/hello is Spoor's");
	st = ut_run_capture("/bin/hello", argv, no_env, out, sizeof(out));
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_STREQ(t, out, "hello, world\n");
}

/* The pid survives exec. */
static void exec_keeps_pid(struct kt_test *t)
{
	char *argv[] = { "x", "getpid", NULL };
	char out[32];
	int fds[2], st;
	pid_t pid;
	long n;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execve(self, argv, no_env);
		_exit(127);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	n = ut_read_full(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[n < 0 ? 0 : n] = '\0';
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_EQ(t, atoi(out), pid);
}

/* Open fds stay open across exec, under the same numbers. */
static void exec_keeps_fds(struct kt_test *t)
{
	char num[16], out[16] = { 0 };
	char *argv[] = { "x", "fdwrite", num, NULL };
	int fds[2], st;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	snprintf(num, sizeof(num), "%d", fds[1]);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		execve(self, argv, no_env);
		_exit(127);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], out, 5), 5);
	close(fds[0]);
	KT_EXPECT_STREQ(t, out, "fd-ok");
	st = ut_wait(pid, 0);
	UT_EXPECT_EXITED(t, st, 0);
}

static void never_called(int sig)
{
	(void)sig;
}

static int exec_sigstate(void *arg)
{
	char *argv[] = { "x", "sigstate", NULL };
	sigset_t set;

	(void)arg;
	ut_handle(SIGUSR1, never_called, 0);
	ut_handle(SIGUSR2, SIG_IGN, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	execve(self, argv, no_env);
	return 127;
}

/* Handlers reset to SIG_DFL; SIG_IGN and the blocked mask survive. */
static void exec_resets_handlers(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(exec_sigstate, NULL), 0);
}

/* What main returns, or exit's code, is the status the parent sees. */
static void exec_exit_status(struct kt_test *t)
{
	char *argv[] = { "x", "exit", "77", NULL };
	char out[8];

	UT_EXPECT_EXITED(t, ut_run_capture(self, argv, no_env, out, sizeof(out)),
			 77);
}

/* execve(@path) in a child with no stdout; it exits with the errno. */
static int exec_errno(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		close(1);
		execve(path, argv, no_env);
		_exit(errno);
	}
	st = pid < 0 ? -1 : ut_wait(pid, 0);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A failed exec returns to the caller with the reason. */
static void exec_failures(struct kt_test *t)
{
	char *argv[] = { "nothing", NULL };
	int e;

	KT_EXPECT_EQ(t, exec_errno("/bin/no-such-program"), ENOENT);
	KT_EXPECT_EQ(t, exec_errno("/no-such-dir/prog"), ENOENT);
	KT_EXPECT_EQ(t, exec_errno(""), ENOENT);
	e = exec_errno("/etc/motd");	/* not an ELF (nor executable) */
	KT_EXPECT_TRUE(t, e == ENOEXEC || e == EACCES);
	if (e != ENOEXEC && e != EACCES)
		kt_log(t, "exec /etc/motd: %d", e);
	/* And here, in this very process, it returns too. */
	UT_EXPECT_ERR(t, execve("/bin/no-such-program", argv, no_env), ENOENT);
}

/* Many execs in a row, each with its own exit code. */
static void exec_storm(struct kt_test *t)
{
	char code[8], *argv[] = { "x", "exit", code, NULL };
	int i, good = 0, st;
	pid_t pid;

	for (i = 0; i < 50; i++) {
		snprintf(code, sizeof(code), "%d", i);
		pid = fork();
		if (pid == 0) {
			execve(self, argv, no_env);
			_exit(127);
		}
		KT_ASSERT_GT(t, pid, 0);
		st = ut_wait(pid, 0);
		good += st == i << 8;
	}
	KT_EXPECT_EQ(t, good, 50);
}

/* A longer argument vector arrives intact. */
static void exec_big_args(struct kt_test *t)
{
	static char args[BIG_ARGS][BIG_ARG_LEN + 1];
	char *argv[2 + BIG_ARGS + 1];
	char out[8];
	int i;

	argv[0] = "x";
	argv[1] = "bigargs";
	for (i = 0; i < BIG_ARGS; i++) {
		big_arg(args[i], i);
		argv[2 + i] = args[i];
	}
	argv[2 + BIG_ARGS] = NULL;
	UT_EXPECT_EXITED(t, ut_run_capture(self, argv, no_env, out, sizeof(out)),
			 0);
}

/*
 * Spoor's execve limit, exactly (Linux's is larger): strings, NULs and
 * a pointer each, ARG_MAX bytes in all, run; one byte more is E2BIG,
 * returned to this very process, which goes on as it was and has not
 * lost a page.
 */
static void exec_arg_max(struct kt_test *t)
{
	enum { FILL = 1000 };		/* bytes of each filler string */
	static char fill[FILL + 1], last[2 * FILL + 16];
	static char *argv[ARG_MAX / FILL + 8];
	char *fixed[] = { "x", "nargs" };
	long pages0 = 0, heap0 = 0, pages1 = 0, heap1 = 0;
	size_t used = 0;
	int n = 0, k;
	char out[8], want[8];

	if (!ut_is_spoor())
		KT_SKIP(t, "Spoor's own ARG_MAX");
	memset(fill, 'f', FILL);
	for (k = 0; k < 2; k++) {
		argv[n++] = fixed[k];
		used += strlen(fixed[k]) + 1 + sizeof(char *);
	}
	while (used + 2 * (FILL + 1 + sizeof(char *)) <= ARG_MAX) {
		argv[n++] = fill;
		used += FILL + 1 + sizeof(char *);
	}
	/* The last string takes exactly what is left. */
	k = ARG_MAX - used - 1 - sizeof(char *);
	memset(last, 'l', k);
	last[k] = '\0';
	argv[n++] = last;
	argv[n] = NULL;
	UT_EXPECT_EXITED(t, ut_run_capture(self, argv, no_env, out, sizeof(out)),
			 0);
	snprintf(want, sizeof(want), "%d", n);
	KT_EXPECT_STREQ(t, out, want);

	last[k] = 'l';			/* one byte over */
	last[k + 1] = '\0';
	KT_ASSERT_EQ(t, ut_meminfo(&pages0, &heap0), 0);
	UT_EXPECT_ERR(t, execve(self, argv, no_env), E2BIG);
	UT_EXPECT_ERR(t, execve(self, argv, argv), E2BIG);
	KT_ASSERT_EQ(t, ut_meminfo(&pages1, &heap1), 0);
	KT_EXPECT_EQ(t, pages1, pages0);
	KT_EXPECT_EQ(t, heap1, heap0);
}

/* vfork then exec: the usual way to start a program. */
static void exec_after_vfork(struct kt_test *t)
{
	char *argv[] = { "x", "exit", "9", NULL };
	pid_t pid = vfork();

	if (pid == 0) {
		execve(self, argv, no_env);
		_exit(127);
	}
	KT_ASSERT_GT(t, pid, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 9);
}

KT_SUITE(exec_suite, "exec",
	 KT_CASE(exec_argv_envp),
	 KT_CASE(exec_echo),
	 KT_CASE(exec_hello),
	 KT_CASE(exec_keeps_pid),
	 KT_CASE(exec_keeps_fds),
	 KT_CASE(exec_resets_handlers),
	 KT_CASE(exec_exit_status),
	 KT_CASE(exec_failures),
	 KT_CASE(exec_storm),
	 KT_CASE(exec_big_args),
	 KT_CASE(exec_arg_max),
	 KT_CASE(exec_after_vfork));

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2)
		return helper_main(argc, argv, envp);
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	ut_reset_signals();
	return kt_main();
}
