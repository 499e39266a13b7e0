/*
 * ptrace_events: how stops are encoded.  PTRACE_SYSCALL's entry and
 * exit stops, in turn, as SIGTRAP | 0x80 under TRACESYSGOOD and plain
 * SIGTRAP without; the number at both, -ENOSYS at the entry, the result
 * at the exit; orig = -1 skips the call.  Event stops for fork, vfork,
 * vfork-done, exec and exit: status >> 8 == SIGTRAP | PTRACE_EVENT_x
 * << 8, GETSIGINFO's si_code the same, GETEVENTMSG's message; a forked
 * child starts traced and stopped.  Register names differ between
 * architectures, so only the system call number and result are read.
 */
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "conf.h"

#if defined(__x86_64__)
#define NR_OFFSET	offsetof(struct user, regs.orig_rax)
#define RESULT_OFFSET	offsetof(struct user, regs.rax)
#elif defined(__i386__)
#define NR_OFFSET	offsetof(struct user, regs.orig_eax)
#define RESULT_OFFSET	offsetof(struct user, regs.eax)
#else
#error "say where this architecture keeps the system call number"
#endif

#define ARG(v)		((void *)(long)(v))

static const char *self = "/bin/conf_ptrace_events";

static long peek_user(pid_t pid, size_t off)
{
	return ptrace(PTRACE_PEEKUSER, pid, ARG(off), NULL);
}

/* Traced child, stopped by its own SIGSTOP, then running @body. */
static pid_t traced_child(void (*body)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		kill(getpid(), SIGSTOP);
		body();
		_exit(0);
	}
	wait_quiet(pid, 0);
	return pid;
}

static void two_calls(void)
{
	syscall(SYS_getpid);
	syscall(SYS_getppid);
}

static const char *call_name(long nr)
{
	if (nr == SYS_getpid)
		return "getpid";
	if (nr == SYS_getppid)
		return "getppid";
	if (nr == SYS_exit_group)
		return "exit_group";
	if (nr == -1)
		return "none (-1)";
	return "another";
}

/* The result register at a stop, in words that hold on any system. */
static const char *result_name(int entry, long nr, long res, pid_t child)
{
	if (entry)
		return res == -ENOSYS ? "-ENOSYS" : "other";
	if (nr == SYS_getpid)
		return res == child ? "its pid" : "other";
	if (nr == SYS_getppid)
		return res == getpid() ? "our pid" : "other";
	return "other";
}

/* Follow system call stops to the end, one line each. */
static void syscall_stops(const char *what, long options)
{
	pid_t pid = traced_child(two_calls);
	int st, n, entry = 1;
	long nr, res;

	say("%s:", what);
	TRY("  SETOPTIONS", ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(options)));
	for (n = 0; n < 10; n++) {
		ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
		st = wait_quiet(pid, 0);
		if (st == -1 || !WIFSTOPPED(st)) {
			say("  then: %s", st == -1 ? "lost" : status_str(st));
			return;
		}
		nr = peek_user(pid, NR_OFFSET);
		res = peek_user(pid, RESULT_OFFSET);
		say("  %s %s: %s, result %s", entry ? "entry" : "exit ",
		    call_name(nr), status_str(st),
		    result_name(entry, nr, res, pid));
		entry = !entry;
	}
	kill(pid, SIGKILL);
	wait_quiet(pid, 0);
}

static int skip_fd = -1;

static void write_x(void)
{
	long r = syscall(SYS_write, skip_fd, "x", 1);

	_exit(r == -1 && errno == ENOSYS ? 0 : 1);
}

/* orig = -1 at the entry: the call is not made, the result -ENOSYS. */
static void skip_a_call(void)
{
	int fds[2];
	pid_t pid;
	char c;

	pipe(fds);
	skip_fd = fds[1];
	pid = traced_child(write_x);
	close(fds[1]);
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	wait_quiet(pid, 0);
	say("skip: entry of write: %s",
	    yes(peek_user(pid, NR_OFFSET) == SYS_write));
	TRY("  POKEUSER orig = -1",
	    ptrace(PTRACE_POKEUSER, pid, ARG(NR_OFFSET), ARG(-1)));
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	wait_say("  exit stop", pid, 0);
	say("  number -1, result -ENOSYS: %s",
	    yes(peek_user(pid, NR_OFFSET) == -1 &&
		peek_user(pid, RESULT_OFFSET) == -ENOSYS));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  child (exit 0: it saw ENOSYS)", pid, 0);
	say("  nothing written: %s", yes(read(fds[0], &c, 1) == 0));
	close(fds[0]);
}

/* Say an event stop: its status >> 8 and GETSIGINFO's si_code. */
static void say_event(const char *what, pid_t pid, int st)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GETSIGINFO, pid, NULL, &si);
	say("%s: %s, status >> 8 = %#x, si_signo %d, si_code %#x", what,
	    status_str(st), (unsigned)st >> 8, si.si_signo, si.si_code);
}

static void fork_child(void)
{
	pid_t c = fork();

	if (c == 0)
		_exit(9);
	wait_quiet(c, 0);
}

static void vfork_child(void)
{
	pid_t c = vfork();

	if (c == 0)
		_exit(9);
	wait_quiet(c, 0);
}

/* Run traced children that fork (or vfork) under @options. */
static void fork_events(const char *what, void (*body)(void), long options)
{
	unsigned long msg = 0;
	pid_t pid, child;
	int st, i;

	say("%s:", what);
	pid = traced_child(body);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(options));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	st = wait_quiet(pid, 0);
	say_event("  parent", pid, st);
	ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
	child = msg;
	say("  message is a new child: %s", yes(child > 0 && child != pid));
	st = wait_quiet(child, 0);
	say_event("  child", child, st);
	for (i = 0; i < 5 && WIFSTOPPED(st); i++) {
		ptrace(PTRACE_CONT, child, NULL, NULL);
		st = wait_quiet(child, 0);
		if (WIFSTOPPED(st))
			say_event("  child", child, st);
	}
	say("  child: %s", status_str(st));
	for (i = 0; i < 5; i++) {
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		st = wait_quiet(pid, 0);
		if (!WIFSTOPPED(st))
			break;
		if (st >> 16)
			say_event("  parent", pid, st);
		else
			say("  parent: %s", status_str(st));
		msg = 0;
		ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
		if (st >> 16 == PTRACE_EVENT_VFORK_DONE)
			say("  message is the child: %s",
			    yes(msg == (unsigned long)child));
	}
	say("  parent: %s", status_str(st));
}

static void exec_self(void)
{
	char *argv[] = { (char *)self, "exit42", NULL };
	char *envp[] = { NULL };

	execve(self, argv, envp);
	_exit(5);
}

static void exec_events(void)
{
	unsigned long msg = 0;
	pid_t pid;
	int st;

	pid = traced_child(exec_self);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(PTRACE_O_TRACEEXEC));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	st = wait_quiet(pid, 0);
	say_event("exec with TRACEEXEC", pid, st);
	ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
	say("  message is its pid: %s", yes(msg == (unsigned long)pid));
	say("  number is execve: %s",
	    yes(peek_user(pid, NR_OFFSET) == SYS_execve));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  then", pid, 0);

	pid = traced_child(exec_self);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	st = wait_quiet(pid, 0);
	say_event("exec without", pid, st);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  then", pid, 0);
}

static void exit_7(void)
{
	_exit(7);
}

static void exit_events(void)
{
	unsigned long msg = 0;
	pid_t pid;
	int st;

	pid = traced_child(exit_7);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(PTRACE_O_TRACEEXIT));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	st = wait_quiet(pid, 0);
	say_event("exit with TRACEEXIT", pid, st);
	ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
	say("  message: %#lx", msg);
	TRY("  kill(it, 0)", kill(pid, 0));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  then", pid, 0);
}

static void bad_options(void)
{
	pid_t pid = traced_child(exit_7);

	TRY("SETOPTIONS 0x80000000",
	    ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(0x80000000L)));
	TRY("SETOPTIONS 0", ptrace(PTRACE_SETOPTIONS, pid, NULL, ARG(0)));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	wait_say("  then", pid, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit42"))
		return 42;
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	conf_init();
	syscall_stops("system call stops, TRACESYSGOOD", PTRACE_O_TRACESYSGOOD);
	syscall_stops("system call stops, no options", 0);
	skip_a_call();
	fork_events("fork, TRACEFORK|TRACEEXIT", fork_child,
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXIT);
	fork_events("vfork, TRACEVFORK|TRACEVFORKDONE", vfork_child,
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE);
	exec_events();
	exit_events();
	bad_options();
	return 0;
}
