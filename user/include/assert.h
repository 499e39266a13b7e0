/*
 * assert.h - assert(expr): when expr is false, print glibc's message
 * ("prog: file:line: func: Assertion `expr' failed.") and abort.
 * Defining NDEBUG turns it off. Unlike other headers this one may be
 * included again with NDEBUG changed, so it has no include guard.
 */
#undef assert

#ifdef NDEBUG
#define assert(expr)	((void)0)
#else
#define assert(expr)							\
	((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func) __attribute__((noreturn));
