/*
 * sys/user.h - the i386 register file as ptrace sees it.
 *
 * struct user is the layout behind PTRACE_PEEKUSER/POKEUSER offsets:
 * offsetof(struct user, regs.eip), offsetof(struct user, u_debugreg[7])
 * (= 252 + 7 * 4) and so on, exactly as on Linux i386.
 */
#ifndef _SYS_USER_H
#define _SYS_USER_H

struct user_fpregs_struct {
	long cwd;
	long swd;
	long twd;
	long fip;
	long fcs;
	long foo;
	long fos;
	long st_space[20];
};

struct user_fpxregs_struct {
	unsigned short cwd;
	unsigned short swd;
	unsigned short twd;
	unsigned short fop;
	long fip;
	long fcs;
	long foo;
	long fos;
	long mxcsr;
	long reserved;
	long st_space[32];
	long xmm_space[32];
	long padding[56];
};

/* PTRACE_GETREGS/SETREGS; the order of the kernel's saved frame. */
struct user_regs_struct {
	long ebx;
	long ecx;
	long edx;
	long esi;
	long edi;
	long ebp;
	long eax;
	long xds;
	long xes;
	long xfs;
	long xgs;
	long orig_eax;
	long eip;
	long xcs;
	long eflags;
	long esp;
	long xss;
};

struct user {
	struct user_regs_struct regs;
	int u_fpvalid;
	struct user_fpregs_struct i387;
	unsigned long u_tsize;
	unsigned long u_dsize;
	unsigned long u_ssize;
	unsigned long start_code;
	unsigned long start_stack;
	long signal;
	int reserved;
	struct user_regs_struct *u_ar0;
	struct user_fpregs_struct *u_fpstate;
	unsigned long magic;
	char u_comm[32];
	int u_debugreg[8];
};

#include <spoor/page.h>	/* PAGE_SIZE, PAGE_SHIFT */
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif /* _SYS_USER_H */
