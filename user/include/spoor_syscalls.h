/*
 * spoor_syscalls.h - what a tracer needs to print the system calls of
 * a traced process the way strace does:
 *
 *   - the name, argument kinds and result kind of each Linux i386
 *     system call Spoor implements, and the names of errno values and
 *     signals (tables: user/lib/syscall_names.c);
 *   - decoding one call from its entry and exit stops into text
 *     (user/lib/syscall_decode.c), reading the tracee with PEEKDATA
 *     and printing its values (user/lib/tracee_print.c).
 *
 * In the spirit of FreeBSD's libsysdecode: the tracer (user/bin/strace)
 * owns the ptrace loop, this owns the words.
 */
#ifndef _SPOOR_SYSCALLS_H
#define _SPOOR_SYSCALLS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/user.h>

#define SC_MAX_ARGS	6
#define SC_ARG_TEXT	512	/* room for one decoded argument */
#define SC_STR_MAX	32	/* bytes of a string shown, like strace -s 32 */

/*
 * How to print one argument.  The kinds from SC_OUT_FIRST on are
 * results the kernel writes through a pointer: a tracer reads them at
 * the system call's exit, the others at its entry.
 */
enum sc_arg {
	SC_INT,			/* signed decimal */
	SC_UINT,		/* unsigned decimal (sizes, counts) */
	SC_HEX,			/* 0x... */
	SC_PTR,			/* NULL or 0x... */
	SC_FD,			/* a file descriptor */
	SC_STR,			/* NUL-terminated string (a path) */
	SC_BUF_IN,		/* bytes; their count is the next argument */
	SC_OFLAGS,		/* open flags: O_WRONLY|O_CREAT */
	SC_MODE,		/* octal mode, shown only with O_CREAT */
	SC_SIGNAL,		/* a signal number: SIGINT */
	SC_WOPTIONS,		/* wait options: WNOHANG|WUNTRACED */
	SC_ARGV,		/* execve's argv: ["ls", "-l"] */
	SC_ENVP,		/* execve's envp: 0x... N vars */
	SC_WHENCE,		/* lseek: SEEK_SET */
	SC_PTRACE_REQ,		/* ptrace request: PTRACE_PEEKDATA */
	SC_IOCTL_CMD,		/* ioctl command: TIOCSPGRP */
	SC_SIGHOW,		/* sigprocmask: SIG_BLOCK */
	SC_SIGACT_IN,		/* struct sigaction to install */
	SC_SIGSET_IN,		/* sigset_t to use: [INT CHLD] */
	SC_TIMESPEC_IN,		/* {tv_sec=1, tv_nsec=0} */
	SC_OUT_FIRST,
	SC_BUF_OUT = SC_OUT_FIRST, /* bytes; their count is the result */
	SC_WSTATUS,		/* int * the kernel stores a wait status in */
	SC_PIPEFDS,		/* int[2] pipe() fills: [3, 4] */
	SC_SIGACT_OUT,		/* struct sigaction the old action goes to */
	SC_SIGSET_OUT,		/* sigset_t the kernel fills */
	SC_UTSNAME,		/* struct utsname */
	SC_DIRENTS,		/* getdents buffer: 0x... N entries */
};

/* How to print the result. */
enum sc_ret {
	SC_RET_INT,		/* decimal, or -1 ENAME (message) */
	SC_RET_HEX,		/* an address (brk) */
	SC_RET_NONE,		/* never returns (exit, exit_group): "?" */
};

struct sc_desc {
	const char *name;
	unsigned char nargs;
	unsigned char ret;	/* enum sc_ret */
	unsigned char args[SC_MAX_ARGS]; /* enum sc_arg */
};

/* Names of values: flag bits (O_CREAT) or whole values (SEEK_SET). */
struct sc_name {
	long value;
	const char *name;
};

enum sc_names {
	SC_N_OPEN_FLAGS,	/* O_* except the access mode */
	SC_N_WAIT_OPTIONS,	/* WNOHANG ... */
	SC_N_WHENCE,		/* SEEK_* */
	SC_N_SIGHOW,		/* SIG_BLOCK ... */
	SC_N_SA_FLAGS,		/* SA_* */
	SC_N_IOCTL,		/* TCGETS ... */
	SC_N_PTRACE_REQ,	/* PTRACE_TRACEME ... */
	SC_N_PTRACE_EVENT,	/* PTRACE_EVENT_FORK ... */
	SC_N_SI_CODE,		/* SI_USER ... (any signal) */
	SC_N_SI_CODE_CHLD,	/* CLD_EXITED ... */
	SC_N_SI_CODE_SEGV,	/* SEGV_MAPERR ... */
	SC_N_SI_CODE_TRAP,	/* TRAP_BRKPT ... */
	SC_N_COUNT
};

/* Name table @which; its length in *@n. */
const struct sc_name *sc_names(enum sc_names which, size_t *n);

/* The name of @value in table @which, or NULL. */
const char *sc_name_of(enum sc_names which, long value);

/* The description of system call @nr, or NULL when Spoor has none. */
const struct sc_desc *sc_lookup(long nr);

/* "ENOENT" for ENOENT; NULL for a number without a name. */
const char *sc_errno_name(int err);

/* "SIGINT" for SIGINT; NULL outside 1..31. */
const char *sc_signal_name(int sig);

/* One system call of a traced process, from its entry to its exit. */
struct sc_call {
	pid_t pid;
	long nr;			/* orig_eax */
	const struct sc_desc *desc;	/* NULL: a number Spoor lacks */
	long args[SC_MAX_ARGS];		/* ebx, ecx, edx, esi, edi, ebp */
	long ret;			/* eax at the exit stop */
	char text[SC_MAX_ARGS][SC_ARG_TEXT]; /* "" = not shown */
};

/*
 * At @pid's system call entry stop, with @regs from PTRACE_GETREGS:
 * fill @c and decode the arguments that are inputs.
 */
void sc_decode_entry(struct sc_call *c, pid_t pid,
		     const struct user_regs_struct *regs);

/* At the exit stop, with the result @ret: decode the outputs. */
void sc_decode_exit(struct sc_call *c, long ret);

/* Append "name(arg, arg" for @c to the string in @buf. */
void sc_format_head(const struct sc_call *c, char *buf, size_t size);

/* Append " = 3", " = -1 ENOENT (No such file or directory)", ... */
void sc_format_result(const struct sc_call *c, char *buf, size_t size);

/* Append printf-style text to the string in @buf (of @size bytes). */
void sc_append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* _SPOOR_SYSCALLS_H */
