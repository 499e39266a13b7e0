/*
 * test_sigreturn: a handler's return through rt_sigreturn gives the
 * interrupted code back every register and flag, whether the signal
 * came at a system call or while user code ran; and rt_sigreturn on a
 * forged frame cannot hand user space the kernel's privileges (IOPL,
 * null or kernel selectors, a frame in kernel memory): it kills with
 * SIGSEGV.  i386 only: hand-written assembly holds the values; on
 * another architecture every case is skipped.
 */
#include <stdint.h>

#include "utest.h"

#ifdef __i386__
static volatile int hits;

/*
 * Register contents seen by the probes below; the offsets are used by
 * the assembly.
 */
struct regs {
	unsigned long eax, ebx, ecx, edx, esi, edi, ebp, eflags;
};

#define EFLAGS_CF	0x001UL
#define EFLAGS_DF	0x400UL

void ut_regs_probe(struct regs *out, int pid);
void ut_spin_probe(struct regs *out, volatile int *acks, int want,
		   unsigned long limit);

_Static_assert(SIGUSR1 == 10, "the probe sends signal 10");

/*
 * The end both probes share, entered with the flags just pushed: store
 * eax..edi, the flags and ebp in *out (the first argument, 28 bytes up
 * once ebp is pushed again), restore the callee-saved registers, return.
 */
#define STORE_REGS_AND_RETURN \
    "	cld\n" \
    "	pushl %ebp\n" \
    "	movl 28(%esp), %ebp\n"		/* out */ \
    "	movl %eax, 0(%ebp)\n" \
    "	movl %ebx, 4(%ebp)\n" \
    "	movl %ecx, 8(%ebp)\n" \
    "	movl %edx, 12(%ebp)\n" \
    "	movl %esi, 16(%ebp)\n" \
    "	movl %edi, 20(%ebp)\n" \
    "	popl 24(%ebp)\n" \
    "	popl 28(%ebp)\n" \
    "	popl %edi\n" \
    "	popl %esi\n" \
    "	popl %ebx\n" \
    "	popl %ebp\n" \
    "	ret\n"

/*
 * ut_regs_probe: fill every general register with a known value, set
 * CF and DF, and kill(@pid, SIGUSR1) through int $0x80; store what the
 * registers hold afterwards.  The handler that runs on the way back
 * scribbles on eax, ecx, edx and the flags; rt_sigreturn must undo it.
 *
 * ut_spin_probe: the same values, then spin until *@acks reaches @want
 * (a handler counts) or @limit rounds pass, so signals arrive while the
 * CPU runs user code, not at a system call.
 */
asm(".text\n"
    ".globl ut_regs_probe\n"
    ".type ut_regs_probe, @function\n"
    "ut_regs_probe:\n"
    "	pushl %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 24(%esp), %ebx\n"		/* pid */
    "	movl $37, %eax\n"		/* __NR_kill */
    "	movl $10, %ecx\n"		/* SIGUSR1 */
    "	movl $0x11111111, %edx\n"
    "	movl $0x22222222, %esi\n"
    "	movl $0x33333333, %edi\n"
    "	movl $0x44444444, %ebp\n"
    "	std\n"
    "	stc\n"
    "	int $0x80\n"
    "	pushfl\n"
    STORE_REGS_AND_RETURN
    ".size ut_regs_probe, . - ut_regs_probe\n"
    "\n"
    ".globl ut_spin_probe\n"
    ".type ut_spin_probe, @function\n"
    "ut_spin_probe:\n"
    "	pushl %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 24(%esp), %ebx\n"		/* acks */
    "	movl 28(%esp), %ebp\n"		/* want */
    "	movl $0x11111111, %eax\n"
    "	movl $0x22222222, %ecx\n"
    "	movl $0x33333333, %edx\n"
    "	movl $0x44444444, %esi\n"
    "	movl $0x55555555, %edi\n"
    "	std\n"
    "1:	cmpl %ebp, (%ebx)\n"
    "	jge 2f\n"
    "	subl $1, 32(%esp)\n"		/* limit */
    "	jnz 1b\n"
    "2:	pushfl\n"
    STORE_REGS_AND_RETURN
    ".size ut_spin_probe, . - ut_spin_probe\n");

static volatile unsigned long handler_eflags;
static volatile int acks, ack_fd = -1;

/* Counts, acknowledges, then wrecks the scratch registers and flags. */
static void clobbering_handler(int sig)
{
	unsigned long fl;

	(void)sig;
	asm volatile("pushfl; popl %0" : "=r"(fl));
	handler_eflags = fl;
	hits++;
	acks++;
	if (ack_fd >= 0)
		write(ack_fd, "k", 1);
	asm volatile("movl $0xdeadbeef, %%eax\n\t"
		     "movl %%eax, %%ecx\n\t"
		     "movl %%eax, %%edx\n\t"
		     "addl %%eax, %%eax\n\t"
		     "stc"
		     : : : "eax", "ecx", "edx", "cc");
}

/* A signal taken at int $0x80 returns with every register intact. */
static void sigreturn_restores_registers(struct kt_test *t)
{
	struct regs r;

	hits = 0;
	handler_eflags = 0;
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, clobbering_handler, 0), 0);
	ut_regs_probe(&r, getpid());
	ut_handle(SIGUSR1, SIG_DFL, 0);
	KT_EXPECT_EQ(t, hits, 1);
	KT_EXPECT_EQ(t, r.eax, 0);		/* kill() succeeded */
	KT_EXPECT_EQ(t, r.ebx, (unsigned long)getpid());
	KT_EXPECT_EQ(t, r.ecx, SIGUSR1);
	KT_EXPECT_EQ(t, r.edx, 0x11111111);
	KT_EXPECT_EQ(t, r.esi, 0x22222222);
	KT_EXPECT_EQ(t, r.edi, 0x33333333);
	KT_EXPECT_EQ(t, r.ebp, 0x44444444);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_DF);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_CF);
	/* The i386 ABI: handlers start with the direction flag clear. */
	KT_EXPECT_FALSE(t, handler_eflags & EFLAGS_DF);
}

#define SPIN_SIGNALS	20

/* Sends SPIN_SIGNALS SIGUSR1 to its parent, one per acknowledgement. */
static int send_acked(void *arg)
{
	int fd = (int)(long)arg, i;
	pid_t parent = getppid();
	char c;

	for (i = 0; i < SPIN_SIGNALS; i++) {
		kill(parent, SIGUSR1);
		if (read(fd, &c, 1) != 1)
			return 1;
	}
	return 0;
}

/* Signals that interrupt user code, not a system call, return cleanly. */
static void async_signal_restores_registers(struct kt_test *t)
{
	int fds[2];
	struct regs r;
	pid_t pid;

	hits = 0;
	acks = 0;
	KT_ASSERT_EQ(t, pipe(fds), 0);
	ack_fd = fds[1];
	KT_ASSERT_EQ(t, ut_handle(SIGUSR1, clobbering_handler, 0), 0);
	pid = ut_spawn(send_acked, (void *)(long)fds[0]);
	KT_ASSERT_GT(t, pid, 0);
	ut_spin_probe(&r, &acks, SPIN_SIGNALS, 1UL << 30);
	ack_fd = -1;
	ut_handle(SIGUSR1, SIG_DFL, 0);
	close(fds[0]);
	close(fds[1]);
	if (acks < SPIN_SIGNALS)
		kill(pid, SIGKILL);
	ut_wait(pid, 0);
	KT_EXPECT_EQ(t, acks, SPIN_SIGNALS);
	KT_EXPECT_EQ(t, r.eax, 0x11111111);
	KT_EXPECT_EQ(t, r.ebx, (unsigned long)&acks);
	KT_EXPECT_EQ(t, r.ecx, 0x22222222);
	KT_EXPECT_EQ(t, r.edx, 0x33333333);
	KT_EXPECT_EQ(t, r.esi, 0x44444444);
	KT_EXPECT_EQ(t, r.edi, 0x55555555);
	KT_EXPECT_EQ(t, r.ebp, SPIN_SIGNALS);
	KT_EXPECT_TRUE(t, r.eflags & EFLAGS_DF);
	KT_EXPECT_FALSE(t, handler_eflags & EFLAGS_DF);
}

/*
 * Forged rt_sigreturn frames.  At rt_sigreturn esp points 4 bytes into
 * the frame (the handler's ret popped the return address); the Linux
 * i386 rt_sigframe holds the ucontext at 144 and its sigcontext at 164.
 */
#define UC_OFF		144
#define SC_OFF		(UC_OFF + 20)
enum { SC_GS, SC_FS, SC_ES, SC_DS, SC_EDI, SC_ESI, SC_EBP, SC_ESP, SC_EBX,
       SC_EDX, SC_ECX, SC_EAX, SC_TRAPNO, SC_ERR, SC_EIP, SC_CS, SC_EFLAGS,
       SC_ESP_AT_SIGNAL, SC_SS, SC_FPSTATE, SC_OLDMASK, SC_CR2 };

void ut_sigreturn_at(void *esp) __attribute__((noreturn));
void ut_exit_55(void);
void ut_cli_then_exit_77(void);

asm(".text\n"
    ".globl ut_sigreturn_at\n"
    "ut_sigreturn_at:\n"
    "	movl 4(%esp), %esp\n"
    "	movl $173, %eax\n"		/* __NR_rt_sigreturn */
    "	int $0x80\n"
    "	ud2\n"
    ".globl ut_exit_55\n"
    "ut_exit_55:\n"
    "	movl $252, %eax\n"		/* __NR_exit_group */
    "	movl $55, %ebx\n"
    "	int $0x80\n"
    "	ud2\n"
    ".globl ut_cli_then_exit_77\n"
    "ut_cli_then_exit_77:\n"
    "	cli\n"
    "	sti\n"
    "	movl $252, %eax\n"
    "	movl $77, %ebx\n"
    "	int $0x80\n"
    "	ud2\n");

static uint32_t frame_area[1024] __attribute__((aligned(16)));
static uint32_t probe_stack[1024] __attribute__((aligned(16)));

/* A well-formed frame resuming at @eip with @eflags. */
static uint32_t *forge_frame(void (*eip)(void), uint32_t eflags)
{
	uint32_t *frame = frame_area + 256;
	uint32_t *sc = frame + SC_OFF / 4;
	uint32_t seg;

	memset(frame_area, 0, sizeof(frame_area));
	asm volatile("movl %%gs, %0" : "=r"(seg));
	sc[SC_GS] = seg;
	asm volatile("movl %%fs, %0" : "=r"(seg));
	sc[SC_FS] = seg;
	asm volatile("movl %%es, %0" : "=r"(seg));
	sc[SC_ES] = seg;
	asm volatile("movl %%ds, %0" : "=r"(seg));
	sc[SC_DS] = seg;
	asm volatile("movl %%cs, %0" : "=r"(seg));
	sc[SC_CS] = seg;
	asm volatile("movl %%ss, %0" : "=r"(seg));
	sc[SC_SS] = seg;
	sc[SC_EIP] = (uint32_t)eip;
	sc[SC_ESP] = (uint32_t)(probe_stack + 1000);
	sc[SC_EFLAGS] = eflags;
	return frame;
}

static int sigreturn_to(void *arg)
{
	ut_sigreturn_at((char *)arg + 4);
	return 0;
}

static int sigreturn_with_eflags(void *arg)
{
	uint32_t eflags = (uint32_t)(uintptr_t)arg;
	void (*eip)(void) = eflags & 0x3000 ? ut_cli_then_exit_77 : ut_exit_55;

	return sigreturn_to(forge_frame(eip, eflags));
}

/*
 * A well-formed forged frame resumes where it says (control); one that
 * asks for IOPL 3 does not get it (cli still faults); frames of zeros
 * (null selectors, eip 0) or in kernel memory kill with SIGSEGV.
 */
static void sigreturn_forged_frames(struct kt_test *t)
{
	UT_EXPECT_EXITED(t, ut_run(sigreturn_with_eflags, (void *)0x202), 55);
	UT_EXPECT_KILLED(t, ut_run(sigreturn_with_eflags, (void *)0x3202),
			 SIGSEGV);
	memset(frame_area, 0, sizeof(frame_area));
	UT_EXPECT_KILLED(t, ut_run(sigreturn_to, frame_area + 256), SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(sigreturn_to, (void *)UT_KERNEL_BASE),
			 SIGSEGV);
	UT_EXPECT_KILLED(t, ut_run(sigreturn_to, (void *)0xFFFFFF00UL),
			 SIGSEGV);
}

KT_SUITE(sigreturn_suite, "sigreturn",
	 KT_CASE(sigreturn_restores_registers),
	 KT_CASE(async_signal_restores_registers),
	 KT_CASE(sigreturn_forged_frames));
#else
static void not_i386(struct kt_test *t)
{
	KT_SKIP(t, "i386 only");
}

KT_SUITE(sigreturn_suite, "sigreturn", KT_CASE(not_i386));
#endif

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
