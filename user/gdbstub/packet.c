/*
 * The packet layer of the stub: the replies every handler sends, the
 * parsing several of them share, and the one table from a packet's
 * name to its handler (inspect.c, control.c, query.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gdbstub.h"

/* --- replies ------------------------------------------------------ */

int send(struct stub *s, const char *text)
{
	return rsp_put_packet(&s->rsp, text, strlen(text));
}

int sendf(struct stub *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->reply, sizeof(s->reply), fmt, ap);
	va_end(ap);
	return send(s, s->reply);
}

/* --- parsing ------------------------------------------------------ */

/* "ADDR,LEN" then @end (a character, or '\0' for the packet's end). */
int parse_range(const char **p, uint32_t *addr, uint32_t *len, char end)
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

/* Does the thread-id at @p (after ':') name our one thread? */
int is_our_thread(struct stub *s, const char *p)
{
	uint32_t tid;

	if (!strncmp(p, "-1", 2) || !strncmp(p, "p-1", 3))
		return 1;
	if (*p == 'p')
		p++;
	return !hex_parse(&p, &tid) && (tid == 0 || tid == (uint32_t)s->t.pid);
}

/* --- the packet table --------------------------------------------- */

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
int dispatch(struct stub *s, size_t n)
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
