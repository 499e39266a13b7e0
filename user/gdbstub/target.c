/*
 * The traced process, as GDB sees it: an i386 register file, memory,
 * int3 breakpoints, watchpoints in the debug registers, and stops.
 * Everything goes through ptrace: this is what any debugger on Spoor
 * could do.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gdbstub.h"

#define INT3		0xcc
#define MAX_BREAKS	64
#define NR_WATCH	4	/* DR0-DR3 */
#define DR6_HITS	0xf
#define POLL_USEC	10000	/* while running: how often to look for ^C */
#define DEBUGREG(n)	(offsetof(struct user, u_debugreg) + 4 * (n))

/* Z and z packet types. */
enum { Z_SW = 0, Z_WRITE = 2, Z_READ = 3, Z_ACCESS = 4 };

/* --- signals: Linux i386 numbers and GDB's own ------------------------ */

/* GDB's numbers (gdb/signals.def) for Linux i386 signals 1-31. */
static const unsigned char gdb_sig_of[32] = {
	0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15,
	143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
};

int gdb_signal(int host_sig)
{
	if (host_sig < 0 || host_sig >= 32)
		return 143;		/* GDB_SIGNAL_UNKNOWN */
	return gdb_sig_of[host_sig];
}

/* 0 for a number with no Linux signal: the resume passes none. */
int host_signal(int gdb_sig)
{
	int i;

	for (i = 1; i < 32; i++)
		if (gdb_sig_of[i] == gdb_sig)
			return i;
	return 0;
}

/* --- registers -------------------------------------------------------- */

/* One entry per register of target.xml, in the g packet's order. */
static const struct reg_desc {
	const char *name;
	unsigned char bits;
	const char *type;
	const char *group;
} reg_table[NR_REGS] = {
	{ "eax", 32, "int32", NULL }, { "ecx", 32, "int32", NULL },
	{ "edx", 32, "int32", NULL }, { "ebx", 32, "int32", NULL },
	{ "esp", 32, "data_ptr", NULL }, { "ebp", 32, "data_ptr", NULL },
	{ "esi", 32, "int32", NULL }, { "edi", 32, "int32", NULL },
	{ "eip", 32, "code_ptr", NULL }, { "eflags", 32, "i386_eflags", NULL },
	{ "cs", 32, "int32", NULL }, { "ss", 32, "int32", NULL },
	{ "ds", 32, "int32", NULL }, { "es", 32, "int32", NULL },
	{ "fs", 32, "int32", NULL }, { "gs", 32, "int32", NULL },
	{ "st0", 80, "i387_ext", NULL }, { "st1", 80, "i387_ext", NULL },
	{ "st2", 80, "i387_ext", NULL }, { "st3", 80, "i387_ext", NULL },
	{ "st4", 80, "i387_ext", NULL }, { "st5", 80, "i387_ext", NULL },
	{ "st6", 80, "i387_ext", NULL }, { "st7", 80, "i387_ext", NULL },
	{ "fctrl", 32, "int", "float" }, { "fstat", 32, "int", "float" },
	{ "ftag", 32, "int", "float" }, { "fiseg", 32, "int", "float" },
	{ "fioff", 32, "int", "float" }, { "foseg", 32, "int", "float" },
	{ "fooff", 32, "int", "float" }, { "fop", 32, "int", "float" },
};

/* The GPRs in g order, as offsets into struct user_regs_struct. */
static const unsigned char gpr_slot[NR_GPRS] = {
	offsetof(struct user_regs_struct, eax),
	offsetof(struct user_regs_struct, ecx),
	offsetof(struct user_regs_struct, edx),
	offsetof(struct user_regs_struct, ebx),
	offsetof(struct user_regs_struct, esp),
	offsetof(struct user_regs_struct, ebp),
	offsetof(struct user_regs_struct, esi),
	offsetof(struct user_regs_struct, edi),
	offsetof(struct user_regs_struct, eip),
	offsetof(struct user_regs_struct, eflags),
	offsetof(struct user_regs_struct, xcs),
	offsetof(struct user_regs_struct, xss),
	offsetof(struct user_regs_struct, xds),
	offsetof(struct user_regs_struct, xes),
	offsetof(struct user_regs_struct, xfs),
	offsetof(struct user_regs_struct, xgs),
};

static const char eflags_fields[][4] = {
	[0] = "CF", [1] = "", [2] = "PF", [4] = "AF", [6] = "ZF",
	[7] = "SF", [8] = "TF", [9] = "IF", [10] = "DF", [11] = "OF",
	[14] = "NT", [16] = "RF", [17] = "VM", [18] = "AC", [19] = "VIF",
	[20] = "VIP", [21] = "ID",
};

int reg_offset(unsigned n, size_t *size)
{
	size_t off = 0;
	unsigned i;

	if (n >= NR_REGS)
		return -1;
	for (i = 0; i < n; i++)
		off += reg_table[i].bits / 8;
	*size = reg_table[n].bits / 8;
	return off;
}

/*
 * i386 core registers only (GDB's org.gnu.gdb.i386.core requires the
 * x87 ones with the integer ones): exactly what the g packet sends.
 */
const char *target_xml(void)
{
	static char xml[4096];
	size_t n, i;

	if (xml[0])
		return xml;
	n = snprintf(xml, sizeof(xml),
		     "<?xml version=\"1.0\"?>\n"
		     "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		     "<target version=\"1.0\">\n"
		     "<architecture>i386</architecture>\n"
		     "<feature name=\"org.gnu.gdb.i386.core\">\n"
		     "<flags id=\"i386_eflags\" size=\"4\">\n");
	for (i = 0; i < sizeof(eflags_fields) / sizeof(eflags_fields[0]); i++)
		if (eflags_fields[i][0] || i == 1)
			n += snprintf(xml + n, sizeof(xml) - n,
				      "<field name=\"%s\" start=\"%zu\" "
				      "end=\"%zu\"/>\n", eflags_fields[i], i, i);
	n += snprintf(xml + n, sizeof(xml) - n, "</flags>\n");
	for (i = 0; i < NR_REGS; i++)
		n += snprintf(xml + n, sizeof(xml) - n,
			      "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\"%s%s%s/>\n",
			      reg_table[i].name, reg_table[i].bits,
			      reg_table[i].type,
			      reg_table[i].group ? " group=\"" : "",
			      reg_table[i].group ? reg_table[i].group : "",
			      reg_table[i].group ? "\"" : "");
	snprintf(xml + n, sizeof(xml) - n, "</feature>\n</target>\n");
	return xml;
}

/* The x87 control words as GDB numbers them (i387 fsave layout). */
static void fp_to_gdb(const struct user_fpregs_struct *fp, uint32_t ctl[8])
{
	ctl[0] = fp->cwd & 0xffff;
	ctl[1] = fp->swd & 0xffff;
	ctl[2] = fp->twd & 0xffff;
	ctl[3] = fp->fcs & 0xffff;
	ctl[4] = fp->fip;
	ctl[5] = fp->fos & 0xffff;
	ctl[6] = fp->foo;
	ctl[7] = (fp->fcs >> 16) & 0x7ff;
}

static void fp_from_gdb(struct user_fpregs_struct *fp, const uint32_t ctl[8])
{
	fp->cwd = (fp->cwd & ~0xffff) | (ctl[0] & 0xffff);
	fp->swd = (fp->swd & ~0xffff) | (ctl[1] & 0xffff);
	fp->twd = (fp->twd & ~0xffff) | (ctl[2] & 0xffff);
	fp->fcs = (ctl[3] & 0xffff) | (ctl[7] & 0x7ff) << 16;
	fp->fip = ctl[4];
	fp->fos = (fp->fos & ~0xffff) | (ctl[5] & 0xffff);
	fp->foo = ctl[6];
}

#define ST_OFF	(NR_GPRS * 4)
#define CTL_OFF	(ST_OFF + 80)

int target_get_regs(struct target *t, uint8_t out[GDB_REGS_SIZE])
{
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	uint32_t ctl[8];
	int i;

	if (ptrace(PTRACE_GETREGS, t->pid, 0, &regs) < 0 ||
	    ptrace(PTRACE_GETFPREGS, t->pid, 0, &fp) < 0)
		return -1;
	for (i = 0; i < NR_GPRS; i++)
		memcpy(out + 4 * i, (char *)&regs + gpr_slot[i], 4);
	memcpy(out + ST_OFF, fp.st_space, 80);
	fp_to_gdb(&fp, ctl);
	memcpy(out + CTL_OFF, ctl, sizeof(ctl));
	return 0;
}

/* The kernel refuses what user space may not hold (selectors, IOPL). */
int target_set_regs(struct target *t, const uint8_t in[GDB_REGS_SIZE])
{
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	uint32_t ctl[8];
	int i;

	if (ptrace(PTRACE_GETREGS, t->pid, 0, &regs) < 0 ||
	    ptrace(PTRACE_GETFPREGS, t->pid, 0, &fp) < 0)
		return -1;
	for (i = 0; i < NR_GPRS; i++)
		memcpy((char *)&regs + gpr_slot[i], in + 4 * i, 4);
	memcpy(fp.st_space, in + ST_OFF, 80);
	memcpy(ctl, in + CTL_OFF, sizeof(ctl));
	fp_from_gdb(&fp, ctl);
	if (ptrace(PTRACE_SETREGS, t->pid, 0, &regs) < 0 ||
	    ptrace(PTRACE_SETFPREGS, t->pid, 0, &fp) < 0)
		return -1;
	return 0;
}

int target_get_pc(struct target *t, uint32_t *pc)
{
	long v;

	errno = 0;
	v = ptrace(PTRACE_PEEKUSER, t->pid,
		   offsetof(struct user, regs.eip), 0);
	*pc = v;
	return errno ? -1 : 0;
}

static int set_pc(struct target *t, uint32_t pc)
{
	return ptrace(PTRACE_POKEUSER, t->pid,
		      offsetof(struct user, regs.eip), (void *)pc);
}

/* --- memory and int3 breakpoints -------------------------------------- */

static struct sw_break {
	uint32_t addr;
	uint8_t orig;
	int used;
} breaks[MAX_BREAKS];

static struct sw_break *break_at(uint32_t addr)
{
	int i;

	for (i = 0; i < MAX_BREAKS; i++)
		if (breaks[i].used && breaks[i].addr == addr)
			return &breaks[i];
	return NULL;
}

/* The tracee's bytes as they are, int3s included. */
static size_t read_raw(struct target *t, uint32_t addr, uint8_t *buf,
		       size_t n)
{
	size_t done = 0, k;
	uint32_t a, base;
	long word;

	while (done < n) {
		a = addr + done;
		base = a & ~3u;
		k = 4 - (a - base);
		if (k > n - done)
			k = n - done;
		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, t->pid, base, 0);
		if (errno)
			break;
		memcpy(buf + done, (char *)&word + (a - base), k);
		done += k;
	}
	return done;
}

/* Word by word, each read first so a partial word keeps its other bytes. */
static int write_raw(struct target *t, uint32_t addr, const uint8_t *buf,
		     size_t n)
{
	size_t done = 0, k;
	uint32_t a, base;
	long word;

	while (done < n) {
		a = addr + done;
		base = a & ~3u;
		k = 4 - (a - base);
		if (k > n - done)
			k = n - done;
		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, t->pid, base, 0);
		if (errno)
			return -1;
		memcpy((char *)&word + (a - base), buf + done, k);
		if (ptrace(PTRACE_POKEDATA, t->pid, base, (void *)word) < 0)
			return -1;
		done += k;
	}
	return 0;
}

size_t target_read(struct target *t, uint32_t addr, uint8_t *buf, size_t n)
{
	size_t got = read_raw(t, addr, buf, n), i;

	for (i = 0; i < MAX_BREAKS; i++)
		if (breaks[i].used && breaks[i].addr - addr < got)
			buf[breaks[i].addr - addr] = breaks[i].orig;
	return got;
}

/* A write over an inserted breakpoint changes the byte it restores. */
int target_write(struct target *t, uint32_t addr, const uint8_t *buf,
		 size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	size_t i;
	int err;

	if (!copy)
		return -1;
	memcpy(copy, buf, n);
	for (i = 0; i < MAX_BREAKS; i++)
		if (breaks[i].used && breaks[i].addr - addr < n) {
			breaks[i].orig = buf[breaks[i].addr - addr];
			copy[breaks[i].addr - addr] = INT3;
		}
	err = write_raw(t, addr, copy, n);
	free(copy);
	return err;
}

/* Idempotent, as GDB asks of Z0: a second insert is a no-op. */
static int break_insert(struct target *t, uint32_t addr)
{
	static const uint8_t int3 = INT3;
	struct sw_break *b = NULL;
	uint8_t orig;
	int i;

	if (break_at(addr))
		return 0;
	for (i = 0; i < MAX_BREAKS && !b; i++)
		if (!breaks[i].used)
			b = &breaks[i];
	if (!b || read_raw(t, addr, &orig, 1) != 1 ||
	    write_raw(t, addr, &int3, 1))
		return -1;
	b->addr = addr;
	b->orig = orig;
	b->used = 1;
	return 0;
}

static int break_remove(struct target *t, uint32_t addr)
{
	struct sw_break *b = break_at(addr);

	if (!b)
		return 0;
	b->used = 0;
	return write_raw(t, addr, &b->orig, 1);
}

/* --- watchpoints in DR0-DR3 ------------------------------------------- */

/*
 * Each slot watches 1, 2 or 4 aligned bytes; a Z packet for a longer
 * or unaligned range takes several slots, all remembering the range
 * they came from so that z can free them together.
 */
static struct watch {
	int type;		/* Z_WRITE, Z_READ, Z_ACCESS; 0: free */
	uint32_t addr, len;	/* this slot's bytes */
	uint32_t zaddr, zlen;	/* the range GDB asked for */
} watches[NR_WATCH];

static int poke_debugreg(struct target *t, int n, uint32_t v)
{
	return ptrace(PTRACE_POKEUSER, t->pid, DEBUGREG(n), (void *)v);
}

/* DR7 for the slots in use: local enable, RW and LEN per slot. */
static uint32_t dr7_value(void)
{
	static const unsigned char len_bits[5] = { 0, 0, 1, 0, 3 };
	uint32_t dr7 = 0;
	int i;

	for (i = 0; i < NR_WATCH; i++) {
		if (!watches[i].type)
			continue;
		dr7 |= 1u << (2 * i);
		dr7 |= (watches[i].type == Z_WRITE ? 1u : 3u) << (16 + 4 * i);
		dr7 |= (uint32_t)len_bits[watches[i].len] << (18 + 4 * i);
	}
	return dr7;
}

static int load_debugregs(struct target *t)
{
	int i;

	/* DR7 off first: no half-written slot may fire. */
	if (poke_debugreg(t, 7, 0))
		return -1;
	for (i = 0; i < NR_WATCH; i++)
		if (watches[i].type && poke_debugreg(t, i, watches[i].addr))
			return -1;
	return poke_debugreg(t, 7, dr7_value());
}

static void watch_free(int type, uint32_t addr, uint32_t len)
{
	int i;

	for (i = 0; i < NR_WATCH; i++)
		if (watches[i].type == type && watches[i].zaddr == addr &&
		    watches[i].zlen == len)
			watches[i].type = 0;
}

static int watch_insert(struct target *t, int type, uint32_t addr,
			uint32_t len)
{
	uint32_t a = addr, end = addr + len, k;
	int i = 0;

	if (!len || end < addr)
		return -1;
	watch_free(type, addr, len);	/* idempotent */
	while (a < end) {
		for (k = 4; k > 1 && (a % k || a + k > end); k /= 2)
			;
		while (i < NR_WATCH && watches[i].type)
			i++;
		if (i == NR_WATCH)
			goto undo;
		watches[i] = (struct watch){ type, a, k, addr, len };
		a += k;
	}
	if (!load_debugregs(t))
		return 0;
undo:
	watch_free(type, addr, len);
	load_debugregs(t);
	return -1;
}

int target_insert(struct target *t, int type, uint32_t addr, uint32_t len)
{
	if (type == Z_SW)
		return break_insert(t, addr);
	if (type >= Z_WRITE && type <= Z_ACCESS)
		return watch_insert(t, type, addr, len);
	return 1;
}

int target_remove(struct target *t, int type, uint32_t addr, uint32_t len)
{
	if (type == Z_SW)
		return break_remove(t, addr);
	if (type < Z_WRITE || type > Z_ACCESS)
		return 1;
	watch_free(type, addr, len);
	return load_debugregs(t);
}

void target_remove_all(struct target *t)
{
	int i;

	for (i = 0; i < MAX_BREAKS; i++)
		if (breaks[i].used)
			break_remove(t, breaks[i].addr);
	memset(watches, 0, sizeof(watches));
	load_debugregs(t);
}

/* --- stops -------------------------------------------------------------- */

/*
 * Why a SIGTRAP: a debug register (DR6 says which; it is cleared for
 * the next stop, as the CPU never clears it), one of our int3s (eip is
 * one past it: back up so GDB sees the breakpoint's address), or a
 * step or exec, which need no reason.
 */
static void classify_trap(struct target *t)
{
	siginfo_t si;
	uint32_t pc;
	long dr6;
	int i;

	if (ptrace(PTRACE_GETSIGINFO, t->pid, 0, &si) < 0)
		si.si_code = 0;
	errno = 0;
	dr6 = ptrace(PTRACE_PEEKUSER, t->pid, DEBUGREG(6), 0);
	if (!errno && (dr6 & DR6_HITS))
		poke_debugreg(t, 6, 0);
	if (si.si_code == TRAP_HWBKPT && !errno) {
		for (i = 0; i < NR_WATCH; i++) {
			if (!(dr6 & (1 << i)) || !watches[i].type)
				continue;
			t->stop.reason = REASON_WATCH;
			t->stop.watch_addr = watches[i].zaddr;
			t->stop.watch_kind = watches[i].type == Z_WRITE ?
				"watch" : watches[i].type == Z_READ ?
				"rwatch" : "awatch";
			return;
		}
	}
	if (si.si_code == SI_KERNEL && !target_get_pc(t, &pc) &&
	    break_at(pc - 1) && !set_pc(t, pc - 1))
		t->stop.reason = REASON_SWBREAK;
}

/* Record the wait status @status as the stop GDB hears of. */
static void note_stop(struct target *t, int status)
{
	memset(&t->stop, 0, sizeof(t->stop));
	if (WIFEXITED(status)) {
		t->stop.kind = STOP_EXITED;
		t->stop.sig = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		t->stop.kind = STOP_KILLED;
		t->stop.sig = WTERMSIG(status);
	} else {
		t->stop.kind = STOP_SIGNAL;
		t->stop.sig = WSTOPSIG(status);
		if (t->stop.sig == SIGTRAP)
			classify_trap(t);
	}
}

static void on_sigchld(int sig)
{
	(void)sig;		/* only to cut the poll's sleep short */
}

/*
 * Wait for the next stop of the running program; a ^C from GDB
 * becomes SIGINT.  SIGCHLD ends the poll's sleep early, and a stop
 * that slips in between the check and the sleep waits one poll.
 */
static int wait_stop(struct target *t, struct rsp *r, int *status)
{
	static int handler_set;
	struct sigaction sa;
	pid_t got;

	if (!handler_set) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigchld;	/* no SA_RESTART */
		sigaction(SIGCHLD, &sa, NULL);
		handler_set = 1;
	}
	for (;;) {
		got = waitpid(t->pid, status, WNOHANG);
		if (got == t->pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (r && rsp_poll_interrupt(r))
			kill(t->pid, SIGINT);
		usleep(POLL_USEC);
	}
}

int target_wait(struct target *t, int *status)
{
	pid_t got;

	do
		got = waitpid(t->pid, status, 0);
	while (got < 0 && errno == EINTR);
	return got == t->pid ? 0 : -1;
}

int target_resume(struct target *t, struct rsp *r, int step, int sig)
{
	int status, req = step ? PTRACE_SINGLESTEP : PTRACE_CONT;

	for (;;) {
		if (ptrace(req, t->pid, 0, (void *)(long)sig) < 0)
			return -1;
		/* A step ends by itself: no ^C to watch for. */
		if (step ? target_wait(t, &status) :
			   wait_stop(t, r, &status))
			return -1;
		if (!WIFSTOPPED(status))
			break;
		sig = 0;
		if (status >> 16 == PTRACE_EVENT_EXIT) {
			/* The last chance: exit frees the kernel's buffer. */
			btrace_drain(t);
			req = PTRACE_CONT;
			continue;
		}
		if (!btrace_is_overflow(t, WSTOPSIG(status)))
			break;
		/* The kernel's buffer is full: empty it, carry on as asked. */
		btrace_drain(t);
	}
	note_stop(t, status);
	if (t->stop.kind == STOP_SIGNAL)
		btrace_drain(t);
	return 0;
}
