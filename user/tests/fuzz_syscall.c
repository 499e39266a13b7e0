/*
 * fuzz_syscall: random system calls with nasty arguments.  The kernel
 * must survive every one (no panic, no hang, no task SIGKILL cannot
 * end), answer each with a result or a valid -errno (exactly -ENOSYS
 * for a number no Linux call has), never accept a pointer into kernel
 * memory, an unmapped page or a read-only page for data it moves, never
 * touch a buffer when it says EFAULT, and give back every page and
 * heap byte once the processes are gone.
 *
 * Parameters (argv "name=N" or the environment, so a kernel command
 * line option): fuzz_seed (default 1), fuzz_ops (default 2000).
 *
 * The operations run in batches, each in a fresh worker process whose
 * descriptors are a pool of pipes, /proc files, a file and a directory
 * (the console is closed: junk must not reach the KTAP stream).  Calls
 * that may block, end, replace or reconfigure the caller (exit, fork,
 * execve, pause, kill, brk, sigreturn, signal actions, read/write on
 * pipes, ptrace...) run in a grandchild, killed after GRAND_MS, and so
 * does every number the table below does not describe.  Every
 * check is made in the process that made the call, and a failure is
 * reported through a pipe kept at REPORT_FD as "F seed/batch/op ...".
 */
#include <sys/syscall.h>

#include <spoor/syscall_names.h>	/* NR_SYSCALLS */

#include "fuzz.h"

#define NR_FUZZ_MAX	(NR_SYSCALLS + 10)	/* a little past Linux's */
#define ARENA_SIZE	(2 * UT_PAGE)
#define PATTERN		0xa5
#define REPORT_FD	31	/* NR_OPEN - 1: no nasty value names it */
#define BATCH		32
#define GRAND_MS	40
#define WORKER_MS	(BATCH * (GRAND_MS + 30) + 3000)
#define MAX_ERRNO	133	/* EHWPOISON, the last Linux errno */
#define SIGSET_SIZE	8
#define K_SIGACTION_SIZE 20
#define UTSNAME_SIZE	390

/* How a call uses an argument: what to generate. */
enum kind { K_INT, K_FD, K_BUF, K_LEN, K_PATH, K_SIG, K_PID, K_SETSZ };

/* What the kernel does with a pointer on success: what to check. */
enum use {
	U_NONE,
	U_IN,		/* reads .size bytes when non-NULL */
	U_OUT,		/* writes .size bytes when non-NULL */
	U_INN,		/* reads as many bytes as the call returns */
	U_OUTN,		/* writes as many bytes as the call returns */
	U_OUTW,		/* writes 4 bytes when the call returns > 0 */
};

struct arg {
	unsigned char kind, use;
	unsigned short size;
};

struct call {
	int nr;
	const char *name;
	int risky;		/* run in a grandchild */
	struct arg a[6];
};

#define INT_	{ K_INT, U_NONE, 0 }
#define FD_	{ K_FD, U_NONE, 0 }
#define LEN_	{ K_LEN, U_NONE, 0 }
#define SIG_	{ K_SIG, U_NONE, 0 }
#define PID_	{ K_PID, U_NONE, 0 }
#define SETSZ_	{ K_SETSZ, U_NONE, 0 }
#define PTR_	{ K_BUF, U_NONE, 0 }
#define IN_(n)	{ K_BUF, U_IN, n }
#define OUT_(n)	{ K_BUF, U_OUT, n }
#define PATH_	{ K_PATH, U_IN, 1 }

/* Calls whose argument shapes the fuzzer knows (others get random words). */
static const struct call calls[] = {
	{ __NR_exit, "exit", 1, { INT_ } },
	{ __NR_fork, "fork", 1, { INT_ } },
	{ __NR_read, "read", 1, { FD_, { K_BUF, U_OUTN, 0 }, LEN_ } },
	{ __NR_write, "write", 1, { FD_, { K_BUF, U_INN, 0 }, LEN_ } },
	{ __NR_open, "open", 0, { PATH_, INT_, INT_ } },
	{ __NR_close, "close", 0, { FD_ } },
	{ __NR_waitpid, "waitpid", 0, { PID_, { K_BUF, U_OUTW, 4 }, INT_ } },
	{ __NR_execve, "execve", 1, { PATH_, PTR_, PTR_ } },
	{ __NR_lseek, "lseek", 0, { FD_, INT_, INT_ } },
	{ __NR_getpid, "getpid", 0, { INT_ } },
	{ __NR_getuid, "getuid", 0, { INT_ } },
	{ __NR_ptrace, "ptrace", 1, { INT_, PID_, PTR_, PTR_ } },
	{ __NR_pause, "pause", 1, { INT_ } },
	{ __NR_kill, "kill", 1, { PID_, SIG_ } },
	{ __NR_dup, "dup", 0, { FD_ } },
	{ __NR_pipe, "pipe", 0, { OUT_(8) } },
	{ __NR_brk, "brk", 1, { PTR_ } },
	{ __NR_getgid, "getgid", 0, { INT_ } },
	{ __NR_geteuid, "geteuid", 0, { INT_ } },
	{ __NR_getegid, "getegid", 0, { INT_ } },
	{ __NR_ioctl, "ioctl", 0, { FD_, INT_, PTR_ } },
	{ __NR_dup2, "dup2", 0, { FD_, FD_ } },
	{ __NR_getppid, "getppid", 0, { INT_ } },
	{ __NR_reboot, "reboot", 1, { INT_, INT_, INT_, INT_ } },
	{ __NR_wait4, "wait4", 0, { PID_, { K_BUF, U_OUTW, 4 }, INT_, PTR_ } },
	{ __NR_sigreturn, "sigreturn", 1, { PTR_ } },
	{ __NR_uname, "uname", 0, { OUT_(UTSNAME_SIZE) } },
	{ __NR_getdents, "getdents", 0, { FD_, { K_BUF, U_OUTN, 0 }, LEN_ } },
	{ __NR_sched_yield, "sched_yield", 0, { INT_ } },
	{ __NR_nanosleep, "nanosleep", 1, { IN_(8), PTR_ } },
	{ __NR_rt_sigreturn, "rt_sigreturn", 1, { PTR_ } },
	{ __NR_rt_sigaction, "rt_sigaction", 1,
	  { SIG_, IN_(K_SIGACTION_SIZE), OUT_(K_SIGACTION_SIZE), SETSZ_ } },
	{ __NR_rt_sigprocmask, "rt_sigprocmask", 1,
	  { INT_, IN_(SIGSET_SIZE), OUT_(SIGSET_SIZE), SETSZ_ } },
	{ __NR_rt_sigpending, "rt_sigpending", 0, { OUT_(SIGSET_SIZE), SETSZ_ } },
	{ __NR_rt_sigsuspend, "rt_sigsuspend", 1, { IN_(SIGSET_SIZE), SETSZ_ } },
	{ __NR_vfork, "vfork", 1, { INT_ } },
	{ __NR_exit_group, "exit_group", 1, { INT_ } },
	{ __NR_setpgid, "setpgid", 1, { PID_, PID_ } },
	{ __NR_getpgid, "getpgid", 0, { PID_ } },
	{ __NR_getpgrp, "getpgrp", 0, { INT_ } },
	{ __NR_setsid, "setsid", 1, { INT_ } },
	{ __NR_getsid, "getsid", 0, { PID_ } },
};

#define NCALLS	(sizeof(calls) / sizeof(calls[0]))

static const char *const paths[] = {
	"/bin/true", "/bin/false", "/etc/motd", "/", "/proc/meminfo",
	"/proc/tasks", "/proc", "", "/no/such/file", "bin/true", "/bin/",
	"/etc/motd/x", "//bin//true",
};

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(4096)));

static struct {
	unsigned long seed, ops, batch, op;
	uintptr_t edge;		/* first unmapped address past the heap */
	uint32_t rodata_sum;
	int fds[12], nfds;
	unsigned long done, inline_ops, forked, killed, wedged, failures;
} fz;

/* Report a failure of the current operation through REPORT_FD. */
static void report(const struct call *c, const uint32_t *a, long ret,
		   const char *why)
{
	char line[200];
	int n;

	n = snprintf(line, sizeof(line),
		     "F seed=%lu batch=%lu op=%lu %s#%d(%#x,%#x,%#x,%#x,%#x,%#x)=%ld: %s\n",
		     fz.seed, fz.batch, fz.op, c ? c->name : "nr", c ? c->nr : (int)a[6],
		     a[0], a[1], a[2], a[3], a[4], a[5], ret, why);
	write(REPORT_FD, line, n);
}

/* ---- argument generation ------------------------------------------- */

/* A pointer: into the arena, at the heap edge, read-only, unmapped,
 * NULL-ish or kernel. */
static uint32_t gen_pointer(struct fz_rng *r)
{
	uint32_t e = fz.edge, arena_va = (uintptr_t)arena;

	switch (fz_below(r, 8)) {
	case 0:
		return arena_va + fz_below(r, ARENA_SIZE);
	case 1:
		return arena_va;
	case 2:		/* the last bytes before the unmapped page */
		return e - FZ_PICK(r, ((const uint32_t[]){ 1, 2, 4, 7, 8, 16,
				 20, 64, 389, 390, 4096 }));
	case 3:
		return e + fz_below(r, 4) * UT_PAGE + fz_below(r, 16);
	case 4:
		return (uintptr_t)fz_rodata + fz_below(r, 64);
	case 5:
		return FZ_PICK(r, ((const uint32_t[]){ 0, 1, 4, 16, 4095,
				 0x40000000, 0x40000ffc }));
	default:
		return FZ_PICK(r, fz_kernel_addrs);
	}
}

static uint32_t gen_typed(struct fz_rng *r, int kind)
{
	switch (kind) {
	case K_FD:
		if (fz_chance(r, 80) && fz.nfds)
			return fz.fds[fz_below(r, fz.nfds)];
		return FZ_PICK(r, ((const uint32_t[]){ -1, 30, 32, 100,
				 INT_MAX, 0x80000000u }));
	case K_BUF:
		return gen_pointer(r);
	case K_PATH:
		return fz_chance(r, 70) ? (uintptr_t)FZ_PICK(r, paths)
					: gen_pointer(r);
	case K_LEN:
		return FZ_PICK(r, ((const uint32_t[]){ 0, 1, 4, 16, 64, 390,
				 4095, 4096, 4097, 8192, 0x10000000,
				 0x7fffffff, 0xffffffffu }));
	case K_SIG:
		return fz_chance(r, 85) ? fz_below(r, 66) : FZ_PICK(r, fz_nasty_ints);
	case K_PID:
		return FZ_PICK(r, ((const uint32_t[]){ 0, 0, -1, 1, 2,
				 (uint32_t)getpid(), -(uint32_t)getpid(),
				 30000, 32767, 32768, INT_MAX, 0x80000000u }));
	case K_SETSZ:
		return fz_chance(r, 80) ? SIGSET_SIZE : FZ_PICK(r, fz_nasty_ints);
	default:
		return fz_chance(r, 50) ? fz_next(r) : FZ_PICK(r, fz_nasty_ints);
	}
}

/* Any value at all, for an argument whose shape we ignore. */
static uint32_t gen_any(struct fz_rng *r)
{
	switch (fz_below(r, 4)) {
	case 0:
		return fz_next(r);
	case 1:
		return gen_pointer(r);
	default:
		return FZ_PICK(r, fz_nasty_ints);
	}
}

/*
 * Keep a call from reaching outside the worker's own family: kill and
 * ptrace may name the caller, init (which must shrug it off), pid 0,
 * INT_MIN or a pid nobody has; kill may name everyone (-1) only with
 * signal 0.  Anything else becomes the caller.
 */
static void tame(const struct call *c, uint32_t *a)
{
	int is_kill = c && c->nr == __NR_kill;
	uint32_t *pid;
	int32_t v;

	if (!c || (!is_kill && c->nr != __NR_ptrace))
		return;
	pid = &a[is_kill ? 0 : 1];
	v = (int32_t)*pid;
	if (v == -1 && is_kill && a[1] != 0)
		*pid = getpid();
	else if (v != -1 && v != 0 && v != 1 && v != INT_MIN &&
		 v < 30000 && v > -30000 && v != getpid() && v != -getpid())
		*pid = getpid();
}

/* ---- the checks -------------------------------------------------------- */

/* Does [p, p + n) touch memory that no user access may succeed on? */
static int bad_range(uint32_t p, uint32_t n)
{
	uint32_t end = p + (n ? n : 1);

	if (end < p || end > UT_KERNEL_BASE)	/* wraps, or kernel */
		return 1;
	if (p < UT_PAGE)				/* the NULL page */
		return 1;
	if (end > 0x40000000 && p < 0x40001000)		/* a page never mapped */
		return 1;
	return end > fz.edge && p < fz.edge + 4 * UT_PAGE;
}

static int read_only_range(uint32_t p, uint32_t n)
{
	uint32_t ro = (uintptr_t)fz_rodata;

	return p < ro + sizeof(fz_rodata) && p + n > ro;
}

/* The arena and the page below the edge, back to the pattern. */
static void fill_buffers(void)
{
	memset(arena, PATTERN, sizeof(arena));
	memset((void *)(fz.edge - UT_PAGE), PATTERN, UT_PAGE);
}

/*
 * After EFAULT, has any byte of the arena or the edge page changed
 * outside the call's own output buffers?  A partial copy into an output
 * buffer up to the fault is what Linux's copy_to_user does; anything
 * else is the kernel writing where it was not asked to.
 */
static int written_elsewhere(const struct call *c, const uint32_t *a)
{
	const unsigned char *e = (const unsigned char *)(fz.edge - UT_PAGE);
	uint32_t va;
	size_t i;
	int k;

	for (i = 0; i < ARENA_SIZE + UT_PAGE; i++) {
		if ((i < ARENA_SIZE ? arena[i] : e[i - ARENA_SIZE]) == PATTERN)
			continue;
		va = i < ARENA_SIZE ? (uintptr_t)arena + i
				    : (uintptr_t)e + i - ARENA_SIZE;
		for (k = 0; k < 6; k++)
			if (c->a[k].use >= U_OUT && c->a[k].use != U_INN &&
			    va >= a[k] && va - a[k] < (c->a[k].size ? c->a[k].size : a[2]))
				break;
		if (k == 6)
			return 1;
	}
	return 0;
}

/* A pointer argument the call succeeded with: was it a valid one? */
static void check_pointer(const struct call *c, const uint32_t *a, long ret,
			  int i)
{
	const struct arg *g = &c->a[i];
	uint32_t n = g->size, p = a[i];
	int writes = g->use == U_OUT || g->use == U_OUTN || g->use == U_OUTW;

	if (g->use == U_INN || g->use == U_OUTN)
		n = ret;
	if (g->use == U_OUTW && ret <= 0)
		return;
	if (g->use == U_NONE || !n || !p)
		return;
	if (bad_range(p, n))
		report(c, a, ret, "succeeded with a kernel or unmapped pointer");
	else if (writes && read_only_range(p, n))
		report(c, a, ret, "succeeded writing a read-only page");
}

static void check(const struct call *c, const uint32_t *a, long ret)
{
	int i;

	if (fz_rodata_sum() != fz.rodata_sum)
		report(c, a, ret, "a read-only page changed");
	if (!c) {
		if (a[6] >= NR_SYSCALLS && ret != -ENOSYS)
			report(c, a, ret, "unknown call not -ENOSYS");
		else if (ret < 0 && ret >= -4095 && -ret > MAX_ERRNO)
			report(c, a, ret, "not a user errno");
		return;
	}
	if (ret < 0 && ret >= -4095) {
		if (-ret > MAX_ERRNO)
			report(c, a, ret, "not a user errno");
		if (ret == -EFAULT && written_elsewhere(c, a))
			report(c, a, ret, "EFAULT, yet memory outside its buffers changed");
		return;
	}
	if (ret < 0 && c->nr != __NR_brk)
		report(c, a, ret, "neither a result nor an errno");
	for (i = 0; i < 6; i++)
		check_pointer(c, a, ret, i);
}

/* ---- running one operation ------------------------------------------- */

long fz_raw(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
	    uint32_t a4, uint32_t a5);

/* The raw int $0x80: six arguments, the kernel's result unchanged. */
asm(".text\n"
    ".globl fz_raw\n"
    "fz_raw:\n"
    "	pushl %ebp\n"
    "	movl %esp, %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 8(%ebp), %eax\n"
    "	movl 12(%ebp), %ebx\n"
    "	movl 16(%ebp), %ecx\n"
    "	movl 20(%ebp), %edx\n"
    "	movl 24(%ebp), %esi\n"
    "	movl 28(%ebp), %edi\n"
    "	movl 32(%ebp), %ebp\n"
    "	int $0x80\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	popl %ebp\n"
    "	ret\n");

static long call_and_check(const struct call *c, uint32_t nr, uint32_t *a)
{
	long ret;

	tame(c, a);	/* here: getpid() is the caller's */
	fill_buffers();
	ret = fz_raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret == 0 && c && (c->nr == __NR_fork || c->nr == __NR_vfork))
		_exit(0);	/* the new child: nothing to check */
	check(c, a, ret);
	return ret;
}

/* A risky call in a grandchild that the worker kills after GRAND_MS. */
static void run_forked(const struct call *c, uint32_t nr, uint32_t *a)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		call_and_check(c, nr, a);
		_exit(0);
	}
	if (pid < 0)
		return;
	switch (fz_wait_deadline(pid, GRAND_MS, &status)) {
	case FZ_ENDED:
		write(REPORT_FD, "f", 1);
		break;
	case FZ_KILLED:
		write(REPORT_FD, "k", 1);
		break;
	case FZ_WEDGED:
		report(c, a, 0, "WEDGED: SIGKILL did not end the grandchild");
		break;
	}
}

static void one_op(struct fz_rng *r)
{
	const struct call *c = NULL;
	uint32_t a[7], nr;
	int i;

	if (fz_chance(r, 80)) {
		c = &calls[fz_below(r, NCALLS)];
		nr = c->nr;
	} else {
		nr = fz_chance(r, 90) ? fz_below(r, NR_FUZZ_MAX)
				      : FZ_PICK(r, fz_nasty_ints);
		for (i = 0; i < (int)NCALLS && !c; i++)
			if ((uint32_t)calls[i].nr == nr)
				c = &calls[i];
	}
	for (i = 0; i < 6; i++)
		a[i] = c && fz_chance(r, 80) ? gen_typed(r, c->a[i].kind)
					    : gen_any(r);
	a[6] = nr;
	if (c && !c->risky) {
		call_and_check(c, nr, a);
		write(REPORT_FD, ".", 1);
	} else {
		run_forked(c, nr, a);
	}
}

/* ---- the worker and the batches ----------------------------------------- */

/* Close everything but REPORT_FD, then open the descriptor pool. */
static void open_pool(void)
{
	static const char *const files[] = {
		"/proc/meminfo", "/proc/tasks", "/etc/motd", "/", "/bin/true",
	};
	int p[2], fd;
	unsigned i;

	for (fd = 0; fd < REPORT_FD; fd++)
		close(fd);
	fz.nfds = 0;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if ((fd = open(files[i], O_RDONLY)) >= 0)
			fz.fds[fz.nfds++] = fd;
	if (pipe(p) == 0) {		/* empty: reads block */
		fz.fds[fz.nfds++] = p[0];
		fz.fds[fz.nfds++] = p[1];
	}
	if (pipe(p) == 0) {		/* data, then EOF */
		write(p[1], "pipe data\n", 10);
		close(p[1]);
		fz.fds[fz.nfds++] = p[0];
	}
	if (pipe(p) == 0) {		/* no reader: EPIPE/SIGPIPE */
		close(p[0]);
		fz.fds[fz.nfds++] = p[1];
	}
	fz.fds[fz.nfds++] = REPORT_FD - 1;	/* closed */
}

static int worker(unsigned long seed, unsigned long batch, unsigned long ops)
{
	struct fz_rng r;

	fz_seed(&r, seed * 7919 + batch);
	open_pool();
	for (fz.op = 0; fz.op < ops; fz.op++) {
		one_op(&r);
	}
	return 0;
}

/* An operation done: '.' inline, 'f' in a grandchild, 'k' one killed. */
static void count_op(char c)
{
	fz.done++;
	fz.inline_ops += c == '.';
	fz.forked += c != '.';
	fz.killed += c == 'k';
}

static void count_wedged(const char *line)
{
	fz.wedged += strstr(line, "WEDGED") != NULL;
}

/* Read a worker's report: count the operations, log the failures. */
static void read_report(struct kt_test *t, int fd, unsigned long todo)
{
	unsigned long before = fz.done;

	fz_read_report(t, fd, ".fk", count_op, count_wedged, &fz.failures);
	if (t && fz.done - before != todo)
		kt_log(t, "batch %lu: %lu of %lu ops", fz.batch, fz.done - before, todo);
}

/*
 * Run @ops operations of stream @seed, batch by batch; failures are
 * logged to @t (NULL: warm-up, counted only).
 */
static void fuzz_run(struct kt_test *t, unsigned long seed, unsigned long ops)
{
	unsigned long todo;
	int fds[2], status, killed;
	pid_t pid;

	fz.seed = seed;
	for (fz.batch = 0; ops; fz.batch++, ops -= todo) {
		todo = ops < BATCH ? ops : BATCH;
		if (pipe(fds) < 0)
			return;
		pid = fork();
		if (pid == 0) {
			/* Its own group: kill(0) and kill(-pgid) stay in it. */
			setpgid(0, 0);
			dup2(fds[1], REPORT_FD);
			_exit(worker(seed, fz.batch, todo));
		}
		close(fds[1]);
		if (pid > 0 && fz_wait_deadline(pid, WORKER_MS, &status) != FZ_ENDED) {
			/* Its grandchild may hold the pipe: end the family. */
			fz_wait_quiet(0, &killed);
			if (t)
				kt_log(t, "batch %lu: worker killed at its deadline",
				       fz.batch);
		}
		read_report(t, fds[0], todo);
		close(fds[0]);
	}
}

static unsigned long param_seed, param_ops;

static void syscall_fuzz(struct kt_test *t)
{
	struct fz_mem base;

	fz.edge = fz_heap_edge();
	fz.rodata_sum = fz_rodata_sum();
	KT_ASSERT_NE(t, fz.edge, 0);
	/* Warm-up: another stream, a quarter as long. */
	fuzz_run(NULL, param_seed ^ 0x5eed, param_ops / 4 + 1);
	KT_ASSERT_EQ(t, fz_read_mem(&base), 0);
	memset(&fz.done, 0, sizeof(fz) - offsetof(typeof(fz), done));
	fuzz_run(t, param_seed, param_ops);
	kt_log(t, "fuzz-summary: program=fuzz_syscall seed=%lu ops=%lu inline=%lu "
	       "forked=%lu timeouts=%lu wedged=%lu failures=%lu",
	       param_seed, fz.done, fz.inline_ops, fz.forked, fz.killed,
	       fz.wedged, fz.failures);
	KT_EXPECT_EQ(t, fz.failures, 0);
	KT_EXPECT_GE(t, fz.done, param_ops * 9 / 10);
	fz_expect_mem(t, &base);
}

KT_SUITE(fuzz_syscall_suite, "fuzz_syscall", KT_CASE(syscall_fuzz));

int main(int argc, char **argv)
{
	param_seed = fz_param(argc, argv, "fuzz_seed", 1);
	param_ops = fz_param(argc, argv, "fuzz_ops", 2000);
	ut_reset_signals();
	return kt_main();
}
