/* poll.h - poll(2). */
#ifndef _POLL_H
#define _POLL_H

#include <spoor/poll.h>

typedef unsigned int nfds_t;

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#endif
