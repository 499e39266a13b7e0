/*
 * The decoder against objdump, for tests/host/test_decode.c (included
 * there once: the Makefile links a host test from its test_*.c and
 * HOST_TEST_SRCS, which for the decoder names only the decoder).
 *
 * objdump lists every instruction of a 32-bit ELF file's code sections
 * with its address, its bytes and its text.  For each one we decode the
 * bytes at that address ourselves, read from the file through its
 * section headers, and compare
 *   - the length with the number of bytes objdump took, and
 *   - the class with the one objdump's mnemonic implies.
 * Counted apart:
 *   - objdump's "(bad)" (data in .text that is no instruction):
 *     skipped;
 *   - fwait shown glued to the x87 instruction after it (fstsw is
 *     fwait; fnstsw): both halves are checked, since the CPU runs
 *     them as two instructions;
 *   - VEX, EVEX and XOP, which the decoder deliberately calls invalid
 *     (asm/decode.h): skipped.
 */
#ifndef DECODE_OBJDUMP_H
#define DECODE_OBJDUMP_H

#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <asm/decode.h>
#include <spoor/ktest.h>

#define OBJDUMP_MAX_LOG 20	/* mismatch lines printed per binary */

static const char *const class_names[] = {
	[INSN_OTHER] = "other",		[INSN_JMP_REL] = "jmp_rel",
	[INSN_JCC_REL] = "jcc_rel",	[INSN_CALL_REL] = "call_rel",
	[INSN_RET] = "ret",		[INSN_RET_IMM] = "ret_imm",
	[INSN_JMP_IND] = "jmp_ind",	[INSN_CALL_IND] = "call_ind",
	[INSN_JMP_FAR] = "jmp_far",	[INSN_CALL_FAR] = "call_far",
	[INSN_RET_FAR] = "ret_far",	[INSN_LOOP] = "loop",
	[INSN_JCXZ] = "jcxz",		[INSN_INT] = "int",
	[INSN_INT3] = "int3",		[INSN_INTO] = "into",
	[INSN_IRET] = "iret",		[INSN_SYSENTER] = "sysenter",
	[INSN_INVALID] = "invalid",
};

/* --- the file: ELF32 section headers map addresses to bytes ---------- */

struct elf_image {
	uint8_t *data;
	size_t size;
	const Elf32_Shdr *sh;
	unsigned int nsh;
};

/*
 * Read the ELF32 i386 file @path into @img.  Returns 0, or -1 if it
 * cannot be read or is no such file (then @img owns nothing).
 */
static int elf_load(struct elf_image *img, const char *path)
{
	FILE *f = fopen(path, "rb");
	const Elf32_Ehdr *eh;
	long n;

	img->data = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < (long)sizeof(*eh) ||
	    fseek(f, 0, SEEK_SET))
		goto fail;
	img->size = (size_t)n;
	img->data = malloc(img->size);
	if (!img->data || fread(img->data, 1, img->size, f) != img->size)
		goto fail;
	fclose(f);
	eh = (const Elf32_Ehdr *)img->data;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_machine != EM_386 ||
	    eh->e_shentsize != sizeof(Elf32_Shdr) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf32_Shdr) > img->size) {
		free(img->data);
		img->data = NULL;
		return -1;
	}
	img->sh = (const Elf32_Shdr *)(img->data + eh->e_shoff);
	img->nsh = eh->e_shnum;
	return 0;
fail:
	fclose(f);
	free(img->data);
	img->data = NULL;
	return -1;
}

/*
 * The file's bytes at address @addr of a code section, and in *@avail
 * how many the section holds from there; NULL if no code section
 * covers @addr.
 */
static const uint8_t *elf_code_at(const struct elf_image *img, uint32_t addr,
				  size_t *avail)
{
	unsigned int i;

	for (i = 0; i < img->nsh; i++) {
		const Elf32_Shdr *s = &img->sh[i];

		if (s->sh_type != SHT_PROGBITS || !(s->sh_flags & SHF_EXECINSTR))
			continue;
		if (addr < s->sh_addr || addr - s->sh_addr >= s->sh_size)
			continue;
		if (s->sh_offset + (size_t)s->sh_size > img->size)
			return NULL;
		*avail = s->sh_size - (addr - s->sh_addr);
		return img->data + s->sh_offset + (addr - s->sh_addr);
	}
	return NULL;
}

/* --- objdump's listing ------------------------------------------------ */

/* One instruction line: "  addr:\tbytes...\ttext". */
struct objdump_insn {
	uint32_t addr;
	uint8_t bytes[16];
	size_t n;
	const char *text;	/* points into the line */
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Parse @line (its newline is cut off) into @oi.  Returns 1 for an
 * instruction line, 0 for anything else (headers, labels, "...").
 */
static int objdump_parse(char *line, struct objdump_insn *oi)
{
	char *p = line, *end;
	int digits = 0;

	line[strcspn(line, "\n")] = 0;
	oi->addr = 0;
	oi->n = 0;
	while (*p == ' ')
		p++;
	for (; hexval(*p) >= 0; p++, digits++)
		oi->addr = oi->addr << 4 | (uint32_t)hexval(*p);
	if (!digits || p[0] != ':' || p[1] != '\t')
		return 0;
	/* Hex pairs separated by spaces, padded, then a tab and the text. */
	for (p += 2;; p += 2) {
		while (*p == ' ')
			p++;
		if (hexval(p[0]) < 0 || hexval(p[1]) < 0)
			break;
		if (oi->n == sizeof(oi->bytes))
			return 0;
		oi->bytes[oi->n++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
	}
	if (!oi->n)
		return 0;
	oi->text = *p == '\t' ? p + 1 : "";
	end = p + strlen(p);
	while (end > oi->text && end[-1] == ' ')
		*--end = 0;
	return 1;
}

/* --- objdump's mnemonic as a branch class ------------------------------ */

/*
 * Mnemonics that transfer control (any other is INSN_OTHER).  @alt is
 * the class when the operand starts with '*' (indirect jmp, call) or
 * '$' (ret with an immediate).
 */
static const struct {
	const char *name;
	enum insn_class cls, alt;
} mnemonic_class[] = {
	{ "jmp", INSN_JMP_REL, INSN_JMP_IND },
	{ "call", INSN_CALL_REL, INSN_CALL_IND },
	{ "ret", INSN_RET, INSN_RET_IMM },
	{ "ljmp", INSN_JMP_FAR, INSN_JMP_FAR },
	{ "lcall", INSN_CALL_FAR, INSN_CALL_FAR },
	{ "lret", INSN_RET_FAR, INSN_RET_FAR },
	{ "jo", INSN_JCC_REL, 0 },	{ "jno", INSN_JCC_REL, 0 },
	{ "jb", INSN_JCC_REL, 0 },	{ "jae", INSN_JCC_REL, 0 },
	{ "je", INSN_JCC_REL, 0 },	{ "jne", INSN_JCC_REL, 0 },
	{ "jbe", INSN_JCC_REL, 0 },	{ "ja", INSN_JCC_REL, 0 },
	{ "js", INSN_JCC_REL, 0 },	{ "jns", INSN_JCC_REL, 0 },
	{ "jp", INSN_JCC_REL, 0 },	{ "jnp", INSN_JCC_REL, 0 },
	{ "jl", INSN_JCC_REL, 0 },	{ "jge", INSN_JCC_REL, 0 },
	{ "jle", INSN_JCC_REL, 0 },	{ "jg", INSN_JCC_REL, 0 },
	{ "loopne", INSN_LOOP, 0 },	{ "loope", INSN_LOOP, 0 },
	{ "loop", INSN_LOOP, 0 },
	{ "jecxz", INSN_JCXZ, 0 },	{ "jcxz", INSN_JCXZ, 0 },
	{ "int", INSN_INT, 0 },		{ "int1", INSN_INT, 0 },
	{ "icebp", INSN_INT, 0 },	{ "int3", INSN_INT3, 0 },
	{ "into", INSN_INTO, 0 },	{ "iret", INSN_IRET, 0 },
	{ "sysenter", INSN_SYSENTER, 0 }, { "sysexit", INSN_SYSENTER, 0 },
	{ "syscall", INSN_SYSENTER, 0 }, { "sysret", INSN_SYSENTER, 0 },
};

/* Words objdump writes before the mnemonic for a prefix. */
static const char *const prefix_words[] = {
	"notrack", "bnd", "rep", "repz", "repe", "repnz", "repne", "lock",
	"data16", "data32", "addr16", "addr32", "xacquire", "xrelease",
	"cs", "ds", "es", "ss", "fs", "gs",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Is the @n-byte word at @w in @list? */
static int word_in(const char *w, size_t n, const char *const *list,
		   size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && !strncmp(w, list[i], n))
			return 1;
	return 0;
}

/* The entry for the @n-byte mnemonic @w, or -1. */
static int mnemonic_index(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(mnemonic_class); i++)
		if (strlen(mnemonic_class[i].name) == n &&
		    !strncmp(w, mnemonic_class[i].name, n))
			return (int)i;
	return -1;
}

/*
 * The class objdump's @text implies: prefix words skipped, a branch
 * hint (",pt", ",pn") and an operand-size suffix (callw, lretl,
 * iretw, loopw) dropped.
 */
static enum insn_class objdump_class(const char *text)
{
	const char *w = text, *operand;
	size_t n;
	int i;

	for (;;) {
		n = strcspn(w, " ,");
		if (!word_in(w, n, prefix_words, ARRAY_LEN(prefix_words)))
			break;
		w += n + strspn(w + n, " ");
	}
	operand = w + strcspn(w, " ");
	operand += strspn(operand, " ");
	i = mnemonic_index(w, n);
	if (i < 0 && n > 1 && (w[n - 1] == 'w' || w[n - 1] == 'l'))
		i = mnemonic_index(w, n - 1);
	if (i < 0)
		return INSN_OTHER;
	if ((*operand == '*' || *operand == '$') && mnemonic_class[i].alt)
		return mnemonic_class[i].alt;
	return mnemonic_class[i].cls;
}

/* --- the comparison ------------------------------------------------------ */

struct objdump_totals {
	unsigned long compared;		/* instructions decoded and checked */
	unsigned long bad;		/* objdump's "(bad)": skipped */
	unsigned long fwait;		/* fwait shown joined to the next */
	unsigned long vex;		/* VEX, EVEX, XOP: INVALID here */
	unsigned long mismatched;
};

/* Is @name an executable on $PATH? */
static int on_path(const char *name)
{
	const char *dir = getenv("PATH");
	char buf[4096];

	while (dir && *dir) {
		size_t n = strcspn(dir, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, dir, name);
		if (!access(buf, X_OK))
			return 1;
		dir += n + (dir[n] == ':');
	}
	return 0;
}

/* The objdump command to use, or NULL if there is none. */
static const char *objdump_tool(void)
{
	if (on_path("i686-linux-gnu-objdump"))
		return "i686-linux-gnu-objdump";
	if (on_path("objdump"))
		return "objdump -m i386";
	return NULL;
}

/* Log one mismatch (the first OBJDUMP_MAX_LOG per binary). */
static void objdump_mismatch(struct kt_test *t, const char *name,
			     const struct objdump_insn *oi, int len,
			     enum insn_class cls, const char *why,
			     unsigned long count)
{
	char hex[3 * sizeof(oi->bytes) + 1] = "";
	size_t i;

	t->failed = 1;
	if (count > OBJDUMP_MAX_LOG)
		return;
	if (count == OBJDUMP_MAX_LOG) {
		kt_log(t, "%s: more mismatches not shown", name);
		return;
	}
	for (i = 0; i < oi->n; i++)
		snprintf(hex + 3 * i, 4, "%02x ", oi->bytes[i]);
	kt_log(t, "%s %08x: %s| objdump \"%s\" (%zu bytes, %s), decoded %d bytes, %s: %s",
	       name, oi->addr, hex, oi->text, oi->n,
	       class_names[objdump_class(oi->text)], len, class_names[cls],
	       why);
}

/*
 * Decode @code (@avail bytes) into @in and *@len; what differs from
 * objdump's @n bytes and @text, or NULL.
 */
static const char *compare_one(const uint8_t *code, size_t avail, size_t n,
			       const char *text, struct insn *in, int *len)
{
	*len = insn_decode(in, code, avail);
	if (*len != (int)n)
		return "length differs";
	if (in->cls != objdump_class(text))
		return "class differs";
	return NULL;
}

/* How many legacy prefixes the @n bytes at @b start with. */
static size_t legacy_prefixes(const uint8_t *b, size_t n)
{
	static const uint8_t legacy[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64,
					  0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 };
	size_t i = 0;

	while (i < n && memchr(legacy, b[i], sizeof(legacy)))
		i++;
	return i;
}

/* Do @n bytes at @b, prefixes aside, start with VEX, EVEX or XOP? */
static int vex_like(const uint8_t *b, size_t n)
{
	size_t i = legacy_prefixes(b, n);

	return i + 1 < n && (b[i] == 0xc4 || b[i] == 0xc5 || b[i] == 0x62 ||
			     b[i] == 0x8f);
}

/* Decode what objdump listed in @oi, from @img's bytes, and compare. */
static void objdump_check(struct kt_test *t, const char *name,
			  const struct elf_image *img,
			  const struct objdump_insn *oi,
			  struct objdump_totals *tot)
{
	const uint8_t *code;
	const char *why;
	struct insn in = { 0 };
	size_t avail, wait;
	int len = -1;

	code = elf_code_at(img, oi->addr, &avail);
	if (!code || avail < oi->n || memcmp(code, oi->bytes, oi->n)) {
		why = "not the file's bytes at that address";
	} else if (strstr(oi->text, "(bad)")) {
		tot->bad++;
		return;
	} else if ((wait = legacy_prefixes(oi->bytes, oi->n)) + 1 < oi->n &&
		   oi->bytes[wait] == 0x9b) {
		/*
		 * objdump shows fstsw, fstcw, finit... as one: they are
		 * fwait and fnstsw, fnstcw, fninit..., two instructions
		 * to the CPU (a single step stops between them), and
		 * prefixes in front belong to the fwait.
		 */
		why = compare_one(code, avail, wait + 1, "fwait", &in, &len);
		if (!why)
			why = compare_one(code + wait + 1, avail - wait - 1,
					  oi->n - wait - 1, oi->text, &in,
					  &len);
		tot->fwait++;
	} else {
		why = compare_one(code, avail, oi->n, oi->text, &in, &len);
		if (why && len < 0 && vex_like(oi->bytes, oi->n)) {
			tot->vex++;	/* not supported: see decode.h */
			return;
		}
	}
	tot->compared++;
	if (why)
		objdump_mismatch(t, name, oi, len, in.cls, why,
				 tot->mismatched++);
}

/*
 * Compare every instruction objdump lists for the file @path (@name in
 * the log), adding to @tot.  Returns 0, or -1 if @path is no ELF32
 * i386 file (nothing compared).  A failed objdump fails @t.
 */
static int objdump_compare(struct kt_test *t, const char *tool,
			   const char *path, const char *name,
			   struct objdump_totals *tot)
{
	struct elf_image img;
	struct objdump_insn oi;
	char line[1024], cmd[4096 + 64];
	FILE *p = NULL;
	int n;

	if (elf_load(&img, path))
		return -1;
	n = snprintf(cmd, sizeof(cmd), "%s -d -w --insn-width=16 '%s'", tool,
		     path);
	if (n > 0 && (size_t)n < sizeof(cmd))
		p = popen(cmd, "r");
	if (!p) {
		kt_log(t, "%s: cannot run %s", name, tool);
		t->failed = 1;
		free(img.data);
		return 0;
	}
	while (fgets(line, sizeof(line), p))
		if (objdump_parse(line, &oi))
			objdump_check(t, name, &img, &oi, tot);
	if (pclose(p)) {
		kt_log(t, "%s: %s failed", name, tool);
		t->failed = 1;
	}
	free(img.data);
	return 0;
}

#endif
