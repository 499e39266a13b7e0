/*
 * System call dispatch: `int $0x80` with the call number in eax and
 * the arguments in ebx, ecx, edx, esi, edi, ebp (Linux i386).  The
 * result, or -errno, goes back in eax; unknown numbers get -ENOSYS.
 */
#include <asm/step.h>
#include <asm/tls.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/mmap.h>
#include <spoor/path.h>
#include <spoor/pgrp.h>
#include <spoor/printk.h>
#include <spoor/resource.h>
#include <spoor/stat.h>
#include <spoor/ptrace.h>
#include <spoor/random.h>
#include <spoor/sched.h>
#include <spoor/syscall_names.h>
#include <spoor/syscall_nr.h>
#include <spoor/syscalls.h>
#include <spoor/syscalls_fs.h>
#include <spoor/tid_address.h>

typedef long (*syscall_fn)(long, long, long, long, long, long);
/* Stored as void (*)(void): casting through it is the one exemption
 * from -Wcast-function-type. */
#define SYSCALL(nr, fn) [__NR_##nr] = (void (*)(void))(fn)

static void (*const syscall_table[NR_SYSCALLS])(void) = {
	SYSCALL(exit, sys_exit),
	SYSCALL(exit_group, sys_exit),
	SYSCALL(fork, sys_fork),
	SYSCALL(vfork, sys_vfork),
	SYSCALL(ptrace, sys_ptrace),
	SYSCALL(read, sys_read),
	SYSCALL(write, sys_write),
	SYSCALL(open, sys_open),
	SYSCALL(close, sys_close),
	SYSCALL(waitpid, sys_waitpid),
	SYSCALL(wait4, sys_wait4),
	SYSCALL(execve, sys_execve),
	SYSCALL(lseek, sys_lseek),
	SYSCALL(getpid, sys_getpid),
	SYSCALL(getppid, sys_getppid),
	SYSCALL(setpgid, sys_setpgid),
	SYSCALL(getpgid, sys_getpgid),
	SYSCALL(getpgrp, sys_getpgrp),
	SYSCALL(setsid, sys_setsid),
	SYSCALL(getsid, sys_getsid),
	SYSCALL(getuid, sys_getuid),
	SYSCALL(geteuid, sys_getuid),
	SYSCALL(getgid, sys_getuid),
	SYSCALL(getegid, sys_getuid),
	SYSCALL(pause, sys_pause),
	SYSCALL(kill, sys_kill),
	SYSCALL(dup, sys_dup),
	SYSCALL(dup2, sys_dup2),
	SYSCALL(pipe, sys_pipe),
	SYSCALL(brk, sys_brk),
	SYSCALL(ioctl, sys_ioctl),
	SYSCALL(reboot, sys_reboot),
	SYSCALL(uname, sys_uname),
	SYSCALL(getdents, sys_getdents),
	SYSCALL(sched_yield, sys_sched_yield),
	SYSCALL(nanosleep, sys_nanosleep),
	SYSCALL(sigreturn, sys_sigreturn),
	SYSCALL(rt_sigreturn, sys_rt_sigreturn),
	SYSCALL(rt_sigaction, sys_rt_sigaction),
	SYSCALL(rt_sigprocmask, sys_rt_sigprocmask),
	SYSCALL(rt_sigpending, sys_rt_sigpending),
	SYSCALL(rt_sigsuspend, sys_rt_sigsuspend),
	SYSCALL(set_thread_area, sys_set_thread_area),
	SYSCALL(get_thread_area, sys_get_thread_area),
	SYSCALL(getrandom, sys_getrandom),
	SYSCALL(clone, sys_clone),
	SYSCALL(set_tid_address, sys_set_tid_address),
	SYSCALL(set_robust_list, sys_set_robust_list),
	SYSCALL(getuid32, sys_getuid),
	SYSCALL(geteuid32, sys_getuid),
	SYSCALL(getgid32, sys_getuid),
	SYSCALL(getegid32, sys_getuid),
	SYSCALL(mmap, sys_old_mmap),
	SYSCALL(mmap2, sys_mmap2),
	SYSCALL(munmap, sys_munmap),
	SYSCALL(mprotect, sys_mprotect),
	SYSCALL(readv, sys_readv),
	SYSCALL(writev, sys_writev),
	SYSCALL(_llseek, sys_llseek),
	SYSCALL(getdents64, sys_getdents64),
	SYSCALL(fcntl, sys_fcntl),
	SYSCALL(fcntl64, sys_fcntl),
	SYSCALL(openat, sys_openat),
	SYSCALL(stat64, sys_stat64),
	SYSCALL(lstat64, sys_lstat64),
	SYSCALL(fstat64, sys_fstat64),
	SYSCALL(fstatat64, sys_fstatat64),
	SYSCALL(statx, sys_statx),
	SYSCALL(readlink, sys_readlink),
	SYSCALL(readlinkat, sys_readlinkat),
	SYSCALL(access, sys_access),
	SYSCALL(faccessat, sys_faccessat),
	SYSCALL(getcwd, sys_getcwd),
	SYSCALL(chdir, sys_chdir),
	SYSCALL(fchdir, sys_fchdir),
	SYSCALL(getrlimit, sys_getrlimit),
	SYSCALL(ugetrlimit, sys_ugetrlimit),
	SYSCALL(setrlimit, sys_setrlimit),
	SYSCALL(prlimit64, sys_prlimit64),
	SYSCALL(clock_gettime, sys_clock_gettime),
	SYSCALL(clock_gettime64, sys_clock_gettime64),
	SYSCALL(poll, sys_poll),
	SYSCALL(clock_nanosleep, sys_clock_nanosleep),
	SYSCALL(clock_nanosleep_time64, sys_clock_nanosleep_time64),
	SYSCALL(clock_getres, sys_clock_getres),
	SYSCALL(gettimeofday, sys_gettimeofday),
	SYSCALL(pipe2, sys_pipe2),
	SYSCALL(gettid, sys_getpid),	/* one thread per process */
	SYSCALL(tkill, sys_tkill),
	SYSCALL(tgkill, sys_tgkill),
};

/*
 * A call Spoor does not implement fails with ENOSYS, as on Linux.  The
 * first time each Linux call is seen, the console says which it was:
 * a student running a foreign program learns what it is missing.
 * Numbers Linux never assigned fail silently (fuzzers try them all).
 */
static long syscall_unknown(uint32_t nr)
{
	static uint32_t logged[(NR_SYSCALLS + 31) / 32];

	if (nr >= NR_SYSCALLS || !linux_syscall_names[nr])
		return -ENOSYS;
	if (logged[nr / 32] & (1u << nr % 32))
		return -ENOSYS;
	logged[nr / 32] |= 1u << nr % 32;
	printk("spoor: %s[%d]: system call %u (%s) is not implemented\n",
	       current->comm, current->pid, nr, linux_syscall_names[nr]);
	return -ENOSYS;
}

/* The end of a system call of a traced task: the tracer's stops. */
static void syscall_exit_traced(struct trap_frame *tf)
{
	ptrace_syscall_exit(tf);
	/*
	 * A tracer single-stepping over int $0x80 sees the step end right
	 * after the call, as on Linux, not one instruction later.
	 */
	if (current->ptrace & PT_FORCED_TF)
		force_sig_fault(SIGTRAP, TRAP_BRKPT, tf->eip);
}

void syscall_entry(struct trap_frame *tf)
{
	uint32_t nr = tf->eax;

	tf->orig_eax = nr;
	sti();			/* system calls run with interrupts on */
	if (unlikely(current->ptrace)) {
		ptrace_syscall_entry(tf);
		/* A tracer may have changed the call. */
		/* LAB(syscall-stops) BEGIN orig_eax: stub = ignored */
		nr = tf->orig_eax;
		/* LAB(syscall-stops) END */
	}
	if (nr < NR_SYSCALLS && syscall_table[nr]) {
		syscall_fn fn = (syscall_fn)syscall_table[nr];

		tf->eax = fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi,
			     tf->ebp);
	} else {
		tf->eax = syscall_unknown(nr);
	}
	if (unlikely(current->ptrace))
		syscall_exit_traced(tf);
}

/*
 * The last stop before iret to user mode: reschedule if the time slice
 * is used up, act on signals (which may stop or end the task), and
 * return with interrupts off so nothing slips in before the iret.
 */
void return_to_user(struct trap_frame *tf)
{
	cli();
	while (need_resched || signal_pending(current)) {
		if (need_resched) {
			schedule();	/* returns with interrupts still off */
			continue;
		}
		sti();
		do_signal(tf);
		cli();
	}
	step_exit_to_user(tf);
}
