/* Kernel time: the PIT tick count. */
#ifndef SPOOR_TIME_H
#define SPOOR_TIME_H

#include <stdint.h>

#define HZ 100

extern volatile uint32_t jiffies;
extern int nanosleepers;

/* Called on every timer interrupt. */
void timer_tick(void);

#endif
