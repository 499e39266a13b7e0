/*
 * Branch emulation (kernel/arch/x86/emulate.c), the software BTS unit's
 * fast mode, on the host: real encodings through the real decoder,
 * against a small user memory (code and a stack) with its own
 * copy_{from,to}_user.  Every condition of jcc under every flag it
 * reads, loop/loope/loopne/jcxz on ECX, call and ret (with imm16),
 * indirect jumps and calls, a bad stack (nothing may change), and a
 * little program run branch by branch, checked record for record.
 * The expectations are the SDM's tables, written out here on their own.
 */
#include <string.h>
#include <asm/decode.h>
#include <asm/emulate.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/ktest.h>

/* The user memory: code at 0x1000, data at 0x2000, the stack below 0x9000. */
#define MEM_BASE	0x1000u
#define MEM_SIZE	0x8000u
#define CODE		0x1000u
#define DATA		0x2000u
#define STACK_TOP	0x9000u

static uint8_t mem[MEM_SIZE];

static int in_mem(uintptr_t a, size_t n)
{
	return a >= MEM_BASE && a + n <= MEM_BASE + MEM_SIZE && a + n >= a;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!in_mem((uintptr_t)usrc, n))
		return -EFAULT;
	memcpy(dst, mem + ((uintptr_t)usrc - MEM_BASE), n);
	return 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!in_mem((uintptr_t)udst, n))
		return -EFAULT;
	memcpy(mem + ((uintptr_t)udst - MEM_BASE), src, n);
	return 0;
}

static uint32_t peek32(uint32_t a)
{
	uint32_t v;

	memcpy(&v, mem + (a - MEM_BASE), 4);
	return v;
}

static void poke32(uint32_t a, uint32_t v)
{
	memcpy(mem + (a - MEM_BASE), &v, 4);
}

/* Put @n bytes of code at @eip, decode them, emulate with @tf. */
static int run(struct trap_frame *tf, const uint8_t *code, size_t n,
	       int *taken)
{
	struct insn in;

	memcpy(mem + (tf->eip - MEM_BASE), code, n);
	if (insn_decode(&in, code, n) != (int)n)
		return -100;
	*taken = -1;
	return emulate_branch(tf, &in, taken);
}

static struct trap_frame frame(uint32_t eip)
{
	struct trap_frame tf;

	memset(&tf, 0, sizeof(tf));
	tf.eip = eip;
	tf.esp = STACK_TOP - 64;
	tf.eflags = 0x202;
	return tf;
}

/* The SDM's jcc table: does condition @cc hold for flags @f? */
static int sdm_condition(unsigned cc, uint32_t f)
{
	int cf = !!(f & X86_EFLAGS_CF), pf = !!(f & X86_EFLAGS_PF);
	int zf = !!(f & X86_EFLAGS_ZF), sf = !!(f & X86_EFLAGS_SF);
	int of = !!(f & X86_EFLAGS_OF);
	const int table[16] = {
		of, !of,			/* jo, jno */
		cf, !cf,			/* jb, jae */
		zf, !zf,			/* je, jne */
		cf | zf, !cf && !zf,		/* jbe, ja */
		sf, !sf,			/* js, jns */
		pf, !pf,			/* jp, jnp */
		sf != of, sf == of,		/* jl, jge */
		zf || sf != of, !zf && sf == of	/* jle, jg */
	};

	return table[cc];
}

/* Every one of the 32 combinations of CF, PF, ZF, SF, OF. */
static uint32_t flags_of(unsigned bits)
{
	static const uint32_t f[5] = { X86_EFLAGS_CF, X86_EFLAGS_PF,
				       X86_EFLAGS_ZF, X86_EFLAGS_SF,
				       X86_EFLAGS_OF };
	uint32_t v = 0x202;
	int i;

	for (i = 0; i < 5; i++)
		if (bits & (1u << i))
			v |= f[i];
	return v;
}

static void check_jcc(struct kt_test *t, int near)
{
	unsigned cc, bits;

	for (cc = 0; cc < 16; cc++) {
		for (bits = 0; bits < 32; bits++) {
			/* j<cc> +0x10 (rel8), or 0F 8x +0x100 (rel32) */
			uint8_t s[2] = { 0x70 + cc, 0x10 };
			uint8_t l[6] = { 0x0f, 0x80 + cc, 0x00, 0x01, 0, 0 };
			struct trap_frame tf = frame(CODE);
			int taken, want, err;
			uint32_t next = CODE + (near ? 6 : 2);

			tf.eflags = flags_of(bits);
			want = sdm_condition(cc, tf.eflags);
			err = near ? run(&tf, l, 6, &taken) : run(&tf, s, 2, &taken);
			if (!err && taken == want &&
			    tf.eip == (want ? next + (near ? 0x100 : 0x10) : next))
				continue;
			t->failed = 1;
			kt_log(t, "j%x%s flags %#x: err %d taken %d eip %#x, want taken %d",
			       cc, near ? " (rel32)" : "", tf.eflags, err, taken,
			       tf.eip, want);
			return;
		}
	}
}

static void jcc_short(struct kt_test *t)
{
	check_jcc(t, 0);
}

static void jcc_near(struct kt_test *t)
{
	check_jcc(t, 1);
}

/* A backward jcc: the target is below the instruction. */
static void jcc_backward(struct kt_test *t)
{
	const uint8_t jne_back[] = { 0x75, 0xfa };	/* jne -6 */
	struct trap_frame tf = frame(CODE + 0x20);
	int taken;

	KT_EXPECT_EQ(t, run(&tf, jne_back, 2, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 0x20 + 2 - 6);
}

/* loop (E2), loope (E1), loopne (E0): ECX first, then ZF. */
static void loop_decrements_ecx(struct kt_test *t)
{
	static const struct {
		uint8_t op;
		uint32_t ecx, zf;
		int taken;
	} c[] = {
		{ 0xe2, 5, 0, 1 }, { 0xe2, 1, 0, 0 }, { 0xe2, 0, 0, 1 },
		{ 0xe1, 5, X86_EFLAGS_ZF, 1 }, { 0xe1, 5, 0, 0 },
		{ 0xe1, 1, X86_EFLAGS_ZF, 0 }, { 0xe0, 5, 0, 1 },
		{ 0xe0, 5, X86_EFLAGS_ZF, 0 }, { 0xe0, 1, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint8_t code[2] = { c[i].op, 0xf0 };	/* -16 */
		struct trap_frame tf = frame(CODE + 0x40);
		int taken, err;

		tf.ecx = c[i].ecx;
		tf.eflags |= c[i].zf;
		err = run(&tf, code, 2, &taken);
		if (!err && taken == c[i].taken && tf.ecx == c[i].ecx - 1 &&
		    tf.eip == CODE + 0x42 - (c[i].taken ? 16 : 0))
			continue;
		t->failed = 1;
		kt_log(t, "%02x ecx %u zf %u: err %d taken %d ecx %u eip %#x",
		       c[i].op, c[i].ecx, !!c[i].zf, err, taken, tf.ecx, tf.eip);
	}
}

static void jcxz_tests_ecx(struct kt_test *t)
{
	const uint8_t jcxz[] = { 0xe3, 0x08 };
	struct trap_frame tf = frame(CODE);
	int taken;

	tf.ecx = 0;
	KT_EXPECT_EQ(t, run(&tf, jcxz, 2, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 2 + 8);
	KT_EXPECT_EQ(t, tf.ecx, 0);		/* jcxz does not change ECX */
	tf = frame(CODE);
	tf.ecx = 7;
	KT_EXPECT_EQ(t, run(&tf, jcxz, 2, &taken), 0);
	KT_EXPECT_EQ(t, taken, 0);
	KT_EXPECT_EQ(t, tf.eip, CODE + 2);
	KT_EXPECT_EQ(t, tf.ecx, 7);
}

static void call_pushes_return_address(struct kt_test *t)
{
	const uint8_t call[] = { 0xe8, 0x00, 0x01, 0x00, 0x00 }; /* +0x100 */
	struct trap_frame tf = frame(CODE);
	uint32_t esp = tf.esp;
	int taken;

	KT_EXPECT_EQ(t, run(&tf, call, 5, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 5 + 0x100);
	KT_EXPECT_EQ(t, tf.esp, esp - 4);
	KT_EXPECT_EQ(t, peek32(tf.esp), CODE + 5);
}

static void ret_pops(struct kt_test *t)
{
	const uint8_t ret[] = { 0xc3 };
	struct trap_frame tf = frame(CODE + 0x80);
	uint32_t esp = tf.esp;
	int taken;

	poke32(esp, CODE + 0x333);
	KT_EXPECT_EQ(t, run(&tf, ret, 1, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 0x333);
	KT_EXPECT_EQ(t, tf.esp, esp + 4);
}

static void ret_imm16_pops_more(struct kt_test *t)
{
	const uint8_t ret8[] = { 0xc2, 0x08, 0x00 };	/* ret $8 */
	struct trap_frame tf = frame(CODE + 0x80);
	uint32_t esp = tf.esp;
	int taken;

	poke32(esp, CODE + 0x444);
	KT_EXPECT_EQ(t, run(&tf, ret8, 3, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 0x444);
	KT_EXPECT_EQ(t, tf.esp, esp + 4 + 8);
}

static void indirect_jmp_register(struct kt_test *t)
{
	const uint8_t jmp_eax[] = { 0xff, 0xe0 };
	struct trap_frame tf = frame(CODE);
	int taken;

	tf.eax = CODE + 0x555;
	KT_EXPECT_EQ(t, run(&tf, jmp_eax, 2, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 0x555);
}

/* call *0x10(%ebx,%esi,4): the target is read before the push. */
static void indirect_call_memory(struct kt_test *t)
{
	const uint8_t call_mem[] = { 0xff, 0x54, 0xb3, 0x10 };
	struct trap_frame tf = frame(CODE);
	uint32_t esp = tf.esp;
	int taken;

	tf.ebx = DATA;
	tf.esi = 2;
	poke32(DATA + 0x10 + 8, CODE + 0x666);
	KT_EXPECT_EQ(t, run(&tf, call_mem, 4, &taken), 0);
	KT_EXPECT_EQ(t, taken, 1);
	KT_EXPECT_EQ(t, tf.eip, CODE + 0x666);
	KT_EXPECT_EQ(t, tf.esp, esp - 4);
	KT_EXPECT_EQ(t, peek32(tf.esp), CODE + 4);
}

/* A push or pop that faults: -EFAULT and nothing changed. */
static void fault_leaves_frame_alone(struct kt_test *t)
{
	const uint8_t call[] = { 0xe8, 0x10, 0x00, 0x00, 0x00 };
	const uint8_t ret[] = { 0xc3 };
	struct trap_frame tf = frame(CODE), before;
	int taken;

	tf.esp = 0x100;			/* below the user memory */
	before = tf;
	KT_EXPECT_EQ(t, run(&tf, call, 5, &taken), -EFAULT);
	KT_EXPECT_EQ(t, memcmp(&tf, &before, sizeof(tf)), 0);
	tf.eip = CODE + 0x10;
	before = tf;
	KT_EXPECT_EQ(t, run(&tf, ret, 1, &taken), -EFAULT);
	KT_EXPECT_EQ(t, memcmp(&tf, &before, sizeof(tf)), 0);
}

/*
 * A program made only of branches, run the way the fast mode runs it
 * (decode at eip, emulate, record each taken branch):
 *   0x1000: call 0x1010      0x1005: loop 0x1000     0x1007: jcxz 0x1020
 *   0x1010: ret              0x1020: jmp *%eax -> 0x1030: ret $4 -> 0x1234
 */
static void program_call_loop_records(struct kt_test *t)
{
	static const uint8_t code[] = {
		[0x00] = 0xe8, 0x0b, 0x00, 0x00, 0x00,	/* call 0x1010 */
		[0x05] = 0xe2, 0xf9,			/* loop 0x1000 */
		[0x07] = 0xe3, 0x17,			/* jcxz 0x1020 */
		[0x10] = 0xc3,				/* ret */
		[0x20] = 0xff, 0xe0,			/* jmp *%eax */
		[0x30] = 0xc2, 0x04, 0x00,		/* ret $4 */
	};
	static const uint32_t want[][2] = {
		{ 0x1000, 0x1010 }, { 0x1010, 0x1005 }, { 0x1005, 0x1000 },
		{ 0x1000, 0x1010 }, { 0x1010, 0x1005 }, { 0x1005, 0x1000 },
		{ 0x1000, 0x1010 }, { 0x1010, 0x1005 },	/* loop: ecx 0 */
		{ 0x1007, 0x1020 }, { 0x1020, 0x1030 }, { 0x1030, 0x1234 },
	};
	uint32_t got[32][2];
	struct trap_frame tf = frame(CODE);
	size_t n = 0, steps;

	memcpy(mem + (CODE - MEM_BASE), code, sizeof(code));
	tf.ecx = 3;
	tf.eax = 0x1030;
	tf.esp = STACK_TOP - 64;
	poke32(tf.esp, 0x1234);		/* where the final ret goes */
	for (steps = 0; steps < 32 && tf.eip != 0x1234; steps++) {
		struct insn in;
		uint32_t from = tf.eip;
		int taken;

		if (insn_decode(&in, mem + (from - MEM_BASE), INSN_MAX) < 0 ||
		    emulate_branch(&tf, &in, &taken)) {
			kt_log(t, "at %#x: not emulated", from);
			break;
		}
		if (taken && n < 32) {
			got[n][0] = from;
			got[n][1] = tf.eip;
			n++;
		}
	}
	KT_EXPECT_EQ(t, n, sizeof(want) / sizeof(want[0]));
	for (steps = 0; steps < n && steps < sizeof(want) / sizeof(want[0]);
	     steps++) {
		if (got[steps][0] == want[steps][0] &&
		    got[steps][1] == want[steps][1])
			continue;
		t->failed = 1;
		kt_log(t, "record %zu: %#x -> %#x, want %#x -> %#x", steps,
		       got[steps][0], got[steps][1], want[steps][0],
		       want[steps][1]);
	}
	KT_EXPECT_EQ(t, tf.esp, STACK_TOP - 64 + 4 + 4);
}

KT_SUITE(emulate_suite, "emulate",
	 KT_CASE(jcc_short),
	 KT_CASE(jcc_near),
	 KT_CASE(jcc_backward),
	 KT_CASE(loop_decrements_ecx),
	 KT_CASE(jcxz_tests_ecx),
	 KT_CASE(call_pushes_return_address),
	 KT_CASE(ret_pops),
	 KT_CASE(ret_imm16_pops_more),
	 KT_CASE(indirect_jmp_register),
	 KT_CASE(indirect_call_memory),
	 KT_CASE(fault_leaves_frame_alone),
	 KT_CASE(program_call_loop_records));
