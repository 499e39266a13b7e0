/*
 * Resource limits: getrlimit(2) in its three i386 forms and
 * prlimit64(2).  Spoor keeps every limit a program sets and reports it
 * back; it enforces only what its own design fixes anyway (the
 * descriptor table's NR_OPEN slots, the 8 MiB stack), so those two
 * start at Spoor's real values and cannot be raised past them.
 */
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/resource.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

#define RLIM_INFINITY32		0xffffffffu	/* ugetrlimit, setrlimit */
#define RLIM_INFINITY_OLD	0x7fffffffu	/* the old getrlimit's */

struct rlimit32 {
	uint32_t rlim_cur, rlim_max;
};

/* Limits that stand for something Spoor cannot go past. */
static const uint64_t rlimit_ceiling[RLIM_NLIMITS] = {
	[RLIMIT_NOFILE] = NR_OPEN,
	[RLIMIT_STACK] = USER_STACK_MAX,
	[RLIMIT_NPROC] = NR_TASKS_MAX,
};

void rlimit_init(struct task_struct *t)
{
	unsigned i;
	uint64_t v;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		v = rlimit_ceiling[i] ? rlimit_ceiling[i] : RLIM64_INFINITY;
		t->rlim[i].rlim_cur = t->rlim[i].rlim_max = v;
	}
	t->rlim[RLIMIT_CORE].rlim_cur = 0;	/* no core dumps */
	t->rlim[RLIMIT_NICE].rlim_cur = t->rlim[RLIMIT_NICE].rlim_max = 0;
	t->rlim[RLIMIT_RTPRIO].rlim_cur = t->rlim[RLIMIT_RTPRIO].rlim_max = 0;
}

/*
 * Linux's do_prlimit: set @t's limit @resource to *@lim (if any),
 * after reporting the old one in *@old (if asked).  0 or -errno.
 */
static int do_prlimit(struct task_struct *t, unsigned resource,
		      const struct rlimit64 *lim, struct rlimit64 *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (lim && lim->rlim_cur > lim->rlim_max)	/* soft above hard */
		return -EINVAL;
	if (lim && rlimit_ceiling[resource] &&
	    lim->rlim_max > rlimit_ceiling[resource])	/* like nr_open */
		return -EPERM;
	if (old)
		*old = t->rlim[resource];
	if (lim)
		t->rlim[resource] = *lim;
	return 0;
}

static uint32_t clip32(uint64_t v, uint32_t infinity)
{
	return v > infinity ? infinity : (uint32_t)v;
}

static uint64_t widen32(uint32_t v)
{
	return v == RLIM_INFINITY32 ? RLIM64_INFINITY : v;
}

/* getrlimit(2) at 76: the old ABI, infinity is 0x7fffffff. */
long sys_getrlimit(unsigned resource, void *urlim)
{
	struct rlimit64 r;
	struct rlimit32 r32;
	int err = do_prlimit(current, resource, NULL, &r);

	if (err)
		return err;
	r32.rlim_cur = clip32(r.rlim_cur, RLIM_INFINITY_OLD);
	r32.rlim_max = clip32(r.rlim_max, RLIM_INFINITY_OLD);
	return copy_to_user(urlim, &r32, sizeof(r32)) ? -EFAULT : 0;
}

/* ugetrlimit(2) at 191: what glibc's getrlimit calls. */
long sys_ugetrlimit(unsigned resource, void *urlim)
{
	struct rlimit64 r;
	struct rlimit32 r32;
	int err = do_prlimit(current, resource, NULL, &r);

	if (err)
		return err;
	r32.rlim_cur = clip32(r.rlim_cur, RLIM_INFINITY32);
	r32.rlim_max = clip32(r.rlim_max, RLIM_INFINITY32);
	return copy_to_user(urlim, &r32, sizeof(r32)) ? -EFAULT : 0;
}

long sys_setrlimit(unsigned resource, const void *urlim)
{
	struct rlimit32 r32;
	struct rlimit64 r;

	if (copy_from_user(&r32, urlim, sizeof(r32)))
		return -EFAULT;
	r.rlim_cur = widen32(r32.rlim_cur);
	r.rlim_max = widen32(r32.rlim_max);
	return do_prlimit(current, resource, &r, NULL);
}

/*
 * prlimit64(2): @pid 0 is the caller; everyone is root, so any task.
 * The order is Linux's: the new limit is read before the pid is looked
 * up (EFAULT beats ESRCH), the resource checked after (ESRCH beats
 * EINVAL), and the new limit is set even when the old one cannot be
 * written back.
 */
long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *unew,
		   struct rlimit64 *uold)
{
	struct rlimit64 lim, old;
	struct task_struct *t;
	int err;

	if (unew && copy_from_user(&lim, unew, sizeof(lim)))
		return -EFAULT;
	t = pid ? find_task(pid) : current;
	if (!t)				/* none, or a negative pid */
		return -ESRCH;
	err = do_prlimit(t, resource, unew ? &lim : NULL, &old);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
