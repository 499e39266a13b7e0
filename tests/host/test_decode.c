/*
 * The x86 instruction decoder (kernel/arch/x86/decode.c) on the host:
 * hand-written encodings for every branch class, prefix, address form
 * and immediate kind, invalid and truncated input, random bytes; then
 * every instruction of the kernel, the user programs and the cross
 * toolchain's i386 libraries against objdump (decode_objdump.h).
 */
#include <asm/decode.h>
#include <spoor/ktest.h>

#include "decode_objdump.h"

struct hand_case {
	const char *what;
	uint8_t bytes[INSN_MAX + 2];
	size_t avail;		/* bytes given to the decoder */
	int len;		/* expected result: the length or -1 */
	enum insn_class cls;	/* expected class (INSN_INVALID with -1) */
};

/* The bytes of a case and their count. */
#define B(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

#define D32 0x78, 0x56, 0x34, 0x12	/* a 32-bit displacement/immediate */

/* Run a table of hand cases; log each that fails. */
static void run_hand_cases(struct kt_test *t, const struct hand_case *c,
			   size_t count)
{
	size_t i;

	for (i = 0; i < count; i++, c++) {
		struct insn in;
		int len = insn_decode(&in, c->bytes, c->avail);

		if (len == c->len && in.cls == c->cls)
			continue;
		t->failed = 1;
		kt_log(t, "%s: got len %d class %s, want len %d class %s",
		       c->what, len, class_names[in.cls], c->len,
		       class_names[c->cls]);
	}
}

#define RUN_HAND_CASES(t, table) run_hand_cases(t, table, ARRAY_LEN(table))

static const struct hand_case branch_cases[] = {
	{ "jmp rel8", B(0xeb, 0x10), 2, INSN_JMP_REL },
	{ "jmp rel32", B(0xe9, D32), 5, INSN_JMP_REL },
	{ "jmp rel16 (66)", B(0x66, 0xe9, 0x34, 0x12), 4, INSN_JMP_REL },
	{ "bnd jmp", B(0xf2, 0xe9, D32), 6, INSN_JMP_REL },
	{ "jo rel8", B(0x70, 0x05), 2, INSN_JCC_REL },
	{ "jg rel8", B(0x7f, 0xfe), 2, INSN_JCC_REL },
	{ "jne rel32", B(0x0f, 0x85, D32), 6, INSN_JCC_REL },
	{ "je rel16 (66)", B(0x66, 0x0f, 0x84, 0x34, 0x12), 5, INSN_JCC_REL },
	{ "je,pn (2E hint)", B(0x2e, 0x74, 0x05), 3, INSN_JCC_REL },
	{ "jne,pt (3E hint)", B(0x3e, 0x75, 0x05), 3, INSN_JCC_REL },
	{ "call rel32", B(0xe8, D32), 5, INSN_CALL_REL },
	{ "call rel16 (66)", B(0x66, 0xe8, 0x34, 0x12), 4, INSN_CALL_REL },
	{ "bnd call", B(0xf2, 0xe8, D32), 6, INSN_CALL_REL },
	{ "ret", B(0xc3), 1, INSN_RET },
	{ "rep ret", B(0xf3, 0xc3), 2, INSN_RET },
	{ "bnd ret", B(0xf2, 0xc3), 2, INSN_RET },
	{ "ret $8", B(0xc2, 0x08, 0x00), 3, INSN_RET_IMM },
	{ "jmp *%eax", B(0xff, 0xe0), 2, INSN_JMP_IND },
	{ "notrack jmp *%eax", B(0x3e, 0xff, 0xe0), 3, INSN_JMP_IND },
	{ "jmp *table(,%eax,4)", B(0xff, 0x24, 0x85, D32), 7, INSN_JMP_IND },
	{ "jmp *8(%esp)", B(0xff, 0x64, 0x24, 0x08), 4, INSN_JMP_IND },
	{ "jmp *(%bx) (67)", B(0x67, 0xff, 0x27), 3, INSN_JMP_IND },
	{ "call *%eax", B(0xff, 0xd0), 2, INSN_CALL_IND },
	{ "call *disp32", B(0xff, 0x15, D32), 6, INSN_CALL_IND },
	{ "call *0x10(%ebp)", B(0xff, 0x55, 0x10), 3, INSN_CALL_IND },
	{ "call *d32(%ebx,%esi,8)", B(0xff, 0x94, 0xf3, D32), 7,
	  INSN_CALL_IND },
	{ "ljmp ptr16:32", B(0xea, D32, 0x08, 0x00), 7, INSN_JMP_FAR },
	{ "ljmpw ptr16:16 (66)", B(0x66, 0xea, 0x34, 0x12, 0x08, 0x00), 6,
	  INSN_JMP_FAR },
	{ "ljmp *disp32", B(0xff, 0x2d, D32), 6, INSN_JMP_FAR },
	{ "lcall ptr16:32", B(0x9a, D32, 0x08, 0x00), 7, INSN_CALL_FAR },
	{ "lcall *(%eax)", B(0xff, 0x18), 2, INSN_CALL_FAR },
	{ "lret", B(0xcb), 1, INSN_RET_FAR },
	{ "lret $8", B(0xca, 0x08, 0x00), 3, INSN_RET_FAR },
	{ "lretw (66)", B(0x66, 0xcb), 2, INSN_RET_FAR },
	{ "loopne", B(0xe0, 0xfe), 2, INSN_LOOP },
	{ "loope", B(0xe1, 0xfe), 2, INSN_LOOP },
	{ "loop", B(0xe2, 0xfe), 2, INSN_LOOP },
	{ "loopw (67)", B(0x67, 0xe2, 0xfe), 3, INSN_LOOP },
	{ "jecxz", B(0xe3, 0x05), 2, INSN_JCXZ },
	{ "jcxz (67)", B(0x67, 0xe3, 0x05), 3, INSN_JCXZ },
	{ "int $0x80", B(0xcd, 0x80), 2, INSN_INT },
	{ "int1", B(0xf1), 1, INSN_INT },
	{ "int3", B(0xcc), 1, INSN_INT3 },
	{ "into", B(0xce), 1, INSN_INTO },
	{ "iret", B(0xcf), 1, INSN_IRET },
	{ "iretw (66)", B(0x66, 0xcf), 2, INSN_IRET },
	{ "sysenter", B(0x0f, 0x34), 2, INSN_SYSENTER },
	{ "sysexit", B(0x0f, 0x35), 2, INSN_SYSENTER },
	{ "syscall", B(0x0f, 0x05), 2, INSN_SYSENTER },
	{ "sysret", B(0x0f, 0x07), 2, INSN_SYSENTER },
	{ "ud2", B(0x0f, 0x0b), 2, INSN_OTHER },
	{ "ud1", B(0x0f, 0xb9, 0xc0), 3, INSN_OTHER },
	{ "ud0", B(0x0f, 0xff, 0xc0), 3, INSN_OTHER },
	{ "xbegin (not a branch)", B(0xc7, 0xf8, D32), 6, INSN_OTHER },
};

static void branch_classes(struct kt_test *t)
{
	RUN_HAND_CASES(t, branch_cases);
}

static const struct hand_case length_cases[] = {
	{ "nop", B(0x90), 1, INSN_OTHER },
	{ "cs nopw 0(%eax,%eax,1)",
	  B(0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00), 10,
	  INSN_OTHER },
	{ "endbr32", B(0xf3, 0x0f, 0x1e, 0xfb), 4, INSN_OTHER },
	{ "lock cmpxchg", B(0xf0, 0x0f, 0xb1, 0x0a), 4, INSN_OTHER },
	{ "movl $i32, d32(%eax,%ecx,4)", B(0xc7, 0x84, 0x88, D32, D32), 11,
	  INSN_OTHER },
	{ "movw $i16, d32 (66)", B(0x66, 0xc7, 0x05, D32, 0x34, 0x12), 9,
	  INSN_OTHER },
	{ "mov moffs32,%eax", B(0xa1, D32), 5, INSN_OTHER },
	{ "mov moffs16,%eax (67)", B(0x67, 0xa1, 0x34, 0x12), 4, INSN_OTHER },
	{ "mov %ax,moffs32 (66)", B(0x66, 0xa3, D32), 6, INSN_OTHER },
	{ "push $i32", B(0x68, D32), 5, INSN_OTHER },
	{ "pushw $i16 (66)", B(0x66, 0x68, 0x34, 0x12), 4, INSN_OTHER },
	{ "push $i8", B(0x6a, 0x01), 2, INSN_OTHER },
	{ "imul $i32", B(0x69, 0xc0, D32), 6, INSN_OTHER },
	{ "imul $i8", B(0x6b, 0xc0, 0x05), 3, INSN_OTHER },
	{ "mov $i32,%eax", B(0xb8, D32), 5, INSN_OTHER },
	{ "mov $i16,%ax (66)", B(0x66, 0xb8, 0x34, 0x12), 4, INSN_OTHER },
	{ "enter $16,$1", B(0xc8, 0x10, 0x00, 0x01), 4, INSN_OTHER },
	{ "test $i8 (F6 /0)", B(0xf6, 0xc0, 0x01), 3, INSN_OTHER },
	{ "test $i8 (F6 /1 alias)", B(0xf6, 0xc8, 0x01), 3, INSN_OTHER },
	{ "not (F6 /2)", B(0xf6, 0xd0), 2, INSN_OTHER },
	{ "test $i32 (F7 /0)", B(0xf7, 0xc0, D32), 6, INSN_OTHER },
	{ "test $i16 (66 F7 /0)", B(0x66, 0xf7, 0xc0, 0x34, 0x12), 5,
	  INSN_OTHER },
	{ "neg (F7 /3)", B(0xf7, 0xd8), 2, INSN_OTHER },
	{ "div d32 (F7 /6)", B(0xf7, 0x35, D32), 6, INSN_OTHER },
	{ "mov (%ecx*4+d32): SIB, no base", B(0x8b, 0x04, 0x8d, D32), 7,
	  INSN_OTHER },
	{ "mov d8(%ebp,%eiz): SIB base 5, mod 1", B(0x8b, 0x44, 0x25, 0x08),
	  4, INSN_OTHER },
	{ "mov d32: mod 0 rm 5", B(0x8b, 0x05, D32), 6, INSN_OTHER },
	{ "mov (%esp): SIB", B(0x8b, 0x04, 0x24), 3, INSN_OTHER },
	{ "mov d16 (67: mod 0 rm 6)", B(0x67, 0x8b, 0x06, 0x34, 0x12), 5,
	  INSN_OTHER },
	{ "mov d8(%bp) (67: mod 1)", B(0x67, 0x8b, 0x46, 0x08), 4,
	  INSN_OTHER },
	{ "mov d16(%bx,%si) (67: mod 2)", B(0x67, 0x8b, 0x80, 0x34, 0x12), 5,
	  INSN_OTHER },
	{ "mov (%si) (67: rm 4, no SIB)", B(0x67, 0x8b, 0x04), 3,
	  INSN_OTHER },
	{ "fld1", B(0xd9, 0xe8), 2, INSN_OTHER },
	{ "fldl d32", B(0xdd, 0x05, D32), 6, INSN_OTHER },
	{ "fstpl (%esp)", B(0xdd, 0x1c, 0x24), 3, INSN_OTHER },
	{ "pshufb (0F 38)", B(0x66, 0x0f, 0x38, 0x00, 0xc1), 5, INSN_OTHER },
	{ "palignr $8 (0F 3A)", B(0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08), 6,
	  INSN_OTHER },
	{ "pshufd $i8", B(0x66, 0x0f, 0x70, 0xc1, 0x1b), 5, INSN_OTHER },
	{ "psrlq $i8", B(0x66, 0x0f, 0x73, 0xd0, 0x04), 5, INSN_OTHER },
	{ "mov %cr0,%eax, mod 0 ignored", B(0x0f, 0x20, 0x00), 3,
	  INSN_OTHER },
	{ "mov %ebp,%cr0, rm 5 no disp", B(0x0f, 0x22, 0x05), 3, INSN_OTHER },
	{ "mov %tr0 (486)", B(0x0f, 0x24, 0xc0), 3, INSN_OTHER },
	{ "shld $4", B(0x0f, 0xa4, 0xc2, 0x04), 4, INSN_OTHER },
	{ "bt $3", B(0x0f, 0xba, 0xe0, 0x03), 4, INSN_OTHER },
	{ "3DNow! pi2fd", B(0x0f, 0x0f, 0xc0, 0x0d), 4, INSN_OTHER },
	{ "salc", B(0xd6), 1, INSN_OTHER },
	{ "aam", B(0xd4, 0x0a), 2, INSN_OTHER },
	{ "shl $4", B(0xc1, 0xe0, 0x04), 3, INSN_OTHER },
	{ "in $0x60", B(0xe4, 0x60), 2, INSN_OTHER },
	{ "les (%esi) (C4, mod 0)", B(0xc4, 0x06), 2, INSN_OTHER },
	{ "lds d32 (C5, mod 0)", B(0xc5, 0x05, D32), 6, INSN_OTHER },
	{ "bound (%esi)", B(0x62, 0x06), 2, INSN_OTHER },
	{ "pop (%eax) (8F /0)", B(0x8f, 0x00), 2, INSN_OTHER },
	{ "14 prefixes and a nop: 15 bytes",
	  B(0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26,
	    0x26, 0x26, 0x26, 0x90), 15, INSN_OTHER },
	{ "4 prefixes, 11-byte mov: 15 bytes",
	  B(0x26, 0x3e, 0x64, 0x65, 0xc7, 0x84, 0x88, D32, D32), 15,
	  INSN_OTHER },
	{ "more bytes given than used", B(0xeb, 0x10, 0xff, 0xff, 0xff), 2,
	  INSN_JMP_REL },
};

static void lengths(struct kt_test *t)
{
	RUN_HAND_CASES(t, length_cases);
}

static const struct hand_case invalid_cases[] = {
	{ "FF /7", B(0xff, 0xf8), -1, INSN_INVALID },
	{ "FE /2", B(0xfe, 0xd0), -1, INSN_INVALID },
	{ "lea with a register", B(0x8d, 0xc0), -1, INSN_INVALID },
	{ "ljmp through a register", B(0xff, 0xe8), -1, INSN_INVALID },
	{ "lcall through a register", B(0xff, 0xd8), -1, INSN_INVALID },
	{ "VEX C5 (vzeroupper)", B(0xc5, 0xf8, 0x77), -1, INSN_INVALID },
	{ "VEX C4", B(0xc4, 0xe2, 0x79, 0x00, 0xc1), -1, INSN_INVALID },
	{ "EVEX 62", B(0x62, 0xf1, 0x7c, 0x48, 0x28, 0xc1), -1,
	  INSN_INVALID },
	{ "XOP 8F", B(0x8f, 0xe8, 0x78, 0xc0, 0xc1, 0x00), -1, INSN_INVALID },
	{ "C6 /1", B(0xc6, 0xc8, 0x01), -1, INSN_INVALID },
	{ "lss with a register", B(0x0f, 0xb2, 0xc0), -1, INSN_INVALID },
	{ "0F 04", B(0x0f, 0x04), -1, INSN_INVALID },
	{ "0F 0A", B(0x0f, 0x0a), -1, INSN_INVALID },
	{ "0F 25", B(0x0f, 0x25, 0xc0), -1, INSN_INVALID },
	{ "0F 36", B(0x0f, 0x36), -1, INSN_INVALID },
	{ "0F 39", B(0x0f, 0x39), -1, INSN_INVALID },
	{ "0F 3B", B(0x0f, 0x3b), -1, INSN_INVALID },
	{ "0F 7A", B(0x0f, 0x7a, 0xc0), -1, INSN_INVALID },
	{ "15 prefixes", B(0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26,
			   0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x90),
	  -1, INSN_INVALID },
	{ "16 bytes: 5 prefixes, 11-byte mov",
	  B(0x26, 0x26, 0x3e, 0x64, 0x65, 0xc7, 0x84, 0x88, D32, D32), -1,
	  INSN_INVALID },
};

static void invalid(struct kt_test *t)
{
	RUN_HAND_CASES(t, invalid_cases);
}

/* Each gives one byte less than the whole instruction. */
#define BYTES(...) { __VA_ARGS__ }

static const struct hand_case truncated_cases[] = {
	{ "nothing", BYTES(0x90), 0, -1, INSN_INVALID },
	{ "call rel32", BYTES(0xe8, D32), 4, -1, INSN_INVALID },
	{ "jmp *table(,%eax,4)", BYTES(0xff, 0x24, 0x85, D32), 6, -1,
	  INSN_INVALID },
	{ "SIB", BYTES(0xff, 0x24, 0x24), 2, -1, INSN_INVALID },
	{ "a prefix alone", BYTES(0x66, 0x90), 1, -1, INSN_INVALID },
	{ "0F alone", BYTES(0x0f, 0x0b), 1, -1, INSN_INVALID },
	{ "0F 38's ModRM", BYTES(0x0f, 0x38, 0x00, 0xc1), 3, -1,
	  INSN_INVALID },
	{ "ModRM", BYTES(0x8b, 0xc0), 1, -1, INSN_INVALID },
	{ "enter's ib", BYTES(0xc8, 0x10, 0x00, 0x01), 3, -1, INSN_INVALID },
	{ "ptr16:32's selector", BYTES(0x9a, D32, 0x08, 0x00), 6, -1,
	  INSN_INVALID },
	{ "disp16 (67)", BYTES(0x67, 0x8b, 0x06, 0x34, 0x12), 4, -1,
	  INSN_INVALID },
	{ "0F 3A's ib", BYTES(0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08), 5, -1,
	  INSN_INVALID },
};

static void truncated(struct kt_test *t)
{
	size_t i;

	/* With the missing byte each decodes: the cases cut at the end. */
	for (i = 0; i < ARRAY_LEN(truncated_cases); i++) {
		const struct hand_case *c = &truncated_cases[i];
		struct insn in;

		KT_EXPECT_EQ(t, insn_decode(&in, c->bytes, c->avail + 1),
			     (int)c->avail + 1);
	}
	RUN_HAND_CASES(t, truncated_cases);
}

/* Decode @bytes (all of them must be used) into @in; the length. */
#define DECODE(in, ...)							\
	insn_decode(in, (const uint8_t[]){ __VA_ARGS__ },		\
		    sizeof((uint8_t[]){ __VA_ARGS__ }))

static void fields_modrm_sib_disp(struct kt_test *t)
{
	struct insn in;

	KT_ASSERT_EQ(t, DECODE(&in, 0xff, 0x24, 0x85, 0x00, 0x10, 0x00, 0x00),
		     7);
	KT_EXPECT_EQ(t, in.has_modrm, 1);
	KT_EXPECT_EQ(t, in.modrm, 0x24);
	KT_EXPECT_EQ(t, in.has_sib, 1);
	KT_EXPECT_EQ(t, in.sib, 0x85);
	KT_EXPECT_EQ(t, in.disp, 0x1000);
	KT_EXPECT_EQ(t, in.disp_len, 4);
	KT_EXPECT_EQ(t, in.imm_len, 0);

	KT_ASSERT_EQ(t, DECODE(&in, 0x8b, 0x45, 0xf8), 3);	/* -8(%ebp) */
	KT_EXPECT_EQ(t, in.has_sib, 0);
	KT_EXPECT_EQ(t, in.disp, -8);
	KT_EXPECT_EQ(t, in.disp_len, 1);

	KT_ASSERT_EQ(t, DECODE(&in, 0x67, 0x8b, 0x86, 0xfe, 0xff), 5);
	KT_EXPECT_EQ(t, in.adsize16, 1);
	KT_EXPECT_EQ(t, in.has_sib, 0);
	KT_EXPECT_EQ(t, in.disp, -2);
	KT_EXPECT_EQ(t, in.disp_len, 2);

	KT_ASSERT_EQ(t, DECODE(&in, 0xff, 0xd0), 2);		/* call *%eax */
	KT_EXPECT_EQ(t, in.modrm, 0xd0);
	KT_EXPECT_EQ(t, in.disp_len, 0);
}

static void fields_immediates(struct kt_test *t)
{
	struct insn in;

	KT_ASSERT_EQ(t, DECODE(&in, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x08, 0x00),
		     7);
	KT_EXPECT_EQ(t, in.imm, 0x12345678);
	KT_EXPECT_EQ(t, in.imm_len, 4);
	KT_EXPECT_EQ(t, in.imm2, 8);

	KT_ASSERT_EQ(t, DECODE(&in, 0x66, 0xea, 0x34, 0x12, 0x10, 0x00), 6);
	KT_EXPECT_EQ(t, in.imm, 0x1234);
	KT_EXPECT_EQ(t, in.imm_len, 2);
	KT_EXPECT_EQ(t, in.imm2, 0x10);

	KT_ASSERT_EQ(t, DECODE(&in, 0xc8, 0x10, 0x02, 0x03), 4);	/* enter */
	KT_EXPECT_EQ(t, in.imm, 0x210);
	KT_EXPECT_EQ(t, in.imm_len, 2);
	KT_EXPECT_EQ(t, in.imm2, 3);

	KT_ASSERT_EQ(t, DECODE(&in, 0x6a, 0xff), 2);	/* not a branch: */
	KT_EXPECT_EQ(t, in.imm, 0xff);			/* zero-extended */

	KT_ASSERT_EQ(t, DECODE(&in, 0xcd, 0x80), 2);
	KT_EXPECT_EQ(t, in.imm, 0x80);
	KT_ASSERT_EQ(t, DECODE(&in, 0xf1), 1);		/* int1 */
	KT_EXPECT_EQ(t, in.imm, 1);
	KT_EXPECT_EQ(t, in.imm_len, 0);

	KT_ASSERT_EQ(t, DECODE(&in, 0xa1, 0x78, 0x56, 0x34, 0x12), 5);
	KT_EXPECT_EQ(t, in.disp, 0x12345678);		/* moffs is disp */
	KT_EXPECT_EQ(t, in.disp_len, 4);
	KT_EXPECT_EQ(t, in.has_modrm, 0);
	KT_ASSERT_EQ(t, DECODE(&in, 0x67, 0xa0, 0xfe, 0xff), 4);
	KT_EXPECT_EQ(t, in.disp, 0xfffe);		/* zero-extended */
	KT_EXPECT_EQ(t, in.disp_len, 2);
}

static void fields_prefixes_and_maps(struct kt_test *t)
{
	struct insn in;

	KT_ASSERT_EQ(t, DECODE(&in, 0xf0, 0x2e, 0x66, 0x67, 0xf2, 0xf3, 0x01,
			       0x07), 8);
	KT_EXPECT_EQ(t, in.lock, 1);
	KT_EXPECT_EQ(t, in.seg, 0x2e);
	KT_EXPECT_EQ(t, in.opsize16, 1);
	KT_EXPECT_EQ(t, in.adsize16, 1);
	KT_EXPECT_EQ(t, in.rep, 0xf3);			/* the last one */
	KT_EXPECT_EQ(t, in.opcode, 0x01);
	KT_EXPECT_EQ(t, in.two_byte, 0);

	KT_ASSERT_EQ(t, DECODE(&in, 0x9c), 1);		/* pushf */
	KT_EXPECT_EQ(t, in.opcode, 0x9c);
	KT_EXPECT_EQ(t, in.two_byte, 0);
	KT_EXPECT_EQ(t, in.lock | in.seg | in.rep | in.opsize16, 0);

	KT_ASSERT_EQ(t, DECODE(&in, 0x0f, 0x0b), 2);	/* ud2 */
	KT_EXPECT_EQ(t, in.opcode, 0x0b);
	KT_EXPECT_EQ(t, in.two_byte, 1);
	KT_EXPECT_EQ(t, in.three_byte, 0);

	KT_ASSERT_EQ(t, DECODE(&in, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08), 6);
	KT_EXPECT_EQ(t, in.opcode, 0x0f);
	KT_EXPECT_EQ(t, in.two_byte, 1);
	KT_EXPECT_EQ(t, in.three_byte, 0x3a);
	KT_EXPECT_EQ(t, in.modrm, 0xc1);
	KT_EXPECT_EQ(t, in.imm, 8);
}

static void conditions(struct kt_test *t)
{
	struct insn in;
	uint8_t b[6] = { 0, 0, 0, 0, 0, 0 };
	unsigned int cc;

	for (cc = 0; cc < 16; cc++) {
		b[0] = (uint8_t)(0x70 + cc);
		KT_EXPECT_EQ(t, insn_decode(&in, b, 2), 2);
		KT_EXPECT_EQ(t, in.cond, cc);
		b[0] = 0x0f;
		b[1] = (uint8_t)(0x80 + cc);
		KT_EXPECT_EQ(t, insn_decode(&in, b, 6), 6);
		KT_EXPECT_EQ(t, in.cls, INSN_JCC_REL);
		KT_EXPECT_EQ(t, in.cond, cc);
		b[1] = 0;
	}
	KT_ASSERT_EQ(t, DECODE(&in, 0xe0, 0x00), 2);
	KT_EXPECT_EQ(t, in.cond, INSN_LOOP_NE);
	KT_ASSERT_EQ(t, DECODE(&in, 0xe1, 0x00), 2);
	KT_EXPECT_EQ(t, in.cond, INSN_LOOP_E);
	KT_ASSERT_EQ(t, DECODE(&in, 0xe2, 0x00), 2);
	KT_EXPECT_EQ(t, in.cond, INSN_LOOP_ALWAYS);
	KT_ASSERT_EQ(t, DECODE(&in, 0x74, 0x00), 2);
	KT_EXPECT_EQ(t, in.cond, INSN_CC_E);
}

static void relative_targets(struct kt_test *t)
{
	struct insn in;

	KT_ASSERT_EQ(t, DECODE(&in, 0xeb, 0xfe), 2);		/* jmp . */
	KT_EXPECT_EQ(t, in.imm, 0xfffffffe);
	KT_EXPECT_EQ(t, insn_rel_target(&in, 0x08048000), 0x08048000);

	KT_ASSERT_EQ(t, DECODE(&in, 0xe8, 0xfb, 0xff, 0xff, 0xff), 5);
	KT_EXPECT_EQ(t, insn_rel_target(&in, 0x08048100), 0x08048100);

	KT_ASSERT_EQ(t, DECODE(&in, 0x0f, 0x84, 0x00, 0x01, 0x00, 0x00), 6);
	KT_EXPECT_EQ(t, insn_rel_target(&in, 0x1000), 0x1106);

	/* 66: the 16-bit operand size cuts EIP to 16 bits. */
	KT_ASSERT_EQ(t, DECODE(&in, 0x66, 0xe9, 0x00, 0x10), 4);
	KT_EXPECT_EQ(t, insn_rel_target(&in, 0x0804f000), 0x0004);
	KT_ASSERT_EQ(t, DECODE(&in, 0x66, 0xe9, 0xfc, 0xff), 4);
	KT_EXPECT_EQ(t, in.imm, 0xfffffffc);
	KT_EXPECT_EQ(t, insn_rel_target(&in, 0x08041234), 0x1234);
}

/*
 * Random bytes: whatever the decoder makes of them, it never claims
 * more than it was given or than 15, and given fewer bytes it agrees
 * with itself: the same length once all of it is there, -1 before.
 * Each call gets a buffer of exactly @avail bytes, so a sanitizer
 * build catches a read past it.
 */
static void random_bytes(struct kt_test *t)
{
	uint32_t seed = 0x5eed;
	uint8_t bytes[INSN_MAX];
	unsigned int round, bad = 0;
	size_t i, avail;

	for (round = 0; round < 20000 && bad < 10; round++) {
		struct insn in;
		int full;

		for (i = 0; i < sizeof(bytes); i++) {
			seed = seed * 1103515245 + 12345;
			bytes[i] = (uint8_t)(seed >> 16);
		}
		full = insn_decode(&in, bytes, sizeof(bytes));
		for (avail = 0; avail <= sizeof(bytes); avail++) {
			uint8_t *exact = malloc(avail ? avail : 1);
			int want = full > 0 && (size_t)full <= avail ? full : -1;
			int got;

			memcpy(exact, bytes, avail);
			got = insn_decode(&in, exact, avail);
			free(exact);
			if (got == want)
				continue;
			t->failed = 1;
			bad++;
			kt_log(t, "round %u, %zu bytes from %02x %02x %02x: got %d, want %d",
			       round, avail, bytes[0], bytes[1], bytes[2], got,
			       want);
		}
	}
}

/* --- against objdump -------------------------------------------------- */

/* The build directory: the one above this program's (build/host). */
static int build_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	int up;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (up = 0; up < 2; up++) {
		char *slash = strrchr(buf, '/');

		if (!slash)
			return -1;
		*slash = 0;
	}
	return 0;
}

static void log_totals(struct kt_test *t, const char *name,
		       const struct objdump_totals *tot)
{
	kt_log(t, "%s: %lu compared, %lu mismatched; skipped: %lu (bad), %lu VEX; %lu fwait split",
	       name, tot->compared, tot->mismatched, tot->bad, tot->vex,
	       tot->fwait);
}

static void add_totals(struct objdump_totals *sum,
		       const struct objdump_totals *tot)
{
	sum->compared += tot->compared;
	sum->bad += tot->bad;
	sum->fwait += tot->fwait;
	sum->vex += tot->vex;
	sum->mismatched += tot->mismatched;
}

/*
 * Compare the @n files @names in directory @dir (those that are ELF32
 * i386), logging each one's totals and, for more than one, the sum.
 * Returns how many files were compared.
 */
static int compare_files(struct kt_test *t, const char *tool, const char *dir,
			 char *const *names, int n, const char *what)
{
	struct objdump_totals sum = { 0 };
	char path[4096];
	int i, compared = 0;

	for (i = 0; i < n; i++) {
		struct objdump_totals tot = { 0 };

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (objdump_compare(t, tool, path, names[i], &tot))
			continue;
		log_totals(t, names[i], &tot);
		add_totals(&sum, &tot);
		compared++;
	}
	if (compared > 1) {
		snprintf(path, sizeof(path), "%s, %d binaries", what, compared);
		log_totals(t, path, &sum);
	}
	return compared;
}

static void objdump_kernel(struct kt_test *t)
{
	char *names[] = { "spoor.elf" };
	const char *tool = objdump_tool();
	char dir[4096];

	if (!tool)
		KT_SKIP(t, "no objdump on PATH");
	if (build_dir(dir, sizeof(dir)))
		KT_SKIP(t, "cannot find the build directory");
	if (!compare_files(t, tool, dir, names, 1, "kernel"))
		KT_SKIP(t, "no build/spoor.elf (make build/spoor.elf)");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory @dir, sorted, in *@names; how many. */
static int list_dir(const char *dir, char ***names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, cap = 0;

	*names = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **more;

			cap = cap ? 2 * cap : 64;
			more = realloc(*names, cap * sizeof(**names));
			if (!more)
				break;
			*names = more;
		}
		(*names)[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(*names, n, sizeof(**names), by_name);
	return (int)n;
}

static void objdump_user(struct kt_test *t)
{
	const char *tool = objdump_tool();
	char dir[4096];
	char **names;
	int i, n, compared;

	if (!tool)
		KT_SKIP(t, "no objdump on PATH");
	if (build_dir(dir, sizeof(dir) - 16))
		KT_SKIP(t, "cannot find the build directory");
	strcat(dir, "/user/bin");
	n = list_dir(dir, &names);
	compared = compare_files(t, tool, dir, names, n, "user programs");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!compared)
		KT_SKIP(t, "no ELF in build/user/bin (make build/initramfs.cpio)");
}

/*
 * Beyond Spoor's own code: the cross toolchain's i386 C and C++
 * libraries hold x87, SSE, string and system instructions gcc never
 * emits for Spoor.
 */
static void objdump_cross_libs(struct kt_test *t)
{
	char *names[] = { "libc.so.6", "libm.so.6", "libstdc++.so.6" };
	const char *tool = objdump_tool();

	if (!tool)
		KT_SKIP(t, "no objdump on PATH");
	if (!compare_files(t, tool, "/usr/i686-linux-gnu/lib", names,
			   ARRAY_LEN(names), "cross libraries"))
		KT_SKIP(t, "no /usr/i686-linux-gnu/lib (gcc-i686-linux-gnu)");
}

KT_SUITE(decode_suite, "decode",
	 KT_CASE(branch_classes),
	 KT_CASE(lengths),
	 KT_CASE(invalid),
	 KT_CASE(truncated),
	 KT_CASE(fields_modrm_sib_disp),
	 KT_CASE(fields_immediates),
	 KT_CASE(fields_prefixes_and_maps),
	 KT_CASE(conditions),
	 KT_CASE(relative_targets),
	 KT_CASE(random_bytes),
	 KT_CASE(objdump_kernel),
	 KT_CASE(objdump_user),
	 KT_CASE(objdump_cross_libs));
