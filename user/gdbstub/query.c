/*
 * The packets that ask about the session or set it up: qSupported,
 * qAttached, the thread queries (qC, qfThreadInfo, qsThreadInfo, H, T),
 * the branch-trace settings (Qbtrace:bts, Qbtrace:off,
 * Qbtrace-conf:bts:size) and qXfer, the documents GDB reads in parts
 * (target.xml, the executable's name, btrace and btrace-conf).  Each is
 * a handler of the packet table (packet.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub.h"

/* --- queries ------------------------------------------------------ */

int h_supported(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "PacketSize=%x;qXfer:features:read+;"
		     "qXfer:exec-file:read+;swbreak+;vContSupported+;"
		     "Qbtrace:bts+;Qbtrace:off+;Qbtrace-conf:bts:size+;"
		     "qXfer:btrace:read+;qXfer:btrace-conf:read+",
		     PACKET_MAX), STAY;
}

int h_attached(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, s->t.attached ? "1" : "0"), STAY;
}

int h_current_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "QC%x", s->t.pid), STAY;
}

int h_first_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return sendf(s, "m%x", s->t.pid), STAY;
}

int h_next_thread(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, "l"), STAY;
}

/* Hg/Hc TID and T TID: only our thread exists. */
int h_set_thread(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	if (*arg != 'g' && *arg != 'c')
		return send(s, "E01"), STAY;
	return send(s, is_our_thread(s, arg + 1) ? "OK" : "E01"), STAY;
}

int h_thread_alive(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return send(s, is_our_thread(s, arg) ? "OK" : "E01"), STAY;
}

/* --- branch trace ------------------------------------------------- */

static int reply_error(struct stub *s, const char *err)
{
	return send(s, err ? err : "OK"), STAY;
}

int h_btrace_bts(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return reply_error(s, btrace_enable(&s->t));
}

int h_btrace_off(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return reply_error(s, btrace_disable(&s->t));
}

int h_btrace_size(struct stub *s, const char *arg, size_t n)
{
	uint32_t size;

	(void)n;
	if (!strncmp(arg, "0x", 2))	/* GDB writes "size=0x10000" */
		arg += 2;
	if (hex_parse(&arg, &size) || *arg)
		return send(s, "E.Bad size."), STAY;
	return reply_error(s, btrace_set_size(&s->t, size));
}

/* --- qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH ------------------------ */

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
int h_xfer(struct stub *s, const char *arg, size_t n)
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
