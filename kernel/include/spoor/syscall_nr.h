/* Linux i386 system call numbers that Spoor implements. */
#ifndef SPOOR_SYSCALL_NR_H
#define SPOOR_SYSCALL_NR_H

#define __NR_exit		1
#define __NR_fork		2
#define __NR_read		3
#define __NR_write		4
#define __NR_open		5
#define __NR_close		6
#define __NR_waitpid		7
#define __NR_execve		11
#define __NR_lseek		19
#define __NR_getpid		20
#define __NR_getuid		24
#define __NR_ptrace		26
#define __NR_pause		29
#define __NR_kill		37
#define __NR_dup		41
#define __NR_pipe		42
#define __NR_brk		45
#define __NR_getgid		47
#define __NR_geteuid		49
#define __NR_getegid		50
#define __NR_ioctl		54
#define __NR_setpgid		57
#define __NR_dup2		63
#define __NR_getppid		64
#define __NR_getpgrp		65
#define __NR_setsid		66
#define __NR_reboot		88
#define __NR_wait4		114
#define __NR_sigreturn		119
#define __NR_uname		122
#define __NR_getpgid		132
#define __NR_getdents		141
#define __NR_getsid		147
#define __NR_sched_yield	158
#define __NR_nanosleep		162
#define __NR_rt_sigreturn	173
#define __NR_rt_sigaction	174
#define __NR_rt_sigprocmask	175
#define __NR_rt_sigpending	176
#define __NR_rt_sigsuspend	179
#define __NR_vfork		190
#define __NR_exit_group		252
#define NR_SYSCALLS		253

#endif
