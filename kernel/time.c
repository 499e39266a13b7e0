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

struct timespec64 {
	int64_t tv_sec;
	int32_t tv_nsec, pad;
};

/*
 * A user timespec (the 32-bit one, or with @wide the 64-bit one) in
 * ticks, rounded up; 0, -EFAULT or -EINVAL.
 */
static int timespec_ticks(const void *uts, int wide, uint32_t *ticks)
{
	struct timespec64 ts = { 0 };
	struct timespec32 ts32;

	if (wide && copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (!wide) {
		if (copy_from_user(&ts32, uts, sizeof(ts32)))
			return -EFAULT;
		ts.tv_sec = ts32.tv_sec;
		ts.tv_nsec = ts32.tv_nsec;
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if (ts.tv_sec > (int64_t)(INT32_MAX / HZ) - 1)
		ts.tv_sec = INT32_MAX / HZ - 1;	/* about eight months */
	*ticks = ts.tv_sec * HZ +
		 (ts.tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	return 0;
}

int sleep_until(uint32_t wake_at, uint32_t *left)
{
	uint32_t flags;
	int err = 0;

	current->wake_at = wake_at;
	flags = irq_save();
	nanosleepers++;
	while ((int32_t)(current->wake_at - jiffies) > 0 && !err)
		err = sleep_on((void *)&jiffies);
	nanosleepers--;
	irq_restore(flags);
	*left = 0;
	if ((int32_t)(current->wake_at - jiffies) > 0)
		*left = current->wake_at - jiffies;
	current->wake_at = 0;
	return err ? -ERESTARTNOHAND : 0;
}

/* Write a time to the user timespec @uts (32- or, with @wide, 64-bit). */
static int put_timespec(void *uts, int wide, uint32_t sec, uint32_t nsec)
{
	struct timespec64 ts = { sec, nsec, 0 };
	struct timespec32 ts32 = { sec, nsec };

	if (wide)
		return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
	return copy_to_user(uts, &ts32, sizeof(ts32)) ? -EFAULT : 0;
}

static int put_ticks(void *uts, int wide, uint32_t ticks)
{
	return put_timespec(uts, wide, ticks / HZ,
			    (ticks % HZ) * NSEC_PER_TICK);
}

/*
 * nanosleep(2) in whole ticks, rounded up.  A signal ends the sleep
 * early: the time left goes to @urem and the call fails with EINTR
 * (or restarts if no handler runs).
 */
long sys_nanosleep(const void *ureq, void *urem)
{
	uint32_t ticks, left;
	int err = timespec_ticks(ureq, 0, &ticks);

	if (err)
		return err;
	err = sleep_until(jiffies + ticks, &left);
	if (err && urem && put_ticks(urem, 0, left))
		return -EFAULT;
	return err;
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

static long clock_gettime(int id, void *uts, int wide)
{
	uint32_t sec, nsec;
	int err = clock_read(id, &sec, &nsec);

	return err ? err : put_timespec(uts, wide, sec, nsec);
}

long sys_clock_gettime(int id, void *uts)
{
	return clock_gettime(id, uts, 0);
}

long sys_clock_gettime64(int id, void *uts)
{
	return clock_gettime(id, uts, 1);
}

#define TIMER_ABSTIME	1

/*
 * clock_nanosleep(2): nanosleep on clock @id, until an absolute time
 * with TIMER_ABSTIME (then no time left is reported).  Every clock
 * here counts the same ticks.
 */
static long clock_nanosleep(int id, int flags, const void *ureq, void *urem,
			    int wide)
{
	uint32_t sec, nsec, ticks, left, now = jiffies;
	int err = clock_read(id, &sec, &nsec);

	if (err)
		return err;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	err = timespec_ticks(ureq, wide, &ticks);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME) {
		if ((int32_t)(ticks - now) <= 0)	/* already past */
			return 0;
		return sleep_until(ticks, &left);
	}
	err = sleep_until(now + ticks, &left);
	if (err && urem && put_ticks(urem, wide, left))
		return -EFAULT;
	return err;
}

long sys_clock_nanosleep(int id, int flags, const void *ureq, void *urem)
{
	return clock_nanosleep(id, flags, ureq, urem, 0);
}

long sys_clock_nanosleep_time64(int id, int flags, const void *ureq, void *urem)
{
	return clock_nanosleep(id, flags, ureq, urem, 1);
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
