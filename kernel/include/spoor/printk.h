/*
 * Kernel console output on COM1.  Every call prints whole lines
 * atomically (interrupts off while the line goes out), so lines from
 * the kernel and from user writes never interleave mid-line.
 */
#ifndef SPOOR_PRINTK_H
#define SPOOR_PRINTK_H

#include <stddef.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write @n raw bytes (user console output); atomic per call. */
void console_write(const char *s, size_t n);

#endif
