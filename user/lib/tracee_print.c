/*
 * Reading a traced process's memory with PTRACE_PEEKDATA and printing
 * what is there in strace's notation: strings and buffers quoted and
 * cut at SC_STR_MAX bytes like strace -s 32, pointers, flag sets and
 * named values from spoor_syscalls.h's tables, signal sets and struct
 * sigaction.  Knows nothing of system calls: syscall_decode.c picks a
 * printer for each argument.  Every printer appends to the string in
 * @out (of @size bytes), as sc_append does.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

#include <spoor_syscalls.h>

#include "tracee_print.h"

#define STR_MAX		SC_STR_MAX

void sc_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* --- reading the tracee ------------------------------------------------ */

/* Copy up to @n bytes at @addr in @pid to @buf; the count copied. */
size_t sc_peek_bytes(pid_t pid, unsigned long addr, void *buf, size_t n)
{
	unsigned long base;
	size_t got = 0, skip, take;
	long word;

	while (got < n) {
		base = (addr + got) & ~3UL;
		skip = (addr + got) - base;
		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, pid, (void *)base, NULL);
		if (errno)
			break;
		take = sizeof(word) - skip;
		if (take > n - got)
			take = n - got;
		memcpy((char *)buf + got, (char *)&word + skip, take);
		got += take;
	}
	return got;
}

/* One word at @addr; 0 on success, -1 when it cannot be read. */
int sc_peek_long(pid_t pid, unsigned long addr, long *out)
{
	if (sc_peek_bytes(pid, addr, out, sizeof(*out)) != sizeof(*out))
		return -1;
	return 0;
}

/*
 * Read the string at @addr into @buf (of @size, at least STR_MAX + 2):
 * at most STR_MAX + 1 bytes, so the caller can tell a longer string.
 * Returns its length (without the NUL), or -1 if nothing is readable.
 */
static long peek_string(pid_t pid, unsigned long addr, char *buf, size_t size)
{
	size_t n = 0, got, i;
	char word[sizeof(long)];

	while (n < STR_MAX + 1 && n + 1 < size) {
		/* A word at a time, up to the next word boundary. */
		got = sc_peek_bytes(pid, addr + n, word,
				    sizeof(word) - (addr + n) % sizeof(word));
		if (!got)
			return n ? (long)n : -1;
		for (i = 0; i < got && n < STR_MAX + 1 && n + 1 < size; i++) {
			if (!word[i]) {
				buf[n] = '\0';
				return n;
			}
			buf[n++] = word[i];
		}
	}
	buf[n] = '\0';
	return n;
}

/* --- quoting ----------------------------------------------------------- */

/*
 * Append @s (@n bytes) to @out quoted and escaped as strace does; "..."
 * after the closing quote when @more says the data went on.
 */
static void add_quoted(char *out, size_t size, const char *s, size_t n,
		       int more)
{
	static const char esc[] = "\t\n\v\f\r";
	static const char letter[] = "tnvfr";
	unsigned char c;
	const char *e;
	size_t i;

	sc_append(out, size, "\"");
	for (i = 0; i < n; i++) {
		c = s[i];
		e = c ? strchr(esc, c) : NULL;
		if (c == '"' || c == '\\')
			sc_append(out, size, "\\%c", c);
		else if (e)
			sc_append(out, size, "\\%c", letter[e - esc]);
		else if (c >= 0x20 && c < 0x7f)
			sc_append(out, size, "%c", c);
		else if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7')
			sc_append(out, size, "\\%03o", c); /* unambiguous */
		else
			sc_append(out, size, "\\%o", c);
	}
	sc_append(out, size, more ? "\"..." : "\"");
}

void sc_add_ptr(char *out, size_t size, unsigned long p)
{
	if (p)
		sc_append(out, size, "%#lx", p);
	else
		sc_append(out, size, "NULL");
}

/* The string at @addr, quoted; its address if it cannot be read. */
void sc_add_string_at(char *out, size_t size, pid_t pid, unsigned long addr)
{
	char buf[STR_MAX + 2];
	long n;

	if (!addr) {
		sc_append(out, size, "NULL");
		return;
	}
	n = peek_string(pid, addr, buf, sizeof(buf));
	if (n < 0)
		sc_add_ptr(out, size, addr);
	else
		add_quoted(out, size, buf, n > STR_MAX ? STR_MAX : n,
			   n > STR_MAX);
}

/* @len bytes at @addr, quoted, at most STR_MAX of them. */
void sc_add_buffer_at(char *out, size_t size, pid_t pid, unsigned long addr,
		      long len)
{
	char buf[STR_MAX];
	size_t want, got;

	if (len < 0)
		len = 0;
	want = len > STR_MAX ? STR_MAX : len;
	got = sc_peek_bytes(pid, addr, buf, want);
	if (got < want)
		sc_add_ptr(out, size, addr);
	else
		add_quoted(out, size, buf, got, (size_t)len > got);
}

/* @v as NAME|NAME|0xrest from flag table @which; @zero when @v is 0. */
void sc_add_flags(char *out, size_t size, unsigned long v, enum sc_names which,
		  const char *zero)
{
	const struct sc_name *flags;
	const char *sep = "";
	unsigned long bits;
	size_t i, n;

	if (!v) {
		sc_append(out, size, "%s", zero);
		return;
	}
	flags = sc_names(which, &n);
	for (i = 0; i < n; i++) {
		bits = flags[i].value;
		if (bits && (v & bits) == bits) {
			sc_append(out, size, "%s%s", sep, flags[i].name);
			v &= ~bits;
			sep = "|";
		}
	}
	if (v)
		sc_append(out, size, "%s%#lx", sep, v);
}

/* The name of value @v in table @which, or @v in hex. */
void sc_add_enum(char *out, size_t size, long v, enum sc_names which)
{
	const char *name = sc_name_of(which, v);

	if (name)
		sc_append(out, size, "%s", name);
	else
		sc_append(out, size, "%#lx", v);
}

void sc_add_signal(char *out, size_t size, long sig)
{
	const char *name = sc_signal_name(sig);

	if (name)
		sc_append(out, size, "%s", name);
	else
		sc_append(out, size, "%ld", sig);
}

/* --- signals ---------------------------------------------------------- */

/* A sigset_t (64 bits) at @addr: [INT CHLD], ~[...] when mostly full. */
void sc_add_sigset_at(char *out, size_t size, pid_t pid, unsigned long addr)
{
	unsigned long set[2];
	const char *sep = "", *name;
	int sig, count = 0, invert;

	if (!addr ||
	    sc_peek_bytes(pid, addr, set, sizeof(set)) != sizeof(set)) {
		sc_add_ptr(out, size, addr);
		return;
	}
	for (sig = 1; sig <= 64; sig++)
		count += !!(set[(sig - 1) / 32] & 1UL << (sig - 1) % 32);
	invert = count > 32;
	sc_append(out, size, invert ? "~[" : "[");
	for (sig = 1; sig <= 64; sig++) {
		if (!(set[(sig - 1) / 32] & 1UL << (sig - 1) % 32) == !invert)
			continue;
		name = sc_signal_name(sig);
		if (name)
			sc_append(out, size, "%s%s", sep, name + 3);
		else
			sc_append(out, size, "%s%d", sep, sig);
		sep = " ";
	}
	sc_append(out, size, "]");
}

/* The kernel's struct sigaction (i386): handler, flags, restorer, mask. */
void sc_add_sigaction_at(char *out, size_t size, pid_t pid, unsigned long addr)
{
	unsigned long sa[3];

	if (!addr || sc_peek_bytes(pid, addr, sa, sizeof(sa)) != sizeof(sa)) {
		sc_add_ptr(out, size, addr);
		return;
	}
	sc_append(out, size, "{sa_handler=");
	if (sa[0] == (unsigned long)SIG_DFL)
		sc_append(out, size, "SIG_DFL");
	else if (sa[0] == (unsigned long)SIG_IGN)
		sc_append(out, size, "SIG_IGN");
	else
		sc_append(out, size, "%#lx", sa[0]);
	sc_append(out, size, ", sa_mask=");
	sc_add_sigset_at(out, size, pid, addr + sizeof(sa));
	sc_append(out, size, ", sa_flags=");
	sc_add_flags(out, size, sa[1], SC_N_SA_FLAGS, "0");
	if (sa[1] & SA_RESTORER)
		sc_append(out, size, ", sa_restorer=%#lx", sa[2]);
	sc_append(out, size, "}");
}
