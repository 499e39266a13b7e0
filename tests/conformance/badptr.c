/*
 * badptr: system calls given pointers user space may not use (NULL, and
 * the top page, kernel memory on both systems) fail with EFAULT, change
 * nothing, and the caller goes on.  Raw calls through syscall(), so no
 * library code touches the pointer first.
 */
#include <sys/syscall.h>

#include "conf.h"

#define NSIGSET 8	/* the kernel's sigset_t */

static const struct {
	const char *name;
	void *addr;
} bad[] = {
	{ "NULL", NULL },
	{ "top page", (void *)-4096L },
};

#define NBAD (sizeof(bad) / sizeof(bad[0]))

static void io(void)
{
	char what[64];
	unsigned int i;
	int fds[2], fd;

	for (i = 0; i < NBAD; i++) {
		pipe(fds);
		snprintf(what, sizeof(what), "write(pipe, %s, 4)", bad[i].name);
		TRY(what, syscall(SYS_write, fds[1], bad[i].addr, 4));
		write(fds[1], "data", 4);
		snprintf(what, sizeof(what), "read(pipe, %s, 4)", bad[i].name);
		TRY(what, syscall(SYS_read, fds[0], bad[i].addr, 4));
		close(fds[0]);
		close(fds[1]);
		fd = open("/etc/motd", O_RDONLY);
		snprintf(what, sizeof(what), "read(file, %s, 4)", bad[i].name);
		TRY(what, syscall(SYS_read, fd, bad[i].addr, 4));
		close(fd);
		snprintf(what, sizeof(what), "open(%s)", bad[i].name);
		TRY(what, syscall(SYS_open, bad[i].addr, O_RDONLY, 0));
		fd = open("/", O_RDONLY);
		snprintf(what, sizeof(what), "getdents(/, %s)", bad[i].name);
		TRY(what, syscall(SYS_getdents, fd, bad[i].addr, 1024));
		close(fd);
	}
}

static void structs(void)
{
	struct sigaction sa;
	char what[64];
	unsigned int i;
	int lowest = dup(0);

	close(lowest);
	for (i = 0; i < NBAD; i++) {
		snprintf(what, sizeof(what), "pipe(%s)", bad[i].name);
		TRY(what, syscall(SYS_pipe, bad[i].addr));
		snprintf(what, sizeof(what), "uname(%s)", bad[i].name);
		TRY(what, syscall(SYS_uname, bad[i].addr));
		snprintf(what, sizeof(what), "nanosleep(%s, NULL)",
			 bad[i].name);
		TRY(what, syscall(SYS_nanosleep, bad[i].addr, NULL));
	}
	say("no fd left behind by the failed pipes: %s", yes(dup(0) == lowest));
	close(lowest);

	/* NULL means "none" for these: only the top page is bad. */
	TRY("rt_sigaction(SIGUSR1, top page, NULL)",
	    syscall(SYS_rt_sigaction, SIGUSR1, bad[1].addr, NULL, NSIGSET));
	TRY("rt_sigaction(SIGUSR1, NULL, top page)",
	    syscall(SYS_rt_sigaction, SIGUSR1, NULL, bad[1].addr, NSIGSET));
	sigaction(SIGUSR1, NULL, &sa);
	say("SIGUSR1 still at SIG_DFL: %s", yes(sa.sa_handler == SIG_DFL));
	TRY("rt_sigprocmask(SIG_BLOCK, top page, NULL)",
	    syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad[1].addr, NULL, NSIGSET));
	TRY("rt_sigprocmask(SIG_BLOCK, NULL, top page)",
	    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, bad[1].addr, NSIGSET));
	say("SIGUSR1 still unblocked: %s", yes(!is_blocked(SIGUSR1)));
}

static void wait_status(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(5);
	sleep_ms(30);
	TRY("wait4(child, top page)",
	    syscall(SYS_wait4, pid, bad[1].addr, 0, NULL));
	waitpid(pid, NULL, 0);	/* reaped already (Linux), or now */
}

int main(void)
{
	conf_init();
	io();
	structs();
	wait_status();
	say("still running");
	return 0;
}
