/*
 * The system calls Spoor implements (the kernel's table in syscall.c),
 * described for a tracer: name, argument kinds, result kind.  Plus the
 * names of errno values, signals and the flags and constants system
 * calls take.  Tables only; syscall_decode.c and strace print them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spoor_syscalls.h>

#define SC(n, r, ...) {							\
	.name = n,							\
	.nargs = sizeof((unsigned char[]){ __VA_ARGS__ }),		\
	.ret = r,							\
	.args = { __VA_ARGS__ },					\
}
#define SC0(n, r) { .name = n, .nargs = 0, .ret = r }

static const struct sc_desc sysents[] = {
	[__NR_exit] = SC("exit", SC_RET_NONE, SC_INT),
	[__NR_fork] = SC0("fork", SC_RET_INT),
	[__NR_read] = SC("read", SC_RET_INT, SC_FD, SC_BUF_OUT, SC_UINT),
	[__NR_write] = SC("write", SC_RET_INT, SC_FD, SC_BUF_IN, SC_UINT),
	[__NR_open] = SC("open", SC_RET_INT, SC_STR, SC_OFLAGS, SC_MODE),
	[__NR_close] = SC("close", SC_RET_INT, SC_FD),
	[__NR_waitpid] = SC("waitpid", SC_RET_INT,
			    SC_INT, SC_WSTATUS, SC_WOPTIONS),
	[__NR_execve] = SC("execve", SC_RET_INT, SC_STR, SC_ARGV, SC_ENVP),
	[__NR_lseek] = SC("lseek", SC_RET_INT, SC_FD, SC_INT, SC_WHENCE),
	[__NR_getpid] = SC0("getpid", SC_RET_INT),
	[__NR_getuid] = SC0("getuid", SC_RET_INT),
	[__NR_ptrace] = SC("ptrace", SC_RET_INT,
			   SC_PTRACE_REQ, SC_INT, SC_PTR, SC_PTR),
	[__NR_pause] = SC0("pause", SC_RET_INT),
	[__NR_kill] = SC("kill", SC_RET_INT, SC_INT, SC_SIGNAL),
	[__NR_dup] = SC("dup", SC_RET_INT, SC_FD),
	[__NR_pipe] = SC("pipe", SC_RET_INT, SC_PIPEFDS),
	[__NR_brk] = SC("brk", SC_RET_HEX, SC_PTR),
	[__NR_getgid] = SC0("getgid", SC_RET_INT),
	[__NR_geteuid] = SC0("geteuid", SC_RET_INT),
	[__NR_getegid] = SC0("getegid", SC_RET_INT),
	[__NR_ioctl] = SC("ioctl", SC_RET_INT, SC_FD, SC_IOCTL_CMD, SC_PTR),
	[__NR_setpgid] = SC("setpgid", SC_RET_INT, SC_INT, SC_INT),
	[__NR_dup2] = SC("dup2", SC_RET_INT, SC_FD, SC_FD),
	[__NR_getppid] = SC0("getppid", SC_RET_INT),
	[__NR_getpgrp] = SC0("getpgrp", SC_RET_INT),
	[__NR_setsid] = SC0("setsid", SC_RET_INT),
	[__NR_reboot] = SC("reboot", SC_RET_INT,
			   SC_HEX, SC_HEX, SC_HEX, SC_PTR),
	[__NR_wait4] = SC("wait4", SC_RET_INT,
			  SC_INT, SC_WSTATUS, SC_WOPTIONS, SC_PTR),
	[__NR_sigreturn] = SC0("sigreturn", SC_RET_INT),
	[__NR_uname] = SC("uname", SC_RET_INT, SC_UTSNAME),
	[__NR_getpgid] = SC("getpgid", SC_RET_INT, SC_INT),
	[__NR_getdents] = SC("getdents", SC_RET_INT,
			     SC_FD, SC_DIRENTS, SC_UINT),
	[__NR_getsid] = SC("getsid", SC_RET_INT, SC_INT),
	[__NR_sched_yield] = SC0("sched_yield", SC_RET_INT),
	[__NR_nanosleep] = SC("nanosleep", SC_RET_INT,
			      SC_TIMESPEC_IN, SC_PTR),
	[__NR_rt_sigreturn] = SC0("rt_sigreturn", SC_RET_INT),
	[__NR_rt_sigaction] = SC("rt_sigaction", SC_RET_INT,
				 SC_SIGNAL, SC_SIGACT_IN, SC_SIGACT_OUT,
				 SC_UINT),
	[__NR_rt_sigprocmask] = SC("rt_sigprocmask", SC_RET_INT,
				   SC_SIGHOW, SC_SIGSET_IN, SC_SIGSET_OUT,
				   SC_UINT),
	[__NR_rt_sigpending] = SC("rt_sigpending", SC_RET_INT,
				  SC_SIGSET_OUT, SC_UINT),
	[__NR_rt_sigsuspend] = SC("rt_sigsuspend", SC_RET_INT,
				  SC_SIGSET_IN, SC_UINT),
	[__NR_vfork] = SC0("vfork", SC_RET_INT),
	[__NR_exit_group] = SC("exit_group", SC_RET_NONE, SC_INT),
};

#define NSYSENTS ((long)(sizeof(sysents) / sizeof(sysents[0])))

const struct sc_desc *sc_lookup(long nr)
{
	if (nr < 0 || nr >= NSYSENTS || !sysents[nr].name)
		return NULL;
	return &sysents[nr];
}

#define E(x) [x] = #x
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const errno_names[] = {
	E(EPERM),	E(ENOENT),	E(ESRCH),	E(EINTR),
	E(EIO),		E(ENXIO),	E(E2BIG),	E(ENOEXEC),
	E(EBADF),	E(ECHILD),	E(EAGAIN),	E(ENOMEM),
	E(EACCES),	E(EFAULT),	E(ENOTBLK),	E(EBUSY),
	E(EEXIST),	E(EXDEV),	E(ENODEV),	E(ENOTDIR),
	E(EISDIR),	E(EINVAL),	E(ENFILE),	E(EMFILE),
	E(ENOTTY),	E(ETXTBSY),	E(EFBIG),	E(ENOSPC),
	E(ESPIPE),	E(EROFS),	E(EMLINK),	E(EPIPE),
	E(EDOM),	E(ERANGE),	E(EDEADLK),	E(ENAMETOOLONG),
	E(ENOLCK),	E(ENOSYS),	E(ENOTEMPTY),	E(ELOOP),
	E(EOVERFLOW),	E(EILSEQ),	E(EOPNOTSUPP),	E(ETIMEDOUT),
	E(ECANCELED),
};

static const char *const signal_names[] = {
	E(SIGHUP),	E(SIGINT),	E(SIGQUIT),	E(SIGILL),
	E(SIGTRAP),	E(SIGABRT),	E(SIGBUS),	E(SIGFPE),
	E(SIGKILL),	E(SIGUSR1),	E(SIGSEGV),	E(SIGUSR2),
	E(SIGPIPE),	E(SIGALRM),	E(SIGTERM),	E(SIGSTKFLT),
	E(SIGCHLD),	E(SIGCONT),	E(SIGSTOP),	E(SIGTSTP),
	E(SIGTTIN),	E(SIGTTOU),	E(SIGURG),	E(SIGXCPU),
	E(SIGXFSZ),	E(SIGVTALRM),	E(SIGPROF),	E(SIGWINCH),
	E(SIGIO),	E(SIGPWR),	E(SIGSYS),
};


const char *sc_errno_name(int err)
{
	return err > 0 && err < (int)NELEMS(errno_names) ? errno_names[err]
						       : NULL;
}

const char *sc_signal_name(int sig)
{
	return sig > 0 && sig < (int)NELEMS(signal_names) ? signal_names[sig]
						       : NULL;
}

/* --- values and flags -------------------------------------------------- */

#define N(x) { x, #x }

static const struct sc_name open_flags[] = {
	N(O_CREAT), N(O_EXCL), N(O_NOCTTY), N(O_TRUNC), N(O_APPEND),
	N(O_NONBLOCK), N(O_DIRECTORY), N(O_NOFOLLOW), N(O_CLOEXEC),
};

static const struct sc_name wait_options[] = {
	N(WNOHANG), N(WUNTRACED), N(WCONTINUED), N(WNOWAIT),
	N(__WNOTHREAD), N(__WALL), { (long)__WCLONE, "__WCLONE" },
};

static const struct sc_name whences[] = {
	N(SEEK_SET), N(SEEK_CUR), N(SEEK_END),
};

static const struct sc_name sighows[] = {
	N(SIG_BLOCK), N(SIG_UNBLOCK), N(SIG_SETMASK),
};

static const struct sc_name sa_flags[] = {
	N(SA_NOCLDSTOP), N(SA_NOCLDWAIT), N(SA_SIGINFO), N(SA_RESTORER),
	N(SA_ONSTACK), N(SA_RESTART), N(SA_NODEFER),
	{ (long)SA_RESETHAND, "SA_RESETHAND" },
};

static const struct sc_name ioctls[] = {
	N(TCGETS), N(TCSETS), N(TIOCGPGRP), N(TIOCSPGRP), N(TIOCGWINSZ),
};

static const struct sc_name ptrace_reqs[] = {
	N(PTRACE_TRACEME), N(PTRACE_PEEKTEXT), N(PTRACE_PEEKDATA),
	N(PTRACE_PEEKUSER), N(PTRACE_POKETEXT), N(PTRACE_POKEDATA),
	N(PTRACE_POKEUSER), N(PTRACE_CONT), N(PTRACE_KILL),
	N(PTRACE_SINGLESTEP), N(PTRACE_GETREGS), N(PTRACE_SETREGS),
	N(PTRACE_GETFPREGS), N(PTRACE_SETFPREGS), N(PTRACE_ATTACH),
	N(PTRACE_DETACH), N(PTRACE_GETFPXREGS), N(PTRACE_SETFPXREGS),
	N(PTRACE_SYSCALL), N(PTRACE_SYSEMU), N(PTRACE_SYSEMU_SINGLESTEP),
	N(PTRACE_SINGLEBLOCK), N(PTRACE_BTS_CONFIG), N(PTRACE_BTS_STATUS),
	N(PTRACE_BTS_SIZE), N(PTRACE_BTS_GET), N(PTRACE_BTS_CLEAR),
	N(PTRACE_BTS_DRAIN), N(PTRACE_SETOPTIONS), N(PTRACE_GETEVENTMSG),
	N(PTRACE_GETSIGINFO), N(PTRACE_SETSIGINFO), N(PTRACE_SEIZE),
	N(PTRACE_INTERRUPT), N(PTRACE_LISTEN),
};

static const struct sc_name ptrace_events[] = {
	N(PTRACE_EVENT_FORK), N(PTRACE_EVENT_VFORK), N(PTRACE_EVENT_CLONE),
	N(PTRACE_EVENT_EXEC), N(PTRACE_EVENT_VFORK_DONE),
	N(PTRACE_EVENT_EXIT), N(PTRACE_EVENT_SECCOMP), N(PTRACE_EVENT_STOP),
};

static const struct sc_name si_codes[] = {
	N(SI_USER), N(SI_KERNEL), { -1, "SI_QUEUE" }, { -6, "SI_TKILL" },
};

static const struct sc_name si_codes_chld[] = {
	N(CLD_EXITED), N(CLD_KILLED), N(CLD_DUMPED), N(CLD_TRAPPED),
	N(CLD_STOPPED), N(CLD_CONTINUED),
};

static const struct sc_name si_codes_segv[] = {
	{ 1, "SEGV_MAPERR" }, { 2, "SEGV_ACCERR" },
};

static const struct sc_name si_codes_trap[] = {
	N(TRAP_BRKPT), N(TRAP_TRACE), { 4, "TRAP_HWBKPT" },
};

#define TABLE(t) { t, NELEMS(t) }

static const struct {
	const struct sc_name *names;
	size_t n;
} name_tables[SC_N_COUNT] = {
	[SC_N_OPEN_FLAGS] = TABLE(open_flags),
	[SC_N_WAIT_OPTIONS] = TABLE(wait_options),
	[SC_N_WHENCE] = TABLE(whences),
	[SC_N_SIGHOW] = TABLE(sighows),
	[SC_N_SA_FLAGS] = TABLE(sa_flags),
	[SC_N_IOCTL] = TABLE(ioctls),
	[SC_N_PTRACE_REQ] = TABLE(ptrace_reqs),
	[SC_N_PTRACE_EVENT] = TABLE(ptrace_events),
	[SC_N_SI_CODE] = TABLE(si_codes),
	[SC_N_SI_CODE_CHLD] = TABLE(si_codes_chld),
	[SC_N_SI_CODE_SEGV] = TABLE(si_codes_segv),
	[SC_N_SI_CODE_TRAP] = TABLE(si_codes_trap),
};

const struct sc_name *sc_names(enum sc_names which, size_t *n)
{
	*n = name_tables[which].n;
	return name_tables[which].names;
}

const char *sc_name_of(enum sc_names which, long value)
{
	size_t i;

	for (i = 0; i < name_tables[which].n; i++)
		if (name_tables[which].names[i].value == value)
			return name_tables[which].names[i].name;
	return NULL;
}
