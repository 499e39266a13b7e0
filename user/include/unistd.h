/*
 * unistd.h - POSIX system call wrappers.
 *
 * Each wrapper makes one Linux i386 system call; on failure it sets errno
 * and returns -1 (glibc conventions).
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

#include <spoor/file_abi.h>	/* SEEK_*, F_OK, X_OK, W_OK, R_OK */

extern char **environ;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);

pid_t fork(void);
pid_t vfork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
void _exit(int status) __attribute__((noreturn));

pid_t getpid(void);
pid_t getppid(void);

/* Process groups and sessions; the terminal's foreground group. */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
int pause(void);
unsigned int sleep(unsigned int seconds);
int usleep(unsigned int usec);

/* Path names and the working directory. */
int access(const char *path, int mode);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
ssize_t readlink(const char *path, char *buf, size_t size);

int brk(void *addr);
void *sbrk(intptr_t increment);

long syscall(long number, ...);

#endif /* _UNISTD_H */
