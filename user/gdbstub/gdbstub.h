/*
 * gdbstub - a GDB remote stub for one Spoor process, through ptrace only.
 *
 *   rsp.c     the Remote Serial Protocol's framing: $data#cs, +/- acks
 *   target.c  the traced process: registers, memory, breakpoints,
 *             watchpoints, resuming and why it stopped
 *   btrace.c  branch trace: BTS records kept in a ring, served as
 *             GDB's branch-trace XML
 *   packet.c  replies, shared parsing, the table of packets
 *   inspect.c the packets for registers, memory, breakpoints
 *   control.c the packets that resume, stop, kill or detach
 *   query.c   qSupported, threads, Qbtrace settings, qXfer documents
 *   user/bin/gdbstub.c  starting or attaching, the session's loop
 */
#ifndef GDBSTUB_H
#define GDBSTUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PACKET_MAX	4096	/* PacketSize: payload bytes we accept */
#define REPLY_MAX	(2 * PACKET_MAX + 64)	/* escaping may double */

/* The guest TSC: one tick per instruction under QEMU -icount (--bench). */
static inline unsigned long long rdtsc(void)
{
	unsigned long long v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

/* --- rsp.c ---------------------------------------------------------- */

#define RSP_EOF		(-1)	/* the line is gone */
#define RSP_INTERRUPT	(-2)	/* a bare ^C (0x03) */

struct rsp {
	int fd;			/* blocking reads */
	int poll_fd;		/* the same line, O_NONBLOCK */
	unsigned char in[256];
	int in_len, in_pos;
	unsigned long bad;	/* packets refused: checksum, size */
	unsigned long long sent_tsc;	/* when the last reply left */
};

int rsp_open(struct rsp *r, const char *dev);
/*
 * The next packet's payload into @buf (NUL-terminated, @cap bytes with
 * the NUL), acknowledged with '+'.  A packet with a bad checksum or too
 * long for @buf is answered '-' and skipped.  Returns the payload's
 * length, RSP_INTERRUPT for a ^C between packets, or RSP_EOF.
 */
int rsp_get_packet(struct rsp *r, char *buf, size_t cap);
/* Send @data framed; resend on '-'.  0, or RSP_EOF. */
int rsp_put_packet(struct rsp *r, const char *data, size_t len);
/* While the program runs: has GDB sent ^C?  Never blocks. */
int rsp_poll_interrupt(struct rsp *r);

int hex_digit(int c);
/* Two hex digits per byte of @in, lowercase; returns 2 * @n. */
size_t hex_encode(char *out, const void *in, size_t n);
/* @n bytes from 2 * @n hex digits; -1 on a bad digit. */
int hex_decode(void *out, const char *in, size_t n);
/* A hex number of at most 8 digits at *@p, advancing it; -1 if none. */
int hex_parse(const char **p, uint32_t *v);
/*
 * Binary data for a reply ('$', '#', '}' and '*' escaped as '}' and
 * the byte xor 0x20) into @out of @room bytes; the length written.
 * Stops early rather than split an escape or overrun @room.
 */
size_t rsp_escape(char *out, size_t room, const void *in, size_t n,
		  size_t *used);
/* Undo the escaping in place; the new length. */
size_t rsp_unescape(char *buf, size_t n);

/* --- target.c --------------------------------------------------------- */

enum stop_kind { STOP_SIGNAL, STOP_EXITED, STOP_KILLED };
enum stop_reason { REASON_NONE, REASON_SWBREAK, REASON_WATCH };

struct stop {
	enum stop_kind kind;
	int sig;		/* host signal, or exit status */
	enum stop_reason reason;
	const char *watch_kind;	/* "watch", "rwatch", "awatch" */
	uint32_t watch_addr;
};

struct btrace;

struct target {
	pid_t pid;
	int attached;		/* --attach: GDB's quit detaches */
	struct stop stop;	/* the last one, for '?' */
	struct btrace *bt;	/* NULL: no branch trace */
};

/* The i386 register file of the g packet, in target.xml's order. */
#define NR_GPRS		16	/* eax..edi, eip, eflags, cs, ss, ds..gs */
#define NR_REGS		(NR_GPRS + 8 + 8)
#define GDB_REGS_SIZE	(NR_GPRS * 4 + 8 * 10 + 8 * 4)

/* Stop kinds, register and signal numbers GDB uses. */
int gdb_signal(int host_sig);
int host_signal(int gdb_sig);
/* The target description, built once from the register table. */
const char *target_xml(void);

/* All registers as the g packet holds them; 0 or -1. */
int target_get_regs(struct target *t, uint8_t out[GDB_REGS_SIZE]);
int target_set_regs(struct target *t, const uint8_t in[GDB_REGS_SIZE]);
/* Register @n's place in the g image, or -1 if there is no such one. */
int reg_offset(unsigned n, size_t *size);
int target_get_pc(struct target *t, uint32_t *pc);

/* Bytes read before the first fault (breakpoints show their old byte). */
size_t target_read(struct target *t, uint32_t addr, uint8_t *buf, size_t n);
/* 0, or -1 if any byte could not be written. */
int target_write(struct target *t, uint32_t addr, const uint8_t *buf, size_t n);

/* Z/z type 0 (int3) and 2-4 (debug registers): 0, -1, or 1: unsupported. */
int target_insert(struct target *t, int type, uint32_t addr, uint32_t len);
int target_remove(struct target *t, int type, uint32_t addr, uint32_t len);
/* Take out every breakpoint and watchpoint (before detaching). */
void target_remove_all(struct target *t);

/*
 * Resume (@step: one instruction) with host signal @sig, and wait for
 * the next stop GDB should hear of into t->stop; a ^C from @r stops
 * the program with SIGINT.  0, or -1 if the program is gone.
 */
int target_resume(struct target *t, struct rsp *r, int step, int sig);
/* waitpid for the program, not cut short by SIGCHLD; 0 or -1. */
int target_wait(struct target *t, int *status);

/* --- btrace.c --------------------------------------------------------- */

/* Qbtrace:bts, Qbtrace:off, Qbtrace-conf:bts:size: NULL or an error reply. */
const char *btrace_enable(struct target *t);
const char *btrace_disable(struct target *t);
const char *btrace_set_size(struct target *t, uint32_t size);
/* Move the kernel's records into the stub's ring (at each stop). */
void btrace_drain(struct target *t);
/* The overflow signal the kernel sends while the ring fills. */
int btrace_is_overflow(struct target *t, int sig);
/*
 * The document for qXfer:btrace:read:@annex (all, new, delta) or
 * qXfer:btrace-conf:read, malloc'd, in *@doc; NULL, or an error reply.
 */
const char *btrace_read(struct target *t, const char *annex, char **doc,
			size_t *len);
const char *btrace_conf(struct target *t, char **doc, size_t *len);

/* --- packet.c and the packet handlers --------------------------------- */

enum { STAY, QUIT };	/* a handler's verdict: serve on, or end */

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

/* Send @text as one packet: 0, or RSP_EOF. */
int send(struct stub *s, const char *text);
/* The same, formatted into s->reply. */
int sendf(struct stub *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * "ADDR,LEN" at *@p, then @end (a character, or '\0' for the packet's
 * end), advancing *@p past it; 0, or -1 if malformed.
 */
int parse_range(const char **p, uint32_t *addr, uint32_t *len, char end);
/* Does the thread-id at @p (after ':') name our one thread? */
int is_our_thread(struct stub *s, const char *p);
/*
 * Run the packet in s->pkt (@n bytes) through the table; an unknown
 * packet gets the empty reply.  STAY, or QUIT: the session is over.
 */
int dispatch(struct stub *s, size_t n);

/*
 * A packet's handler: @arg is the payload after the packet's name
 * (NUL-terminated), @n its length.  It sends the reply (k sends none)
 * and returns STAY, or QUIT when the session is over.
 */
typedef int (*handler_t)(struct stub *s, const char *arg, size_t n);

/* inspect.c: g G p P, m M X, Z z */
int h_read_regs(struct stub *s, const char *arg, size_t n);
int h_write_regs(struct stub *s, const char *arg, size_t n);
int h_read_reg(struct stub *s, const char *arg, size_t n);
int h_write_reg(struct stub *s, const char *arg, size_t n);
int h_read_mem(struct stub *s, const char *arg, size_t n);
int h_write_mem(struct stub *s, const char *arg, size_t n);
int h_write_bin(struct stub *s, const char *arg, size_t n);
int h_insert(struct stub *s, const char *arg, size_t n);
int h_remove(struct stub *s, const char *arg, size_t n);

/*
 * control.c: the stop reply (T, or W/X and QUIT when the program is
 * gone), c C s S vCont vCont? ?, and k and D, which end the session
 * (main calls them too when GDB hangs up).
 */
int send_stop(struct stub *s);
int h_continue(struct stub *s, const char *arg, size_t n);
int h_continue_sig(struct stub *s, const char *arg, size_t n);
int h_step(struct stub *s, const char *arg, size_t n);
int h_step_sig(struct stub *s, const char *arg, size_t n);
int h_vcont(struct stub *s, const char *arg, size_t n);
int h_vcont_query(struct stub *s, const char *arg, size_t n);
int h_status(struct stub *s, const char *arg, size_t n);
int h_kill(struct stub *s, const char *arg, size_t n);
int h_detach(struct stub *s, const char *arg, size_t n);

/* query.c: qSupported qAttached, threads, Qbtrace, qXfer */
int h_supported(struct stub *s, const char *arg, size_t n);
int h_attached(struct stub *s, const char *arg, size_t n);
int h_current_thread(struct stub *s, const char *arg, size_t n);
int h_first_thread(struct stub *s, const char *arg, size_t n);
int h_next_thread(struct stub *s, const char *arg, size_t n);
int h_set_thread(struct stub *s, const char *arg, size_t n);
int h_thread_alive(struct stub *s, const char *arg, size_t n);
int h_btrace_bts(struct stub *s, const char *arg, size_t n);
int h_btrace_off(struct stub *s, const char *arg, size_t n);
int h_btrace_size(struct stub *s, const char *arg, size_t n);
int h_xfer(struct stub *s, const char *arg, size_t n);

#endif
