/*
 * ptrace(request, pid, addr, data), with glibc's calling convention.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/ptrace.h>

#include "syscall.h"

static int is_peek(int request)
{
	return request == PTRACE_PEEKTEXT || request == PTRACE_PEEKDATA ||
	       request == PTRACE_PEEKUSER;
}

/*
 * The kernel's PEEK requests store the word at the address in data; the
 * C interface returns it instead, so pass a local and return its value.
 * A successful peek sets errno to 0: the word may legitimately be -1, and
 * callers tell it from an error by clearing errno and checking it.
 */
long ptrace(int request, ...)
{
	va_list ap;
	pid_t pid;
	void *addr, *data;
	long word = 0, ret;

	va_start(ap, request);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);

	if (is_peek(request))
		data = &word;
	ret = __syscall(SYS_ptrace, request, pid, addr, data);
	if (is_peek(request) && ret >= 0) {
		errno = 0;
		return word;
	}
	return __syscall_ret(ret);
}
