/*
 * The packets that read and change the stopped program: registers
 * (g G p P), memory (m M X), and breakpoints and watchpoints (Z z).
 * Each is a handler of the packet table (packet.c); the work is
 * target.c's.
 */
#include <stdint.h>
#include <string.h>

#include "gdbstub.h"

#define MEM_MAX		(PACKET_MAX / 2)	/* bytes per m or M packet */

/* --- registers ---------------------------------------------------- */

int h_read_regs(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];

	(void)arg, (void)n;
	if (target_get_regs(&s->t, regs))
		return send(s, "E01"), STAY;
	s->reply[hex_encode(s->reply, regs, sizeof(regs))] = '\0';
	return send(s, s->reply), STAY;
}

int h_write_regs(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];

	if (n != 2 * sizeof(regs) || hex_decode(regs, arg, sizeof(regs)))
		return send(s, "E01"), STAY;
	return send(s, target_set_regs(&s->t, regs) ? "E01" : "OK"), STAY;
}

int h_read_reg(struct stub *s, const char *arg, size_t n)
{
	uint8_t regs[GDB_REGS_SIZE];
	uint32_t num;
	size_t size;
	int off;

	(void)n;
	if (hex_parse(&arg, &num) || *arg ||
	    (off = reg_offset(num, &size)) < 0 || target_get_regs(&s->t, regs))
		return send(s, "E01"), STAY;
	s->reply[hex_encode(s->reply, regs + off, size)] = '\0';
	return send(s, s->reply), STAY;
}

int h_write_reg(struct stub *s, const char *arg, size_t n)
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

/* --- memory ------------------------------------------------------- */

/* A longer read than one packet holds is cut short: GDB asks again. */
int h_read_mem(struct stub *s, const char *arg, size_t n)
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

int h_write_mem(struct stub *s, const char *arg, size_t n)
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
int h_write_bin(struct stub *s, const char *arg, size_t n)
{
	const char *start = arg;
	uint32_t addr, len;
	size_t k;

	if (parse_range(&arg, &addr, &len, ':') || len > MEM_MAX)
		return send(s, "E01"), STAY;
	k = rsp_unescape((char *)arg, n - (arg - start));
	if (k != len)
		return send(s, "E01"), STAY;
	if (target_write(&s->t, addr, (const uint8_t *)arg, len))
		return send(s, "E0e"), STAY;
	return send(s, "OK"), STAY;
}

/* --- breakpoints and watchpoints ---------------------------------- */

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

int h_insert(struct stub *s, const char *arg, size_t n)
{
	return h_break(s, arg, n, 1);
}

int h_remove(struct stub *s, const char *arg, size_t n)
{
	return h_break(s, arg, n, 0);
}
