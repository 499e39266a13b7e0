/*
 * test_leak: process lifecycles give back every page and every byte of
 * kernel heap.  Each case runs its storm once to warm up (caches, the
 * heap's high-water mark, this program's own stack), reads Spoor's
 * /proc/meminfo, runs the storm again, waits until every child and
 * orphan is reaped, reads it again: free_pages and heap_bytes must be
 * what they were.  Both readings are printed.  On Linux the storms run
 * (they must still pass) and the comparison is skipped.
 */
#include "utest.h"

#define SELF_DEFAULT	"/bin/test_leak"

static const char *self = SELF_DEFAULT;
static char *no_env[] = { NULL };

/* Wait until no child of ours is left; the number reaped. */
static int reap_all(void)
{
	int n = 0;

	for (;;) {
		if (wait(NULL) > 0)
			n++;
		else if (errno != EINTR)
			return n;
	}
}

static void storm_fork_exit(void)
{
	pid_t pid;
	int i;

	for (i = 0; i < 1000; i++) {	/* test_fork's storm, measured */
		pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		if (pid > 0 && i % 16 == 15)
			reap_all();
	}
	reap_all();
}

static void storm_zombie_pile(void)
{
	int i;

	for (i = 0; i < 40; i++)
		if (fork() == 0)
			_exit(0);
	ut_sleep_ms(50);	/* all zombies at once */
	reap_all();
}

static void storm_vfork(void)
{
	pid_t pid;
	int i;

	for (i = 0; i < 50; i++) {
		pid = vfork();
		if (pid == 0)
			_exit(1);
		if (pid > 0)
			ut_wait(pid, 0);
	}
}

static void storm_exec(void)
{
	char *argv[] = { "x", "exit", "3", NULL };
	char *echo[] = { "echo", "leak", NULL };
	int fds[2], i;
	char buf[16];
	pid_t pid;

	for (i = 0; i < 40; i++) {
		if (pipe(fds) < 0)
			return;
		pid = fork();
		if (pid == 0) {
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
			if (i % 2)
				execve("/bin/echo", echo, no_env);
			else
				execve(self, argv, no_env);
			_exit(127);
		}
		close(fds[1]);
		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		close(fds[0]);
		if (pid > 0)
			ut_wait(pid, 0);
	}
	/* Failed execs free what they loaded. */
	for (i = 0; i < 20; i++) {
		pid = fork();
		if (pid == 0) {
			execve("/etc/motd", argv, no_env);
			execve("/bin/no-such-program", argv, no_env);
			_exit(0);
		}
		if (pid > 0)
			ut_wait(pid, 0);
	}
}

static void storm_pipes(void)
{
	static char chunk[3000];
	int fds[2], i;
	pid_t pid;

	for (i = 0; i < 100; i++) {
		if (pipe(fds) < 0)
			return;
		write(fds[1], chunk, sizeof(chunk));	/* never read */
		if (i % 4 == 0) {
			/* A child holds both ends when it exits. */
			pid = fork();
			if (pid == 0)
				_exit(0);
			if (pid > 0)
				ut_wait(pid, 0);
		}
		close(fds[0]);
		close(fds[1]);
	}
}

static int block_in_read(void *arg)
{
	int *fds = arg;
	char c;

	close(fds[1]);
	read(fds[0], &c, 1);
	return 0;
}

static void ignore(int sig)
{
	(void)sig;
}

static void storm_signals(void)
{
	int fds[2], i;
	pid_t pid;

	for (i = 0; i < 30; i++) {
		if (pipe(fds) < 0)
			return;
		pid = ut_spawn(block_in_read, fds);
		close(fds[0]);
		close(fds[1]);
		if (pid < 0)
			continue;
		if (i % 3 == 0)
			kill(pid, SIGKILL);	/* asleep in a pipe read */
		if (i % 3 == 1) {
			kill(pid, SIGSTOP);
			ut_wait(pid, WUNTRACED);
			kill(pid, SIGTERM);	/* pending while stopped */
			kill(pid, SIGKILL);
		}
		/* i % 3 == 2: EOF ends it */
		ut_wait(pid, 0);
	}
	/* Handlers running in children that then exit with signals pending. */
	ut_handle(SIGUSR1, ignore, 0);
	for (i = 0; i < 20; i++) {
		pid = fork();
		if (pid == 0) {
			sigset_t set;

			kill(getpid(), SIGUSR1);
			sigemptyset(&set);
			sigaddset(&set, SIGUSR2);
			sigprocmask(SIG_BLOCK, &set, NULL);
			kill(getpid(), SIGUSR2);
			_exit(0);
		}
		if (pid > 0)
			ut_wait(pid, 0);
	}
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

static int fault(void *arg)
{
	volatile int *volatile p = NULL;
	volatile int z = 0, hundred = 100;

	if (arg)
		return hundred / z;
	return *p;
}

static void storm_faults(void)
{
	int i;

	for (i = 0; i < 40; i++)
		ut_run(fault, (void *)(long)(i % 2));
}

/* Children that grow their heap by 256 KiB and touch every page. */
static int grow_heap(void *arg)
{
	char *p = sbrk(256 * 1024);
	unsigned long i;

	(void)arg;
	if (p == (void *)-1)
		return 1;
	for (i = 0; i < 256 * 1024; i += UT_PAGE)
		p[i] = 1;
	return 0;
}

static void storm_brk(void)
{
	int i;

	for (i = 0; i < 20; i++)
		ut_run(grow_heap, NULL);
}

static int leave_orphan(void *arg)
{
	int fd = (int)(long)arg;
	pid_t pid = fork();

	if (pid == 0) {
		ut_sleep_ms(10);
		_exit(0);
	}
	write(fd, &pid, sizeof(pid));
	return 0;
}

static void storm_orphans(void)
{
	pid_t orphans[10];
	int fds[2], i;

	if (pipe(fds) < 0)
		return;
	for (i = 0; i < 10; i++)
		ut_run(leave_orphan, (void *)(long)fds[1]);
	ut_read_full(fds[0], orphans, sizeof(orphans));
	close(fds[0]);
	close(fds[1]);
	for (i = 0; i < 10; i++)
		ut_wait_gone(orphans[i]);
}

/*
 * Run @storm to warm up, then again between two readings of
 * /proc/meminfo; both must agree.
 */
static void leak_check(struct kt_test *t, void (*storm)(void))
{
	long pages0, heap0, pages1, heap1;

	storm();
	KT_EXPECT_EQ(t, reap_all(), 0);
	if (ut_meminfo(&pages0, &heap0) < 0)
		KT_SKIP(t, "no Spoor /proc/meminfo");
	storm();
	KT_EXPECT_EQ(t, reap_all(), 0);
	KT_ASSERT_EQ(t, ut_meminfo(&pages1, &heap1), 0);
	kt_log(t, "before: free_pages %ld heap_bytes %ld", pages0, heap0);
	kt_log(t, "after:  free_pages %ld heap_bytes %ld", pages1, heap1);
	KT_EXPECT_EQ(t, pages1, pages0);
	KT_EXPECT_EQ(t, heap1, heap0);
}

static void leak_fork_exit(struct kt_test *t)
{
	leak_check(t, storm_fork_exit);
}

static void leak_zombie_pile(struct kt_test *t)
{
	leak_check(t, storm_zombie_pile);
}

static void leak_vfork(struct kt_test *t)
{
	leak_check(t, storm_vfork);
}

static void leak_exec(struct kt_test *t)
{
	leak_check(t, storm_exec);
}

static void leak_pipes(struct kt_test *t)
{
	leak_check(t, storm_pipes);
}

static void leak_signals(struct kt_test *t)
{
	leak_check(t, storm_signals);
}

static void leak_faults(struct kt_test *t)
{
	leak_check(t, storm_faults);
}

static void leak_brk(struct kt_test *t)
{
	leak_check(t, storm_brk);
}

static void leak_orphans(struct kt_test *t)
{
	leak_check(t, storm_orphans);
}

static void storm_everything(void)
{
	storm_fork_exit();
	storm_exec();
	storm_pipes();
	storm_signals();
	storm_faults();
	storm_orphans();
}

static void leak_everything(struct kt_test *t)
{
	leak_check(t, storm_everything);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(leak_suite, "leak",
	 KT_CASE(leak_fork_exit),
	 KT_CASE(leak_zombie_pile),
	 KT_CASE(leak_vfork),
	 KT_CASE(leak_exec),
	 KT_CASE(leak_pipes),
	 KT_CASE(leak_signals),
	 KT_CASE(leak_faults),
	 KT_CASE(leak_brk),
	 KT_CASE(leak_orphans),
	 KT_CASE(leak_everything));
/* clang-format on */

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	ut_reset_signals();
	return kt_main();
}
