/*
 * poll(2).
 */
#include <poll.h>
#include <sys/syscall.h>

#include "syscall.h"

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return __syscall_ret(__syscall(SYS_poll, fds, nfds, timeout));
}
