/*
 * x86 instruction decoder for 32-bit protected mode: length and branch
 * class of one instruction, from tables after the SDM's opcode maps
 * (Vol. 2, Appendix A).  An instruction is
 *
 *   prefixes* opcode (0F (38|3A)?)? ModRM? SIB? disp? imm? imm2?
 *
 * and every opcode byte has a descriptor saying which of the optional
 * parts follow and what kind of control transfer it is.  Code handles
 * only what the encoding itself makes irregular: ModRM's address forms
 * (SIB, displacement size, 16-bit addressing under 67), immediates that
 * change size with 66 or 67, and the opcode groups where ModRM.reg
 * picks the instruction (F6/F7 test takes an immediate, FF holds four
 * kinds of branch).
 *
 * Decisions a reader might not expect:
 *  - C4/C5 (LES/LDS) and 62 (BOUND) with ModRM.mod == 3 are VEX and
 *    EVEX prefixes; Spoor never enables AVX, so they are INVALID, as
 *    are 8F /1-/7 (AMD XOP) and every other register form the SDM
 *    says raises #UD (LEA, far FF /3 /5, LSS/LFS/LGS, MOVNTI).
 *  - 0F 20-27 (MOV to/from CR, DR, TR) ignore ModRM.mod: always a
 *    register, never a displacement.  MOV TR (0F 24/26) decodes: the
 *    kernel also runs on a 486, which has it.
 *  - D6 (SALC) and F1 (INT1) decode: Intel CPUs execute both.  F1 is
 *    INSN_INT with the implied vector 1 in imm (imm_len 0).
 *  - 0F 0F (3DNow!) takes its opcode suffix byte as an ib.
 *  - LOCK on an instruction that cannot take it is not checked: the
 *    length is right and the CPU raises #UD itself.
 */
#include <asm/decode.h>

/* What follows the opcode and its ModRM, SIB and displacement. */
enum imm_kind {
	IMM_NONE,
	IMM_B,		/* ib, cb */
	IMM_W,		/* iw */
	IMM_Z,		/* iz, iv, cz, cd: 2 bytes with 66, else 4 */
	IMM_AP,		/* ptr16:32 (ptr16:16 with 66): offset, selector */
	IMM_WB,		/* iw then ib: ENTER */
	IMM_MOFFS,	/* moffs: 2 bytes with 67, else 4; goes in disp */
};

/* The sizes of each kind: [kind].first[size prefix seen], .second. */
/* Hand-laid tables, a row per line: */
/* clang-format off */
static const struct {
	uint8_t first[2];
	uint8_t second;
} imm_size[] = {
	[IMM_NONE] = { { 0, 0 }, 0 },
	[IMM_B] = { { 1, 1 }, 0 },
	[IMM_W] = { { 2, 2 }, 0 },
	[IMM_Z] = { { 4, 2 }, 0 },
	[IMM_AP] = { { 4, 2 }, 2 },
	[IMM_WB] = { { 2, 2 }, 1 },
	[IMM_MOFFS] = { { 4, 2 }, 0 },
};

/* struct opdesc.flags */
#define OP_MODRM	0x001	/* a ModRM byte follows the opcode */
#define OP_MEM		0x002	/* ModRM must name memory: mod 3 is #UD */
#define OP_REG		0x004	/* ModRM.mod ignored: always a register */
#define OP_REL		0x008	/* the immediate is a branch displacement */
#define OP_COND		0x010	/* low opcode bits are the condition */
#define OP_PREFIX	0x020	/* a legacy prefix, not an opcode */
#define OP_ESCAPE	0x040	/* another opcode byte follows (0F, 38, 3A) */
#define OP_INVALID	0x080	/* undefined in 32-bit mode: #UD */
#define OP_GROUP	0x100	/* ModRM.reg selects an entry of groups[] */

struct opdesc {
	uint16_t flags;
	uint8_t imm;	/* enum imm_kind */
	uint8_t cls;	/* enum insn_class */
	uint8_t group;	/* with OP_GROUP: first index of groups[] */
};

#define NONE	{ 0, IMM_NONE, INSN_OTHER, 0 }
#define IB	{ 0, IMM_B, INSN_OTHER, 0 }
#define IZ	{ 0, IMM_Z, INSN_OTHER, 0 }
#define RM	{ OP_MODRM, IMM_NONE, INSN_OTHER, 0 }
#define RM_IB	{ OP_MODRM, IMM_B, INSN_OTHER, 0 }
#define RM_IZ	{ OP_MODRM, IMM_Z, INSN_OTHER, 0 }
#define RM_MEM	{ OP_MODRM | OP_MEM, IMM_NONE, INSN_OTHER, 0 }
#define RM_REG	{ OP_MODRM | OP_REG, IMM_NONE, INSN_OTHER, 0 }
#define PREFIX	{ OP_PREFIX, IMM_NONE, INSN_OTHER, 0 }
#define ESCAPE	{ OP_ESCAPE, IMM_NONE, INSN_OTHER, 0 }
#define BAD	{ OP_INVALID, IMM_NONE, INSN_INVALID, 0 }
#define CTL(imm, cls)	{ 0, imm, cls, 0 }
#define REL(imm, cls)	{ OP_REL, imm, cls, 0 }
#define CCREL(imm, cls)	{ OP_REL | OP_COND, imm, cls, 0 }
#define GROUP(g)	{ OP_MODRM | OP_GROUP, IMM_NONE, INSN_OTHER, g }

/* The groups whose ModRM.reg matters here, 8 entries each. */
enum { GRP_8F, GRP_C6, GRP_C7, GRP_F6, GRP_F7, GRP_FE, GRP_FF, NGROUPS };

static const struct opdesc groups[NGROUPS][8] = {
	/* pop Ev; the rest is AMD XOP */
	[GRP_8F] = { [0] = RM, [1 ... 7] = BAD },
	/* mov Eb,ib; /7 xabort ib */
	[GRP_C6] = { [0] = RM_IB, [1 ... 6] = BAD, [7] = RM_IB },
	/* mov Ev,iz; /7 xbegin cz (the abort handler, not a jump) */
	[GRP_C7] = { [0] = RM_IZ, [1 ... 6] = BAD,
		     [7] = { OP_MODRM | OP_REL, IMM_Z, INSN_OTHER, 0 } },
	/* test takes an immediate (/1 is an alias); not neg mul div don't */
	[GRP_F6] = { [0 ... 1] = RM_IB, [2 ... 7] = RM },
	[GRP_F7] = { [0 ... 1] = RM_IZ, [2 ... 7] = RM },
	/* inc, dec Eb */
	[GRP_FE] = { [0 ... 1] = RM, [2 ... 7] = BAD },
	/* inc, dec, call, call far, jmp, jmp far, push Ev */
	[GRP_FF] = {
		[0 ... 1] = RM,
		[2] = { OP_MODRM, IMM_NONE, INSN_CALL_IND, 0 },
		[3] = { OP_MODRM | OP_MEM, IMM_NONE, INSN_CALL_FAR, 0 },
		[4] = { OP_MODRM, IMM_NONE, INSN_JMP_IND, 0 },
		[5] = { OP_MODRM | OP_MEM, IMM_NONE, INSN_JMP_FAR, 0 },
		[6] = RM,
		[7] = BAD,
	},
};

/* The one-byte opcode map (SDM Table A-2). */
static const struct opdesc one_byte[256] = {
	/* add or adc sbb and sub xor cmp: Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,ib eAX,iz */
	[0x00 ... 0x03] = RM, [0x04] = IB, [0x05] = IZ,
	[0x06 ... 0x07] = NONE,				/* push/pop es */
	[0x08 ... 0x0b] = RM, [0x0c] = IB, [0x0d] = IZ,
	[0x0e] = NONE, [0x0f] = ESCAPE,
	[0x10 ... 0x13] = RM, [0x14] = IB, [0x15] = IZ,
	[0x16 ... 0x17] = NONE,
	[0x18 ... 0x1b] = RM, [0x1c] = IB, [0x1d] = IZ,
	[0x1e ... 0x1f] = NONE,
	[0x20 ... 0x23] = RM, [0x24] = IB, [0x25] = IZ,
	[0x26] = PREFIX, [0x27] = NONE,			/* es, daa */
	[0x28 ... 0x2b] = RM, [0x2c] = IB, [0x2d] = IZ,
	[0x2e] = PREFIX, [0x2f] = NONE,			/* cs, das */
	[0x30 ... 0x33] = RM, [0x34] = IB, [0x35] = IZ,
	[0x36] = PREFIX, [0x37] = NONE,			/* ss, aaa */
	[0x38 ... 0x3b] = RM, [0x3c] = IB, [0x3d] = IZ,
	[0x3e] = PREFIX, [0x3f] = NONE,			/* ds, aas */
	[0x40 ... 0x5f] = NONE,		/* inc, dec, push, pop register */
	[0x60 ... 0x61] = NONE,				/* pusha, popa */
	[0x62] = RM_MEM,				/* bound; EVEX */
	[0x63] = RM,					/* arpl */
	[0x64 ... 0x67] = PREFIX,		/* fs, gs, opsize, adsize */
	[0x68] = IZ, [0x69] = RM_IZ, [0x6a] = IB, [0x6b] = RM_IB,
	[0x6c ... 0x6f] = NONE,				/* ins, outs */
	[0x70 ... 0x7f] = CCREL(IMM_B, INSN_JCC_REL),
	[0x80] = RM_IB, [0x81] = RM_IZ, [0x82 ... 0x83] = RM_IB,
	[0x84 ... 0x8c] = RM,			/* test, xchg, mov */
	[0x8d] = RM_MEM,				/* lea */
	[0x8e] = RM, [0x8f] = GROUP(GRP_8F),
	[0x90 ... 0x99] = NONE,			/* xchg, cbw, cwd */
	[0x9a] = CTL(IMM_AP, INSN_CALL_FAR),
	[0x9b ... 0x9f] = NONE,		/* fwait, pushf, popf, sahf, lahf */
	[0xa0 ... 0xa3] = { 0, IMM_MOFFS, INSN_OTHER, 0 },
	[0xa4 ... 0xa7] = NONE, [0xa8] = IB, [0xa9] = IZ,
	[0xaa ... 0xaf] = NONE,				/* string ops */
	[0xb0 ... 0xb7] = IB, [0xb8 ... 0xbf] = IZ,	/* mov reg, imm */
	[0xc0 ... 0xc1] = RM_IB,			/* shift group 2 */
	[0xc2] = CTL(IMM_W, INSN_RET_IMM),
	[0xc3] = CTL(IMM_NONE, INSN_RET),
	[0xc4 ... 0xc5] = RM_MEM,			/* les, lds; VEX */
	[0xc6] = GROUP(GRP_C6), [0xc7] = GROUP(GRP_C7),
	[0xc8] = { 0, IMM_WB, INSN_OTHER, 0 },		/* enter */
	[0xc9] = NONE,					/* leave */
	[0xca] = CTL(IMM_W, INSN_RET_FAR),
	[0xcb] = CTL(IMM_NONE, INSN_RET_FAR),
	[0xcc] = CTL(IMM_NONE, INSN_INT3),
	[0xcd] = CTL(IMM_B, INSN_INT),
	[0xce] = CTL(IMM_NONE, INSN_INTO),
	[0xcf] = CTL(IMM_NONE, INSN_IRET),
	[0xd0 ... 0xd3] = RM,				/* shift group 2 */
	[0xd4 ... 0xd5] = IB,				/* aam, aad */
	[0xd6 ... 0xd7] = NONE,				/* salc, xlat */
	[0xd8 ... 0xdf] = RM,				/* x87 */
	[0xe0 ... 0xe2] = CCREL(IMM_B, INSN_LOOP),
	[0xe3] = CCREL(IMM_B, INSN_JCXZ),
	[0xe4 ... 0xe7] = IB,				/* in, out imm8 */
	[0xe8] = REL(IMM_Z, INSN_CALL_REL),
	[0xe9] = REL(IMM_Z, INSN_JMP_REL),
	[0xea] = CTL(IMM_AP, INSN_JMP_FAR),
	[0xeb] = REL(IMM_B, INSN_JMP_REL),
	[0xec ... 0xef] = NONE,				/* in, out dx */
	[0xf0] = PREFIX,				/* lock */
	[0xf1] = CTL(IMM_NONE, INSN_INT),		/* int1 */
	[0xf2 ... 0xf3] = PREFIX,			/* repne, rep */
	[0xf4 ... 0xf5] = NONE,				/* hlt, cmc */
	[0xf6] = GROUP(GRP_F6), [0xf7] = GROUP(GRP_F7),
	[0xf8 ... 0xfd] = NONE,			/* clc stc cli sti cld std */
	[0xfe] = GROUP(GRP_FE), [0xff] = GROUP(GRP_FF),
};

/* The two-byte opcode map, after 0F (SDM Table A-3). */
static const struct opdesc two_byte[256] = {
	[0x00 ... 0x03] = RM,		/* group 6, group 7, lar, lsl */
	[0x04] = BAD,
	[0x05] = CTL(IMM_NONE, INSN_SYSENTER),		/* syscall */
	[0x06] = NONE,					/* clts */
	[0x07] = CTL(IMM_NONE, INSN_SYSENTER),		/* sysret */
	[0x08 ... 0x09] = NONE,				/* invd, wbinvd */
	[0x0a] = BAD,
	[0x0b] = NONE,					/* ud2 */
	[0x0c] = BAD,
	[0x0d] = RM,					/* prefetch */
	[0x0e] = NONE,					/* femms */
	[0x0f] = RM_IB,				/* 3DNow!, suffix */
	[0x10 ... 0x1f] = RM,		/* SSE moves, prefetch, hint nops */
	[0x20 ... 0x24] = RM_REG,		/* mov cr, dr, tr */
	[0x25] = BAD, [0x26] = RM_REG, [0x27] = BAD,
	[0x28 ... 0x2f] = RM,
	[0x30 ... 0x33] = NONE,		/* wrmsr, rdtsc, rdmsr, rdpmc */
	[0x34 ... 0x35] = CTL(IMM_NONE, INSN_SYSENTER),	/* sysenter, sysexit */
	[0x36] = BAD,
	[0x37] = NONE,					/* getsec */
	[0x38] = ESCAPE, [0x39] = BAD, [0x3a] = ESCAPE,
	[0x3b ... 0x3f] = BAD,
	[0x40 ... 0x6f] = RM,		/* cmovcc, SSE, MMX */
	[0x70 ... 0x73] = RM_IB,	/* pshufw, shift groups 12-14 */
	[0x74 ... 0x76] = RM,
	[0x77] = NONE,					/* emms */
	[0x78 ... 0x79] = RM,				/* vmread, vmwrite */
	[0x7a ... 0x7b] = BAD,
	[0x7c ... 0x7f] = RM,
	[0x80 ... 0x8f] = CCREL(IMM_Z, INSN_JCC_REL),
	[0x90 ... 0x9f] = RM,				/* setcc */
	[0xa0 ... 0xa2] = NONE,		/* push fs, pop fs, cpuid */
	[0xa3] = RM, [0xa4] = RM_IB, [0xa5] = RM,	/* bt, shld */
	[0xa6 ... 0xa7] = RM,				/* VIA PadLock */
	[0xa8 ... 0xaa] = NONE,		/* push gs, pop gs, rsm */
	[0xab] = RM, [0xac] = RM_IB, [0xad] = RM,	/* bts, shrd */
	[0xae ... 0xb1] = RM,		/* group 15, imul, cmpxchg */
	[0xb2] = RM_MEM, [0xb3] = RM,			/* lss, btr */
	[0xb4 ... 0xb5] = RM_MEM,			/* lfs, lgs */
	[0xb6 ... 0xb9] = RM,		/* movzx, popcnt, ud1 */
	[0xba] = RM_IB,					/* group 8 */
	[0xbb ... 0xc1] = RM,		/* btc, bsf, bsr, movsx, xadd */
	[0xc2] = RM_IB,					/* cmpps */
	[0xc3] = RM_MEM,				/* movnti */
	[0xc4 ... 0xc6] = RM_IB,	/* pinsrw, pextrw, shufps */
	[0xc7] = RM,					/* group 9 */
	[0xc8 ... 0xcf] = NONE,				/* bswap */
	[0xd0 ... 0xff] = RM,		/* MMX, SSE; 0F FF is ud0 */
};
/* clang-format on */

/* 0F 38 xx and 0F 3A xx: every opcode has a ModRM; 3A adds an ib. */
static const struct opdesc three_byte_38 = RM;
static const struct opdesc three_byte_3a = RM_IB;

/* The bytes being decoded; end is at most INSN_MAX. */
struct cursor {
	const uint8_t *buf;
	size_t end;
	size_t pos;
};

/* Read @n (0-4) little-endian bytes into *@v; -1 if past the end. */
static int fetch(struct cursor *c, size_t n, uint32_t *v)
{
	uint32_t x = 0;
	size_t i;

	if (c->end - c->pos < n)
		return -1;
	for (i = 0; i < n; i++)
		x |= (uint32_t)c->buf[c->pos + i] << (8 * i);
	c->pos += n;
	*v = x;
	return 0;
}

/* @v, @n bytes wide, sign-extended to 32 bits. */
static uint32_t sign_extend(uint32_t v, size_t n)
{
	if (n == 1)
		return (uint32_t)(int32_t)(int8_t)v;
	if (n == 2)
		return (uint32_t)(int32_t)(int16_t)v;
	return v;
}

/* Note the legacy prefix @b (the caller knows it is one). */
static void take_prefix(struct insn *in, uint8_t b)
{
	switch (b) {
	case 0x66:
		in->opsize16 = 1;
		break;
	case 0x67:
		in->adsize16 = 1;
		break;
	case 0xf0:
		in->lock = 1;
		break;
	case 0xf2:
	case 0xf3:
		in->rep = b;
		break;
	default:		/* 26 2E 36 3E 64 65 */
		in->seg = b;
		break;
	}
}

/*
 * Read the prefixes and the opcode bytes.  Returns the opcode's
 * descriptor, or NULL if the bytes run out first.
 */
static const struct opdesc *read_opcode(struct insn *in, struct cursor *c)
{
	const struct opdesc *d;
	uint32_t b;

	do {
		if (fetch(c, 1, &b))
			return NULL;
		d = &one_byte[b];
		if (d->flags & OP_PREFIX)
			take_prefix(in, b);
	} while (d->flags & OP_PREFIX);
	in->opcode = b;
	if (!(d->flags & OP_ESCAPE))
		return d;

	in->two_byte = 1;
	if (fetch(c, 1, &b))
		return NULL;
	in->opcode = b;
	d = &two_byte[b];
	if (!(d->flags & OP_ESCAPE))
		return d;

	in->three_byte = b;
	if (fetch(c, 1, &b))
		return NULL;
	in->opcode = b;
	return in->three_byte == 0x38 ? &three_byte_38 : &three_byte_3a;
}

/*
 * Size of the displacement a memory ModRM (mod 0-2) carries.  16-bit
 * addressing (67): disp8 / disp16, and mod 0 rm 6 is a bare disp16.
 * 32-bit: disp8 / disp32, and mod 0 with rm 5 (or a SIB with base 5) is
 * a bare disp32.
 */
static size_t disp_size(const struct insn *in)
{
	static const uint8_t by_mod16[3] = { 0, 1, 2 };
	static const uint8_t by_mod32[3] = { 0, 1, 4 };
	unsigned int mod = in->modrm >> 6, rm = in->modrm & 7;

	if (in->adsize16)
		return mod == 0 && rm == 6 ? 2 : by_mod16[mod];
	if (mod == 0 && rm == 5)
		return 4;
	if (mod == 0 && in->has_sib && (in->sib & 7) == 5)
		return 4;
	return by_mod32[mod];
}

/*
 * Read ModRM and whatever address bytes it calls for (SIB, disp).
 * @flags: the opcode's; OP_REG means there are none.  Returns -1 if
 * the bytes run out.
 */
static int read_modrm(struct insn *in, struct cursor *c, unsigned int flags)
{
	uint32_t v;

	if (fetch(c, 1, &v))
		return -1;
	in->has_modrm = 1;
	in->modrm = (uint8_t)v;
	if ((v >> 6) == 3 || (flags & OP_REG))
		return 0;
	if (!in->adsize16 && (v & 7) == 4) {
		if (fetch(c, 1, &v))
			return -1;
		in->has_sib = 1;
		in->sib = (uint8_t)v;
	}
	in->disp_len = (uint8_t)disp_size(in);
	if (fetch(c, in->disp_len, &v))
		return -1;
	in->disp = (int32_t)sign_extend(v, in->disp_len);
	return 0;
}

/* Read the immediates @d calls for; -1 if the bytes run out. */
static int read_imm(struct insn *in, struct cursor *c, const struct opdesc *d)
{
	int narrow = d->imm == IMM_MOFFS ? in->adsize16 : in->opsize16;
	size_t n = imm_size[d->imm].first[narrow];
	uint32_t v;

	if (fetch(c, n, &v))
		return -1;
	if (d->imm == IMM_MOFFS) {
		in->disp = (int32_t)v;
		in->disp_len = (uint8_t)n;
		return 0;
	}
	in->imm = d->flags & OP_REL ? sign_extend(v, n) : v;
	in->imm_len = (uint8_t)n;
	return fetch(c, imm_size[d->imm].second, &in->imm2);
}

int insn_decode(struct insn *in, const uint8_t *buf, size_t avail)
{
	struct cursor c = { buf, avail < INSN_MAX ? avail : INSN_MAX, 0 };
	const struct opdesc *d;

	*in = (struct insn){ .cls = INSN_INVALID };
	d = read_opcode(in, &c);
	if (!d || (d->flags & OP_INVALID))
		return -1;
	if ((d->flags & OP_MODRM) && read_modrm(in, &c, d->flags) < 0)
		return -1;
	/* The group's entry replaces the opcode's: ModRM is read by now. */
	if (d->flags & OP_GROUP)
		d = &groups[d->group][(in->modrm >> 3) & 7];
	if (d->flags & OP_INVALID)
		return -1;
	if ((d->flags & OP_MEM) && (in->modrm >> 6) == 3)
		return -1;
	if (read_imm(in, &c, d) < 0)
		return -1;
	if (d->flags & OP_COND)
		in->cond = in->opcode & 0x0f;
	/* int1 (F1) is an int with its vector implied, not encoded. */
	if (d->cls == INSN_INT && !in->imm_len)
		in->imm = 1;
	in->cls = d->cls;
	in->len = (uint8_t)c.pos;
	return (int)c.pos;
}

uint32_t insn_rel_target(const struct insn *in, uint32_t addr)
{
	uint32_t next = addr + in->len + in->imm;

	/* A 16-bit operand size truncates EIP (SDM: JMP, Jcc, CALL). */
	return in->opsize16 ? next & 0xffff : next;
}
