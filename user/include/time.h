/*
 * time.h - sleeping. Spoor keeps no wall clock, so no time() or
 * gettimeofday().
 */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

int nanosleep(const struct timespec *req, struct timespec *rem);

#endif /* _TIME_H */
