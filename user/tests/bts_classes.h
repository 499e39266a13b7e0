/*
 * bts_classes.h - one small assembly workload per class of control
 * transfer that is easy to record wrongly, each with the records the
 * CPU writes for it.  Shared by test_bts_trace (which traces each one
 * in both software-unit modes and compares records) and btwork (the
 * same code under btrace -r and under QEMU's user-mode emulator, the
 * oracle of tests/harness/oracle.py).
 *
 * Each workload is a function returning 0 when it computed what an
 * untraced run computes; its branches sit at exported labels inside
 * [NAME_begin, NAME_end), and only records with both ends there are
 * compared (the call into it and the ret out of it are the caller's).
 */
#ifndef USER_TESTS_BTS_CLASSES_H
#define USER_TESTS_BTS_CLASSES_H

#include <stddef.h>

struct branch {
	const char *from, *to;
};

#define B(f, t) { f, t }

/*
 * Overlapping code, the hidden jump taken first: "eb 02" (jmp +2) is
 * the first two bytes of a movl's immediate.  Entered at ovh_mov + 1
 * it jumps; entered at ovh_mov it is data the mov must load unchanged.
 * (No symbol at ovh_mov + 1: objdump would split the mov there.)
 */
int ovh(void);
extern char ovh_begin[], ovh_end[], ovh_j[], ovh_mov[], ovh_hto[],
	ovh_jz[];
asm(".text\n"
    ".globl ovh, ovh_begin, ovh_end, ovh_j, ovh_mov, ovh_hto, ovh_jz\n"
    "ovh_begin:\n"
    "ovh:	xorl %eax, %eax\n"
    "ovh_j:	jmp .Lovh_hid\n"
    "ovh_mov:	.byte 0xb8\n"			/* movl $0x909002eb, %eax */
    ".Lovh_hid:	.byte 0xeb, 0x02, 0x90, 0x90\n"	/* hidden: jmp ovh_hto */
    "ovh_hto:	testl %eax, %eax\n"
    "ovh_jz:	jz ovh_mov\n"			/* once: the mov itself */
    "	subl $0x909002eb, %eax\n"		/* 0 if it loaded eb */
    "	ret\n"
    "ovh_end:\n");

static const struct branch expected_ovh[] = {
	B(ovh_j, ovh_mov + 1), B(ovh_mov + 1, ovh_hto), B(ovh_jz, ovh_mov),
};

/*
 * The same overlap, the mov run first: ovm(1) runs the mov, then the
 * hidden jump; ovm(0) runs the mov again from the block already
 * scanned, which must still load eb.
 */
int ovm(int hide);
extern char ovm_begin[], ovm_end[], ovm_mov[], ovm_hto[], ovm_jz[], ovm_j[],
	ovm_done[];
asm(".text\n"
    ".globl ovm, ovm_begin, ovm_end, ovm_mov, ovm_hto, ovm_jz, ovm_j\n"
    ".globl ovm_done\n"
    "ovm_begin:\n"
    "ovm:	movl 4(%esp), %edx\n"
    "ovm_mov:	.byte 0xb8\n"
    ".Lovm_hid:	.byte 0xeb, 0x02, 0x90, 0x90\n"
    "ovm_hto:	testl %edx, %edx\n"
    "ovm_jz:	jz ovm_done\n"
    "	xorl %edx, %edx\n"
    "ovm_j:	jmp .Lovm_hid\n"			/* once: the hidden jmp */
    "ovm_done:	subl $0x909002eb, %eax\n"		/* 0 if it loaded eb */
    "	ret\n"
    "ovm_end:\n");

static int ovm_twice(void)
{
	return ovm(1) | ovm(0);
}

static const struct branch expected_ovm[] = {
	B(ovm_j, ovm_mov + 1), B(ovm_mov + 1, ovm_hto), B(ovm_jz, ovm_done),
	B(ovm_jz, ovm_done),
};

/* Two blocks sharing bytes: the loop re-enters the block in its middle. */
int shb(void);
extern char shb_begin[], shb_end[], shb_mid[], shb_jz[], shb_j[], shb_done[];
asm(".text\n"
    ".globl shb, shb_begin, shb_end, shb_mid, shb_jz, shb_j, shb_done\n"
    "shb_begin:\n"
    "shb:	movl $2, %ecx\n"
    "	nop\n"
    "shb_mid:	nop\n"
    "	decl %ecx\n"
    "shb_jz:	jz shb_done\n"
    "shb_j:	jmp shb_mid\n"
    "shb_done:	xorl %eax, %eax\n"
    "	ret\n"
    "shb_end:\n");

static const struct branch expected_shb[] = {
	B(shb_j, shb_mid), B(shb_jz, shb_done),
};

/*
 * A branch right after a stack-segment load (mov ss, pop ss), which
 * holds a single-step trap back for one instruction.
 */
int mss(void);
extern char mss_begin[], mss_end[], mss_j[], mss_1[], mss_call[], mss_back[],
	mss_jz[], mss_2[], mss_f[], mss_ret[];
asm(".text\n"
    ".globl mss, mss_begin, mss_end, mss_j, mss_1, mss_call, mss_back\n"
    ".globl mss_jz, mss_2, mss_f, mss_ret\n"
    "mss_begin:\n"
    "mss:	mov %ss, %eax\n"
    "	mov %eax, %ss\n"
    "mss_j:	jmp mss_1\n"
    "	nop\n"
    "mss_1:	pushl %ss\n"
    "	popl %ss\n"
    "mss_call:	call mss_f\n"
    "mss_back:	xorl %eax, %eax\n"
    "	mov %ss, %ecx\n"
    "	mov %ecx, %ss\n"
    "mss_jz:	jz mss_2\n"
    "	nop\n"
    "mss_2:	ret\n"
    "mss_f:	mov %ss, %ecx\n"
    "	mov %ecx, %ss\n"
    "mss_ret:	ret\n"
    "mss_end:\n");

static const struct branch expected_mss[] = {
	B(mss_j, mss_1), B(mss_call, mss_f), B(mss_ret, mss_back),
	B(mss_jz, mss_2),
};

/* Conditional jumps to the next instruction, 2- and 6-byte forms. */
int jz0(void);
extern char jz0_begin[], jz0_end[], jz0_a[], jz0_b[], jz0_c[];
asm(".text\n"
    ".globl jz0, jz0_begin, jz0_end, jz0_a, jz0_b, jz0_c\n"
    "jz0_begin:\n"
    "jz0:	xorl %eax, %eax\n"			/* ZF = 1 */
    "jz0_a:	.byte 0x74, 0x00\n"			/* je +0: taken */
    "jz0_b:	.byte 0x0f, 0x84, 0, 0, 0, 0\n"		/* je +0: taken */
    "jz0_c:	.byte 0x75, 0x00\n"			/* jne +0: not */
    "	.byte 0x0f, 0x85, 0, 0, 0, 0\n"			/* jne +0: not */
    "	ret\n"
    "jz0_end:\n");

static const struct branch expected_jz0[] = {
	B(jz0_a, jz0_b), B(jz0_b, jz0_c),
};

/* Far transfers within ring 3: lret, ljmp and lcall through memory, iret. */
int far(void);
extern char far_begin[], far_end[], far_lret[], far_1[], far_ljmp[], far_2[],
	far_lcall[], far_back[], far_iret[], far_3[], far_f[], far_lret2[];
asm(".text\n"
    ".globl far, far_begin, far_end, far_lret, far_1, far_ljmp, far_2\n"
    ".globl far_lcall, far_back, far_iret, far_3, far_f, far_lret2\n"
    "far_begin:\n"
    "far:	pushl %cs\n"
    "	pushl $far_1\n"
    "far_lret:	lret\n"
    "far_1:	movl $far_2, far_ptr\n"
    "	movw %cs, far_ptr + 4\n"
    "far_ljmp:	ljmp *far_ptr\n"
    "far_2:	movl $far_f, far_ptr\n"
    "far_lcall:	lcall *far_ptr\n"
    "far_back:	pushfl\n"
    "	pushl %cs\n"
    "	pushl $far_3\n"
    "far_iret:	iret\n"
    "far_3:	xorl %eax, %eax\n"
    "	ret\n"
    "far_f:	nop\n"
    "far_lret2:	lret\n"
    "far_end:\n"
    ".pushsection .data\n"
    "far_ptr:	.long 0\n"
    "	.word 0\n"
    ".popsection\n");

static const struct branch expected_far[] = {
	B(far_lret, far_1), B(far_ljmp, far_2), B(far_lcall, far_f),
	B(far_lret2, far_back), B(far_iret, far_3),
};

/* ret imm16: the callee pops its arguments. */
int rim(void);
extern char rim_begin[], rim_end[], rim_call[], rim_to[], rim_f[], rim_ret[];
asm(".text\n"
    ".globl rim, rim_begin, rim_end, rim_call, rim_to, rim_f, rim_ret\n"
    "rim_begin:\n"
    "rim:	pushl $7\n"
    "	pushl $9\n"
    "rim_call:	call rim_f\n"
    "rim_to:	xorl %eax, %eax\n"
    "	ret\n"
    "rim_f:\n"
    "rim_ret:	ret $8\n"
    "rim_end:\n");

static const struct branch expected_rim[] = {
	B(rim_call, rim_f), B(rim_ret, rim_to),
};

/*
 * loop and jcxz with the address-size prefix (67: cx, not ecx, is the
 * count; ecx's high half is set, so the 32-bit forms would differ),
 * then loope and loopne.
 */
int lp(void);
extern char lp_begin[], lp_end[], lp_top[], lp_loop[], lp_jcxz[], lp_1[],
	lp_e[], lp_e2[];
asm(".text\n"
    ".globl lp, lp_begin, lp_end, lp_top, lp_loop, lp_jcxz, lp_1, lp_e\n"
    ".globl lp_e2\n"
    "lp_begin:\n"
    "lp:	movl $0x10003, %ecx\n"
    "lp_top:	nop\n"
    "lp_loop:	.byte 0x67\n"			/* addr16 loop: cx 3, 2, 1 */
    "	loop lp_top\n"
    "lp_jcxz:	.byte 0x67\n"			/* jcxz: cx is 0 */
    "	jecxz lp_1\n"
    "	nop\n"
    "lp_1:	movl $2, %ecx\n"
    "	xorl %eax, %eax\n"			/* ZF = 1 */
    "lp_e:	loope lp_e2\n"				/* ecx 1: taken */
    "	nop\n"
    "lp_e2:	testl %esp, %esp\n"			/* ZF = 0 */
    "	loopne 1f\n"				/* ecx 0: not taken */
    "1:	xorl %eax, %eax\n"
    "	ret\n"
    "lp_end:\n");

static const struct branch expected_lp[] = {
	B(lp_loop, lp_top), B(lp_loop, lp_top), B(lp_jcxz, lp_1),
	B(lp_e, lp_e2),
};

/* Indirect jumps through a table in memory, through a register, a call. */
int ind(void);
extern char ind_begin[], ind_end[], ind_jmp[], ind_t0[], ind_j0[], ind_t1[],
	ind_j1[], ind_t2[], ind_jr[], ind_t3[], ind_back[], ind_f[];
asm(".text\n"
    ".globl ind, ind_begin, ind_end, ind_jmp, ind_t0, ind_j0, ind_t1\n"
    ".globl ind_j1, ind_t2, ind_jr, ind_t3, ind_back, ind_f\n"
    "ind_begin:\n"
    "ind:	xorl %eax, %eax\n"
    "ind_jmp:	jmp *ind_tab(, %eax, 4)\n"
    "ind_t0:	incl %eax\n"
    "ind_j0:	jmp ind_jmp\n"
    "ind_t1:	incl %eax\n"
    "ind_j1:	jmp ind_jmp\n"
    "ind_t2:	movl $ind_t3, %edx\n"
    "ind_jr:	jmp *%edx\n"
    "	nop\n"
    "ind_t3:	call *ind_ctab\n"
    "ind_back:	xorl %eax, %eax\n"
    "	ret\n"
    "ind_f:	ret\n"
    "ind_end:\n"
    ".pushsection .rodata\n"
    "ind_tab:	.long ind_t0, ind_t1, ind_t2\n"
    "ind_ctab:	.long ind_f\n"
    ".popsection\n");

static const struct branch expected_ind[] = {
	B(ind_jmp, ind_t0), B(ind_j0, ind_jmp), B(ind_jmp, ind_t1),
	B(ind_j1, ind_jmp), B(ind_jmp, ind_t2), B(ind_jr, ind_t3),
	B(ind_t3, ind_f), B(ind_f, ind_back),
};

/* Every class: its entry, its region and what the CPU records there. */
struct bts_class {
	const char *name;
	int (*run)(void);
	const char *begin, *end;
	const struct branch *expected;
	size_t n;
};

#define CLASS_RUN(x, run)                                          \
	{ #x, run, x##_begin, x##_end, expected_##x,               \
	  sizeof(expected_##x) / sizeof(expected_##x[0]) }
#define CLASS(x) CLASS_RUN(x, x)

static const struct bts_class bts_classes[] = {
	CLASS(ovh), CLASS_RUN(ovm, ovm_twice), CLASS(shb), CLASS(mss), CLASS(jz0),
	CLASS(far), CLASS(rim), CLASS(lp),  CLASS(ind),
};

#define NR_BTS_CLASSES (sizeof(bts_classes) / sizeof(bts_classes[0]))

#endif
