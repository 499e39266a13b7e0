/*
 * ktest: suites of test cases printed as KTAP v1.  Shared by the kernel
 * (suites run when the command line says ktest=...) and by user test
 * programs (which call kt_main).  The environment supplies kt_write().
 *
 * A case is a function taking `struct kt_test *t`; inside it the
 * KT_EXPECT_* macros record a failure and go on, KT_ASSERT_* record it
 * and return from the case, KT_SKIP returns with a reason.
 */
#ifndef SPOOR_KTEST_H
#define SPOOR_KTEST_H

#include <stddef.h>
#include <stdint.h>

struct kt_test {
	const char *name;
	int failed;
	const char *skip;	/* non-NULL: case skipped for this reason */
};

struct kt_case {
	const char *name;
	void (*run)(struct kt_test *t);
};

struct kt_suite {
	const char *name;
	const struct kt_case *cases;	/* ends with an all-zero entry */
	int explicit_only;	/* not part of "all" (e.g. deliberate crashes) */
};

/* Register a suite in the ktest_suites section (kernel and user alike). */
#define KT_SUITE(var, sname, ...)					\
	static const struct kt_case var##_cases[] = { __VA_ARGS__, { 0, 0 } }; \
	static const struct kt_suite var = { sname, var##_cases, 0 };	\
	static const struct kt_suite *const var##_ptr			\
		__attribute__((used, section("ktest_suites"))) = &var

#define KT_SUITE_EXPLICIT(var, sname, ...)				\
	static const struct kt_case var##_cases[] = { __VA_ARGS__, { 0, 0 } }; \
	static const struct kt_suite var = { sname, var##_cases, 1 };	\
	static const struct kt_suite *const var##_ptr			\
		__attribute__((used, section("ktest_suites"))) = &var

#define KT_CASE(fn) { #fn, fn }

/* Supplied by the environment: write one complete line (or part). */
void kt_write(const char *s, size_t n);

void kt_log(struct kt_test *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kt_fail_cmp(struct kt_test *t, const char *file, int line,
		 const char *a, const char *op, const char *b,
		 long long va, long long vb);
void kt_fail_str(struct kt_test *t, const char *file, int line,
		 const char *a, const char *b, const char *va, const char *vb);
void kt_fail_true(struct kt_test *t, const char *file, int line,
		  const char *cond);

/*
 * Run every registered suite whose name is in the comma-separated
 * @filter ("all" = every suite not marked explicit_only).  Prints one
 * KTAP document.  Returns the number of failed cases; -1 when the
 * filter matched nothing.
 */
int kt_run(const char *filter);

/* User programs: run all suites, return 0 if all passed, else 1. */
int kt_main(void);

#define KT__CMP(t, fatal, a, op, b) do {				\
	long long kt_a_ = (long long)(a), kt_b_ = (long long)(b);	\
	if (!(kt_a_ op kt_b_)) {					\
		kt_fail_cmp(t, __FILE__, __LINE__, #a, #op, #b, kt_a_, kt_b_); \
		if (fatal)						\
			return;						\
	}								\
} while (0)

#define KT__TRUE(t, fatal, c) do {					\
	if (!(c)) {							\
		kt_fail_true(t, __FILE__, __LINE__, #c);		\
		if (fatal)						\
			return;						\
	}								\
} while (0)

#define KT__STREQ(t, fatal, a, b) do {					\
	const char *kt_a_ = (a), *kt_b_ = (b);				\
	if (!kt_a_ || !kt_b_ || kt__strcmp(kt_a_, kt_b_)) {		\
		kt_fail_str(t, __FILE__, __LINE__, #a, #b, kt_a_, kt_b_); \
		if (fatal)						\
			return;						\
	}								\
} while (0)

int kt__strcmp(const char *a, const char *b);

#define KT_EXPECT_TRUE(t, c)	KT__TRUE(t, 0, c)
#define KT_EXPECT_FALSE(t, c)	KT__TRUE(t, 0, !(c))
#define KT_EXPECT_EQ(t, a, b)	KT__CMP(t, 0, a, ==, b)
#define KT_EXPECT_NE(t, a, b)	KT__CMP(t, 0, a, !=, b)
#define KT_EXPECT_LT(t, a, b)	KT__CMP(t, 0, a, <, b)
#define KT_EXPECT_LE(t, a, b)	KT__CMP(t, 0, a, <=, b)
#define KT_EXPECT_GT(t, a, b)	KT__CMP(t, 0, a, >, b)
#define KT_EXPECT_GE(t, a, b)	KT__CMP(t, 0, a, >=, b)
#define KT_EXPECT_STREQ(t, a, b) KT__STREQ(t, 0, a, b)
#define KT_ASSERT_TRUE(t, c)	KT__TRUE(t, 1, c)
#define KT_ASSERT_FALSE(t, c)	KT__TRUE(t, 1, !(c))
#define KT_ASSERT_EQ(t, a, b)	KT__CMP(t, 1, a, ==, b)
#define KT_ASSERT_NE(t, a, b)	KT__CMP(t, 1, a, !=, b)
#define KT_ASSERT_LT(t, a, b)	KT__CMP(t, 1, a, <, b)
#define KT_ASSERT_LE(t, a, b)	KT__CMP(t, 1, a, <=, b)
#define KT_ASSERT_GT(t, a, b)	KT__CMP(t, 1, a, >, b)
#define KT_ASSERT_GE(t, a, b)	KT__CMP(t, 1, a, >=, b)
#define KT_ASSERT_STREQ(t, a, b) KT__STREQ(t, 1, a, b)

/* Pointers compare as unsigned addresses. */
#define KT_EXPECT_PTR_EQ(t, a, b) KT_EXPECT_EQ(t, (uintptr_t)(a), (uintptr_t)(b))
#define KT_EXPECT_PTR_NE(t, a, b) KT_EXPECT_NE(t, (uintptr_t)(a), (uintptr_t)(b))
#define KT_ASSERT_PTR_NE(t, a, b) KT_ASSERT_NE(t, (uintptr_t)(a), (uintptr_t)(b))

#define KT_SKIP(t, reason) do { (t)->skip = (reason); return; } while (0)

#endif
