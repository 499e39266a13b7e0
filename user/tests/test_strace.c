/*
 * test_strace - `strace /bin/hello` end to end: the tracer sees every
 * system call of its tracee, entry and exit (PTRACE_SYSCALL), with the
 * arguments and the result, as the README promises.  strace writes its
 * lines to stderr, hello its greeting to stdout: both go to one pipe.
 * A call strace cannot decode is still named (ghello, static glibc).
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spoor/ktest.h>
#include "utest.h"

/* Run `strace ARGS...` with stdout and stderr into @out; its status. */
static int run_strace(char *const argv[], char *out, size_t size)
{
	int fds[2], status;
	long n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execve("/bin/strace", argv, NULL);
		_exit(127);
	}
	close(fds[1]);
	n = ut_read_full(fds[0], out, size - 1);
	out[n < 0 ? 0 : n] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

static void strace_hello(struct kt_test *t)
{
	static char out[4096];
	char *const argv[] = { "strace", "/bin/hello", NULL };
	int status = run_strace(argv, out, sizeof(out));

	kt_log(t, "strace printed %d bytes", (int)strlen(out));
	KT_EXPECT_EQ(t, WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
	/* Entry and exit stops: the arguments, then the result. */
	KT_EXPECT_PTR_NE(t,
			 strstr(out, "write(1, \"hello, world\\n\", 13) = 13"),
			 NULL);
	KT_EXPECT_PTR_NE(t, strstr(out, "+++ exited with 0 +++"), NULL);
	/* The tracee still did its work. */
	KT_EXPECT_PTR_NE(t, strstr(out, "hello, world\n"), NULL);
}

/* Each call is one line: its entry and exit stops pair up. */
static void strace_sees_each_call_once(struct kt_test *t)
{
	static char out[4096];
	char *const argv[] = { "strace", "/bin/hello", NULL };
	const char *first, *again;

	run_strace(argv, out, sizeof(out));
	first = strstr(out, "write(1, ");
	KT_ASSERT_PTR_NE(t, first, NULL);
	/* One line per call: entry and exit stops pair up. */
	again = strstr(first + 1, "write(1, ");
	KT_EXPECT_PTR_EQ(t, again, NULL);
}

/*
 * ghello (static glibc) makes calls strace has no decoder for
 * (set_thread_area, rseq, mmap2, ...): each is still named, from the
 * kernel's table of every Linux call, its arguments in hex.
 */
static void strace_names_every_call(struct kt_test *t)
{
	static char out[8192];
	char *const argv[] = { "strace", "/bin/ghello", NULL };
	int status = run_strace(argv, out, sizeof(out));

	KT_EXPECT_EQ(t, WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
	KT_EXPECT_PTR_NE(t, strstr(out, "hello from glibc"), NULL);
	KT_EXPECT_PTR_NE(t, strstr(out, "\nset_thread_area(0x"), NULL);
	KT_EXPECT_PTR_NE(t, strstr(out, "\nmmap2(0, 0x"), NULL);
	KT_EXPECT_PTR_EQ(t, strstr(out, "syscall_"), NULL);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(strace_suite, "strace",
	 KT_CASE(strace_hello),
	 KT_CASE(strace_sees_each_call_once),
	 KT_CASE(strace_names_every_call));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
