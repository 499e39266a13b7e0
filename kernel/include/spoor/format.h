/*
 * The printf engine shared by printk, snprintf and the user library.
 */
#ifndef SPOOR_FORMAT_H
#define SPOOR_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Called once per output character with the caller's cookie. */
typedef void (*format_emit_t)(char c, void *arg);

int vformat(format_emit_t emit, void *arg, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
