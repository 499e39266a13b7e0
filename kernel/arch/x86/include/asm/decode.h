/*
 * x86 instruction decoder, 32-bit protected mode: the length of an
 * instruction and whether (and how) it transfers control.  Used by the
 * software BTS unit, which steps a traced program and must know, for
 * the instruction at an address, where it ends and what kind of branch
 * it is.  Freestanding: the same file is compiled into the kernel and
 * into the host test (tests/host/test_decode.c), which checks it
 * against objdump over every binary the project builds.
 *
 * Not decoded: VEX, EVEX and XOP (C4/C5, 62 and 8F with a register
 * ModRM); Spoor never enables AVX, so such an instruction raises #UD
 * and is reported as INSN_INVALID.
 */
#ifndef ASM_DECODE_H
#define ASM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* The architectural limit: a longer instruction raises #GP. */
#define INSN_MAX 15

enum insn_class {
	INSN_OTHER,	/* no control transfer */
	INSN_JMP_REL,	/* EB cb, E9 cd (cw with 66) */
	INSN_JCC_REL,	/* 70-7F cb, 0F 80-8F cd */
	INSN_CALL_REL,	/* E8 */
	INSN_RET,	/* C3 */
	INSN_RET_IMM,	/* C2 iw */
	INSN_JMP_IND,	/* FF /4 */
	INSN_CALL_IND,	/* FF /2 */
	INSN_JMP_FAR,	/* EA ptr16:32, FF /5 */
	INSN_CALL_FAR,	/* 9A ptr16:32, FF /3 */
	INSN_RET_FAR,	/* CB, CA iw */
	INSN_LOOP,	/* E0 loopne, E1 loope, E2 loop */
	INSN_JCXZ,	/* E3 (jecxz; jcxz with 67) */
	INSN_INT,	/* CD ib; also F1 (int1/icebp), imm = 1 */
	INSN_INT3,	/* CC */
	INSN_INTO,	/* CE */
	INSN_IRET,	/* CF */
	INSN_SYSENTER,	/* 0F 34 sysenter, 0F 35 sysexit, 0F 05 syscall,
			 * 0F 07 sysret: fast system calls */
	INSN_INVALID,	/* undefined / cannot decode (UD2 counts as OTHER) */
};

/* insn.cond of INSN_JCC_REL: the SDM's condition nibble (tttn). */
enum insn_cond {
	INSN_CC_O,
	INSN_CC_NO,
	INSN_CC_B,
	INSN_CC_AE,
	INSN_CC_E,
	INSN_CC_NE,
	INSN_CC_BE,
	INSN_CC_A,
	INSN_CC_S,
	INSN_CC_NS,
	INSN_CC_P,
	INSN_CC_NP,
	INSN_CC_L,
	INSN_CC_GE,
	INSN_CC_LE,
	INSN_CC_G,
};

/* insn.cond of INSN_LOOP (the low opcode bits); INSN_JCXZ has 3. */
enum insn_loop {
	INSN_LOOP_NE = 0,	/* E0: dec ecx; branch if ecx != 0 && !ZF */
	INSN_LOOP_E = 1,	/* E1: dec ecx; branch if ecx != 0 && ZF */
	INSN_LOOP_ALWAYS = 2,	/* E2: dec ecx; branch if ecx != 0 */
};

struct insn {
	uint8_t len;		/* total bytes, prefixes included */
	uint8_t opsize16;	/* 66 prefix seen */
	uint8_t adsize16;	/* 67 prefix seen */
	uint8_t rep;		/* F2 / F3 (the last one seen) or 0 */
	uint8_t lock;		/* F0 seen */
	uint8_t seg;		/* segment override prefix byte or 0 */
	uint8_t opcode;		/* the (last) opcode byte */
	uint8_t two_byte;	/* 1: after 0F (also for 0F 38 / 0F 3A) */
	uint8_t three_byte;	/* 0x38 or 0x3A: the 0F 38 / 0F 3A maps */
	uint8_t has_modrm, modrm, has_sib, sib;
	int32_t disp;		/* sign-extended; moffs (A0-A3) zero-ext. */
	uint8_t disp_len;	/* 0, 1, 2 or 4 */
	uint32_t imm;		/* first immediate: zero-extended, but
				 * rel8/rel16/rel32 sign-extended */
	uint32_t imm2;		/* second: ENTER's ib, ptr16:32's selector */
	uint8_t imm_len;	/* bytes of the first immediate */
	uint8_t cond;		/* jcc: enum insn_cond; loop: enum insn_loop */
	enum insn_class cls;
};

/*
 * Decode the instruction at @buf (@avail bytes readable, at most
 * INSN_MAX used) into @in.  Returns its length, or -1 if it is
 * invalid (undefined opcode, a register operand where memory is
 * required, more than 15 bytes) or longer than @avail.  On -1, @in
 * holds what was decoded so far and in->cls is INSN_INVALID.
 */
int insn_decode(struct insn *in, const uint8_t *buf, size_t avail);

/*
 * The target of a relative branch (JMP_REL, JCC_REL, CALL_REL, LOOP,
 * JCXZ) decoded from address @addr: the next instruction's address
 * plus the displacement, cut to 16 bits under a 66 prefix, as the CPU
 * does.  Meaningless for other classes.
 */
uint32_t insn_rel_target(const struct insn *in, uint32_t addr);

#endif
