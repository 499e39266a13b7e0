/*
 * The tick: jiffies counts PIT interrupts since boot (HZ per second).
 * Later the scheduler hangs off timer_tick for preemption.
 */
#include <spoor/time.h>

volatile uint32_t jiffies;

void timer_tick(void)
{
	jiffies++;
}
