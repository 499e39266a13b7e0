/*
 * fuzz_ptrace: random ptrace requests against a pool of tracees that
 * loop, make system calls, fork and signal themselves, with branch
 * tracing switched on and off at random (PTRACE_BTS_CONFIG); tracees
 * killed, detached and orphaned, tracers that exit with tracees in
 * every state.  The kernel must survive it all, never let a tracee's
 * registers hold a kernel selector, IOPL, VM or NT or a debug register
 * point into the kernel, never hand out a branch record with a kernel
 * address, answer each request with a result or a valid -errno, and
 * give back every page and heap byte.
 *
 * Parameters (argv "name=N" or the environment): fuzz_seed (default 1),
 * fuzz_ops (default 1500).  Boot it with bts=soft, bts=fake, bts=off.
 *
 * Processes: this program (M) runs rounds; each round forks a tracer
 * (T) that makes ROUND_OPS operations and exits, leaving what it made
 * to the kernel's tracer-exit path.  M then kills whatever is left,
 * and SIGKILL must end it within FZ_KILL_MS.  A tracer that asks
 * PTRACE_TRACEME becomes M's tracee and is let go (detached).  T
 * reports through a pipe at REPORT_FD: a character per operation, a
 * line "F seed=S round=R op=O ...: why" per failure.
 */
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "fuzz.h"

#define ROUND_OPS	50
#define ROUND_MS	20000
#define LEFTOVER_MS	300	/* orphans run this long, then are killed */
#define NTRACEES	4
#define TRACEE_LOOPS	400
#define REPORT_FD	31
#define MAX_ERRNO	133
#define USER_CS		0x73
#define USER_DS		0x7b
#define EFL_BAD		0x00024000u	/* VM, NT */
#define EFL_IOPL	0x00003000u
#define EFL_IF		0x00000200u
#define DEBUGREG_OFF	offsetof(struct user, u_debugreg)
#define PEEK_SIZE	4096	/* room for any output of a request */

static unsigned char out[2 * PEEK_SIZE] __attribute__((aligned(4096)));
static struct user_regs_struct regs_in;
static struct ptrace_bts_config cfg_in;
static unsigned char fp_in[108];

static struct {
	unsigned long seed, round, op;
	struct fz_rng r;
	pid_t tracees[NTRACEES];
	int stopped[NTRACEES];	/* last seen in a stop (wait said so) */
	uintptr_t edge;
	unsigned long done, ok, bts, failures, rounds_killed;
} fz;

static void report(long req, pid_t pid, uint32_t addr, uint32_t data,
		   long ret, const char *why)
{
	char line[200];
	int n;

	n = snprintf(line, sizeof(line),
		     "F seed=%lu round=%lu op=%lu ptrace(%#lx, %d, %#x, %#x)=%ld: %s\n",
		     fz.seed, fz.round, fz.op, req, (int)pid, addr, data, ret, why);
	write(REPORT_FD, line, n);
}

/* ---- tracees ----------------------------------------------------------- */

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
}

/* A bounded loop of branches, system calls, forks and signals. */
static int tracee_body(int how)
{
	struct sigaction sa;
	volatile unsigned acc = 0;
	pid_t pid;
	int i, j;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	if (how == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(120);
		raise(SIGSTOP);
	}
	for (i = 0; i < TRACEE_LOOPS; i++) {
		for (j = 0; j < 20; j++)
			acc += j & 1 ? (unsigned)j : acc >> 1;
		syscall(SYS_getpid);
		if (i % 50 == 7) {
			pid = fork();
			if (pid == 0)
				_exit(acc & 1);
			if (pid > 0)
				waitpid(pid, NULL, 0);
		}
		if (i % 64 == 3)
			kill(getpid(), SIGUSR1);
		if (i % 100 == 50)
			sched_yield();
	}
	_exit(0);
}

/*
 * Fork a tracee into slot @i: it asks to be traced, or we attach, or
 * it runs untraced.  A traced one is taken in its first stop, mostly
 * with branch tracing switched on.
 */
static void spawn_tracee(int i)
{
	static const uint32_t sizes[] = { 240, 4096, 65536 };
	int k = fz_below(&fz.r, 10), how = k < 5 ? 0 : k < 9 ? 1 : 2, st;
	struct ptrace_bts_config cfg = { 0, 0, SIGUSR1, 0 };
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(tracee_body(how));
	fz.tracees[i] = pid > 0 ? pid : 0;
	fz.stopped[i] = 0;
	if (pid <= 0 || how == 2)
		return;
	if (how == 1)
		ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st)) {
		fz.tracees[i] = 0;
		return;
	}
	fz.stopped[i] = 1;
	if (fz_chance(&fz.r, 70)) {
		cfg.size = FZ_PICK(&fz.r, sizes);
		cfg.flags = PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC |
			    (fz_next(&fz.r) & (PTRACE_BTS_O_SCHED | PTRACE_BTS_O_SIGNAL));
		ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
	}
}

/* ---- request arguments --------------------------------------------------- */

static const uint32_t requests[] = {
	PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER, PTRACE_POKETEXT,
	PTRACE_POKEDATA, PTRACE_POKEUSER, PTRACE_POKEUSER, PTRACE_PEEKUSER,
	PTRACE_CONT, PTRACE_CONT, PTRACE_KILL, PTRACE_SINGLESTEP,
	PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_SETREGS, PTRACE_GETFPREGS,
	PTRACE_SETFPREGS, PTRACE_ATTACH, PTRACE_DETACH, PTRACE_GETFPXREGS,
	PTRACE_SETFPXREGS, PTRACE_SYSCALL, PTRACE_SYSEMU,
	PTRACE_SYSEMU_SINGLESTEP, PTRACE_SINGLEBLOCK, 10, 11, 20, 23, 46,
	PTRACE_BTS_CONFIG, PTRACE_BTS_CONFIG, PTRACE_BTS_STATUS,
	PTRACE_BTS_SIZE, PTRACE_BTS_GET, PTRACE_BTS_CLEAR, PTRACE_BTS_DRAIN,
	PTRACE_BTS_DRAIN, PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG,
	PTRACE_GETSIGINFO, PTRACE_SETSIGINFO, PTRACE_SEIZE, PTRACE_INTERRUPT,
	PTRACE_LISTEN, 0x4209, 0x420a, 0x4210, 0xffffffff, 0x80000000,
};

/* Values a tracer might put into a register: selectors, flags, junk. */
static const uint32_t reg_values[] = {
	0x60, 0x68, 0x63, 0x6b, 0x73, 0x7b, 0x80, 0x83, 0, 3, 0xffff,
	0x3202, 0x23202, 0x4202, 0x202, 0x002, 0x100, 0x10202, 0x240202,
	0xffffffff, 0xC0000000u, 0xC0100000u, 0x08048000u, 0xBFFFFFF0u,
};

/* Where a request may write: our buffer (whole or at its edges), the
 * heap edge, read-only data, NULL, or the kernel. */
static uint32_t out_pointer(void)
{
	switch (fz_below(&fz.r, 6)) {
	case 0:
	case 1:
		return (uintptr_t)out + fz_below(&fz.r, 4) * 4;
	case 2:
		return fz.edge - FZ_PICK(&fz.r, ((const uint32_t[]){ 1, 4,
				 24, 48, 68, 100 }));
	case 3:
		return (uintptr_t)fz_rodata;
	case 4:
		return FZ_PICK(&fz.r, ((const uint32_t[]){ 0, 4, 0x40000000 }));
	default:
		return FZ_PICK(&fz.r, fz_kernel_addrs);
	}
}

/* An address in the tracee (a fork of us: same layout) or nowhere. */
static uint32_t tracee_address(void)
{
	static int data_word;

	switch (fz_below(&fz.r, 5)) {
	case 0:
		return (uintptr_t)tracee_body + fz_below(&fz.r, 64);
	case 1:
		return (uintptr_t)&data_word;
	case 2:
		return (uintptr_t)&fz - fz_below(&fz.r, 3);
	case 3:
		return FZ_PICK(&fz.r, fz_nasty_ints);
	default:
		return FZ_PICK(&fz.r, fz_kernel_addrs);
	}
}

/* A struct user offset: registers, the debug registers, past the end. */
static uint32_t user_offset(void)
{
	if (fz_chance(&fz.r, 10))
		return FZ_PICK(&fz.r, fz_nasty_ints);
	if (fz_chance(&fz.r, 40))
		return DEBUGREG_OFF + fz_below(&fz.r, 8) * 4;
	return fz_below(&fz.r, sizeof(struct user) / 4 + 4) * 4 +
	       (fz_chance(&fz.r, 10) ? 1 + fz_below(&fz.r, 3) : 0);
}

static uint32_t signal_number(void)
{
	return fz_chance(&fz.r, 60) ? 0 : fz_chance(&fz.r, 80) ? fz_below(&fz.r, 66)
					    : FZ_PICK(&fz.r, fz_nasty_ints);
}

/* The registers to SETREGS: the tracee's own, a few made nasty. */
static uint32_t forge_regs(pid_t pid)
{
	uint32_t *r = (uint32_t *)&regs_in;
	int i, n;

	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs_in) < 0)
		for (i = 0; i < 17; i++)
			r[i] = fz_next(&fz.r);
	for (n = 1 + fz_below(&fz.r, 3); n; n--)
		r[fz_below(&fz.r, 17)] = fz_chance(&fz.r, 70) ?
			FZ_PICK(&fz.r, reg_values) : fz_next(&fz.r);
	return fz_chance(&fz.r, 90) ? (uintptr_t)&regs_in : out_pointer();
}

static uint32_t forge_bts_config(void)
{
	static const uint32_t sizes[] = {
		0, 1, 23, 24, 25, 240, 4096, 65536, 1 << 20, 0x7fffffff,
		0xffffffff, 48,
	};

	cfg_in.size = FZ_PICK(&fz.r, sizes);
	cfg_in.flags = fz_chance(&fz.r, 80) ? fz_below(&fz.r, 16) : fz_next(&fz.r);
	cfg_in.signal = signal_number();
	cfg_in.bts_size = fz_next(&fz.r);
	return fz_chance(&fz.r, 85) ? (uintptr_t)&cfg_in : out_pointer();
}

/* ---- checks -------------------------------------------------------------- */

/* What a successful request handed back must not grant or reveal. */
static void check_output(long req, pid_t pid, uint32_t addr, uint32_t data,
			 long ret)
{
	const struct user_regs_struct *r = (const void *)(uintptr_t)data;
	const struct bts_struct *b;
	long i, n;

	if (req == PTRACE_GETREGS && data == (uintptr_t)out &&
	    (r->xcs != USER_CS || r->xss != USER_DS ||
	     (r->eflags & (EFL_BAD | EFL_IOPL)) || !(r->eflags & EFL_IF)))
		report(req, pid, addr, data, ret, "tracee holds kernel privilege");
	if (req == PTRACE_PEEKUSER && data == (uintptr_t)out &&
	    addr >= DEBUGREG_OFF && addr < DEBUGREG_OFF + 16 &&
	    *(uint32_t *)out >= UT_KERNEL_BASE - 3)
		report(req, pid, addr, data, ret, "debug register on the kernel");
	if ((req != PTRACE_BTS_GET && req != PTRACE_BTS_DRAIN) ||
	    addr != (uintptr_t)out)
		return;
	n = req == PTRACE_BTS_GET ? 1 : ret;
	for (i = 0, b = (const void *)out; i < n && i < 2 * PEEK_SIZE / 24; i++, b++)
		if (b->qualifier == BTS_BRANCH &&
		    (b->variant.lbr.from >= UT_KERNEL_BASE ||
		     b->variant.lbr.to >= UT_KERNEL_BASE))
			report(req, pid, addr, data, ret, "branch record with a kernel address");
}

long fz_raw(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* The raw int $0x80 with four arguments: the kernel's result. */
asm(".text\n"
    ".globl fz_raw\n"
    "fz_raw:\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	movl 12(%esp), %eax\n"
    "	movl 16(%esp), %ebx\n"
    "	movl 20(%esp), %ecx\n"
    "	movl 24(%esp), %edx\n"
    "	movl 28(%esp), %esi\n"
    "	int $0x80\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	ret\n");

/* ---- the tracer's operations ------------------------------------------- */

static pid_t pick_target(void)
{
	static const uint32_t odd[] = { 0, -1, 1, 30000, INT_MAX, 0x80000000u };
	pid_t pid;
	int i;

	for (i = 0; i < NTRACEES && fz_chance(&fz.r, 70); i++)
		if (fz.stopped[i] && fz.tracees[i] > 0)
			return fz.tracees[i];
	if (fz_chance(&fz.r, 85)) {
		pid = fz.tracees[fz_below(&fz.r, NTRACEES)];
		if (pid > 0)
			return pid;
	}
	return fz_chance(&fz.r, 30) ? getpid() : (pid_t)FZ_PICK(&fz.r, odd);
}

/* The request made; its report character: '+' it succeeded, 'b' a
 * successful PTRACE_BTS_CONFIG, '.' it failed. */
static char random_request(void)
{
	long req = fz_chance(&fz.r, 90) ? FZ_PICK(&fz.r, requests)
					: fz_below(&fz.r, 0x4211);
	pid_t pid = pick_target();
	uint32_t addr = FZ_PICK(&fz.r, fz_nasty_ints), data = 0;
	long ret;

	switch (req) {
	case PTRACE_TRACEME:	/* as good as any: M lets us go */
		break;
	case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA:
		addr = tracee_address();
		data = out_pointer();
		break;
	case PTRACE_POKETEXT: case PTRACE_POKEDATA:
		addr = tracee_address();
		data = fz_next(&fz.r);
		break;
	case PTRACE_PEEKUSER:
		addr = user_offset();
		data = out_pointer();
		break;
	case PTRACE_POKEUSER:
		addr = user_offset();
		data = fz_chance(&fz.r, 60) ? FZ_PICK(&fz.r, reg_values)
					    : FZ_PICK(&fz.r, fz_nasty_ints);
		break;
	case PTRACE_SETREGS:
		data = forge_regs(pid);
		break;
	case PTRACE_SETFPREGS: case PTRACE_SETFPXREGS:
		for (ret = 0; ret < (long)sizeof(fp_in); ret++)
			fp_in[ret] = fz_next(&fz.r);
		data = fz_chance(&fz.r, 80) ? (uintptr_t)fp_in : out_pointer();
		break;
	case PTRACE_BTS_CONFIG:
		addr = forge_bts_config();
		data = fz_chance(&fz.r, 80) ? sizeof(cfg_in) : FZ_PICK(&fz.r, fz_nasty_ints);
		break;
	case PTRACE_BTS_STATUS: case PTRACE_BTS_DRAIN:
		addr = out_pointer();
		data = fz_chance(&fz.r, 50) ? sizeof(cfg_in) * fz_below(&fz.r, 300)
					    : FZ_PICK(&fz.r, fz_nasty_ints);
		break;
	case PTRACE_BTS_GET:
		addr = out_pointer();
		data = fz_chance(&fz.r, 70) ? fz_below(&fz.r, 200) : fz_next(&fz.r);
		break;
	case PTRACE_CONT: case PTRACE_SYSCALL: case PTRACE_SINGLESTEP:
	case PTRACE_DETACH: case PTRACE_SYSEMU: case PTRACE_SINGLEBLOCK:
		data = signal_number();
		break;
	case PTRACE_SETOPTIONS:
		data = fz_chance(&fz.r, 70) ? fz_next(&fz.r) & (PTRACE_O_MASK | 0x400)
					    : fz_next(&fz.r);
		break;
	default:
		data = fz_chance(&fz.r, 50) ? out_pointer() : fz_next(&fz.r);
		break;
	}
	memset(out, 0xa5, sizeof(out));
	ret = fz_raw(SYS_ptrace, req, pid, addr, data);
	if (ret < 0 && ret >= -4095 && -ret > MAX_ERRNO)
		report(req, pid, addr, data, ret, "not a user errno");
	else if (ret < -4095)
		report(req, pid, addr, data, ret, "neither a result nor an errno");
	else if (ret >= 0)
		check_output(req, pid, addr, data, ret);
	return ret < 0 ? '.' : req == PTRACE_BTS_CONFIG ? 'b' : '+';
}

/*
 * Reap what ended, note what stopped and resume some of it, mostly to
 * its next system call, so tracees stop often; refill empty slots.
 */
static void tend_tracees(void)
{
	static const int resumes[] = { PTRACE_SYSCALL, PTRACE_SYSCALL,
				       PTRACE_SYSCALL, PTRACE_SINGLESTEP,
				       PTRACE_CONT };
	int i, st = 0, sig, k;
	pid_t got;

	for (i = 0; i < NTRACEES; i++) {
		if (fz.tracees[i] <= 0) {
			spawn_tracee(i);
			continue;
		}
		got = waitpid(fz.tracees[i], &st, WNOHANG | WUNTRACED);
		if (got == fz.tracees[i] && !WIFSTOPPED(st))
			fz.tracees[i] = 0;
		else if (got == fz.tracees[i])
			fz.stopped[i] = 1;
		if (!fz.stopped[i] || fz_chance(&fz.r, 50))
			continue;
		sig = WIFSTOPPED(st) && !(st >> 16) && WSTOPSIG(st) != SIGSTOP &&
		      WSTOPSIG(st) != SIGTRAP ? WSTOPSIG(st) : 0;
		k = FZ_PICK(&fz.r, resumes);
		if (ptrace(k, fz.tracees[i], NULL, (void *)(uintptr_t)sig) == 0)
			fz.stopped[i] = 0;
	}
}

static void signal_tracee(void)
{
	static const int sigs[] = { SIGKILL, SIGSTOP, SIGCONT, SIGUSR1,
				    SIGTERM, SIGCHLD, SIGSEGV, SIGTRAP };
	pid_t pid = fz.tracees[fz_below(&fz.r, NTRACEES)];

	if (pid > 0)
		kill(pid, FZ_PICK(&fz.r, sigs));
}

/*
 * A tracer of our own that traces a new tracee with branch tracing on
 * and exits at once: the tracee is untraced (or killed, EXITKILL) by
 * the kernel and orphaned to init, with its buffer given back.
 */
static void orphan_tracee(void)
{
	struct ptrace_bts_config cfg = { 4096, PTRACE_BTS_O_TRACE |
					 PTRACE_BTS_O_ALLOC, 0, 0 };
	int opts = fz_chance(&fz.r, 50) ? PTRACE_O_EXITKILL : 0;
	int stay_stopped = fz_chance(&fz.r, 50);
	pid_t sub, pid;
	int st;

	sub = fork();
	if (sub != 0) {
		if (sub > 0)
			waitpid(sub, NULL, 0);
		return;
	}
	pid = fork();
	if (pid == 0)
		_exit(tracee_body(0));
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(uintptr_t)opts);
		ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
		if (!stay_stopped)
			ptrace(PTRACE_CONT, pid, NULL, NULL);
	}
	_exit(0);
}

/* One operation; its report character. */
static char tracer_op(void)
{
	int i = fz_below(&fz.r, NTRACEES), k = fz_below(&fz.r, 100);

	if (k < 55)
		return random_request();
	if (k < 85)
		tend_tracees();
	else if (k < 90)
		signal_tracee();
	else if (k < 94 && fz.tracees[i] <= 0)
		spawn_tracee(i);
	else if (k < 97)
		orphan_tracee();
	else if (fz.tracees[i] > 0)
		ptrace(PTRACE_DETACH, fz.tracees[i], NULL, NULL);
	return '.';
}

/* One round as tracer T: tracees, operations, then exit with them. */
static int tracer(unsigned long ops)
{
	char c;
	int i;

	fz_seed(&fz.r, fz.seed * 7919 + fz.round);
	for (i = 0; i < NTRACEES; i++)
		spawn_tracee(i);
	for (fz.op = 0; fz.op < ops; fz.op++) {
		c = tracer_op();
		write(REPORT_FD, &c, 1);
	}
	if (fz_chance(&fz.r, 50))	/* else the kernel's tracer exit */
		for (i = 0; i < NTRACEES; i++)
			if (fz.tracees[i] > 0)
				kill(fz.tracees[i], SIGKILL);
	return 0;
}

/* ---- rounds ----------------------------------------------------------- */

/*
 * Wait for tracer @pid: detach it when it stopped for us (it asked
 * PTRACE_TRACEME), kill it at ROUND_MS.  0, or -1 when it was killed.
 */
static int wait_tracer(pid_t pid)
{
	int ms, st;
	pid_t got;

	for (ms = 0; ms < ROUND_MS; ms += 10) {
		got = waitpid(pid, &st, WNOHANG);
		if (got == pid && !WIFSTOPPED(st))
			return 0;
		if (got == pid)
			ptrace(PTRACE_DETACH, pid, NULL, (void *)(uintptr_t)
			       (WSTOPSIG(st) == SIGSTOP || WSTOPSIG(st) == SIGTRAP ?
				0 : WSTOPSIG(st)));
		else
			ut_sleep_ms(10);
	}
	return fz_wait_deadline(pid, 0, &st) == FZ_WEDGED ? -2 : -1;
}

/* A request done: '.' failed, '+' succeeded, 'b' a BTS_CONFIG that did. */
static void count_request(char c)
{
	fz.done++;
	fz.ok += c != '.';
	fz.bts += c == 'b';
}

static void read_report(struct kt_test *t, int fd)
{
	fz_read_report(t, fd, ".+b", count_request, NULL, &fz.failures);
}

static unsigned long wedged;

/* Run @ops operations of stream @seed; failures logged to @t. */
static void fuzz_run(struct kt_test *t, unsigned long seed, unsigned long ops)
{
	unsigned long todo;
	int fds[2], killed, r;
	pid_t pid;

	fz.seed = seed;
	for (fz.round = 0; ops; fz.round++, ops -= todo) {
		todo = ops < ROUND_OPS ? ops : ROUND_OPS;
		if (pipe(fds) < 0)
			return;
		pid = fork();
		if (pid == 0) {
			dup2(fds[1], REPORT_FD);
			close(fds[0]);
			close(fds[1]);
			_exit(tracer(todo));
		}
		close(fds[1]);
		r = pid > 0 ? wait_tracer(pid) : 0;
		if (r < 0)
			fz.rounds_killed++;
		if (r == -2 || fz_wait_quiet(LEFTOVER_MS, &killed)) {
			wedged++;
			if (t)
				kt_log(t, "round %lu: SIGKILL did not end a task", fz.round);
		}
		read_report(t, fds[0]);
		close(fds[0]);
	}
}

static unsigned long param_seed, param_ops;

static void ptrace_fuzz(struct kt_test *t)
{
	struct fz_mem base;

	fz.edge = fz_heap_edge();
	KT_ASSERT_NE(t, fz.edge, 0);
	fuzz_run(NULL, param_seed ^ 0x5eed, param_ops / 4 + 1);
	KT_ASSERT_EQ(t, fz_read_mem(&base), 0);
	fz.done = fz.ok = fz.bts = fz.failures = fz.rounds_killed = wedged = 0;
	fuzz_run(t, param_seed, param_ops);
	kt_log(t, "fuzz-summary: program=fuzz_ptrace seed=%lu ops=%lu rounds=%lu "
	       "requests_ok=%lu bts_configs=%lu timeouts=%lu wedged=%lu failures=%lu",
	       param_seed, fz.done, fz.round, fz.ok, fz.bts, fz.rounds_killed, wedged, fz.failures);
	KT_EXPECT_EQ(t, fz.failures, 0);
	KT_EXPECT_EQ(t, wedged, 0);
	KT_EXPECT_GE(t, fz.done, param_ops * 9 / 10);
	fz_expect_mem(t, &base);
}

KT_SUITE(fuzz_ptrace_suite, "fuzz_ptrace", KT_CASE(ptrace_fuzz));

int main(int argc, char **argv)
{
	param_seed = fz_param(argc, argv, "fuzz_seed", 1);
	param_ops = fz_param(argc, argv, "fuzz_ops", 1500);
	ut_reset_signals();
	return kt_main();
}
