/*
 * Time: the tick count (jiffies, HZ per second, advanced by the timer
 * interrupt in kernel/sched.c) and nanosleep.
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/sched.h>
#include <spoor/syscalls.h>
#include <spoor/time.h>

volatile uint32_t jiffies;
int nanosleepers;		/* tasks in nanosleep: the tick wakes them */

struct timespec32 {
	int32_t tv_sec, tv_nsec;
};

#define NSEC_PER_TICK	(1000000000 / HZ)

/*
 * nanosleep(2) in whole ticks, rounded up.  A signal ends the sleep
 * early: the time left goes to @urem and the call fails with EINTR
 * (or restarts if no handler runs).
 */
long sys_nanosleep(const void *ureq, void *urem)
{
	struct timespec32 req, rem;
	uint32_t flags, left;
	int err = 0;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	current->wake_at = jiffies + req.tv_sec * HZ +
			   (req.tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	flags = irq_save();
	nanosleepers++;
	while ((int32_t)(current->wake_at - jiffies) > 0 && !err)
		err = sleep_on((void *)&jiffies);
	nanosleepers--;
	irq_restore(flags);
	left = (int32_t)(current->wake_at - jiffies) > 0 ?
	       current->wake_at - jiffies : 0;
	current->wake_at = 0;
	if (!err)
		return 0;
	rem.tv_sec = left / HZ;
	rem.tv_nsec = (left % HZ) * NSEC_PER_TICK;
	if (urem && copy_to_user(urem, &rem, sizeof(rem)))
		return -EFAULT;
	return -ERESTARTNOHAND;
}
