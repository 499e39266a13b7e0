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

/*
 * The clocks.  Spoor reads no real-time clock chip: CLOCK_REALTIME
 * starts at the epoch when the machine boots, so it equals
 * CLOCK_MONOTONIC, both in ticks.  Per-process CPU clocks are not
 * kept: EINVAL, as for a clock that does not exist.
 */
#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

struct timespec64 {
	int64_t tv_sec;
	int32_t tv_nsec, pad;
};

static const uint8_t tick_clocks[] = {
	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
	CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
};

/* The time on clock @id, in seconds and nanoseconds; 0 or -EINVAL. */
static int clock_read(int id, uint32_t *sec, uint32_t *nsec)
{
	uint32_t now = jiffies;
	unsigned i;

	for (i = 0; i < sizeof(tick_clocks); i++) {
		if (id != tick_clocks[i])
			continue;
		*sec = now / HZ;
		*nsec = (now % HZ) * NSEC_PER_TICK;
		return 0;
	}
	return -EINVAL;
}

long sys_clock_gettime(int id, void *uts)
{
	struct timespec32 ts;
	uint32_t sec, nsec;
	int err = clock_read(id, &sec, &nsec);

	if (err)
		return err;
	ts.tv_sec = sec;
	ts.tv_nsec = nsec;
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_gettime64(int id, void *uts)
{
	struct timespec64 ts = { 0 };
	uint32_t sec, nsec;
	int err = clock_read(id, &sec, &nsec);

	if (err)
		return err;
	ts.tv_sec = sec;
	ts.tv_nsec = nsec;
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* clock_getres(2): every clock counts whole ticks. */
long sys_clock_getres(int id, void *uts)
{
	struct timespec32 ts = { 0, NSEC_PER_TICK };
	uint32_t sec, nsec;
	int err = clock_read(id, &sec, &nsec);

	if (err)
		return err;
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/* gettimeofday(2): CLOCK_REALTIME in microseconds; no time zone. */
long sys_gettimeofday(void *utv, void *utz)
{
	struct timespec32 tv;
	uint32_t sec, nsec;

	clock_read(CLOCK_REALTIME, &sec, &nsec);
	tv.tv_sec = sec;
	tv.tv_nsec = nsec / 1000;	/* tv_usec */
	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copy_to_user(utz, &(uint32_t[2]){ 0, 0 }, 8))
		return -EFAULT;
	return 0;
}
