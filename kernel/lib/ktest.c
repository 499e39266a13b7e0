/*
 * The ktest runner and KTAP v1 printer shared by kernel and user tests.
 * Output shape (one document; each suite is a nested subtest):
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: pmm
 *       1..3
 *       # pmm.c:42: expected a == b, a = 1 (0x1), b = 2 (0x2)
 *       not ok 1 alloc_free
 *       ...
 *   not ok 1 pmm
 *
 * Diagnostics of a case are printed while it runs, so they stand just
 * above its result line, where the host runner looks for them.
 */
#include <stdarg.h>
#include <spoor/format.h>
#include <spoor/ktest.h>
#include <spoor/string.h>

extern const struct kt_suite *const __start_ktest_suites[];
extern const struct kt_suite *const __stop_ktest_suites[];

#define KT_LINE 256

/* Print one line at @depth (4 spaces per level). */
static void kt_line(int depth, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void kt_line(int depth, const char *fmt, ...)
{
	char buf[KT_LINE];
	va_list ap;
	int n = 0;

	while (depth-- > 0 && n < KT_LINE - 4)
		n += snprintf(buf + n, KT_LINE - n, "    ");
	va_start(ap, fmt);
	vsnprintf(buf + n, KT_LINE - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	buf[n++] = '\n';
	kt_write(buf, n);
}

int kt__strcmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

void kt_log(struct kt_test *t, const char *fmt, ...)
{
	char buf[KT_LINE];
	va_list ap;

	(void)t;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kt_line(1, "# %s", buf);
}

/* Keep only the file name: paths make lines long and differ by tree. */
static const char *base(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

void kt_fail_cmp(struct kt_test *t, const char *file, int line,
		 const char *a, const char *op, const char *b,
		 long long va, long long vb)
{
	t->failed = 1;
	kt_line(1, "# %s:%d: expected %s %s %s", base(file), line, a, op, b);
	kt_line(1, "#   %s = %lld (0x%llx)", a, va, va);
	kt_line(1, "#   %s = %lld (0x%llx)", b, vb, vb);
}

void kt_fail_str(struct kt_test *t, const char *file, int line,
		 const char *a, const char *b, const char *va, const char *vb)
{
	t->failed = 1;
	kt_line(1, "# %s:%d: expected %s == %s", base(file), line, a, b);
	kt_line(1, "#   %s = \"%s\"", a, va ? va : "(null)");
	kt_line(1, "#   %s = \"%s\"", b, vb ? vb : "(null)");
}

void kt_fail_true(struct kt_test *t, const char *file, int line,
		  const char *cond)
{
	t->failed = 1;
	kt_line(1, "# %s:%d: expected %s", base(file), line, cond);
}

/* Is @name an element of the comma-separated @list? */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && !strncmp(list, name, n))
			return 1;
		if (!end)
			break;
		list = end + 1;
	}
	return 0;
}

static int selected(const struct kt_suite *s, const char *filter)
{
	if (in_list(filter, s->name))
		return 1;
	return !s->explicit_only && in_list(filter, "all");
}

/* Run one suite as a nested KTAP subtest; return its failed cases. */
static int kt_run_suite(const struct kt_suite *s, int num)
{
	const struct kt_case *c;
	int ncases = 0, failed = 0, i = 0;

	for (c = s->cases; c->run; c++)
		ncases++;
	kt_line(1, "KTAP version 1");
	kt_line(1, "# Subtest: %s", s->name);
	kt_line(1, "1..%d", ncases);
	for (c = s->cases; c->run; c++) {
		struct kt_test t = { c->name, 0, NULL };

		c->run(&t);
		i++;
		if (t.skip && !t.failed)
			kt_line(1, "ok %d %s # SKIP %s", i, c->name, t.skip);
		else
			kt_line(1, "%s %d %s", t.failed ? "not ok" : "ok", i,
				c->name);
		failed += t.failed;
	}
	kt_line(0, "%s %d %s", failed ? "not ok" : "ok", num, s->name);
	return failed;
}

int kt_run(const char *filter)
{
	const struct kt_suite *const *s;
	int nsuites = 0, failed = 0, num = 0;

	// cppcheck-suppress comparePointers ; the linker's section bounds
	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		nsuites += selected(*s, filter);
	if (!nsuites)
		return -1;
	kt_line(0, "KTAP version 1");
	kt_line(0, "1..%d", nsuites);
	// cppcheck-suppress comparePointers ; the linker's section bounds
	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (selected(*s, filter))
			failed += kt_run_suite(*s, ++num);
	kt_line(0, "# %d failed case%s", failed, failed == 1 ? "" : "s");
	return failed;
}

int kt_main(void)
{
	return kt_run("all") ? 1 : 0;
}
