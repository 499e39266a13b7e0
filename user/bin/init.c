/*
 * init - process 1.
 *
 * With run=PATH[,PATH...] in the environment (the kernel hands unknown
 * name=value boot parameters to init as environment, like Linux), run
 * each program in turn, report how it ended, then power off with exit
 * status 0 if every program exited 0, else 1:
 *
 *   spoor-run: begin /bin/t_fork
 *   spoor-run: end /bin/t_fork status=0
 *   spoor: end of run
 *
 * With gdb=PROG[,ARG...] (the boot option `make gdb` passes), run
 * `gdbstub /dev/ttyS1 PROG ARG...` so that a GDB on the host can debug
 * PROG over COM2, then power off the same way when the stub is done.
 *
 * Otherwise show /etc/motd and keep a shell on the console, starting a
 * new one whenever it exits. Either way init reaps every orphan that
 * the kernel reparents to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL	"/bin/sh"
#define MOTD	"/etc/motd"
#define GDBSTUB	"/bin/gdbstub"
#define GDB_TTY	"/dev/ttyS1"
#define MAX_ARGS 16

/* Start @argv[0] with @argv and the inherited environment. */
static pid_t spawn_argv(char *const argv[])
{
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, environ);
		fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

static pid_t spawn(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return spawn_argv(argv);
}

/*
 * Wait until @pid ends and return its wait status, reaping any other
 * child (orphans included) that ends meanwhile. Returns -1 if @pid is
 * not a child after all.
 */
static int wait_for(pid_t pid)
{
	int status;
	pid_t got;

	for (;;) {
		got = wait(&status);
		if (got == pid)
			return status;
		if (got < 0 && errno != EINTR)
			return -1;
	}
}

/* Run @argv (one program of the run= list); 1 if it exited 0. */
static int run_one(char *const argv[])
{
	const char *path = argv[0];
	pid_t pid;
	int status;

	printf("spoor-run: begin %s\n", path);
	pid = spawn_argv(argv);
	status = pid < 0 ? -1 : wait_for(pid);
	if (status < 0)
		printf("spoor-run: end %s status=127\n", path);
	else if (WIFSIGNALED(status))
		printf("spoor-run: end %s signal=%d\n", path, WTERMSIG(status));
	else
		printf("spoor-run: end %s status=%d\n", path,
		       WEXITSTATUS(status));
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void power_off(int all_ok);

/*
 * Run every program of the comma-separated @list, then power off. The
 * fourth argument of Spoor's POWER_OFF is the exit status for the host.
 */
static void run_list(char *list)
{
	char *path, *next;
	int all_ok = 1;

	for (path = list; path; path = next) {
		next = strchr(path, ',');
		if (next)
			*next++ = '\0';
		if (*path)
			all_ok &= run_one((char *[]){ path, NULL });
	}
	power_off(all_ok);
}

/* The end of a run: the host sees 0 if everything exited 0, else 1. */
static void power_off(int all_ok)
{
	printf("spoor: end of run\n");
	fflush(stdout);
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, all_ok ? 0 : 1);
	perror("init: reboot");
}

/* gdb=PROG,ARG...: PROG under the stub on COM2, then power off. */
static void run_gdbstub(char *list)
{
	char *argv[MAX_ARGS + 3] = { GDBSTUB, GDB_TTY };
	int n = 2;

	for (; list && n < MAX_ARGS + 2; n++) {
		argv[n] = list;
		list = strchr(list, ',');
		if (list)
			*list++ = '\0';
	}
	argv[n] = NULL;
	power_off(run_one(argv));
}

static void show_motd(void)
{
	char buf[512];
	ssize_t n;
	int fd;

	fd = open(MOTD, O_RDONLY);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		write(1, buf, n);
	close(fd);
}

/* Keep a shell running; never returns. */
static void serve_console(void)
{
	pid_t pid;

	show_motd();
	for (;;) {
		pid = spawn(SHELL);
		/* Do not spin if the shell keeps failing. */
		if (pid < 0 || wait_for(pid) != 0)
			sleep(1);
	}
}

int main(void)
{
	char *run = getenv("run"), *gdb = getenv("gdb"), *copy;

	if (gdb) {
		copy = strdup(gdb);
		run_gdbstub(copy ? copy : gdb);
	} else if (run) {
		/* run_list cuts the list up; children inherit the original. */
		copy = strdup(run);
		run_list(copy ? copy : run);
	} else {
		serve_console();
	}
	/* init must not exit: reap orphans forever. */
	for (;;)
		if (wait(NULL) < 0)
			sleep(1);	/* no children right now */
}
