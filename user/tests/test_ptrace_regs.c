/*
 * test_ptrace_regs: the register file through ptrace.  GETREGS against
 * known values and against PEEKUSER of every register (LTP ptrace04);
 * SETREGS and POKEUSER reach the tracee, but only where user space may
 * go: EFLAGS takes the arithmetic and control bits only (no IOPL, IF,
 * VM, NT: the tracee's cli, sti, in and out still fault), segment
 * registers take null or RPL-3 selectors only (kernel selectors fail
 * with EIO).  The debug registers: test_ptrace_debugreg.
 */
#include "test_ptrace.h"

/* Kernel selectors (Linux i386 and Spoor GDT: entries 12 and 13). */
#define KERNEL_CS	0x60
#define KERNEL_DS	0x68

#define NREGS		(sizeof(struct user_regs_struct) / sizeof(long))

/*
 * known_regs(): load a known value into each general register, stop at
 * int3, then store what the registers hold (and EFLAGS) in regs_seen[]
 * and return.  Callee-saved registers are saved around it.
 */
long regs_seen[8];	/* ebx ecx edx esi edi ebp eax eflags */
extern char known_regs_trap[];
void known_regs(void);

asm(".text\n"
    ".globl known_regs\n"
    "known_regs:\n"
    "	push %ebp\n"
    "	push %ebx\n"
    "	push %esi\n"
    "	push %edi\n"
    "	mov $0x11111111, %ebx\n"
    "	mov $0x22222222, %ecx\n"
    "	mov $0x33333333, %edx\n"
    "	mov $0x44444444, %esi\n"
    "	mov $0x55555555, %edi\n"
    "	mov $0x66666666, %ebp\n"
    "	mov $0x77777777, %eax\n"
    "	int3\n"
    ".globl known_regs_trap\n"
    "known_regs_trap:\n"
    "	pushf\n"		/* before anything touches the flags */
    "	pop regs_seen+28\n"
    "	cld\n"
    "	mov %ebx, regs_seen\n"
    "	mov %ecx, regs_seen+4\n"
    "	mov %edx, regs_seen+8\n"
    "	mov %esi, regs_seen+12\n"
    "	mov %edi, regs_seen+16\n"
    "	mov %ebp, regs_seen+20\n"
    "	mov %eax, regs_seen+24\n"
    "	pop %edi\n"
    "	pop %esi\n"
    "	pop %ebx\n"
    "	pop %ebp\n"
    "	ret\n");

static const long known[7] = {
	0x11111111, 0x22222222, 0x33333333, 0x44444444,
	0x55555555, 0x66666666, 0x77777777,
};

/*
 * Privileged instructions, each right after an int3 so the tracer gets
 * a stop with eip at the instruction.
 */
extern char cli_insn[], sti_insn[], in_insn[], out_insn[];
void do_cli(void);
void do_sti(void);
void do_in(void);
void do_out(void);

asm(".text\n"
    ".globl do_cli\n"
    "do_cli: int3\n"
    ".globl cli_insn\n"
    "cli_insn: cli\n"
    "	ret\n"
    ".globl do_sti\n"
    "do_sti: int3\n"
    ".globl sti_insn\n"
    "sti_insn: sti\n"
    "	ret\n"
    ".globl do_in\n"
    "do_in: int3\n"
    ".globl in_insn\n"
    "in_insn: in $0x80, %al\n"
    "	ret\n"
    ".globl do_out\n"
    "do_out: int3\n"
    ".globl out_insn\n"
    "out_insn: out %al, $0x80\n"
    "	ret\n");

static int report_fd = -1;

/* known_regs(), then report regs_seen on report_fd. */
static int run_known_regs(void *arg)
{
	(void)arg;
	known_regs();
	write(report_fd, regs_seen, sizeof(regs_seen));
	return 0;
}

/*
 * Start a traced child running known_regs(); return it stopped at the
 * int3, with the read end of its report pipe in *@rfd.  -1 on failure.
 */
static pid_t spawn_at_known_regs(int *rfd)
{
	int fds[2], st;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	report_fd = fds[1];
	pid = pt_spawn_traced(run_known_regs, NULL);
	close(fds[1]);
	if (pid > 0) {
		st = pt_cont(pid, 0);
		if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
			pt_kill(pid);
			pid = -1;
		}
	}
	if (pid < 0)
		close(fds[0]);
	else
		*rfd = fds[0];
	return pid;
}

/* GETREGS at an int3 stop: the values loaded, eip past the int3. */
static void getregs_sees_known_values(struct kt_test *t)
{
	struct user_regs_struct r;
	long seen[8];
	int rfd;
	pid_t pid;

	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	KT_EXPECT_EQ(t, r.ebx, known[0]);
	KT_EXPECT_EQ(t, r.ecx, known[1]);
	KT_EXPECT_EQ(t, r.edx, known[2]);
	KT_EXPECT_EQ(t, r.esi, known[3]);
	KT_EXPECT_EQ(t, r.edi, known[4]);
	KT_EXPECT_EQ(t, r.ebp, known[5]);
	KT_EXPECT_EQ(t, r.eax, known[6]);
	KT_EXPECT_EQ(t, r.eip, (long)known_regs_trap);
	KT_EXPECT_EQ(t, r.orig_eax, -1);	/* not in a system call */
	KT_EXPECT_EQ(t, r.xcs & 3, 3);
	KT_EXPECT_EQ(t, r.xss & 3, 3);
	KT_EXPECT_EQ(t, r.xds & 3, 3);
	KT_EXPECT_NE(t, r.eflags & EFL_IF, 0);
	KT_EXPECT_EQ(t, r.eflags & (EFL_IOPL | EFL_VM | EFL_TF), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(rfd, seen, sizeof(seen)), sizeof(seen));
	KT_EXPECT_EQ(t, memcmp(seen, known, sizeof(known)), 0);
	close(rfd);
}

/* ptrace04: PEEKUSER of each register equals GETREGS. */
static void peekuser_matches_getregs(struct kt_test *t)
{
	struct user_regs_struct r;
	unsigned int i;
	int rfd, bad = 0;
	long v;
	pid_t pid;

	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	for (i = 0; i < NREGS; i++) {
		v = pt_peekuser(pid, i * sizeof(long));
		if (errno || v != ((long *)&r)[i]) {
			kt_log(t, "offset %u: peek %#lx errno %d, getregs %#lx",
			       i * 4, v, errno, ((long *)&r)[i]);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eip)), (long)known_regs_trap);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(orig_eax)), -1);
	pt_kill(pid);
	close(rfd);
}

/* New values by SETREGS and POKEUSER: read back, and the tracee has them. */
static void setregs_and_pokeuser_reach_tracee(struct kt_test *t)
{
	static const long want[7] = {
		0x0a0a0a0a, 0x0b0b0b0b, 0x0c0c0c0c, 0x0d0d0d0d,
		0x0e0e0e0e, 0x0f0f0f0f, 0x01020304,
	};
	struct user_regs_struct r, back;
	long seen[8];
	int rfd;
	pid_t pid;

	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	r.ebx = want[0];
	r.ecx = want[1];
	r.edx = want[2];
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(esi), want[3]), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(edi), want[4]), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(ebp), want[5]), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eax), want[6]), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(esi)), want[3]);
	KT_ASSERT_EQ(t, pt_getregs(pid, &back), 0);
	KT_EXPECT_EQ(t, back.ebx, want[0]);
	KT_EXPECT_EQ(t, back.edx, want[2]);
	KT_EXPECT_EQ(t, back.eax, want[6]);
	KT_EXPECT_EQ(t, back.eip, r.eip);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(rfd, seen, sizeof(seen)), sizeof(seen));
	KT_EXPECT_EQ(t, memcmp(seen, want, sizeof(want)), 0);
	close(rfd);
}

static void jump_target(void)
{
	_exit(77);
}

/* A new eip is where the tracee goes on. */
static void setregs_moves_eip(struct kt_test *t)
{
	struct user_regs_struct r;
	int rfd;
	pid_t pid;

	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	r.eip = (long)jump_target;
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)jump_target);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 77);
	close(rfd);
}

/*
 * EFLAGS: the tracer may set CF PF AF ZF SF DF OF (and TF RF AC), never
 * IOPL, IF, VM, VIF, VIP, ID; the attempt succeeds and leaves them as
 * they were.  NT is one of them on i386 (Spoor); an x86_64 Linux host
 * lets a 32-bit tracee's NT be set, so it is checked on Spoor only.
 */
static void eflags_user_bits_only(struct kt_test *t)
{
	const long arith = EFL_CF | EFL_PF | EFL_AF | EFL_ZF | EFL_SF | EFL_DF |
			   EFL_OF;
	long system = EFL_IOPL | EFL_VM | EFL_VIF | EFL_VIP | EFL_ID;
	struct user_regs_struct r, back;
	long base, seen[8];
	int rfd;
	pid_t pid;

	if (ut_is_spoor())
		system |= EFL_NT;
	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	base = r.eflags;

	r.eflags = (base | system) & ~EFL_IF;
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	KT_EXPECT_EQ(t, pt_getregs(pid, &back), 0);
	KT_EXPECT_EQ(t, back.eflags, base);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eflags), base | system), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)), base);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eflags), 0), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)) & EFL_IF, EFL_IF);

	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eflags), base | EFL_AC), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)), base | EFL_AC);

	/* The arithmetic flags reach the tracee's pushf. */
	r.eflags = base ^ arith;
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)), base ^ arith);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	KT_EXPECT_EQ(t, ut_read_full(rfd, seen, sizeof(seen)), sizeof(seen));
	KT_EXPECT_EQ(t, seen[7] & arith, (base ^ arith) & arith);
	KT_EXPECT_EQ(t, seen[7] & (EFL_IOPL | EFL_VM | EFL_NT), 0);
	close(rfd);
}

static int run_privileged(void *arg)
{
	((void (*)(void))arg)();
	return 0;
}

/*
 * A tracer that sets IOPL 3 (and IF clear) does not give the tracee I/O
 * privilege: cli, sti, in and out still fault, with eip on them.
 */
static void iopl_cannot_be_raised(struct kt_test *t)
{
	static const struct {
		void (*run)(void);
		const char *insn;
	} cases[] = {
		{ do_cli, cli_insn },
		{ do_sti, sti_insn },
		{ do_in, in_insn },
		{ do_out, out_insn },
	};
	struct user_regs_struct r;
	unsigned int i;
	int st;
	pid_t pid;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid = pt_spawn_traced(run_privileged, (void *)cases[i].run);
		KT_ASSERT_GT(t, pid, 0);
		st = pt_cont(pid, 0);
		KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
		KT_EXPECT_EQ(t, pt_getregs(pid, &r), 0);
		KT_EXPECT_EQ(t, r.eip, (long)cases[i].insn);
		r.eflags |= EFL_IOPL;
		KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
		KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)) & EFL_IOPL, 0);
		st = pt_cont(pid, 0);
		KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSEGV);
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGSEGV)
			ut_log_status(t, "after the instruction", st);
		KT_EXPECT_EQ(t, pt_eip(pid), (unsigned long)cases[i].insn);
		UT_EXPECT_KILLED(t, pt_cont(pid, SIGSEGV), SIGSEGV);
	}
}

/*
 * A kernel selector (RPL 0), or a null one in cs or ss, fails with EIO
 * through POKEUSER and through SETREGS, and the register keeps its
 * value.  Null data selectors and the tracee's own are accepted.
 */
static void kernel_selectors_rejected(struct kt_test *t)
{
	static const struct {
		size_t off;
		long value;
	} bad[] = {
		{ PT_REG(xcs), KERNEL_CS }, { PT_REG(xcs), KERNEL_DS },
		{ PT_REG(xcs), 0 },	    { PT_REG(xss), KERNEL_DS },
		{ PT_REG(xss), KERNEL_CS }, { PT_REG(xss), 0 },
		{ PT_REG(xds), KERNEL_DS }, { PT_REG(xds), KERNEL_CS },
		{ PT_REG(xes), KERNEL_DS }, { PT_REG(xfs), KERNEL_CS },
		{ PT_REG(xgs), KERNEL_DS },
	};
	struct user_regs_struct r, changed, back;
	unsigned int i;
	long before;
	int rfd;
	pid_t pid;

	pid = spawn_at_known_regs(&rfd);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = pt_peekuser(pid, bad[i].off);
		UT_EXPECT_ERR(t, pt_pokeuser(pid, bad[i].off, bad[i].value),
			      EIO);
		KT_EXPECT_EQ(t, pt_peekuser(pid, bad[i].off), before);
		changed = r;
		((long *)&changed)[bad[i].off / sizeof(long)] = bad[i].value;
		UT_EXPECT_ERR(t, pt_setregs(pid, &changed), EIO);
		KT_EXPECT_EQ(t, pt_getregs(pid, &back), 0);
		KT_EXPECT_EQ(t, ((long *)&back)[bad[i].off / sizeof(long)],
			     before);
		KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	}
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(xfs), 0), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(xgs), 0), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(xes), 0), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(xes)), 0);
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(xes), r.xds), 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(xes)), r.xds);
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
	close(rfd);
}

/*
 * A selector with RPL 3 that names a kernel descriptor (0x63): Linux
 * accepts it and the tracee dies of SIGSEGV when the kernel cannot
 * return to it; refusing it with EIO is as good.  Either way the
 * kernel lives on.
 */
static void rpl3_kernel_descriptor(struct kt_test *t)
{
	static const size_t regs[] = { PT_REG(xcs), PT_REG(xss) };
	static const long values[] = { KERNEL_CS | 3, KERNEL_DS | 3 };
	unsigned int i;
	int rfd, st;
	long r;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		pid = spawn_at_known_regs(&rfd);
		KT_ASSERT_GT(t, pid, 0);
		errno = 0;
		r = pt_pokeuser(pid, regs[i], values[i]);
		if (r < 0) {
			KT_EXPECT_EQ(t, errno, EIO);
			UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
		} else {
			st = pt_cont(pid, 0);
			KT_EXPECT_TRUE(t, WIFSTOPPED(st) &&
						  WSTOPSIG(st) == SIGSEGV);
			UT_EXPECT_KILLED(t, pt_cont(pid, SIGSEGV), SIGSEGV);
		}
		close(rfd);
	}
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(ptrace_regs_suite, "ptrace_regs",
	 KT_CASE(getregs_sees_known_values),
	 KT_CASE(peekuser_matches_getregs),
	 KT_CASE(setregs_and_pokeuser_reach_tracee),
	 KT_CASE(setregs_moves_eip),
	 KT_CASE(eflags_user_bits_only),
	 KT_CASE(iopl_cannot_be_raised),
	 KT_CASE(kernel_selectors_rejected),
	 KT_CASE(rpl3_kernel_descriptor));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
