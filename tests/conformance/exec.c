/*
 * exec: the new image gets exactly the argv and envp it was given,
 * keeps the pid and open fds, resets handlers but keeps SIG_IGN and the
 * mask; main's return value is the exit status; failed execs return
 * ENOENT or EFAULT and leave the caller as it was.  Large argument
 * and environment strings arrive whole; one string over 128 KiB, or
 * 8 MiB in all, is E2BIG on Linux and on Spoor.  Most cases exec
 * this very program with a command in argv[1] (helper()).
 */
#include <sys/syscall.h>

#include "conf.h"

static const char *self = "/bin/conf_exec";
static char *no_env[] = { NULL };

static void never_called(int sig)
{
	(void)sig;
}

/* This program run as `exec CMD ...`. */
static int helper(int argc, char **argv, char **envp)
{
	struct sigaction sa;
	int i;

	if (!strcmp(argv[1], "args")) {
		say("  argc %d", argc);
		for (i = 0; i < argc; i++)
			say("  argv[%d] <%s>", i, argv[i]);
		say("  argv[argc] is NULL: %s", yes(argv[argc] == NULL));
		for (i = 0; envp[i]; i++)
			say("  env <%s>", envp[i]);
		return 42;
	}
	if (!strcmp(argv[1], "sum")) {
		size_t args = 0, env = 0;

		for (i = 0; i < argc; i++)
			args += strlen(argv[i]);
		for (i = 0; envp[i]; i++)
			env += strlen(envp[i]);
		say("  argc %d, %zu bytes of args, %d env strings of %zu bytes",
		    argc, args, i, env);
		return 0;
	}
	if (!strcmp(argv[1], "fd") && argc == 3)
		return write(atoi(argv[2]), "via inherited fd", 16) != 16;
	if (!strcmp(argv[1], "pid") && argc == 3)
		return atoi(argv[2]) == getpid() ? 0 : 1;
	if (!strcmp(argv[1], "signals")) {
		sigaction(SIGUSR1, NULL, &sa);
		say("  SIGUSR1 handler after exec: %s",
		    sa.sa_handler == SIG_DFL ? "SIG_DFL" : "kept");
		sigaction(SIGUSR2, NULL, &sa);
		say("  SIGUSR2 ignored after exec: %s",
		    yes(sa.sa_handler == SIG_IGN));
		say("  SIGHUP blocked after exec: %s", yes(is_blocked(SIGHUP)));
		return 0;
	}
	return 125;
}

/* fork, exec @argv of @path in the child; wait and say the status. */
static void run(const char *what, const char *path, char **argv, char **envp)
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		say("  execve failed: %s", errno_name(errno));
		_exit(127);
	}
	wait_say(what, pid, 0);
}

static int exec_sigstate(void)
{
	char *argv[] = { "x", "signals", NULL };

	set_handler(SIGUSR1, never_called, 0);
	set_handler(SIGUSR2, SIG_IGN, 0);
	mask_one(SIG_BLOCK, SIGHUP);
	execve(self, argv, no_env);
	return 127;
}

static void successes(void)
{
	char *args[] = { "zeroth", "args", "two words", "", "last", NULL };
	char *envp[] = { "A=1", "EMPTY=", "SPACED=x y", NULL };
	char *echo[] = { "echo", "hello", "from", "echo", NULL };
	char fdnum[16], pidnum[16];
	char *fdargs[] = { "x", "fd", fdnum, NULL };
	char *pidargs[] = { "x", "pid", pidnum, NULL };
	char buf[32] = { 0 };
	int fds[2];
	pid_t pid;

	run("exec with args and env", self, args, envp);
	run("exec with an empty env", self, args, no_env);
	run("exec /bin/echo", "/bin/echo", echo, no_env);

	pipe(fds);
	snprintf(fdnum, sizeof(fdnum), "%d", fds[1]);
	run("exec writing to an inherited fd", self, fdargs, no_env);
	close(fds[1]);
	read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	say("read back: %s", buf);

	pid = fork();
	if (pid == 0) {
		snprintf(pidnum, sizeof(pidnum), "%d", getpid());
		execve(self, pidargs, no_env);
		_exit(127);
	}
	wait_say("exec keeps the pid (exit 0 if so)", pid, 0);

	pid = fork();
	if (pid == 0)
		_exit(exec_sigstate());
	wait_say("exec and signal state", pid, 0);
}

/* A raw execve in a child without stdout; say the errno it failed with. */
static void exec_fails(const char *what, const void *path, const void *argv,
		       const void *envp)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		close(1);
		syscall(SYS_execve, path, argv, envp);
		_exit(errno);
	}
	st = wait_quiet(pid, 0);
	say("%s: %s", what,
	    st >= 0 && WIFEXITED(st) ? errno_name(WEXITSTATUS(st)) :
				       "did not fail");
}

#define KIB		1024
#define HUGE_ARGS	(8 * KIB)	/* of one KiB: 8 MiB */

/*
 * A vector of @count pointers to one string of @len 'a's (after a
 * "sum" command when @cmd), NULL-terminated; freed by the caller.
 */
static char **big_vector(int count, size_t len, int cmd)
{
	char **v = malloc((count + 2) * sizeof(*v));
	char *s = malloc(len + 1);
	int i = 0;

	if (!v || !s)
		exit(99);
	memset(s, 'a', len);
	s[len] = '\0';
	if (cmd) {
		v[i++] = "x";
		v[i++] = "sum";
	}
	while (i < count)
		v[i++] = s;
	v[i] = NULL;
	return v;
}

static void free_vector(char **v, int cmd)
{
	free(v[cmd ? 2 : 0]);
	free(v);
}

static void large_arguments(void)
{
	char **v16 = big_vector(18, KIB, 1), **v100 = big_vector(102, KIB, 1);
	char **env = big_vector(60, KIB, 0),
	     **huge = big_vector(3, 200 * KIB, 1);
	char **many = big_vector(HUGE_ARGS, KIB, 1);
	char *argv[] = { "x", "sum", NULL };

	run("exec with 16 KiB of args", self, v16, no_env);
	run("exec with 100 KiB of args", self, v100, no_env);
	run("exec with 60 KiB of environment", self, argv, env);
	exec_fails("exec with a 200 KiB argument", self, huge, no_env);
	exec_fails("exec with 8 MiB of args", self, many, no_env);
	free_vector(v16, 1);
	free_vector(v100, 1);
	free_vector(env, 0);
	free_vector(huge, 1);
	free_vector(many, 1);
}

static void failures(void)
{
	char *argv[] = { "x", NULL };
	char *bad_elem[] = { "x", (char *)-4096L, NULL };
	void *bad = (void *)-4096L;

	exec_fails("exec a missing file", "/bin/no-such-program", argv, no_env);
	exec_fails("exec in a missing dir", "/no-such-dir/prog", argv, no_env);
	exec_fails("exec an empty path", "", argv, no_env);
	exec_fails("exec a NULL path", NULL, argv, no_env);
	exec_fails("exec a kernel-address path", bad, argv, no_env);
	exec_fails("exec with a kernel-address argv", self, bad, no_env);
	exec_fails("exec with a kernel-address envp", self, argv, bad);
	exec_fails("exec with a bad argv[1]", self, bad_elem, no_env);
	exec_fails("exec with a bad envp[1]", self, argv, bad_elem);
	TRY("and in this process",
	    execve("/bin/no-such-program", argv, no_env));
	say("still running");
}

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2)
		return helper(argc, argv, envp);
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	conf_init();
	successes();
	failures();
	large_arguments();
	say("still running");
	return 0;
}
