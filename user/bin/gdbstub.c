/*
 * gdbstub - let a GDB on the host debug a Spoor process over a serial
 * line, in the spirit of gdbserver:
 *
 *     gdbstub DEVICE [--bench] PROG [ARGS...]   start PROG, stopped at
 *                                               its first instruction
 *     gdbstub DEVICE [--bench] --attach PID     stop a running process
 *
 * and on the host:  gdb build/user/bin/PROG -ex 'target remote ...'
 * (`make gdb` does all of it).  The stub speaks GDB's Remote Serial
 * Protocol and acts only through ptrace: registers, memory, int3
 * breakpoints, debug-register watchpoints, single steps, signals, and
 * branch trace (`record btrace bts`) from the kernel's BTS unit.  It
 * exits when the program does, or when GDB kills or detaches it; a
 * GDB that goes away without either leaves the program stopped for
 * the next one to connect.  --bench prints, at exit, the guest ticks
 * spent between receiving an m or s packet and sending its reply.
 *
 * The parts: user/gdbstub/ (rsp.c framing, target.c the process,
 * btrace.c branch trace, packet.c the packet table and replies,
 * inspect.c control.c query.c the packets' handlers); this file
 * starts or attaches to the program and runs the session.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../gdbstub/gdbstub.h"

/* --- starting ----------------------------------------------------- */

/* PROG under ptrace, stopped by its exec; -1 if it could not start. */
static pid_t start_program(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execv(argv[0], argv);
		fprintf(stderr, "gdbstub: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFSTOPPED(status))
		return -1;
	return pid;
}

static pid_t attach(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0) {
		fprintf(stderr, "gdbstub: attach %d: %s\n", pid,
			strerror(errno));
		return -1;
	}
	return waitpid(pid, &status, 0) == pid ? pid : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: gdbstub DEVICE [--bench] PROG [ARGS...]\n"
			"       gdbstub DEVICE [--bench] --attach PID\n");
	exit(2);
}

/* The line went away without k or D: do what quitting GDB would. */
static int hang_up(struct stub *s)
{
	if (s->t.attached)
		return h_detach(s, "", 0);
	return h_kill(s, "", 0);
}

static void report_bench(struct stub *s)
{
	static const char *const names[2] = { "m", "s" };
	int i;

	for (i = 0; i < 2; i++)
		if (s->count[i])
			printf("bench: gdbstub_%s_packet %llu ticks\n",
			       names[i], s->ticks[i] / s->count[i]);
}

int main(int argc, char **argv)
{
	static struct stub s;
	int n, r = STAY;

	if (argc > 2 && !strcmp(argv[2], "--bench")) {
		s.bench = 1;
		argv[2] = argv[1];	/* DEVICE stays first */
		argv++, argc--;
	}
	if (argc < 3 || (!strcmp(argv[2], "--attach") && argc != 4))
		usage();
	if (!strcmp(argv[2], "--attach")) {
		s.t.attached = 1;
		s.t.pid = attach(strtol(argv[3], NULL, 10));
		s.exe = "";
	} else {
		s.t.pid = start_program(argv + 2);
		s.exe = argv[2];
		s.t.stop.sig = SIGTRAP;
	}
	if (s.t.pid < 0)
		return 1;
	/* Exit stops let the stub read the last branches. */
	ptrace(PTRACE_SETOPTIONS, s.t.pid, 0,
	       (void *)(long)(PTRACE_O_TRACEEXIT |
			      (s.t.attached ? 0 : PTRACE_O_EXITKILL)));
	if (rsp_open(&s.rsp, argv[1]) < 0) {
		fprintf(stderr, "gdbstub: %s: %s\n", argv[1], strerror(errno));
		kill(s.t.pid, SIGKILL);
		return 1;
	}
	printf("gdbstub: pid %d on %s, waiting for gdb\n", s.t.pid, argv[1]);
	fflush(stdout);
	while (r == STAY) {
		n = rsp_get_packet(&s.rsp, s.pkt, sizeof(s.pkt));
		if (n == RSP_EOF)
			r = hang_up(&s);
		else if (n >= 0)
			r = dispatch(&s, n);
		/* A ^C while the program is stopped: nothing to stop. */
	}
	printf("gdbstub: done, status %d\n", s.exit_status);
	if (s.bench)
		report_bench(&s);
	return s.exit_status;
}
