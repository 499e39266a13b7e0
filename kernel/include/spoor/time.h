/* Kernel time: the PIT tick count. */
#ifndef SPOOR_TIME_H
#define SPOOR_TIME_H

#include <stdint.h>

#define HZ 100

extern volatile uint32_t jiffies;
extern int nanosleepers;

/*
 * Sleep until jiffies reaches @wake_at.  0, or -ERESTARTNOHAND when a
 * signal ended the sleep first, with the ticks still left in *@left.
 */
int sleep_until(uint32_t wake_at, uint32_t *left);

/* Called on every timer interrupt. */
void timer_tick(void);

#endif
