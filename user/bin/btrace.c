/*
 * btrace - run a program under ptrace with the Branch Trace Store and
 * print the branches it took, named after the program's ELF symbols:
 *
 *     btrace [-s BYTES] [-n LAST] [-c] [-r] [-x] PROG [ARGS...]
 *
 *   -s BYTES  the kernel's branch buffer (default 16384); when it is
 *             about to overflow the kernel stops the program with
 *             SIGUSR2 (PTRACE_BTS_O_SIGNAL) and btrace drains it
 *   -n LAST   print only the last LAST branches
 *   -c        function-call view: one line per function entered or
 *             returned to, indented by call depth (like GDB's
 *             `record function-call-history`)
 *   -r        raw records: "bts FROM TO" in hex, one per line, for
 *             programs (the oracle test compares them with QEMU's)
 *   -x        exact mode (PTRACE_BTS_O_EXACT, Spoor's own flag): on a
 *             machine without BTS hardware the kernel's software unit
 *             single-steps the program instead of putting an int3 on
 *             each branch.  Slower, but invisible even to a program
 *             that reads its own code as data, which without -x can
 *             see an int3 byte where a branch is.
 *
 * The trace ends when the program exits: PTRACE_O_TRACEEXIT stops it
 * one last time so the buffer can be read before the kernel frees it.
 * The program's own signals reach it unchanged, SIGUSR2 and SIGTRAP
 * included: the kernel's overflow notice is told apart by its si_code.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spoor/elf.h>

#define OVERFLOW_SIGNAL	SIGUSR2

/* --- the program's ELF image: symbols and code bytes ---------------- */

struct sym {
	uint32_t addr, size;
	const char *name;
};

static unsigned char *image;
static size_t image_size;
static struct sym *syms;
static size_t nsyms;

static int read_image(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t cap = 65536;
	ssize_t n;

	if (fd < 0)
		return -1;
	image = malloc(cap);
	while (image && (n = read(fd, image + image_size,
				  cap - image_size)) > 0) {
		image_size += n;
		if (image_size == cap)
			image = realloc(image, cap *= 2);
	}
	close(fd);
	return image ? 0 : -1;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Collect the function symbols, sorted by address. */
static void load_symbols(void)
{
	const struct elf32_ehdr *eh = (const void *)image;
	const struct elf32_shdr *sh;
	int i;

	if (image_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > image_size)
		return;
	sh = (const void *)(image + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const struct elf32_sym *s;
		const char *strtab;
		size_t k, n;

		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		s = (const void *)(image + sh[i].sh_offset);
		strtab = (const char *)image + sh[sh[i].sh_link].sh_offset;
		n = sh[i].sh_size / sizeof(*s);
		syms = malloc(n * sizeof(*syms));
		for (k = 0; syms && k < n; k++) {
			if ((s[k].st_info & 0xf) != STT_FUNC || !s[k].st_value)
				continue;
			syms[nsyms].addr = s[k].st_value;
			syms[nsyms].size = s[k].st_size;
			syms[nsyms].name = strtab + s[k].st_name;
			nsyms++;
		}
	}
	if (syms)
		qsort(syms, nsyms, sizeof(*syms), by_addr);
}

/* The function holding @addr, or NULL. */
static const struct sym *find_sym(uint32_t addr)
{
	size_t lo = 0, hi = nsyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= syms[lo - 1].addr + syms[lo - 1].size + 16)
		return NULL;
	return &syms[lo - 1];
}

/* "fib+0x12", "fib" at its start, or the bare address. */
static const char *symbolize(uint32_t addr, char *buf, size_t n)
{
	const struct sym *s = find_sym(addr);

	if (!s)
		snprintf(buf, n, "%#x", addr);
	else if (addr == s->addr)
		snprintf(buf, n, "%s", s->name);
	else
		snprintf(buf, n, "%s+%#x", s->name, addr - s->addr);
	return buf;
}

/* The code bytes at @addr, from the program's file; NULL if none. */
static const unsigned char *code_at(uint32_t addr)
{
	const struct elf32_ehdr *eh = (const void *)image;
	const struct elf32_phdr *ph = (const void *)(image + eh->e_phoff);
	int i;

	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && addr >= ph[i].p_vaddr &&
		    addr + 2 <= ph[i].p_vaddr + ph[i].p_filesz &&
		    ph[i].p_offset + (addr - ph[i].p_vaddr) + 2 <= image_size)
			return image + ph[i].p_offset + (addr - ph[i].p_vaddr);
	return NULL;
}

/* --- recording ------------------------------------------------------- */

static struct bts_struct *recs;
static size_t nrecs, caprecs;

/* Move every record out of the kernel's buffer into ours. */
static void drain(pid_t pid)
{
	long n = ptrace(PTRACE_BTS_SIZE, pid, 0, 0);

	if (n <= 0)
		return;
	if (nrecs + n > caprecs) {
		caprecs = (nrecs + n) * 2;
		recs = realloc(recs, caprecs * sizeof(*recs));
		if (!recs) {
			fprintf(stderr, "btrace: out of memory\n");
			exit(1);
		}
	}
	n = ptrace(PTRACE_BTS_DRAIN, pid, recs + nrecs,
		   (void *)((size_t)n * sizeof(*recs)));
	if (n > 0)
		nrecs += n;
}

/*
 * Start @argv under ptrace, stopped after its exec, with branch
 * tracing on; returns its pid, or -1.
 */
static pid_t start(char **argv, uint32_t size, uint32_t exact)
{
	struct ptrace_bts_config cfg = {
		size, PTRACE_BTS_O_TRACE | PTRACE_BTS_O_ALLOC |
		PTRACE_BTS_O_SIGNAL | exact, OVERFLOW_SIGNAL, 0
	};
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execv(argv[0], argv);
		fprintf(stderr, "btrace: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	/* TRACEEXEC: a later exec stops as an event, not as a SIGTRAP. */
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)(PTRACE_O_TRACEEXIT |
						  PTRACE_O_TRACEEXEC |
						  PTRACE_O_EXITKILL)) < 0 ||
	    ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg)) < 0) {
		fprintf(stderr, "btrace: branch tracing: %s\n",
			strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	return pid;
}

/*
 * Is the stop with @sig the kernel's overflow notice?  The program may
 * send itself the same signal: only the kernel's has si_code SI_KERNEL
 * (kill and raise give SI_USER or SI_TKILL).
 */
static int is_overflow(pid_t pid, int sig)
{
	siginfo_t si;

	return sig == OVERFLOW_SIGNAL &&
	       ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0 &&
	       si.si_code == SI_KERNEL;
}

/*
 * Run the traced program to its end; returns its wait status.  Every
 * signal the program gets is passed on, except the overflow notice.
 */
static int run(pid_t pid)
{
	int status, sig = 0;

	for (;;) {
		if (ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig) < 0 ||
		    waitpid(pid, &status, 0) != pid)
			return -1;
		if (!WIFSTOPPED(status))
			return status;
		sig = WSTOPSIG(status);
		if (status >> 16 == PTRACE_EVENT_EXIT) {
			drain(pid);	/* last chance: exit frees the buffer */
			sig = 0;
		} else if (status >> 16) {
			sig = 0;	/* another event stop: no signal */
		} else if (is_overflow(pid, sig)) {
			drain(pid);	/* and recording goes on */
			sig = 0;
		}
	}
}

/* --- printing --------------------------------------------------------- */

/* -r: every branch record as "bts FROM TO", for a program to read. */
static void print_raw(size_t first)
{
	size_t i;

	for (i = first; i < nrecs; i++)
		if (recs[i].qualifier == BTS_BRANCH)
			printf("bts %08x %08x\n",
			       (unsigned)recs[i].variant.lbr.from,
			       (unsigned)recs[i].variant.lbr.to);
}

static void print_branches(size_t first)
{
	char a[64], b[64];
	size_t i;

	for (i = first; i < nrecs; i++) {
		if (recs[i].qualifier != BTS_BRANCH)
			continue;
		printf("%6zu  %-28s -> %s\n", i,
		       symbolize(recs[i].variant.lbr.from, a, sizeof(a)),
		       symbolize(recs[i].variant.lbr.to, b, sizeof(b)));
	}
}

static int is_call(const unsigned char *c)
{
	return c && (c[0] == 0xe8 || (c[0] == 0xff && ((c[1] >> 3) & 7) == 2));
}

static int is_ret(const unsigned char *c)
{
	if (c && c[0] == 0xf3)		/* rep ret */
		c++;
	return c && (c[0] == 0xc3 || c[0] == 0xc2);
}

/* One line per function entered (call) or returned to (ret). */
static void print_calls(size_t first)
{
	char a[64];
	int depth = 0, i;
	size_t k;

	for (k = first; k < nrecs; k++) {
		uint32_t from = recs[k].variant.lbr.from;
		uint32_t to = recs[k].variant.lbr.to;
		const unsigned char *c = code_at(from);
		const struct sym *s = find_sym(to);

		if (recs[k].qualifier != BTS_BRANCH)
			continue;
		if (is_call(c))
			depth++;
		else if (is_ret(c))
			depth = depth > 0 ? depth - 1 : 0;
		else
			continue;
		for (i = 0; i < depth; i++)
			fputs("  ", stdout);
		puts(s ? s->name : symbolize(to, a, sizeof(a)));
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: btrace [-s BYTES] [-n LAST] [-c] [-r] [-x] PROG [ARGS...]\n"
		"  -c  function calls   -r  raw records (bts FROM TO)\n"
		"  -x  exact: single-step, no int3 in the program's text (slower;\n"
		"      without it a program reading its own code may see int3s)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint32_t size = 16384;
	size_t last = 0;
	int calls = 0, raw = 0, status;
	uint32_t exact = 0;
	char path[256];
	pid_t pid;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-c")) {
			calls = 1;
		} else if (!strcmp(argv[1], "-r")) {
			raw = 1;
		} else if (!strcmp(argv[1], "-x")) {
			exact = PTRACE_BTS_O_EXACT;
		} else if (!strcmp(argv[1], "-s") && argc > 2) {
			size = strtoul(argv[2], NULL, 0);
			argv++, argc--;
		} else if (!strcmp(argv[1], "-n") && argc > 2) {
			last = strtoul(argv[2], NULL, 0);
			argv++, argc--;
		} else {
			usage();
		}
		argv++, argc--;
	}
	if (argc < 2)
		usage();
	/* Bare names are found in /bin, as the shell does. */
	if (!strchr(argv[1], '/')) {
		snprintf(path, sizeof(path), "/bin/%s", argv[1]);
		argv[1] = path;
	}
	if (read_image(argv[1]) < 0) {
		fprintf(stderr, "btrace: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	load_symbols();
	pid = start(argv + 1, size, exact);
	if (pid < 0)
		return 1;
	status = run(pid);
	fflush(stdout);
	if (raw)
		print_raw(last && last < nrecs ? nrecs - last : 0);
	else if (calls)
		print_calls(last && last < nrecs ? nrecs - last : 0);
	else
		print_branches(last && last < nrecs ? nrecs - last : 0);
	printf("btrace: %zu branches", nrecs);
	if (WIFEXITED(status))
		printf(", %s exited with %d\n", argv[1], WEXITSTATUS(status));
	else
		printf(", %s killed by signal %d\n", argv[1], WTERMSIG(status));
	return 0;
}
