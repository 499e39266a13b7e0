/*
 * test_ptrace_mem: the tracee's memory and user area through PEEK and
 * POKE.  Words read and written where the tracee has them (unaligned
 * too), and only in the tracee; bad addresses (NULL page, kernel, the
 * top page, words straddling the end of user space) and bad user-area
 * offsets fail with EIO or EFAULT and change nothing (LTP ptrace06); a
 * bad buffer for the result is EFAULT.  POKETEXT writes read-only text:
 * an int3 breakpoint stops the tracee with eip just past it, and
 * putting the byte and eip back lets it run on, while its siblings and
 * a freshly exec'd copy of the program keep the original text.
 */
#include "test_ptrace.h"

#define SELF_DEFAULT	"/bin/test_ptrace_mem"
#define INT3		0xcc
#define USER_SIZE	284	/* sizeof(struct user), Linux i386 */

static const char *self = SELF_DEFAULT;

long mem_word = 0x12345678;
char mem_bytes[16] = "ABCDEFGHIJKLMNO";

__attribute__((noinline)) int bp_target(int x)
{
	asm volatile("");
	return x + 1;
}

static int exit_zero(void *arg)
{
	(void)arg;
	return 0;
}

/* Exit with 0 if mem_word is the word in @arg, else 1. */
static int check_word(void *arg)
{
	return mem_word == (long)arg ? 0 : 1;
}

/* PEEKDATA and PEEKTEXT read the tracee's memory, not ours. */
static void peek_reads_tracee(struct kt_test *t)
{
	pid_t pid;
	long w;

	mem_word = 0x0badf00d;
	pid = pt_spawn_traced(check_word, (void *)0x0badf00d);
	mem_word = 0x12345678;		/* ours only: the child has a copy */
	KT_ASSERT_GT(t, pid, 0);
	w = ptrace(PTRACE_PEEKDATA, pid, &mem_word, NULL);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, w, 0x0badf00d);
	w = ptrace(PTRACE_PEEKTEXT, pid, &mem_word, NULL);
	KT_EXPECT_EQ(t, w, 0x0badf00d);
	w = ptrace(PTRACE_PEEKTEXT, pid, (void *)bp_target, NULL);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, memcmp(&w, (void *)bp_target, sizeof(w)), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* POKEDATA changes the tracee's word, which it then sees; ours stays. */
static void poke_writes_tracee_only(struct kt_test *t)
{
	pid_t pid;

	pid = pt_spawn_traced(check_word, (void *)0x5a5a5a5a);
	KT_ASSERT_GT(t, pid, 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_POKEDATA, pid, &mem_word,
			       PT_DATA(0x5a5a5a5a)), 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_PEEKDATA, pid, &mem_word, NULL),
		     0x5a5a5a5a);
	KT_EXPECT_EQ(t, mem_word, 0x12345678);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

static int check_bytes(void *arg)
{
	return memcmp(mem_bytes, arg, sizeof(mem_bytes)) ? 1 : 0;
}

/*
 * An address need not be aligned: the word at mem_bytes + 1 is "BCDE",
 * and a poke at mem_bytes + 3 writes those four bytes only.
 */
static void unaligned_word_inside_memory(struct kt_test *t)
{
	static char want[16] = "ABCwxyzHIJKLMNO";
	long w, poke;
	pid_t pid;

	pid = pt_spawn_traced(check_bytes, want);
	KT_ASSERT_GT(t, pid, 0);
	w = ptrace(PTRACE_PEEKDATA, pid, mem_bytes + 1, NULL);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, memcmp(&w, "BCDE", 4), 0);
	memcpy(&poke, "wxyz", 4);
	KT_EXPECT_EQ(t, ptrace(PTRACE_POKEDATA, pid, mem_bytes + 3,
			       PT_DATA(poke)), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/*
 * ptrace06: no word at these addresses belongs to the tracee: the
 * first pages, the kernel's, the top page, and words that straddle the
 * end of user space (0xc0000000 on Spoor, where its stack ends).
 */
static const unsigned long bad_addrs[] = {
	0, 1, 2, 3, 0xfff,
	0xbffffffd, 0xbffffffe, 0xbfffffff,
	0xc0000000, 0xc0001000, 0xc0100000, 0xd0000000,
	0xfffff000, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff,
};

#define NBAD (sizeof(bad_addrs) / sizeof(bad_addrs[0]))

/* A failed call with EIO or EFAULT (ptrace06 takes either). */
#define EXPECT_EIO_OR_EFAULT(t, call) do {				\
	long r_;							\
	int e_;								\
	errno = 0;							\
	r_ = (call);							\
	e_ = errno;							\
	KT_EXPECT_EQ(t, r_, -1);					\
	KT_EXPECT_TRUE(t, e_ == EIO || e_ == EFAULT);			\
} while (0)

/* PEEK and POKE at bad addresses fail; nothing in the tracee changes. */
static void bad_addresses_fail(struct kt_test *t)
{
	long top_before, top_after, e_before, e_after;
	unsigned int i;
	pid_t pid;

	pid = pt_spawn_traced(check_word, (void *)0x12345678);
	KT_ASSERT_GT(t, pid, 0);
	/* The last user word below 0xc0000000, if the tracee has one. */
	top_before = ptrace(PTRACE_PEEKDATA, pid, PT_ADDR(0xbffffffc), NULL);
	e_before = errno;
	for (i = 0; i < NBAD; i++) {
		EXPECT_EIO_OR_EFAULT(t, ptrace(PTRACE_PEEKDATA, pid,
					       PT_ADDR(bad_addrs[i]), NULL));
		EXPECT_EIO_OR_EFAULT(t, ptrace(PTRACE_PEEKTEXT, pid,
					       PT_ADDR(bad_addrs[i]), NULL));
		EXPECT_EIO_OR_EFAULT(t, ptrace(PTRACE_POKEDATA, pid,
					       PT_ADDR(bad_addrs[i]),
					       PT_DATA(0x41414141)));
		EXPECT_EIO_OR_EFAULT(t, ptrace(PTRACE_POKETEXT, pid,
					       PT_ADDR(bad_addrs[i]),
					       PT_DATA(0x41414141)));
	}
	top_after = ptrace(PTRACE_PEEKDATA, pid, PT_ADDR(0xbffffffc), NULL);
	e_after = errno;
	KT_EXPECT_EQ(t, e_after, e_before);
	KT_EXPECT_EQ(t, top_after, top_before);
	KT_EXPECT_EQ(t, ptrace(PTRACE_PEEKDATA, pid, &mem_word, NULL),
		     0x12345678);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/*
 * PEEKUSER/POKEUSER take aligned offsets inside struct user only: EIO
 * for the rest.  Inside it, an offset that is neither a register nor a
 * debug register reads as 0.  (Spoor also refuses to write those, as
 * i386 Linux does; a 64-bit Linux ignores such writes, so that is not
 * checked on the host, nor offset USER_SIZE itself, which it accepts.)
 */
static void user_area_bad_offsets(struct kt_test *t)
{
	static const long bad[] = {
		1, 2, 3, 66, USER_SIZE + 1, USER_SIZE + 2, USER_SIZE + 3,
		USER_SIZE + 4, USER_SIZE + 8, 4096, 0x10000000, -1, -4,
	};
	unsigned int i;
	pid_t pid;

	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		UT_EXPECT_ERR(t, ptrace(PTRACE_PEEKUSER, pid, PT_ADDR(bad[i]),
					NULL), EIO);
		UT_EXPECT_ERR(t, ptrace(PTRACE_POKEUSER, pid, PT_ADDR(bad[i]),
					PT_DATA(0)), EIO);
	}
	KT_EXPECT_EQ(t, pt_peekuser(pid, offsetof(struct user, u_tsize)), 0);
	KT_EXPECT_EQ(t, errno, 0);
	KT_EXPECT_EQ(t, pt_peekuser(pid, offsetof(struct user, u_fpvalid)), 0);
	KT_EXPECT_EQ(t, errno, 0);
	if (ut_is_spoor()) {
		UT_EXPECT_ERR(t, pt_pokeuser(pid,
					     offsetof(struct user, u_tsize), 0),
			      EIO);
		UT_EXPECT_ERR(t, ptrace(PTRACE_PEEKUSER, pid,
					PT_ADDR(USER_SIZE), NULL), EIO);
	}
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/*
 * The raw system call stores a peeked word, and GETREGS/SETREGS and
 * friends copy, through the data pointer: a bad one is EFAULT, and a
 * SETREGS from it changes no register.
 */
static void bad_data_pointer_efault(struct kt_test *t)
{
	static const unsigned long bad[] = { 0, 0xc0000000, 0xfffff000 };
	struct user_regs_struct before, after;
	unsigned int i;
	pid_t pid;

	pid = pt_spawn_traced(exit_zero, NULL);
	KT_ASSERT_GT(t, pid, 0);
	KT_ASSERT_EQ(t, pt_getregs(pid, &before), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_PEEKDATA, pid,
					 &mem_word, bad[i]), EFAULT);
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 0,
					 bad[i]), EFAULT);
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0,
					 bad[i]), EFAULT);
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_SETREGS, pid, 0,
					 bad[i]), EFAULT);
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_GETSIGINFO, pid, 0,
					 bad[i]), EFAULT);
		UT_EXPECT_ERR(t, syscall(SYS_ptrace, PTRACE_GETEVENTMSG, pid,
					 0, bad[i]), EFAULT);
	}
	KT_ASSERT_EQ(t, pt_getregs(pid, &after), 0);
	KT_EXPECT_EQ(t, memcmp(&before, &after, sizeof(before)), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 0);
}

/* ---- breakpoints in text ---------------------------------------------- */

/*
 * The first byte of bp_target as this process sees it, then a call.
 * Exit code: 1 the byte was int3, 2 the call returned right.
 */
static int call_bp_target(void *arg)
{
	unsigned char first = *(volatile unsigned char *)bp_target;

	(void)arg;
	return (first == INT3) | (bp_target(20) == 21) << 1;
}

/* A sibling that reports bp_target's first byte when poked. */
static pid_t spawn_byte_reporter(int req[2], int rep[2])
{
	pid_t pid;
	char c;

	if (pipe(req) < 0 || pipe(rep) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		c = 0;
		read(req[0], &c, 1);
		c = *(volatile unsigned char *)bp_target;
		write(rep[1], &c, 1);
		_exit(0);
	}
	return pid;
}

/* This program run as `test_ptrace_mem textbyte`: exit with the byte. */
static int helper_textbyte(void)
{
	return *(volatile unsigned char *)bp_target;
}

/*
 * POKETEXT into read-only text: an int3 at bp_target stops the tracee
 * with SIGTRAP (si_code SI_KERNEL) and eip one past it; restoring the
 * byte and eip lets the call go on.  The tracee alone sees the int3:
 * not us, not a sibling sharing the program, not a new exec of it.
 */
static void poketext_breakpoint(struct kt_test *t)
{
	char *argv[] = { (char *)self, "textbyte", NULL };
	char *envp[] = { NULL };
	int req[2], rep[2], st;
	struct user_regs_struct r;
	unsigned char orig_byte = *(volatile unsigned char *)bp_target;
	unsigned char sib_byte = 0;
	siginfo_t si;
	long orig, patched;
	pid_t pid, sib, fresh;

	sib = spawn_byte_reporter(req, rep);
	KT_ASSERT_GT(t, sib, 0);
	pid = pt_spawn_traced(call_bp_target, NULL);
	KT_ASSERT_GT(t, pid, 0);

	orig = ptrace(PTRACE_PEEKTEXT, pid, (void *)bp_target, NULL);
	KT_EXPECT_EQ(t, errno, 0);
	patched = (orig & ~0xffL) | INT3;
	KT_EXPECT_EQ(t, ptrace(PTRACE_POKETEXT, pid, (void *)bp_target,
			       PT_DATA(patched)), 0);
	KT_EXPECT_EQ(t, ptrace(PTRACE_PEEKTEXT, pid, (void *)bp_target, NULL),
		     patched);

	/* Nobody else sees it. */
	KT_EXPECT_EQ(t, *(volatile unsigned char *)bp_target, orig_byte);
	write(req[1], "?", 1);
	KT_EXPECT_EQ(t, ut_read_full(rep[0], &sib_byte, 1), 1);
	KT_EXPECT_EQ(t, sib_byte, orig_byte);
	UT_EXPECT_EXITED(t, ut_wait(sib, 0), 0);
	fresh = fork();
	if (fresh == 0) {
		execve(self, argv, envp);
		_exit(255);
	}
	KT_ASSERT_GT(t, fresh, 0);
	UT_EXPECT_EXITED(t, ut_wait(fresh, 0), orig_byte);

	/* The tracee runs into it. */
	st = pt_cont(pid, 0);
	KT_ASSERT_TRUE(t, st != -1 && WIFSTOPPED(st));
	KT_EXPECT_EQ(t, WSTOPSIG(st), SIGTRAP);
	KT_ASSERT_EQ(t, pt_getregs(pid, &r), 0);
	KT_EXPECT_EQ(t, r.eip, (long)bp_target + 1);
	KT_EXPECT_EQ(t, ptrace(PTRACE_GETSIGINFO, pid, NULL, &si), 0);
	KT_EXPECT_EQ(t, si.si_signo, SIGTRAP);
	KT_EXPECT_EQ(t, si.si_code, SI_KERNEL);

	/* Put the byte and eip back: the call completes. */
	KT_EXPECT_EQ(t, ptrace(PTRACE_POKETEXT, pid, (void *)bp_target,
			       PT_DATA(orig)), 0);
	r.eip = (long)bp_target;
	KT_EXPECT_EQ(t, pt_setregs(pid, &r), 0);
	UT_EXPECT_EXITED(t, pt_cont(pid, 0), 3);
	KT_EXPECT_EQ(t, *(volatile unsigned char *)bp_target, orig_byte);
	close(req[0]);
	close(req[1]);
	close(rep[0]);
	close(rep[1]);
}

/* A process writing its own text still faults: POKETEXT is the tracer's. */
static int write_own_text(void *arg)
{
	(void)arg;
	*(volatile unsigned char *)bp_target = INT3;
	return 0;
}

static void text_stays_read_only(struct kt_test *t)
{
	UT_EXPECT_KILLED(t, ut_run(write_own_text, NULL), SIGSEGV);
}

KT_SUITE(ptrace_mem_suite, "ptrace_mem",
	 KT_CASE(peek_reads_tracee),
	 KT_CASE(poke_writes_tracee_only),
	 KT_CASE(unaligned_word_inside_memory),
	 KT_CASE(bad_addresses_fail),
	 KT_CASE(user_area_bad_offsets),
	 KT_CASE(bad_data_pointer_efault),
	 KT_CASE(poketext_breakpoint),
	 KT_CASE(text_stays_read_only));

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "textbyte"))
		return helper_textbyte();
	if (argc >= 1 && argv[0] && strchr(argv[0], '/'))
		self = argv[0];
	ut_reset_signals();
	return kt_main();
}
