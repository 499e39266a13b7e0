/*
 * strace PROG [ARG...] - run PROG, printing each system call it makes
 * on stderr the way Linux strace does:
 *
 *	write(1, "hello, world\n", 13) = 13
 *	open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
 *	--- SIGINT {si_signo=SIGINT, si_code=SI_USER, si_pid=7} ---
 *	exit_group(0) = ?
 *	+++ exited with 0 +++
 *
 * The child asks to be traced (PTRACE_TRACEME) and stops itself; the
 * parent sets PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC and resumes it
 * with PTRACE_SYSCALL, so it stops at the entry and at the exit of every
 * system call.  Inputs are decoded at the entry (execve's arguments are
 * gone by its exit), results at the exit, and each line is written
 * whole at the exit, so the program's own output never lands inside
 * one.  Signals are shown and passed on.  strace exits with the
 * program's status; when a signal killed it, strace dies of the same.
 * Only the program itself is traced, not its children.  The words come
 * from the library's system call decoder (spoor_syscalls.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spoor_syscalls.h>

#define SYSCALL_STOP	(SIGTRAP | 0x80)
#define LINE_MAX_	(SC_MAX_ARGS * SC_ARG_TEXT + 256)
#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Write a finished line to stderr in one write, so lines never mix. */
static void emit(const char *line)
{
	size_t n = strlen(line), off = 0;
	ssize_t r;

	while (off < n) {
		r = write(2, line + off, n - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		off += r;
	}
}

/* --- system call stops ------------------------------------------------- */

/* Entry stop: note the call, decode its inputs. */
static void syscall_entry(struct sc_call *c, pid_t pid)
{
	struct user_regs_struct regs;
	char line[LINE_MAX_] = "";

	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
		memset(&regs, 0, sizeof(regs));
	sc_decode_entry(c, pid, &regs);
	if (c->desc && c->desc->ret == SC_RET_NONE) {
		/* No exit stop will come: print it now. */
		sc_format_head(c, line, sizeof(line));
		sc_append(line, sizeof(line), ") = ?\n");
		emit(line);
	}
}

/* Exit stop: decode the results and print the whole line. */
static void syscall_exit(struct sc_call *c)
{
	struct user_regs_struct regs;
	char line[LINE_MAX_] = "";

	if (ptrace(PTRACE_GETREGS, c->pid, NULL, &regs) < 0)
		return;
	sc_decode_exit(c, regs.eax);
	sc_format_head(c, line, sizeof(line));
	sc_append(line, sizeof(line), ")");
	sc_format_result(c, line, sizeof(line));
	sc_append(line, sizeof(line), "\n");
	emit(line);
}

/* The tracee ended between entry and exit: say so, as strace does. */
static void syscall_unfinished(const struct sc_call *c)
{
	char line[LINE_MAX_] = "";

	if (c->desc && c->desc->ret == SC_RET_NONE)
		return;		/* already printed with "= ?" */
	sc_format_head(c, line, sizeof(line));
	sc_append(line, sizeof(line), " <unfinished ...>) = ?\n");
	emit(line);
}

/* --- signals ----------------------------------------------------------- */

/* Which si_code names apply to which signal; 0: any signal. */
static const struct {
	int sig;
	enum sc_names codes;
} si_code_tables[] = {
	{ SIGCHLD, SC_N_SI_CODE_CHLD },
	{ SIGSEGV, SC_N_SI_CODE_SEGV },
	{ SIGTRAP, SC_N_SI_CODE_TRAP },
	{ 0, SC_N_SI_CODE },
};

/* Append signal @sig's name, or its number. */
static void add_signal(char *line, size_t size, int sig)
{
	const char *name = sc_signal_name(sig);

	if (name)
		sc_append(line, size, "%s", name);
	else
		sc_append(line, size, "%d", sig);
}

/* Append the name of @code for signal @sig, or the number. */
static void add_si_code(char *line, size_t size, int sig, int code)
{
	const char *name;
	size_t i;

	for (i = 0; i < NELEMS(si_code_tables); i++) {
		if (si_code_tables[i].sig && si_code_tables[i].sig != sig)
			continue;
		name = sc_name_of(si_code_tables[i].codes, code);
		if (name) {
			sc_append(line, size, "%s", name);
			return;
		}
	}
	sc_append(line, size, "%d", code);
}

/* A signal-delivery stop: "--- SIGINT {si_signo=SIGINT, ...} ---". */
static void print_signal(const siginfo_t *si)
{
	char line[256] = "--- ";
	int sig = si->si_signo, code = si->si_code;

	add_signal(line, sizeof(line), sig);
	sc_append(line, sizeof(line), " {si_signo=");
	add_signal(line, sizeof(line), sig);
	sc_append(line, sizeof(line), ", si_code=");
	add_si_code(line, sizeof(line), sig, code);
	if (code <= 0 || sig == SIGCHLD)
		sc_append(line, sizeof(line), ", si_pid=%d", (int)si->si_pid);
	else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		 sig == SIGFPE)
		sc_append(line, sizeof(line), ", si_addr=%#lx",
			  (unsigned long)si->si_addr);
	sc_append(line, sizeof(line), "} ---\n");
	emit(line);
}

/*
 * A stop that is neither a system call nor an event: a signal about to
 * be delivered (shown, and passed on: the return value), or the
 * group-stop that follows a stopping signal (GETSIGINFO fails there;
 * nothing to pass on).
 */
static int signal_stop(pid_t pid, int sig)
{
	char line[64] = "--- stopped by ";
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) < 0) {
		add_signal(line, sizeof(line), sig);
		sc_append(line, sizeof(line), " ---\n");
		emit(line);
		return 0;
	}
	print_signal(&si);
	return sig;
}

/* --- the tracer -------------------------------------------------------- */

/* The child: be traced, stop so the parent can set options, then run. */
static void run_tracee(char **argv)
{
	char line[256];

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		perror("strace: PTRACE_TRACEME");
		_exit(127);
	}
	raise(SIGSTOP);
	execvp(argv[0], argv);
	snprintf(line, sizeof(line), "strace: exec %s: %s\n", argv[0],
		 strerror(errno));
	emit(line);
	_exit(127);
}

/* "+++ exited with 0 +++" or "+++ killed by SIGSEGV +++". */
static void print_end(int status)
{
	char line[96];

	if (WIFEXITED(status)) {
		snprintf(line, sizeof(line), "+++ exited with %d +++\n",
			 WEXITSTATUS(status));
	} else {
		strcpy(line, "+++ killed by ");
		add_signal(line, sizeof(line), WTERMSIG(status));
		sc_append(line, sizeof(line), "%s +++\n",
			  WCOREDUMP(status) ? " (core dumped)" : "");
	}
	emit(line);
}

/* End like the tracee: its exit code, or death by its signal. */
static int exit_like(int status)
{
	sigset_t none;
	int sig;

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	sig = WTERMSIG(status);
	signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	raise(sig);
	return 128 + sig;	/* a signal that does not kill */
}

/*
 * Follow @pid from its first stop to its end, printing as we go.
 * Returns its final wait status, or -1 if it was lost.
 */
static int trace(pid_t pid)
{
	static struct sc_call call;
	int status, sig, in_syscall = 0;
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;

	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)opts) < 0) {
		perror("strace: PTRACE_SETOPTIONS");
		kill(pid, SIGKILL);
	}
	sig = 0;		/* swallow the child's own SIGSTOP */
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig) < 0 &&
		    errno != ESRCH) {
			perror("strace: PTRACE_SYSCALL");
			return -1;
		}
		if (waitpid(pid, &status, 0) != pid) {
			if (errno == EINTR)
				continue;
			perror("strace: waitpid");
			return -1;
		}
		sig = 0;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (in_syscall)
				syscall_unfinished(&call);
			print_end(status);
			return status;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (WSTOPSIG(status) == SYSCALL_STOP) {
			if (in_syscall)
				syscall_exit(&call);
			else
				syscall_entry(&call, pid);
			in_syscall = !in_syscall;
		} else if (status >> 16 == 0) {	/* not an event stop */
			sig = signal_stop(pid, WSTOPSIG(status));
		}
	}
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2 || argv[1][0] == '-') {
		emit("usage: strace PROG [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("strace: fork");
		return 1;
	}
	if (pid == 0)
		run_tracee(argv + 1);
	/*
	 * ^C at the shell goes to the tracee too; we stay to report its
	 * end.  After the fork, so the program keeps the dispositions
	 * strace was started with.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		emit("strace: the child did not stop for tracing\n");
		if (waitpid(pid, &status, WNOHANG) == 0)
			kill(pid, SIGKILL);
		return 1;
	}
	status = trace(pid);
	if (status == -1)
		return 1;
	return exit_like(status);
}
