/* Fatal errors: report and stop (or exit QEMU in test runs). */
#ifndef SPOOR_PANIC_H
#define SPOOR_PANIC_H

#include <spoor/compiler.h>

void panic(const char *fmt, ...) __noreturn
	__attribute__((format(printf, 1, 2)));

/* After a fatal report: exit QEMU in test runs, else halt forever. */
void die(void) __noreturn;

/* Print "Backtrace:", @eip unless 0, then the frame-pointer chain. */
void dump_backtrace(uint32_t eip, uint32_t ebp);

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
} while (0)

#endif
