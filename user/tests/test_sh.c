/*
 * test_sh: the word splitting of Spoor's shell (/bin/sh -c LINE), as a
 * POSIX shell splits: blanks separate words, '...' keeps everything,
 * "..." keeps all but \$ \` \" \\, a backslash outside quotes escapes
 * the next character, quotes are removed, and a quoted '|' or '&' is a
 * plain character.  Each case runs one line and compares what it prints
 * (Spoor's echo joins its arguments with one blank, so a blank kept
 * inside a word shows as a second one).
 */
#include "utest.h"

#define SH	"/bin/sh"

static char *path_env[] = { "PATH=/bin:/usr/bin", NULL };

/* Run `sh -c @line`; its output in @out, its wait status returned. */
static int sh_c(const char *line, char *out, size_t size)
{
	char *argv[] = { "sh", "-c", (char *)line, NULL };

	return ut_run_capture(SH, argv, path_env, out, size);
}

/* Expect `sh -c @line` to print @want and exit 0. */
#define EXPECT_SH(t, line, want)                                        \
	do {                                                            \
		char out_[256];                                         \
		UT_EXPECT_EXITED(t, sh_c(line, out_, sizeof(out_)), 0); \
		KT_EXPECT_STREQ(t, out_, want);                         \
	} while (0)

/* Unquoted words: the splitting sh always had. */
static void plain_words(struct kt_test *t)
{
	EXPECT_SH(t, "echo  a   b\tc", "a b c\n");
	EXPECT_SH(t, "echo hi|cat", "hi\n");
	EXPECT_SH(t, "echo x | cat | cat", "x\n");
}

/* '...': blanks, operators, backslashes and "s are plain; '' is a word. */
static void single_quotes(struct kt_test *t)
{
	EXPECT_SH(t, "echo 'a  b'", "a  b\n");
	EXPECT_SH(t, "echo 'a | b & c'", "a | b & c\n");
	EXPECT_SH(t, "echo 'a\\b' 'say \"hi\"'", "a\\b say \"hi\"\n");
	EXPECT_SH(t, "echo 'a\\\"b\\$'", "a\\\"b\\$\n");
	EXPECT_SH(t, "echo x '' y", "x  y\n");
	EXPECT_SH(t, "echo 'x'|cat", "x\n");
}

/* "...": blanks and operators plain; \ escapes only $ ` " \. */
static void double_quotes(struct kt_test *t)
{
	EXPECT_SH(t, "echo \"a  b\"", "a  b\n");
	EXPECT_SH(t, "echo \"a|b&c\"", "a|b&c\n");
	EXPECT_SH(t, "echo \"q\\\"q\" \"s\\\\s\" \"d\\$\"", "q\"q s\\s d$\n");
	EXPECT_SH(t, "echo \"c\\d\"", "c\\d\n");
	EXPECT_SH(t, "echo \"it's\"", "it's\n");
}

/* A backslash outside quotes takes the next character as it is. */
static void backslashes(struct kt_test *t)
{
	EXPECT_SH(t, "echo a\\ \\ b", "a  b\n");
	EXPECT_SH(t, "echo a\\|b c\\&", "a|b c&\n");
	EXPECT_SH(t, "echo \\'x\\\" \\\\", "'x\" \\\n");
}

/* Quoted and unquoted pieces next to each other make one word. */
static void concatenation(struct kt_test *t)
{
	EXPECT_SH(t, "echo ab\"c d\"'e f'g", "abc de fg\n");
}

/* An unclosed quote is a syntax error: status 2, nothing run. */
static void unterminated(struct kt_test *t)
{
	char out[128];

	UT_EXPECT_EXITED(t, sh_c("echo 'abc", out, sizeof(out)), 2);
	KT_EXPECT_STREQ(t, out, "sh: unterminated quoted string\n");
	UT_EXPECT_EXITED(t, sh_c("echo \"a\\\"", out, sizeof(out)), 2);
	KT_EXPECT_STREQ(t, out, "sh: unterminated quoted string\n");
}

/* Issue 14's command line, as typed at Spoor's prompt. */
static void busybox_pipeline(struct kt_test *t)
{
	char out[256];
	int st;

	if (access("/bin/busybox", X_OK) < 0)
		KT_SKIP(t, "no /bin/busybox");
	st = sh_c("busybox sh -c 'for i in $(seq 3); do echo $i; done | "
		  "sort -r'",
		  out, sizeof(out));
	UT_EXPECT_EXITED(t, st, 0);
	KT_EXPECT_STREQ(t, out, "3\n2\n1\n");
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(sh_suite, "sh",
	 KT_CASE(plain_words),
	 KT_CASE(single_quotes),
	 KT_CASE(double_quotes),
	 KT_CASE(backslashes),
	 KT_CASE(concatenation),
	 KT_CASE(unterminated),
	 KT_CASE(busybox_pipeline));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
