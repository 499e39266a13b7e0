/*
 * test_privilege: every way a user program might reach for the
 * kernel's privilege, in one fixed suite, each with the exact errno or
 * signal Linux gives: kernel selectors and IOPL/VM/NT/IF-clear through
 * ptrace, debug registers on kernel addresses, system calls and ptrace
 * peeks on kernel memory, branch records naming the kernel, and the
 * privileged instructions themselves.  Forged rt_sigreturn frames are
 * test_sigreturn's (sigreturn_forged_frames); the fuzzers
 * (fuzz_syscall, fuzz_ptrace) try the same at random.
 */
#include "test_ptrace.h"

#define KERNEL_CS	0x60
#define KERNEL_DS	0x68
#define USER_CS		0x73
#define USER_DS		0x7b

/* A traced child that loops on getpid until killed, in its first stop. */
static int loop_forever(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_getpid);
	return 0;
}

/* RPL 0 kernel selectors in cs or ss: EIO by POKEUSER and SETREGS. */
static void kernel_selectors_eio(struct kt_test *t)
{
	static const long values[] = { KERNEL_CS, KERNEL_DS, 0 };
	struct user_regs_struct r, bad;
	unsigned i;
	pid_t pid = pt_spawn_traced(loop_forever, NULL);

	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_REG(xcs), values[i]), EIO);
		UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_REG(xss), values[i]), EIO);
		bad = r;
		bad.xcs = values[i];
		UT_EXPECT_ERR(t, pt_setregs(pid, &bad), EIO);
		bad = r;
		bad.xss = values[i];
		UT_EXPECT_ERR(t, pt_setregs(pid, &bad), EIO);
	}
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(xcs)), USER_CS);
	KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(xss)), USER_DS);
	UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
}

/*
 * RPL 3 selectors naming kernel descriptors (0x63, 0x6b): Linux takes
 * them and the tracee dies of SIGSEGV on its way back; Spoor may refuse
 * them with EIO.  Either way the tracee never runs with them.
 */
static void rpl3_kernel_selectors_neutralised(struct kt_test *t)
{
	static const size_t regs[] = { PT_REG(xcs), PT_REG(xss) };
	static const long values[] = { KERNEL_CS | 3, KERNEL_DS | 3 };
	unsigned i;
	pid_t pid;
	int st;

	for (i = 0; i < 2; i++) {
		pid = pt_spawn_traced(loop_forever, NULL);
		KT_ASSERT_GT(t, pid, 0);
		errno = 0;
		if (pt_pokeuser(pid, regs[i], values[i]) < 0) {
			KT_EXPECT_EQ(t, errno, EIO);
			UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
			continue;
		}
		st = pt_cont(pid, 0);
		KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSEGV);
		UT_EXPECT_KILLED(t, pt_cont(pid, SIGSEGV), SIGSEGV);
	}
}

/* IOPL, VM, NT set and IF clear: accepted as Linux does, but dropped. */
static void eflags_privilege_dropped(struct kt_test *t)
{
	static const unsigned long bits[] = { EFL_IOPL, EFL_VM, EFL_NT };
	struct user_regs_struct r;
	unsigned long fl;
	unsigned i;
	int st;
	pid_t pid = pt_spawn_traced(loop_forever, NULL);

	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 3; i++) {
		fl = pt_peekuser(pid, PT_REG(eflags));
		KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eflags), fl | bits[i]), 0);
		KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)) & bits[i], 0);
		KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
		r.eflags |= bits[i];
		KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
		KT_EXPECT_EQ(t, pt_peekuser(pid, PT_REG(eflags)) & bits[i], 0);
	}
	fl = pt_peekuser(pid, PT_REG(eflags));
	KT_EXPECT_EQ(t, pt_pokeuser(pid, PT_REG(eflags), fl & ~EFL_IF), 0);
	KT_EXPECT_NE(t, pt_peekuser(pid, PT_REG(eflags)) & EFL_IF, 0);
	/* It still runs, with interrupts on: a system call stop comes. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_SYSCALL, pid, NULL, NULL), 0);
	st = ut_wait(pid, 0);
	KT_EXPECT_TRUE(t, WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
}

/* DR0-DR3 on kernel addresses, or a DR7 enabling one: EINVAL. */
static void debugregs_on_kernel_einval(struct kt_test *t)
{
	static const unsigned long addrs[] = {
		UT_KERNEL_BASE, UT_KERNEL_BASE - 3, 0xC0100000UL, 0xFFFFFFFCUL,
	};
	unsigned i, n;
	pid_t pid = pt_spawn_traced(loop_forever, NULL);

	KT_ASSERT_GT(t, pid, 0);
	for (n = 0; n < 4; n++)
		for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(n), addrs[i]), EINVAL);
			KT_EXPECT_EQ(t, pt_peekuser(pid, PT_DR(n)), 0);
		}
	UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(4), 0), EIO);
	UT_EXPECT_ERR(t, pt_pokeuser(pid, PT_DR(7), DR7_GD), EINVAL);
	UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
}

/* read into and write from the kernel: EFAULT; peek and poke: EIO. */
static void kernel_memory_efault_eio(struct kt_test *t)
{
	static const unsigned long addrs[] = {
		UT_KERNEL_BASE, 0xC0100000UL, 0xFFFFF000UL,
	};
	int fds[2], fd;
	unsigned i;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	fd = open("/etc/motd", O_RDONLY);
	KT_ASSERT_GE(t, fd, 0);
	for (i = 0; i < 3; i++) {
		UT_EXPECT_ERR(t, read(fd, (void *)addrs[i], 16), EFAULT);
		UT_EXPECT_ERR(t, write(fds[1], (void *)addrs[i], 16), EFAULT);
	}
	close(fd);
	close(fds[0]);
	close(fds[1]);
	pid = pt_spawn_traced(loop_forever, NULL);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < 3; i++) {
		errno = 0;
		KT_EXPECT_EQ(t, ptrace(PTRACE_PEEKDATA, pid, PT_ADDR(addrs[i]), NULL), -1);
		KT_EXPECT_EQ(t, errno, EIO);
		UT_EXPECT_ERR(t, ptrace(PTRACE_POKEDATA, pid, PT_ADDR(addrs[i]),
					PT_DATA(0)), EIO);
	}
	UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
}

/* A traced run of system calls: every branch record is user space. */
static void bts_records_user_only(struct kt_test *t)
{
	struct ptrace_bts_config cfg = { 4096, PTRACE_BTS_O_TRACE |
					 PTRACE_BTS_O_ALLOC, 0, 0 };
	static struct bts_struct recs[170];
	long n, i;
	int st;
	pid_t pid = pt_spawn_traced(loop_forever, NULL);

	KT_ASSERT_GT(t, pid, 0);
	if (ptrace(PTRACE_BTS_CONFIG, pid, &cfg, PT_DATA(sizeof(cfg))) < 0) {
		pt_kill(pid);
		KT_SKIP(t, "no BTS unit (boot with bts=soft or bts=fake)");
	}
	for (i = 0; i < 20; i++) {		/* ten system calls */
		KT_ASSERT_EQ(t, ptrace(PTRACE_SYSCALL, pid, NULL, NULL), 0);
		st = ut_wait(pid, 0);
		KT_ASSERT_TRUE(t, WIFSTOPPED(st));
	}
	n = ptrace(PTRACE_BTS_DRAIN, pid, recs, PT_DATA(sizeof(recs)));
	KT_EXPECT_GE(t, n, 0);
	for (i = 0; i < n; i++)
		if (recs[i].qualifier == BTS_BRANCH) {
			KT_EXPECT_LT(t, recs[i].variant.lbr.from, UT_KERNEL_BASE);
			KT_EXPECT_LT(t, recs[i].variant.lbr.to, UT_KERNEL_BASE);
		}
	kt_log(t, "%ld records", n);
	UT_EXPECT_KILLED(t, pt_kill(pid), SIGKILL);
}

static int run_insn(void *arg)
{
	switch ((long)arg) {
	case 0:
		asm volatile("cli");
		break;
	case 1:
		asm volatile("hlt");
		break;
	case 2:
		asm volatile("inb $0x80, %%al" ::: "eax");
		break;
	case 3:
		asm volatile("outb %%al, $0x80" ::: "eax");
		break;
	case 4:
		asm volatile("movl %%cr0, %%eax" ::: "eax");
		break;
	default:
		asm volatile("lgdt (%0)" :: "r"(0));
		break;
	}
	return 0;
}

/* cli, hlt, in, out, mov from cr0, lgdt in user mode: SIGSEGV. */
static void privileged_instructions_sigsegv(struct kt_test *t)
{
	long i;

	for (i = 0; i < 6; i++)
		UT_EXPECT_KILLED(t, ut_run(run_insn, (void *)i), SIGSEGV);
}

KT_SUITE(privilege_suite, "privilege",
	 KT_CASE(kernel_selectors_eio),
	 KT_CASE(rpl3_kernel_selectors_neutralised),
	 KT_CASE(eflags_privilege_dropped),
	 KT_CASE(debugregs_on_kernel_einval),
	 KT_CASE(kernel_memory_efault_eio),
	 KT_CASE(bts_records_user_only),
	 KT_CASE(privileged_instructions_sigsegv));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
