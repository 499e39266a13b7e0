/*
 * Decoding the system calls of a traced process into strace's words:
 * each argument by its kind (spoor_syscalls.h), through the printers of
 * tracee_print.c, which read the tracee with PTRACE_PEEKDATA.  Inputs
 * are decoded at the entry stop (execve's arguments are gone by its
 * exit), outputs at the exit stop from the result.  The caller owns the
 * ptrace loop (user/bin/strace.c).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>

#include <spoor_syscalls.h>
#include <spoor/errno_restart.h>	/* what a tracer may see in eax */
#include <spoor/syscall_names.h>

#include "tracee_print.h"

#define ARGV_MAX	32	/* execve argv strings shown */
#define ENVP_MAX	100000	/* envp entries counted */
#define ERRNO_MAX	4095	/* results in [-4095, -1] are -errno */
#define ARG_TEXT	SC_ARG_TEXT

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* --- argument decoders, one per enum sc_arg ---------------------------- */

typedef void (*decode_fn)(struct sc_call *c, int i, char *out, size_t size);

static void dec_int(struct sc_call *c, int i, char *out, size_t size)
{
	sc_append(out, size, "%ld", c->args[i]);
}

static void dec_uint(struct sc_call *c, int i, char *out, size_t size)
{
	sc_append(out, size, "%lu", (unsigned long)c->args[i]);
}

static void dec_hex(struct sc_call *c, int i, char *out, size_t size)
{
	sc_append(out, size, "%#lx", (unsigned long)c->args[i]);
}

static void dec_ptr(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_ptr(out, size, c->args[i]);
}

static void dec_str(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_string_at(out, size, c->pid, c->args[i]);
}

static void dec_buf_in(struct sc_call *c, int i, char *out, size_t size)
{
	long len = i + 1 < SC_MAX_ARGS ? c->args[i + 1] : 0;

	sc_add_buffer_at(out, size, c->pid, c->args[i], len);
}

static void dec_oflags(struct sc_call *c, int i, char *out, size_t size)
{
	static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					     "O_ACCMODE" };
	unsigned long v = c->args[i];

	sc_append(out, size, "%s", modes[v & O_ACCMODE]);
	if (v & ~(unsigned long)O_ACCMODE) {
		sc_append(out, size, "|");
		sc_add_flags(out, size, v & ~(unsigned long)O_ACCMODE,
			     SC_N_OPEN_FLAGS, "");
	}
}

/* Nothing without O_CREAT: sc_format_head leaves empty arguments out. */
static void dec_mode(struct sc_call *c, int i, char *out, size_t size)
{
	if (i > 0 && (c->args[i - 1] & O_CREAT))
		sc_append(out, size, "%#lo", (unsigned long)c->args[i]);
}

static void dec_signal(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_signal(out, size, c->args[i]);
}

static void dec_woptions(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_flags(out, size, c->args[i], SC_N_WAIT_OPTIONS, "0");
}

static void dec_argv(struct sc_call *c, int i, char *out, size_t size)
{
	unsigned long at = c->args[i];
	long p;
	int n;

	if (!at) {
		sc_append(out, size, "NULL");
		return;
	}
	sc_append(out, size, "[");
	for (n = 0; sc_peek_long(c->pid, at + n * 4, &p) == 0 && p; n++) {
		if (n == ARGV_MAX) {
			sc_append(out, size, ", ...");
			break;
		}
		sc_append(out, size, n ? ", " : "");
		sc_add_string_at(out, size, c->pid, p);
	}
	sc_append(out, size, "]");
}

static void dec_envp(struct sc_call *c, int i, char *out, size_t size)
{
	unsigned long at = c->args[i];
	long p;
	int n;

	sc_add_ptr(out, size, at);
	if (!at)
		return;
	for (n = 0;
	     n < ENVP_MAX && sc_peek_long(c->pid, at + n * 4, &p) == 0 && p;
	     n++)
		;
	sc_append(out, size, " /* %d var%s */", n, n == 1 ? "" : "s");
}

static void dec_whence(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_enum(out, size, c->args[i], SC_N_WHENCE);
}

static void dec_ptrace_req(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_enum(out, size, c->args[i], SC_N_PTRACE_REQ);
}

static void dec_ioctl_cmd(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_enum(out, size, c->args[i], SC_N_IOCTL);
}

static void dec_sighow(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_enum(out, size, c->args[i], SC_N_SIGHOW);
}

static void dec_sigact(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_sigaction_at(out, size, c->pid, c->args[i]);
}

static void dec_sigset(struct sc_call *c, int i, char *out, size_t size)
{
	sc_add_sigset_at(out, size, c->pid, c->args[i]);
}

static void dec_timespec(struct sc_call *c, int i, char *out, size_t size)
{
	long ts[2];

	if (!c->args[i] ||
	    sc_peek_bytes(c->pid, c->args[i], ts, sizeof(ts)) != sizeof(ts))
		sc_add_ptr(out, size, c->args[i]);
	else
		sc_append(out, size, "{tv_sec=%ld, tv_nsec=%ld}", ts[0], ts[1]);
}

/* Output kinds: the pointer only, unless the call succeeded. */
static int call_failed(const struct sc_call *c)
{
	return c->ret < 0 && c->ret >= -ERRNO_MAX;
}

static void dec_buf_out(struct sc_call *c, int i, char *out, size_t size)
{
	if (call_failed(c))
		sc_add_ptr(out, size, c->args[i]);
	else
		sc_add_buffer_at(out, size, c->pid, c->args[i], c->ret);
}

/* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], as strace writes it. */
static void dec_wstatus(struct sc_call *c, int i, char *out, size_t size)
{
	long s;

	if (!c->args[i] || c->ret <= 0 ||
	    sc_peek_long(c->pid, c->args[i], &s)) {
		sc_add_ptr(out, size, c->args[i]);
		return;
	}
	sc_append(out, size, "[{");
	if (WIFEXITED(s)) {
		sc_append(out, size, "WIFEXITED(s) && WEXITSTATUS(s) == %ld",
		     (long)WEXITSTATUS(s));
	} else if (WIFSIGNALED(s)) {
		sc_append(out, size, "WIFSIGNALED(s) && WTERMSIG(s) == ");
		sc_add_signal(out, size, WTERMSIG(s));
		if (WCOREDUMP(s))
			sc_append(out, size, " && WCOREDUMP(s)");
	} else if (WIFSTOPPED(s)) {
		sc_append(out, size, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		sc_add_signal(out, size, WSTOPSIG(s) & 0x7f);
		if (WSTOPSIG(s) & 0x80)		/* a syscall stop */
			sc_append(out, size, "|0x80");
		if (s >> 16) {
			sc_append(out, size, " && s >> 16 == ");
			sc_add_enum(out, size, (s >> 16) & 0xff,
				    SC_N_PTRACE_EVENT);
		}
	} else if (WIFCONTINUED(s)) {
		sc_append(out, size, "WIFCONTINUED(s)");
	} else {
		sc_append(out, size, "%#lx", s);
	}
	sc_append(out, size, "}]");
}

static void dec_pipefds(struct sc_call *c, int i, char *out, size_t size)
{
	int fds[2];

	if (call_failed(c) ||
	    sc_peek_bytes(c->pid, c->args[i], fds, sizeof(fds)) != sizeof(fds))
		sc_add_ptr(out, size, c->args[i]);
	else
		sc_append(out, size, "[%d, %d]", fds[0], fds[1]);
}

static void dec_sigact_out(struct sc_call *c, int i, char *out, size_t size)
{
	if (call_failed(c))
		sc_add_ptr(out, size, c->args[i]);
	else
		dec_sigact(c, i, out, size);
}

static void dec_sigset_out(struct sc_call *c, int i, char *out, size_t size)
{
	if (call_failed(c))
		sc_add_ptr(out, size, c->args[i]);
	else
		dec_sigset(c, i, out, size);
}

/* uname: the first two fields, then "...", as strace abbreviates. */
static void dec_utsname(struct sc_call *c, int i, char *out, size_t size)
{
	enum { FIELD = 65 };	/* _UTSNAME_LENGTH */

	if (call_failed(c) || !c->args[i]) {
		sc_add_ptr(out, size, c->args[i]);
		return;
	}
	sc_append(out, size, "{sysname=");
	sc_add_string_at(out, size, c->pid, c->args[i]);
	sc_append(out, size, ", nodename=");
	sc_add_string_at(out, size, c->pid, c->args[i] + FIELD);
	sc_append(out, size, ", ...}");
}

/* getdents: the buffer's address and how many linux_dirents it got. */
static void dec_dirents(struct sc_call *c, int i, char *out, size_t size)
{
	enum { RECLEN_AT = 8 };	/* after d_ino and d_off */
	unsigned short reclen;
	long off = 0;
	int n = 0;

	sc_add_ptr(out, size, c->args[i]);
	if (call_failed(c))
		return;
	while (off < c->ret &&
	       sc_peek_bytes(c->pid, c->args[i] + off + RECLEN_AT, &reclen,
			     sizeof(reclen)) == sizeof(reclen) && reclen) {
		off += reclen;
		n++;
	}
	sc_append(out, size, " /* %d entr%s */", n, n == 1 ? "y" : "ies");
}

static const decode_fn decoders[] = {
	[SC_INT] = dec_int,		[SC_UINT] = dec_uint,
	[SC_HEX] = dec_hex,		[SC_PTR] = dec_ptr,
	[SC_FD] = dec_int,		[SC_STR] = dec_str,
	[SC_BUF_IN] = dec_buf_in,	[SC_OFLAGS] = dec_oflags,
	[SC_MODE] = dec_mode,		[SC_SIGNAL] = dec_signal,
	[SC_WOPTIONS] = dec_woptions,	[SC_ARGV] = dec_argv,
	[SC_ENVP] = dec_envp,		[SC_WHENCE] = dec_whence,
	[SC_PTRACE_REQ] = dec_ptrace_req, [SC_IOCTL_CMD] = dec_ioctl_cmd,
	[SC_SIGHOW] = dec_sighow,	[SC_SIGACT_IN] = dec_sigact,
	[SC_SIGSET_IN] = dec_sigset,	[SC_TIMESPEC_IN] = dec_timespec,
	[SC_BUF_OUT] = dec_buf_out,	[SC_WSTATUS] = dec_wstatus,
	[SC_PIPEFDS] = dec_pipefds,	[SC_SIGACT_OUT] = dec_sigact_out,
	[SC_SIGSET_OUT] = dec_sigset_out, [SC_UTSNAME] = dec_utsname,
	[SC_DIRENTS] = dec_dirents,
};

/* --- whole calls ------------------------------------------------------ */

static int nargs(const struct sc_call *c)
{
	return c->desc ? c->desc->nargs : SC_MAX_ARGS;
}

/*
 * Decode the arguments of @c whose kind is due now: inputs when
 * @at_exit is 0, outputs when it is 1.  Unknown calls show raw words.
 */
static void decode_args(struct sc_call *c, int at_exit)
{
	int i, kind, out;

	for (i = 0; i < nargs(c); i++) {
		kind = c->desc ? c->desc->args[i] : SC_HEX;
		out = kind >= SC_OUT_FIRST;
		if (out != at_exit)
			continue;
		c->text[i][0] = '\0';
		decoders[kind](c, i, c->text[i], ARG_TEXT);
	}
}

/* "name(arg, arg" into @line. */
void sc_format_head(const struct sc_call *c, char *line, size_t size)
{
	const char *sep = "";
	int i;

	if (c->desc)
		sc_append(line, size, "%s(", c->desc->name);
	else if (c->nr >= 0 && c->nr < NR_SYSCALLS &&
		 linux_syscall_names[c->nr])	/* named, arguments in hex */
		sc_append(line, size, "%s(", linux_syscall_names[c->nr]);
	else
		sc_append(line, size, "syscall_%ld(", c->nr);
	for (i = 0; i < nargs(c); i++) {
		if (!c->text[i][0])	/* not shown (open's mode) */
			continue;
		sc_append(line, size, "%s%s", sep, c->text[i]);
		sep = ", ";
	}
}

/* " = 3", " = -1 ENOENT (No such file or directory)", " = ?" ... */
void sc_format_result(const struct sc_call *c, char *line, size_t size)
{
	static const char *const restart[] = {
		[ERESTARTSYS - ERESTARTSYS] =
			"ERESTARTSYS (To be restarted if SA_RESTART is set)",
		[ERESTARTNOINTR - ERESTARTSYS] =
			"ERESTARTNOINTR (To be restarted)",
		[ERESTARTNOHAND - ERESTARTSYS] =
			"ERESTARTNOHAND (To be restarted if no handler)",
		[ERESTART_RESTARTBLOCK - ERESTARTSYS] =
			"ERESTART_RESTARTBLOCK (Interrupted by signal)",
	};
	long err = -c->ret;
	const char *name;

	if (call_failed(c) && err >= ERESTARTSYS &&
	    err - ERESTARTSYS < (long)NELEMS(restart) &&
	    restart[err - ERESTARTSYS]) {
		sc_append(line, size, " = ? %s", restart[err - ERESTARTSYS]);
	} else if (call_failed(c)) {
		name = sc_errno_name(err);
		if (name)
			sc_append(line, size, " = -1 %s (%s)", name,
				  strerror(err));
		else
			sc_append(line, size, " = -1 %ld (%s)", err,
				  strerror(err));
	} else if (c->desc && c->desc->ret == SC_RET_HEX) {
		sc_append(line, size, " = %#lx", (unsigned long)c->ret);
	} else {
		sc_append(line, size, " = %ld", c->ret);
	}
}

/* --- entry and exit --------------------------------------------------- */

void sc_decode_entry(struct sc_call *c, pid_t pid,
		     const struct user_regs_struct *regs)
{
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->nr = regs->orig_eax;
	c->desc = sc_lookup(c->nr);
	c->args[0] = regs->ebx;
	c->args[1] = regs->ecx;
	c->args[2] = regs->edx;
	c->args[3] = regs->esi;
	c->args[4] = regs->edi;
	c->args[5] = regs->ebp;
	decode_args(c, 0);
}

void sc_decode_exit(struct sc_call *c, long ret)
{
	c->ret = ret;
	decode_args(c, 1);
}
