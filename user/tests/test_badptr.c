/*
 * test_badptr: every system call that takes a pointer, given pointers
 * that user space may not use: NULL, kernel addresses, an unmapped user
 * page, and buffers that run off the end of the heap or into the
 * kernel.  Each must fail with EFAULT and leave the caller alive and
 * its state (fds, signal actions, mask, break) as it was.  The calls
 * are made raw with syscall(), so no library code touches the pointer
 * first.
 *
 * Linux (the host that cross-checks these tests) may also complete a
 * read or write partially up to the fault; Spoor must refuse it whole.
 */
#include <stdint.h>
#include <sys/syscall.h>

#include "utest.h"

#define NSIGSET		8	/* sizeof the kernel's sigset_t */

struct bad {
	const char *name;
	uintptr_t addr;
	int straddles;	/* the first bytes are valid user memory */
};

/*
 * The program break moved up to a page boundary with the page below it
 * in use: the first address past the heap that is surely unmapped.
 * Recomputed whenever someone else moved the break.
 */
static uintptr_t heap_edge(void)
{
	static uintptr_t edge;
	uintptr_t cur = (uintptr_t)sbrk(0), pad;

	if (cur == edge)
		return edge;
	pad = -cur & (UT_PAGE - 1);
	if (sbrk(pad + UT_PAGE) == (void *)-1)
		return 0;
	edge = (uintptr_t)sbrk(0);
	memset((void *)(edge - UT_PAGE), 'h', UT_PAGE);
	return edge;
}

#define NBAD 6
#define NOT_NULL 1	/* where NULL means "none", start the loop here */

/* The bad addresses of this moment, for a buffer of up to 64 bytes. */
static void bad_addresses(struct bad *b)
{
	uintptr_t edge = heap_edge();

	b[0] = (struct bad){ "NULL", 0, 0 };
	b[1] = (struct bad){ "kernel", UT_KERNEL_BASE, 0 };
	b[2] = (struct bad){ "top", 0xFFFFF000UL, 0 };
	b[3] = (struct bad){ "unmapped", edge + 64 * UT_PAGE, 0 };
	b[4] = (struct bad){ "heap-end", edge - 8, 1 };
	b[5] = (struct bad){ "kernel-edge", UT_KERNEL_BASE - 8, 1 };
}

/*
 * Check one call's result @r / @e against EFAULT; a short transfer of
 * a buffer that straddles is allowed on Linux when @short_ok.
 */
static int efault_ok(const struct bad *b, long r, int e, long len,
		     int short_ok)
{
	if (r == -1 && e == EFAULT)
		return 1;
	return short_ok && b->straddles && !ut_is_spoor() && r >= 0 &&
	       r < len;
}

#define CHECK_EFAULT(t, b, what, call, len, short_ok) do {		\
	long r_;							\
	int e_;								\
	errno = 0;							\
	r_ = (long)(call);						\
	e_ = errno;							\
	if (!efault_ok(b, r_, e_, len, short_ok)) {			\
		kt_log(t, "%s at %s (%#lx): %ld, errno %d", what,	\
		       (b)->name, (unsigned long)(b)->addr, r_, e_);	\
		(t)->failed = 1;					\
	}								\
} while (0)

/* The lowest free fd, to see that nothing leaked. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void write_bad_buffer(struct kt_test *t)
{
	struct bad b[NBAD];
	int fds[2], i;

	for (i = 0; i < NBAD; i++) {
		KT_ASSERT_EQ(t, pipe(fds), 0);
		bad_addresses(b);
		CHECK_EFAULT(t, &b[i], "write",
			     syscall(SYS_write, fds[1], b[i].addr, 16), 16, 1);
		close(fds[0]);
		close(fds[1]);
	}
}

static void read_bad_buffer(struct kt_test *t)
{
	struct bad b[NBAD];
	int fds[2], fd, i;

	for (i = 0; i < NBAD; i++) {
		KT_ASSERT_EQ(t, pipe(fds), 0);
		KT_ASSERT_EQ(t, write(fds[1], "0123456789abcdefghijklmnopqrstuv", 32), 32);
		bad_addresses(b);
		CHECK_EFAULT(t, &b[i], "read pipe",
			     syscall(SYS_read, fds[0], b[i].addr, 16), 16, 1);
		close(fds[0]);
		close(fds[1]);
		fd = open("/etc/motd", O_RDONLY);
		KT_ASSERT_GE(t, fd, 0);
		CHECK_EFAULT(t, &b[i], "read file",
			     syscall(SYS_read, fd, b[i].addr, 16), 16, 1);
		close(fd);
	}
}

/*
 * Can we write the bytes right below the kernel?  On Spoor they are the
 * top of our stack; on the Linux host they are unmapped.  Asked in a
 * child, which dies if not.
 */
static int top_writable(void)
{
	static int known = -1;
	volatile char *top = (volatile char *)(UT_KERNEL_BASE - 1);
	pid_t pid;

	if (known < 0) {
		pid = fork();
		if (pid == 0) {
			*top = *top;
			_exit(0);
		}
		known = ut_wait(pid, 0) == 0;
	}
	return known;
}

/*
 * Copy @n bytes of @content to end right at @end (the heap's end, or
 * the kernel's start), so a string or vector starting there runs into
 * memory it may not use before its terminator; the start address.
 * Where nothing can be written (unmapped), any content will do.
 */
static uintptr_t place_below(uintptr_t end, const void *content, size_t n)
{
	if (end != UT_KERNEL_BASE || top_writable())
		memcpy((void *)(end - n), content, n);
	return end - n;
}

/*
 * Bad places for a string or a vector, which are read up to their
 * terminator: the plain bad addresses, and @n bytes of @content (no
 * terminator) right below the heap's end and below the kernel.
 */
static int bad_places(struct bad *b, const void *content, size_t n)
{
	struct bad all[NBAD];
	int i, k = 0;

	bad_addresses(all);
	for (i = 0; i < NBAD; i++)
		if (!all[i].straddles)
			b[k++] = all[i];
	b[k++] = (struct bad){ "heap-end",
			       place_below(heap_edge(), content, n), 1 };
	b[k++] = (struct bad){ "kernel-edge",
			       place_below(UT_KERNEL_BASE, content, n), 1 };
	return k;
}

static void open_bad_path(struct kt_test *t)
{
	int before = lowest_free_fd(), i, n;
	struct bad b[NBAD];

	n = bad_places(b, "/etc", 4);
	for (i = 0; i < n; i++)
		CHECK_EFAULT(t, &b[i], "open",
			     syscall(SYS_open, b[i].addr, O_RDONLY, 0), 0, 0);
	KT_EXPECT_EQ(t, lowest_free_fd(), before);
}

/*
 * execve(@path, @argv, @envp) raw, in a child without stdout (should the
 * exec wrongly succeed); the errno it failed with, or -1.
 */
static int execve_errno(uintptr_t path, uintptr_t argv, uintptr_t envp)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		close(1);
		syscall(SYS_execve, path, argv, envp);
		_exit(errno);
	}
	st = pid < 0 ? -1 : ut_wait(pid, 0);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define EXPECT_EXEC_EFAULT(t, what, where, path, argv, envp) do {	\
	int e_ = execve_errno(path, argv, envp);			\
	if (e_ != EFAULT)						\
		kt_log(t, "%s at %s: errno %d", what, where, e_);	\
	KT_EXPECT_EQ(t, e_, EFAULT);					\
} while (0)

static void execve_bad_pointers(struct kt_test *t)
{
	static char *argv[] = { "echo", "bad", NULL };
	static char *envp[] = { "A=1", NULL };
	static char *good[2] = { "echo", "echo" };
	static char *vec[3];
	uintptr_t echo = (uintptr_t)"/bin/echo";
	struct bad b[NBAD];
	int i, n;

	n = bad_places(b, "/bin", 4);
	for (i = 0; i < n; i++)
		EXPECT_EXEC_EFAULT(t, "path", b[i].name, b[i].addr,
				   (uintptr_t)argv, (uintptr_t)envp);
	/* Vectors; NULL would end them (Linux takes a NULL one as empty). */
	n = bad_places(b, good, sizeof(good));
	for (i = NOT_NULL; i < n; i++) {
		EXPECT_EXEC_EFAULT(t, "argv", b[i].name, echo, b[i].addr,
				   (uintptr_t)envp);
		EXPECT_EXEC_EFAULT(t, "envp", b[i].name, echo,
				   (uintptr_t)argv, b[i].addr);
	}
	/* Good vectors holding a bad string. */
	n = bad_places(b, "echo", 4);
	for (i = NOT_NULL; i < n; i++) {
		vec[0] = "echo";
		vec[1] = (char *)b[i].addr;
		vec[2] = NULL;
		EXPECT_EXEC_EFAULT(t, "argv[1]", b[i].name, echo,
				   (uintptr_t)vec, (uintptr_t)envp);
		EXPECT_EXEC_EFAULT(t, "envp[0]", b[i].name, echo,
				   (uintptr_t)argv, (uintptr_t)&vec[1]);
	}
}

static void wait_bad_status(struct kt_test *t)
{
	struct bad b[NBAD];
	pid_t pid;
	int i;

	for (i = NOT_NULL; i < NBAD; i++) {	/* NULL: no status wanted */
		pid = fork();
		if (pid == 0)
			_exit(0);
		KT_ASSERT_GT(t, pid, 0);
		ut_wait_zombie(pid);
		bad_addresses(b);
		/* A 4-byte status: straddle by 2 bytes. */
		if (b[i].straddles)
			b[i].addr += 6;
		CHECK_EFAULT(t, &b[i], "wait4",
			     syscall(SYS_wait4, pid, b[i].addr, 0, 0), 0, 0);
		waitpid(pid, NULL, 0);	/* reaped already, or now */
#ifdef SYS_waitpid
		pid = fork();
		if (pid == 0)
			_exit(0);
		KT_ASSERT_GT(t, pid, 0);
		ut_wait_zombie(pid);
		CHECK_EFAULT(t, &b[i], "waitpid",
			     syscall(SYS_waitpid, pid, b[i].addr, 0), 0, 0);
		waitpid(pid, NULL, 0);
#endif
	}
	UT_EXPECT_ERR(t, wait(NULL), ECHILD);
}

static void pipe_bad_array(struct kt_test *t)
{
	int before = lowest_free_fd(), i;
	struct bad b[NBAD];

	for (i = 0; i < NBAD; i++) {
		bad_addresses(b);
		if (b[i].straddles)
			b[i].addr += 4;	/* fds[0] fits, fds[1] does not */
		CHECK_EFAULT(t, &b[i], "pipe", syscall(SYS_pipe, b[i].addr),
			     0, 0);
	}
	/* No descriptor was left behind by the failed calls. */
	KT_EXPECT_EQ(t, lowest_free_fd(), before);
}

static void sigaction_bad_pointers(struct kt_test *t)
{
	struct sigaction old;
	struct bad b[NBAD];
	int i;

	for (i = NOT_NULL; i < NBAD; i++) {	/* NULL: query, no answer */
		bad_addresses(b);
		CHECK_EFAULT(t, &b[i], "rt_sigaction act",
			     syscall(SYS_rt_sigaction, SIGUSR1, b[i].addr, 0,
				     NSIGSET), 0, 0);
		CHECK_EFAULT(t, &b[i], "rt_sigaction oldact",
			     syscall(SYS_rt_sigaction, SIGUSR1, 0, b[i].addr,
				     NSIGSET), 0, 0);
	}
	/* Nothing was installed. */
	KT_EXPECT_EQ(t, sigaction(SIGUSR1, NULL, &old), 0);
	KT_EXPECT_PTR_EQ(t, old.sa_handler, SIG_DFL);
}

static void sigprocmask_bad_pointers(struct kt_test *t)
{
	struct bad b[NBAD];
	sigset_t cur;
	int i;

	for (i = NOT_NULL; i < NBAD; i++) {	/* NULL: query, no answer */
		bad_addresses(b);
		if (b[i].straddles)
			b[i].addr += 4;	/* half the set readable */
		CHECK_EFAULT(t, &b[i], "rt_sigprocmask set",
			     syscall(SYS_rt_sigprocmask, SIG_BLOCK, b[i].addr,
				     0, NSIGSET), 0, 0);
		CHECK_EFAULT(t, &b[i], "rt_sigprocmask oldset",
			     syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0,
				     b[i].addr, NSIGSET), 0, 0);
	}
	/* The mask did not change. */
	KT_EXPECT_EQ(t, sigprocmask(SIG_BLOCK, NULL, &cur), 0);
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGUSR1));
	KT_EXPECT_FALSE(t, sigismember(&cur, SIGTERM));
}

static void uname_nanosleep_bad_pointers(struct kt_test *t)
{
	struct bad b[NBAD];
	int i;

	for (i = 0; i < NBAD; i++) {
		bad_addresses(b);
		CHECK_EFAULT(t, &b[i], "uname",
			     syscall(SYS_uname, b[i].addr), 0, 0);
		if (b[i].straddles)
			b[i].addr += 4;	/* tv_sec readable, tv_nsec not */
		CHECK_EFAULT(t, &b[i], "nanosleep",
			     syscall(SYS_nanosleep, b[i].addr, 0), 0, 0);
	}
}

static void no_op(int sig)
{
	(void)sig;
}

/* Sleep 10 s with the remainder going to @arg; exit with the errno. */
static int sleep_with_remainder(void *arg)
{
	struct timespec req;

	req.tv_sec = 10;
	req.tv_nsec = 0;
	syscall(SYS_nanosleep, &req, arg);
	return errno;
}

/*
 * An interrupted nanosleep writes the time left through its second
 * pointer: a bad one is EFAULT, not a crash (NULL asks for nothing).
 */
static void nanosleep_bad_remainder(struct kt_test *t)
{
	struct bad b[NBAD];
	int i, ms, st = -1;
	pid_t pid;

	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, no_op, 0), 0);
	for (i = NOT_NULL; i < NBAD; i++) {
		bad_addresses(b);
		if (b[i].straddles)
			b[i].addr += 4;	/* tv_sec writable, tv_nsec not */
		pid = ut_spawn(sleep_with_remainder, (void *)b[i].addr);
		KT_ASSERT_GT(t, pid, 0);
		/* Signal until it is out of its sleep (we cannot see it in). */
		for (ms = 0; ms < UT_POLL_MS; ms += 10) {
			kill(pid, SIGUSR1);
			ut_sleep_ms(10);
			if (waitpid(pid, &st, WNOHANG) == pid)
				break;
		}
		if (ms >= UT_POLL_MS) {
			kill(pid, SIGKILL);
			st = ut_wait(pid, 0);
		}
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != EFAULT)
			kt_log(t, "remainder at %s: status 0x%x", b[i].name, st);
		KT_EXPECT_TRUE(t, st != -1 && WIFEXITED(st) &&
				  WEXITSTATUS(st) == EFAULT);
	}
	ut_handle(SIGUSR1, SIG_DFL, 0);
}

static void getdents_bad_buffer(struct kt_test *t)
{
	struct bad b[NBAD];
	int fd, i;

	for (i = 0; i < NBAD; i++) {
		fd = open("/", O_RDONLY);
		KT_ASSERT_GE(t, fd, 0);
		bad_addresses(b);
		CHECK_EFAULT(t, &b[i], "getdents",
			     syscall(SYS_getdents, fd, b[i].addr, 1024), 0, 0);
		close(fd);
	}
}

/* brk to a kernel address is refused: the break stays where it was. */
static void brk_into_kernel(struct kt_test *t)
{
	long before = syscall(SYS_brk, 0);

	if (!ut_is_spoor())	/* user space may reach 0xC0000000 there */
		KT_SKIP(t, "the kernel's base is Spoor's");
	KT_EXPECT_NE(t, syscall(SYS_brk, UT_KERNEL_BASE), (long)UT_KERNEL_BASE);
	KT_EXPECT_NE(t, syscall(SYS_brk, UT_KERNEL_BASE + 0x100000),
		     (long)(UT_KERNEL_BASE + 0x100000));
	KT_EXPECT_EQ(t, syscall(SYS_brk, 0), before);
	syscall(SYS_brk, before);	/* should a call above have moved it */
	KT_EXPECT_TRUE(t, sbrk(0) == (void *)before);
}

KT_SUITE(badptr_suite, "badptr",
	 KT_CASE(write_bad_buffer),
	 KT_CASE(read_bad_buffer),
	 KT_CASE(open_bad_path),
	 KT_CASE(execve_bad_pointers),
	 KT_CASE(wait_bad_status),
	 KT_CASE(pipe_bad_array),
	 KT_CASE(sigaction_bad_pointers),
	 KT_CASE(sigprocmask_bad_pointers),
	 KT_CASE(uname_nanosleep_bad_pointers),
	 KT_CASE(nanosleep_bad_remainder),
	 KT_CASE(getdents_bad_buffer),
	 KT_CASE(brk_into_kernel));

/* ---- badfd: descriptors that are not open, or open the wrong way ------ */

#define NFD 5

/* -1, a large unused number, INT_MAX, and one just closed. */
static void bad_fds(int *fds)
{
	int p[2];

	fds[0] = -1;
	fds[1] = 999;
	fds[2] = 0x7fffffff;
	fds[3] = 100;
	if (pipe(p) == 0) {
		close(p[0]);
		close(p[1]);
		fds[4] = p[0];
	} else {
		fds[4] = -2;
	}
}

static void io_on_bad_fds(struct kt_test *t)
{
	char buf[16] = "data";
	int fds[NFD], i;

	bad_fds(fds);
	for (i = 0; i < NFD; i++) {
		UT_EXPECT_ERR(t, read(fds[i], buf, sizeof(buf)), EBADF);
		UT_EXPECT_ERR(t, write(fds[i], buf, 4), EBADF);
		UT_EXPECT_ERR(t, close(fds[i]), EBADF);
		UT_EXPECT_ERR(t, dup(fds[i]), EBADF);
		UT_EXPECT_ERR(t, dup2(fds[i], 0), EBADF);
		UT_EXPECT_ERR(t, syscall(SYS_getdents, fds[i], buf, sizeof(buf)),
			      EBADF);
	}
	/* fd 0 survived the failed dup2 calls onto it. */
	UT_EXPECT_ERR(t, dup2(0, -1), EBADF);
	KT_EXPECT_EQ(t, dup2(0, 0), 0);
}

/* Each end of a pipe works one way only; a file opened to read too. */
static void wrong_direction(struct kt_test *t)
{
	char c = 'x';
	int fds[2], fd;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	UT_EXPECT_ERR(t, read(fds[1], &c, 1), EBADF);
	UT_EXPECT_ERR(t, write(fds[0], &c, 1), EBADF);
	close(fds[0]);
	close(fds[1]);
	fd = open("/etc/motd", O_RDONLY);
	KT_ASSERT_GE(t, fd, 0);
	UT_EXPECT_ERR(t, write(fd, &c, 1), EBADF);
	close(fd);
}

/* getdents on what is not a directory. */
static void getdents_not_a_directory(struct kt_test *t)
{
	char buf[1024];
	int fds[2], fd;

	fd = open("/etc/motd", O_RDONLY);
	KT_ASSERT_GE(t, fd, 0);
	UT_EXPECT_ERR(t, syscall(SYS_getdents, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	KT_ASSERT_EQ(t, pipe(fds), 0);
	UT_EXPECT_ERR(t, syscall(SYS_getdents, fds[0], buf, sizeof(buf)),
		      ENOTDIR);
	close(fds[0]);
	close(fds[1]);
}

/* System call numbers the kernel does not have: ENOSYS, nothing else. */
static void unknown_syscalls(struct kt_test *t)
{
	UT_EXPECT_ERR(t, syscall(9999), ENOSYS);
	UT_EXPECT_ERR(t, syscall(0x7fffffff), ENOSYS);
	UT_EXPECT_ERR(t, syscall(-1), ENOSYS);
	UT_EXPECT_ERR(t, syscall(1000, 1, 2, 3), ENOSYS);
	KT_EXPECT_GT(t, getpid(), 0);
}

KT_SUITE(badfd_suite, "badfd",
	 KT_CASE(io_on_bad_fds),
	 KT_CASE(wrong_direction),
	 KT_CASE(getdents_not_a_directory),
	 KT_CASE(unknown_syscalls));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
