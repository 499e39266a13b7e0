/*
 * Random bytes (spoor/random.h): splitmix64 over a state that every
 * call stirs with whatever varies, and getrandom(2) on top of it.
 */
#include <asm/cpuid.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/random.h>
#include <spoor/random_abi.h>
#include <spoor/string.h>
#include <spoor/time.h>

#define GRND_VALID	(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)
#define GETRANDOM_MAX	0x7fffffffu	/* Linux caps a call at INT_MAX */
#define GETRANDOM_CHUNK	256

static uint64_t state = 0x5370306f72ull;	/* "Spoor" */

static uint64_t splitmix64(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void get_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	/* The 486 has no TSC: then the tick count alone moves the state. */
	if (boot_cpu.feat_edx & CPUID1_EDX_TSC)
		state ^= rdtsc();
	state ^= (uint64_t)jiffies << 32;
	while (n) {
		uint64_t r = splitmix64();
		size_t k = MIN(n, sizeof(r));

		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

/*
 * getrandom(2): @count bytes (at most INT_MAX) into @ubuf.  The pool
 * never blocks, so GRND_NONBLOCK and GRND_RANDOM change nothing; the
 * flags must still be valid, and GRND_INSECURE with GRND_RANDOM is
 * EINVAL as on Linux.  As Linux's get_random_bytes_user, a fault ends
 * the call with the bytes written before it, to the byte; EFAULT only
 * when there are none.
 */
long sys_getrandom(void *ubuf, size_t count, unsigned flags)
{
	uint8_t chunk[GETRANDOM_CHUNK];
	size_t done = 0, k, left;

	if (flags & ~GRND_VALID)
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	count = MIN(count, GETRANDOM_MAX);
	if (!user_range_ok((uintptr_t)ubuf, count))
		return -EFAULT;
	if (!count)	/* after the range check: past user space is EFAULT */
		return 0;
	while (done < count) {
		k = MIN(count - done, sizeof(chunk));
		get_random_bytes(chunk, k);
		/* The whole range is user space (above): copy_safe may go. */
		left = copy_safe((uint8_t *)ubuf + done, chunk, k);
		done += k - left;
		if (left)
			break;
	}
	return done ? (long)done : -EFAULT;
}
