/*
 * GDB's Remote Serial Protocol, the framing: a packet is
 * $payload#cs with cs the payload's byte sum mod 256 in two hex
 * digits; the receiver answers '+' (good) or '-' (send it again).
 * A bare 0x03 between packets is GDB's ^C.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "gdbstub.h"

#define CTRL_C		0x03
#define MAX_RESENDS	8	/* '-' answers before we give a reply up */
#define RSP_BAD		(-3)	/* checksum or size wrong: answered '-' */

int rsp_open(struct rsp *r, const char *dev)
{
	r->in_len = r->in_pos = 0;
	r->bad = 0;
	r->fd = open(dev, O_RDWR);
	if (r->fd < 0)
		return -1;
	r->poll_fd = open(dev, O_RDWR | O_NONBLOCK);
	return r->poll_fd < 0 ? -1 : 0;
}

/* The next byte from the line, or RSP_EOF. */
static int get_byte(struct rsp *r)
{
	ssize_t n;

	while (r->in_pos == r->in_len) {
		n = read(r->fd, r->in, sizeof(r->in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return RSP_EOF;
		r->in_len = n;
		r->in_pos = 0;
	}
	return r->in[r->in_pos++];
}

static int put_all(struct rsp *r, const char *p, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(r->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return RSP_EOF;
		p += k;
		n -= k;
	}
	return 0;
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * After the '$': payload up to '#', then the checksum.  Returns the
 * length, or -1 for a bad packet (answered '-' by the caller), or
 * RSP_EOF.  A '$' inside restarts the packet: GDB gave up on the one
 * before.
 */
static int read_payload(struct rsp *r, char *buf, size_t cap)
{
	unsigned sum = 0;
	size_t n = 0;
	int c, i, digit[2], overflow = 0;

restart:
	for (;;) {
		c = get_byte(r);
		if (c == RSP_EOF)
			return RSP_EOF;
		if (c == '#')
			break;
		if (c == '$') {
			sum = n = overflow = 0;
			continue;
		}
		sum += c;
		if (n + 1 < cap)
			buf[n++] = c;
		else
			overflow = 1;
	}
	for (i = 0; i < 2; i++) {
		c = get_byte(r);
		if (c == RSP_EOF)
			return RSP_EOF;
		if (c == '$') {		/* a new client, or GDB started over */
			sum = n = overflow = 0;
			goto restart;
		}
		digit[i] = hex_digit(c);
	}
	buf[n] = '\0';
	if (overflow || digit[0] < 0 || digit[1] < 0 ||
	    (unsigned)(digit[0] << 4 | digit[1]) != (sum & 0xff))
		return RSP_BAD;
	return n;
}

int rsp_get_packet(struct rsp *r, char *buf, size_t cap)
{
	int c, n;

	for (;;) {
		c = get_byte(r);
		if (c == RSP_EOF)
			return RSP_EOF;
		if (c == CTRL_C)
			return RSP_INTERRUPT;
		if (c != '$')		/* stray acks, line noise */
			continue;
		n = read_payload(r, buf, cap);
		if (n == RSP_EOF)
			return RSP_EOF;
		if (put_all(r, n == RSP_BAD ? "-" : "+", 1))
			return RSP_EOF;
		if (n >= 0)
			return n;
		r->bad++;
	}
}

int rsp_put_packet(struct rsp *r, const char *data, size_t len)
{
	static char frame[REPLY_MAX + 4];
	unsigned sum = 0;
	size_t i;
	int c, tries;

	if (len > REPLY_MAX)
		len = REPLY_MAX;
	frame[0] = '$';
	for (i = 0; i < len; i++) {
		frame[1 + i] = data[i];
		sum += (unsigned char)data[i];
	}
	frame[1 + len] = '#';
	frame[2 + len] = "0123456789abcdef"[(sum >> 4) & 0xf];
	frame[3 + len] = "0123456789abcdef"[sum & 0xf];
	for (tries = 0; tries < MAX_RESENDS; tries++) {
		if (put_all(r, frame, len + 4))
			return RSP_EOF;
		/* For --bench: the reply is out, the wait for GDB begins. */
		r->sent_tsc = rdtsc();
		do {
			c = get_byte(r);
		} while (c != '+' && c != '-' && c != '$' && c != RSP_EOF);
		if (c == RSP_EOF)
			return RSP_EOF;
		if (c == '$') {
			/* GDB moved on without an ack: keep its packet. */
			r->in_pos--;
			return 0;
		}
		if (c == '+')
			return 0;
	}
	return 0;
}

/* Bytes waiting while the program runs are either ^C or dropped. */
int rsp_poll_interrupt(struct rsp *r)
{
	unsigned char c[64];
	ssize_t n, i;
	int seen = 0;

	while ((n = read(r->poll_fd, c, sizeof(c))) > 0)
		for (i = 0; i < n; i++)
			seen |= c[i] == CTRL_C;
	return seen;
}

size_t hex_encode(char *out, const void *in, size_t n)
{
	const unsigned char *p = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[p[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[p[i] & 0xf];
	}
	return 2 * n;
}

int hex_decode(void *out, const char *in, size_t n)
{
	unsigned char *p = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		hi = hex_digit(in[2 * i]);
		lo = hi < 0 ? -1 : hex_digit(in[2 * i + 1]);
		if (lo < 0)
			return -1;
		p[i] = hi << 4 | lo;
	}
	return 0;
}

int hex_parse(const char **p, uint32_t *v)
{
	const char *s = *p;
	uint32_t x = 0;
	int d, digits = 0;

	while ((d = hex_digit(*s)) >= 0) {
		if (x >> 28)		/* a ninth significant digit */
			return -1;
		x = x << 4 | d;
		s++;
		digits++;
	}
	if (!digits)
		return -1;
	*p = s;
	*v = x;
	return 0;
}

static int needs_escape(unsigned char c)
{
	return c == '$' || c == '#' || c == '}' || c == '*';
}

size_t rsp_escape(char *out, size_t room, const void *in, size_t n,
		  size_t *used)
{
	const unsigned char *p = in;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (needs_escape(p[i])) {
			if (k + 2 > room)
				break;
			out[k++] = '}';
			out[k++] = p[i] ^ 0x20;
		} else {
			if (k + 1 > room)
				break;
			out[k++] = p[i];
		}
	}
	*used = i;
	return k;
}

size_t rsp_unescape(char *buf, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (buf[i] == '}' && i + 1 < n)
			buf[k++] = buf[++i] ^ 0x20;
		else
			buf[k++] = buf[i];
	}
	return k;
}
