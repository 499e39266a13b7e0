/*
 * Every system call handler, with its real C type.  The table in
 * kernel/syscall.c stores them untyped and calls them with the six
 * argument registers, as the i386 calling convention allows.
 */
#ifndef SPOOR_SYSCALLS_H
#define SPOOR_SYSCALLS_H

#include <spoor/signal.h>
#include <spoor/types.h>

struct trap_frame;

long sys_exit(int code);
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long flags, uintptr_t newsp, uint32_t parent_tid,
	       uint32_t tls, uint32_t child_tid);
long sys_execve(const char *path, char *const *argv, char *const *envp);
long sys_waitpid(pid_t pid, int *status, int options);
long sys_wait4(pid_t pid, int *status, int options, void *rusage);
long sys_getpid(void);
long sys_getppid(void);
long sys_getuid(void);
long sys_kill(pid_t pid, int sig);
long sys_tgkill(pid_t tgid, pid_t tid, int sig);
long sys_tkill(pid_t tid, int sig);
long sys_pause(void);
long sys_brk(uintptr_t brk);
long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, uintptr_t arg);
long sys_uname(void *buf);
long sys_sched_yield(void);
long sys_nanosleep(const void *req, void *rem);
long sys_clock_gettime(int id, void *ts);
long sys_clock_gettime64(int id, void *ts);
long sys_poll(void *ufds, unsigned nfds, int timeout);
long sys_clock_nanosleep(int id, int flags, const void *req, void *rem);
long sys_clock_nanosleep_time64(int id, int flags, const void *req, void *rem);
long sys_clock_getres(int id, void *ts);
long sys_gettimeofday(void *tv, void *tz);
long sys_sigreturn(void);
long sys_rt_sigreturn(void);
long sys_rt_sigaction(int sig, const struct k_sigaction *act,
		      struct k_sigaction *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const sigset_t *set, sigset_t *oset,
			size_t sigsetsize);
long sys_rt_sigpending(sigset_t *set, size_t sigsetsize);
long sys_rt_sigsuspend(const sigset_t *mask, size_t sigsetsize);

/* The system call entry and the way back to user mode (kernel/syscall.c). */
void syscall_entry(struct trap_frame *tf);
void return_to_user(struct trap_frame *tf);

#endif
