/*
 * Sleeping and yielding.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "syscall.h"

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return __syscall_ret(__syscall(SYS_nanosleep, req, rem));
}

/* Returns 0, or the seconds left when a signal handler cut it short. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };

	if (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		return ts.tv_sec + (ts.tv_nsec > 0);
	return 0;
}

int usleep(unsigned int usec)
{
	struct timespec ts = {
		.tv_sec = usec / 1000000,
		.tv_nsec = (long)(usec % 1000000) * 1000,
	};

	return nanosleep(&ts, NULL);
}

int sched_yield(void)
{
	return __syscall_ret(__syscall(SYS_sched_yield));
}
