/*
 * The kernel command line, copied out of boot-loader memory at boot so
 * it stays valid once that memory is reused.
 */
#include <spoor/cmdline.h>
#include <spoor/string.h>

/* As Linux x86's COMMAND_LINE_SIZE: room for a long run= list. */
#define CMDLINE_MAX 2048

static char cmdline[CMDLINE_MAX];

void cmdline_init(const char *s)
{
	if (s)
		strncpy(cmdline, s, CMDLINE_MAX - 1);
}

const char *cmdline_all(void)
{
	return cmdline;
}

/*
 * Find "@key" as a whole word, followed by '=' or a space or the end;
 * the value runs to the next space.  The result lives in one of four
 * rotating buffers: valid until four more lookups.
 */
const char *cmdline_get(const char *key)
{
	static char value[4][CMDLINE_MAX];
	static int slot;
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) &&
		    (p[klen] == '=' || p[klen] == ' ' || !p[klen])) {
			char *v = value[slot++ % 4];
			size_t n = 0;

			p += klen;
			if (*p == '=')
				p++;
			while (p[n] && p[n] != ' ' && n < CMDLINE_MAX - 1)
				n++;
			memcpy(v, p, n);
			v[n] = '\0';
			return v;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}
