/*
 * Internal: the printers of a traced process's values (tracee_print.c),
 * shared with the system call decoder (syscall_decode.c).  Each appends
 * to the string in @out of @size bytes, as sc_append does.
 */
#ifndef _USER_LIB_TRACEE_PRINT_H
#define _USER_LIB_TRACEE_PRINT_H

#include <stddef.h>
#include <sys/types.h>

#include <spoor_syscalls.h>

/* Copy up to @n bytes at @addr in @pid to @buf; the count copied. */
size_t sc_peek_bytes(pid_t pid, unsigned long addr, void *buf, size_t n);
/* One word at @addr; 0 on success, -1 when it cannot be read. */
int sc_peek_long(pid_t pid, unsigned long addr, long *out);

/* NULL, or the pointer in hex. */
void sc_add_ptr(char *out, size_t size, unsigned long p);
/* The string at @addr, quoted; its address if it cannot be read. */
void sc_add_string_at(char *out, size_t size, pid_t pid, unsigned long addr);
/* @len bytes at @addr, quoted, at most SC_STR_MAX of them. */
void sc_add_buffer_at(char *out, size_t size, pid_t pid, unsigned long addr,
		      long len);
/* @v as NAME|NAME|0xrest from flag table @which; @zero when @v is 0. */
void sc_add_flags(char *out, size_t size, unsigned long v, enum sc_names which,
		  const char *zero);
/* The name of value @v in table @which, or @v in hex. */
void sc_add_enum(char *out, size_t size, long v, enum sc_names which);
/* SIGINT, or the number when it has no name. */
void sc_add_signal(char *out, size_t size, long sig);
/* A sigset_t (64 bits) at @addr: [INT CHLD], ~[...] when mostly full. */
void sc_add_sigset_at(char *out, size_t size, pid_t pid, unsigned long addr);
/* The kernel's struct sigaction (i386) at @addr: handler, mask, flags. */
void sc_add_sigaction_at(char *out, size_t size, pid_t pid, unsigned long addr);

#endif
