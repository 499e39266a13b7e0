/*
 * gdbstub - let a GDB on the host debug a Spoor process over a serial
 * line, in the spirit of gdbserver:
 *
 *     gdbstub DEVICE [--bench] PROG [ARGS...]   start PROG, stopped at
 *                                               its first instruction
 *     gdbstub DEVICE [--bench] --attach PID     stop a running process
 *
 * and on the host:  gdb build/user/bin/PROG -ex 'target remote ...'
 * (`make gdb` does all of it).  The stub speaks GDB's Remote Serial
 * Protocol and acts only through ptrace: registers, memory, int3
 * breakpoints, debug-register watchpoints, single steps, signals, and
 * branch trace (`record btrace bts`) from the kernel's BTS unit.  It
 * exits when the program does, or when GDB kills or detaches it; a
 * GDB that goes away without either leaves the program stopped for
 * the next one to connect.  --bench prints, at exit, the guest ticks
 * spent between receiving an m or s packet and sending its reply.
 *
 * The parts: user/gdbstub/ (rsp.c framing, target.c the process,
 * btrace.c branch trace); this file starts the program and dispatches
 * packets through one table.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../gdbstub/gdbstub.h"

#define MEM_MAX		(PACKET_MAX / 2)	/* bytes per m or M packet */

enum { STAY, QUIT };

struct stub {
	struct rsp rsp;
	struct target t;
	const char *exe;	/* for qXfer:exec-file:read */
	int exit_status;	/* the stub's, when it quits */
	char pkt[PACKET_MAX + 1];
	char reply[REPLY_MAX];
	/* The qXfer document being read, kept while GDB reads it in parts. */
	char xfer_key[64];
	char *xfer_doc;
	size_t xfer_len;
	/* --bench: ticks from packet in to reply out, per kind */
	int bench;
	unsigned long long ticks[2], count[2];
};

/* --- replies ------------------------------------------------------------- */

static int send(struct stub *s, const char *text)
{
	return rsp_put_packet(&s->rsp, text, strlen(text));
}

static int sendf(struct stub *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int sendf(struct stub *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->reply, sizeof(s->reply), fmt, ap);
	va_end(ap);
	return send(s, s->reply);
}

/*
 * T (with the thread and, for a breakpoint or watchpoint, why), W for
 * an exit, X for death by a signal; after W or X the stub is done.
 */
static int send_stop(struct stub *s)
{
	const struct stop *st = &s->t.stop;

	if (st->kind == STOP_EXITED) {
		s->exit_status = st->sig;
		sendf(s, "W%02x", st->sig & 0xff);
		return QUIT;
	}
	if (st->kind == STOP_KILLED) {
		s->exit_status = 128 + st->sig;
		sendf(s, "X%02x", gdb_signal(st->sig));
		return QUIT;
	}
	if (st->reason == REASON_SWBREAK)
		sendf(s, "T%02xthread:%x;swbreak:;", gdb_signal(st->sig),
		      s->t.pid);
	else if (st->reason == REASON_WATCH)
		sendf(s, "T%02xthread:%x;%s:%x;", gdb_signal(st->sig),
		      s->t.pid, st->watch_kind, st->watch_addr);
	else
		sendf(s, "T%02xthread:%x;", gdb_signal(st->sig), s->t.pid);
	return STAY;
}

/* --- parsing -------------------------------------------------------------- */

/* "ADDR,LEN" then @end (a character, or '\0' for the packet's end). */
static int parse_range(const char **p, uint32_t *addr, uint32_t *len,
		       char end)
{
	if (hex_parse(p, addr) || **p != ',')
		return -1;
	(*p)++;
	if (hex_parse(p, len) || **p != end)
		return -1;
	if (end)
		(*p)++;
	return 0;
}

/* --- registers -------------------------------------------------------------- */

static int h_read_regs(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];

	(void)arg, (void)n;
	if (target_get_regs(&s->t, regs))
		return send(s, "E01"), STAY;
	s->reply[hex_encode(s->reply, regs, sizeof(regs))] = '\0';
	return send(s, s->reply), STAY;
}

static int h_write_regs(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];

	if (n != 2 * sizeof(regs) || hex_decode(regs, arg, sizeof(regs)))
		return send(s, "E01"), STAY;
	return send(s, target_set_regs(&s->t, regs) ? "E01" : "OK"), STAY;
}

static int h_read_reg(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];
	uint32_t num;
	size_t size;
	int off;

	(void)n;
	if (hex_parse(&arg, &num) || *arg || (off = reg_offset(num, &size)) < 0 ||
	    target_get_regs(&s->t, regs))
		return send(s, "E01"), STAY;
	s->reply[hex_encode(s->reply, regs + off, size)] = '\0';
	return send(s, s->reply), STAY;
}

static int h_write_reg(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];
	uint32_t num;
	size_t size;
	int off;

	(void)n;
	if (hex_parse(&arg, &num) || *arg++ != '=' ||
	    (off = reg_offset(num, &size)) < 0 || strlen(arg) != 2 * size ||
	    target_get_regs(&s->t, regs) || hex_decode(regs + off, arg, size))
		return send(s, "E01"), STAY;
	return send(s, target_set_regs(&s->t, regs) ? "E01" : "OK"), STAY;
}

/* --- memory ---------------------------------------------------------------- */

/* A longer read than one packet holds is cut short: GDB asks again. */
static int h_read_mem(struct stub *s, const char *arg, size_t n)
{
	uint8_t buf[MEM_MAX];
	uint32_t addr, len;
	size_t got;

	(void)n;
	if (parse_range(&arg, &addr, &len, '\0'))
		return send(s, "E01"), STAY;
	if (len > MEM_MAX)
		len = MEM_MAX;
	got = target_read(&s->t, addr, buf, len);
	if (len && !got)
		return send(s, "E0e"), STAY;	/* EFAULT */
	s->reply[hex_encode(s->reply, buf, got)] = '\0';
	return send(s, s->reply), STAY;
}

static int h_write_mem(struct stub *s, const char *arg, size_t n)
{
	uint8_t buf[MEM_MAX];
	uint32_t addr, len;

	(void)n;
	if (parse_range(&arg, &addr, &len, ':') || len > MEM_MAX ||
	    strlen(arg) != 2 * len || hex_decode(buf, arg, len))
		return send(s, "E01"), STAY;
	return send(s, target_write(&s->t, addr, buf, len) ? "E0e" : "OK"),
	       STAY;
}

/* X: binary data; "X addr,0:" is GDB asking whether X works. */
static int h_write_bin(struct stub *s, const char *arg, size_t n)
{
	const char *start = arg;
	uint32_t addr, len;
	size_t k;

	if (parse_range(&arg, &addr, &len, ':') || len > MEM_MAX)
		return send(s, "E01"), STAY;
	k = rsp_unescape((char *)arg, n - (arg - start));
	if (k != len)
		return send(s, "E01"), STAY;
	return send(s, target_write(&s->t, addr, (const uint8_t *)arg, len) ?
		       "E0e" : "OK"), STAY;
}

/* --- breakpoints and watchpoints ------------------------------------------- */

static int h_break(struct stub *s, const char *arg, size_t n, int insert)
{
	uint32_t type, addr, len;
	int err;

	(void)n;
	/* Conditions after a ';' are GDB's to evaluate: ignored. */
	if (hex_parse(&arg, &type) || *arg++ != ',' ||
	    parse_range(&arg, &addr, &len, strchr(arg, ';') ? ';' : '\0'))
		return send(s, "E01"), STAY;
	err = insert ? target_insert(&s->t, type, addr, len) :
		       target_remove(&s->t, type, addr, len);
	return send(s, err > 0 ? "" : err ? "E01" : "OK"), STAY;
}

static int h_insert(struct stub *s, const char *arg, size_t n)
{
	return h_break(s, arg, n, 1);
}

static int h_remove(struct stub *s, const char *arg, size_t n)
{
	return h_break(s, arg, n, 0);
}

/* --- running ----------------------------------------------------------------- */

/* Resume from @addr (if given) with GDB's signal @gdb_sig; reply at the stop. */
static int resume(struct stub *s, int step, int gdb_sig, const char *addr)
{
	uint8_t regs[GDB_REGS_SIZE];
	uint32_t pc;

	if (*addr) {
		if (hex_parse(&addr, &pc) || *addr ||
		    target_get_regs(&s->t, regs))
			return send(s, "E01"), STAY;
		memcpy(regs + 8 * 4, &pc, 4);	/* eip */
		if (target_set_regs(&s->t, regs))
			return send(s, "E01"), STAY;
	}
	if (target_resume(&s->t, &s->rsp, step, host_signal(gdb_sig)))
		return send(s, "E01"), STAY;
	return send_stop(s);
}

static int h_continue(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume(s, 0, 0, arg);
}

static int h_step(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume(s, 1, 0, arg);
}

/* C sig[;addr] and S sig[;addr] */
static int resume_sig(struct stub *s, const char *arg, int step)
{
	uint32_t sig;

	if (hex_parse(&arg, &sig) || (*arg && *arg != ';'))
		return send(s, "E01"), STAY;
	return resume(s, step, sig, *arg ? arg + 1 : arg);
}

static int h_continue_sig(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume_sig(s, arg, 0);
}

static int h_step_sig(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume_sig(s, arg, 1);
}

/* Does the thread-id at @p (after ':') name our one thread? */
static int is_our_thread(struct stub *s, const char *p)
{
	uint32_t tid;

	if (!strncmp(p, "-1", 2) || !strncmp(p, "p-1", 3))
		return 1;
	if (*p == 'p')
		p++;
	return !hex_parse(&p, &tid) && (tid == 0 || tid == (uint32_t)s->t.pid);
}

/*
 * vCont;ACTION[:TID];ACTION...: the first action that applies to our
 * one thread wins (c, C sig, s, S sig); none applies: nothing to do.
 */
static int h_vcont(struct stub *s, const char *arg, size_t n)
{
	const char *p = arg;
	uint32_t sig;
	int step;

	(void)n;
	while (*p == ';') {
		p++;
		step = *p == 's' || *p == 'S';
		sig = 0;
		if (*p != 'c' && *p != 's' && *p != 'C' && *p != 'S')
			return send(s, "E01"), STAY;
		if (*p++ == 'C' || p[-1] == 'S')
			if (hex_parse(&p, &sig))
				return send(s, "E01"), STAY;
		if (*p == ':' && !is_our_thread(s, p + 1)) {
			p = strchr(p, ';') ? strchr(p, ';') : "";
			continue;
		}
		return resume(s, step, sig, "");
	}
	return send(s, "E01"), STAY;
}

static int h_vcont_query(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, "vCont;c;C;s;S"), STAY;
}

static int h_status(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send_stop(s);
}

/* The program dies with the session; GDB expects no reply. */
static int h_kill(struct stub *s, const char *arg, size_t n)
{
	int status;

	(void)arg, (void)n;
	kill(s->t.pid, SIGKILL);
	target_wait(&s->t, &status);
	s->exit_status = 0;
	return QUIT;
}

/*
 * Leave the program running as it was, without our breakpoints; one we
 * started is still our child, so wait for its end (its output is the
 * point of running it).
 */
static int h_detach(struct stub *s, const char *arg, size_t n)
{
	int status;

	(void)arg, (void)n;
	target_remove_all(&s->t);
	btrace_disable(&s->t);
	if (ptrace(PTRACE_DETACH, s->t.pid, 0, 0) < 0)
		return send(s, "E01"), STAY;
	send(s, "OK");
	s->exit_status = 0;
	if (!s->t.attached && !target_wait(&s->t, &status) &&
	    WIFEXITED(status))
		s->exit_status = WEXITSTATUS(status);
	return QUIT;
}

/* --- queries ----------------------------------------------------------------- */

static int h_supported(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "PacketSize=%x;qXfer:features:read+;"
		     "qXfer:exec-file:read+;swbreak+;vContSupported+;"
		     "Qbtrace:bts+;Qbtrace:off+;Qbtrace-conf:bts:size+;"
		     "qXfer:btrace:read+;qXfer:btrace-conf:read+",
		     PACKET_MAX), STAY;
}

static int h_attached(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, s->t.attached ? "1" : "0"), STAY;
}

static int h_current_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "QC%x", s->t.pid), STAY;
}

static int h_first_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "m%x", s->t.pid), STAY;
}

static int h_next_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, "l"), STAY;
}

/* Hg/Hc TID and T TID: only our thread exists. */
static int h_set_thread(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	if (*arg != 'g' && *arg != 'c')
		return send(s, "E01"), STAY;
	return send(s, is_our_thread(s, arg + 1) ? "OK" : "E01"), STAY;
}

static int h_thread_alive(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return send(s, is_our_thread(s, arg) ? "OK" : "E01"), STAY;
}

/* --- branch trace ------------------------------------------------------------- */

static int reply_error(struct stub *s, const char *err)
{
	return send(s, err ? err : "OK"), STAY;
}

static int h_btrace_bts(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return reply_error(s, btrace_enable(&s->t));
}

static int h_btrace_off(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return reply_error(s, btrace_disable(&s->t));
}

static int h_btrace_size(struct stub *s, const char *arg, size_t n)
{
	uint32_t size;

	(void)n;
	if (!strncmp(arg, "0x", 2))	/* GDB writes "size=0x10000" */
		arg += 2;
	if (hex_parse(&arg, &size) || *arg)
		return send(s, "E.Bad size."), STAY;
	return reply_error(s, btrace_set_size(&s->t, size));
}

/* --- qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH ----------------------------------- */

static const char *copy_doc(const char *text, char **doc, size_t *len)
{
	*len = strlen(text);
	*doc = strdup(text);
	return *doc ? NULL : "E.Out of memory.";
}

/* Make the document GDB asks for; NULL, or the error reply. */
static const char *xfer_make(struct stub *s, const char *object,
			     const char *annex, char **doc, size_t *len)
{
	if (!strcmp(object, "features"))
		return strcmp(annex, "target.xml") ? "E00" :
		       copy_doc(target_xml(), doc, len);
	if (!strcmp(object, "exec-file"))
		return copy_doc(s->exe, doc, len);
	if (!strcmp(object, "btrace"))
		return btrace_read(&s->t, annex, doc, len);
	if (!strcmp(object, "btrace-conf"))
		return btrace_conf(&s->t, doc, len);
	return "";
}

/* Copy the text up to the next ':' into @out and step past it; 0 or -1. */
static int take_field(const char **p, char *out, size_t size)
{
	const char *colon = strchr(*p, ':');
	size_t k = colon ? (size_t)(colon - *p) : size;

	if (k >= size)
		return -1;
	memcpy(out, *p, k);
	out[k] = '\0';
	*p = colon + 1;
	return 0;
}

/*
 * The document is made when GDB reads from offset 0 and kept for the
 * reads that follow: a btrace delta must be taken once per read.
 */
static int h_xfer(struct stub *s, const char *arg, size_t n)
{
	char object[32], annex[32], key[64];
	const char *err;
	uint32_t off, len;
	size_t used, k;

	(void)n;
	if (take_field(&arg, object, sizeof(object)) ||
	    strncmp(arg, "read:", 5))
		return send(s, ""), STAY;	/* no writes */
	arg += 5;
	if (take_field(&arg, annex, sizeof(annex)) ||
	    parse_range(&arg, &off, &len, '\0'))
		return send(s, "E00"), STAY;
	snprintf(key, sizeof(key), "%s:%s", object, annex);
	if (off == 0 || strcmp(key, s->xfer_key) || !s->xfer_doc) {
		free(s->xfer_doc);
		s->xfer_doc = NULL;
		s->xfer_key[0] = '\0';
		err = xfer_make(s, object, annex, &s->xfer_doc, &s->xfer_len);
		if (err)
			return send(s, err), STAY;
		strcpy(s->xfer_key, key);
	}
	if (off >= s->xfer_len)
		return send(s, "l"), STAY;
	if (len > PACKET_MAX)
		len = PACKET_MAX;
	if (len > s->xfer_len - off)
		len = s->xfer_len - off;
	k = rsp_escape(s->reply + 1, sizeof(s->reply) - 1, s->xfer_doc + off,
		       len, &used);
	s->reply[0] = off + used < s->xfer_len ? 'm' : 'l';
	return rsp_put_packet(&s->rsp, s->reply, k + 1), STAY;
}

/* --- the packet table -------------------------------------------------------- */

typedef int (*handler_t)(struct stub *s, const char *arg, size_t n);

/* @name: the packet's start; @exact: the whole packet.  First match wins. */
static const struct packet {
	const char *name;
	int exact;
	handler_t fn;
} packets[] = {
	{ "qSupported", 0, h_supported },
	{ "qXfer:", 0, h_xfer },
	{ "qAttached", 0, h_attached },
	{ "qC", 1, h_current_thread },
	{ "qfThreadInfo", 1, h_first_thread },
	{ "qsThreadInfo", 1, h_next_thread },
	{ "Qbtrace:bts", 1, h_btrace_bts },
	{ "Qbtrace:off", 1, h_btrace_off },
	{ "Qbtrace-conf:bts:size=", 0, h_btrace_size },
	{ "vCont?", 1, h_vcont_query },
	{ "vCont", 0, h_vcont },
	{ "?", 1, h_status },
	{ "g", 1, h_read_regs },
	{ "G", 0, h_write_regs },
	{ "p", 0, h_read_reg },
	{ "P", 0, h_write_reg },
	{ "m", 0, h_read_mem },
	{ "M", 0, h_write_mem },
	{ "X", 0, h_write_bin },
	{ "c", 0, h_continue },
	{ "C", 0, h_continue_sig },
	{ "s", 0, h_step },
	{ "S", 0, h_step_sig },
	{ "Z", 0, h_insert },
	{ "z", 0, h_remove },
	{ "H", 0, h_set_thread },
	{ "T", 0, h_thread_alive },
	{ "k", 1, h_kill },
	{ "D", 0, h_detach },
};

/* Run one packet; unknown packets get the empty reply. */
static int dispatch(struct stub *s, size_t n)
{
	unsigned long long t0 = s->bench ? rdtsc() : 0;
	int kind = s->pkt[0] == 'm' ? 0 : s->pkt[0] == 's' ? 1 : -1;
	size_t i, k;
	int r;

	for (i = 0; i < sizeof(packets) / sizeof(packets[0]); i++) {
		k = strlen(packets[i].name);
		if (strncmp(s->pkt, packets[i].name, k) ||
		    (packets[i].exact && n != k))
			continue;
		r = packets[i].fn(s, s->pkt + k, n - k);
		if (s->bench && kind >= 0) {
			s->ticks[kind] += s->rsp.sent_tsc - t0;
			s->count[kind]++;
		}
		return r;
	}
	send(s, "");
	return STAY;
}

/* --- starting ----------------------------------------------------------------- */

/* PROG under ptrace, stopped by its exec; -1 if it could not start. */
static pid_t start_program(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execv(argv[0], argv);
		fprintf(stderr, "gdbstub: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFSTOPPED(status))
		return -1;
	return pid;
}

static pid_t attach(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0) {
		fprintf(stderr, "gdbstub: attach %d: %s\n", pid,
			strerror(errno));
		return -1;
	}
	return waitpid(pid, &status, 0) == pid ? pid : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: gdbstub DEVICE [--bench] PROG [ARGS...]\n"
			"       gdbstub DEVICE [--bench] --attach PID\n");
	exit(2);
}

/* The line went away without k or D: do what quitting GDB would. */
static int hang_up(struct stub *s)
{
	if (s->t.attached)
		return h_detach(s, "", 0);
	return h_kill(s, "", 0);
}

static void report_bench(struct stub *s)
{
	static const char *const names[2] = { "m", "s" };
	int i;

	for (i = 0; i < 2; i++)
		if (s->count[i])
			printf("bench: gdbstub_%s_packet %llu ticks\n",
			       names[i], s->ticks[i] / s->count[i]);
}

int main(int argc, char **argv)
{
	static struct stub s;
	int n, r = STAY;

	if (argc > 2 && !strcmp(argv[2], "--bench")) {
		s.bench = 1;
		argv[2] = argv[1];	/* DEVICE stays first */
		argv++, argc--;
	}
	if (argc < 3 || (!strcmp(argv[2], "--attach") && argc != 4))
		usage();
	if (!strcmp(argv[2], "--attach")) {
		s.t.attached = 1;
		s.t.pid = attach(strtol(argv[3], NULL, 10));
		s.exe = "";
	} else {
		s.t.pid = start_program(argv + 2);
		s.exe = argv[2];
		s.t.stop.sig = SIGTRAP;
	}
	if (s.t.pid < 0)
		return 1;
	/* Exit stops let the stub read the last branches. */
	ptrace(PTRACE_SETOPTIONS, s.t.pid, 0,
	       (void *)(long)(PTRACE_O_TRACEEXIT |
			      (s.t.attached ? 0 : PTRACE_O_EXITKILL)));
	if (rsp_open(&s.rsp, argv[1]) < 0) {
		fprintf(stderr, "gdbstub: %s: %s\n", argv[1], strerror(errno));
		kill(s.t.pid, SIGKILL);
		return 1;
	}
	printf("gdbstub: pid %d on %s, waiting for gdb\n", s.t.pid, argv[1]);
	fflush(stdout);
	while (r == STAY) {
		n = rsp_get_packet(&s.rsp, s.pkt, sizeof(s.pkt));
		if (n == RSP_EOF)
			r = hang_up(&s);
		else if (n >= 0)
			r = dispatch(&s, n);
		/* A ^C while the program is stopped: nothing to stop. */
	}
	printf("gdbstub: done, status %d\n", s.exit_status);
	if (s.bench)
		report_bench(&s);
	return s.exit_status;
}
