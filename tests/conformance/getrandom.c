/*
 * getrandom: the flags (GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE,
 * alone or together, but not GRND_INSECURE with GRND_RANDOM; any other
 * bit is EINVAL, looked at before the buffer), the count (all of it for
 * sizes up to 64 KiB, 0 for 0 unless the buffer lies past user space),
 * EFAULT for a buffer that cannot be written, and the bytes that fit
 * before an unmapped page (Linux 5.18 on: no EFAULT once some are
 * written).  Of the bytes themselves only facts: two calls differ,
 * nothing past the count changes.
 */
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include "conf.h"

#define PAGE		4096
#define MARK		0xa5
#define BIG		65536

static unsigned char buf[BIG + 16];
static const unsigned char read_only[64] = { 1 };

static const struct {
	const char *name;
	unsigned int flags;
} flag_cases[] = {
	{ "0", 0 },
	{ "GRND_NONBLOCK", GRND_NONBLOCK },
	{ "GRND_RANDOM", GRND_RANDOM },
	{ "GRND_INSECURE", GRND_INSECURE },
	{ "GRND_NONBLOCK | GRND_RANDOM", GRND_NONBLOCK | GRND_RANDOM },
	{ "GRND_NONBLOCK | GRND_INSECURE", GRND_NONBLOCK | GRND_INSECURE },
	{ "GRND_INSECURE | GRND_RANDOM", GRND_INSECURE | GRND_RANDOM },
	{ "0x8", 0x8 },
	{ "0x80000000", 0x80000000u },
	{ "~0", ~0u },
};

#define NFLAGS (sizeof(flag_cases) / sizeof(flag_cases[0]))

/* Raw, so that no library code looks at the buffer first. */
static long grnd(void *p, size_t n, unsigned int flags)
{
	return syscall(SYS_getrandom, p, n, flags);
}

/* Is every byte of buf from @from on still MARK? */
static int untouched_from(size_t from)
{
	size_t i;

	for (i = from; i < sizeof(buf); i++)
		if (buf[i] != MARK)
			return 0;
	return 1;
}

static void flags(void)
{
	char what[80];
	unsigned int i;

	for (i = 0; i < NFLAGS; i++) {
		snprintf(what, sizeof(what), "getrandom(buf, 16, %s)",
			 flag_cases[i].name);
		TRY(what, getrandom(buf, 16, flag_cases[i].flags));
	}
	TRY("getrandom(NULL, 16, 0x8)", grnd(NULL, 16, 0x8));
	TRY("getrandom(buf, 0, 0x8)", grnd(buf, 0, 0x8));
}

static void sizes(void)
{
	/* Around Linux's 32-byte and 64-byte blocks, Spoor's 256, a page. */
	static const size_t n[] = {
		1, 16, 32, 33, 64, 255, 256, 257, 1000, PAGE, PAGE + 1, BIG,
	};
	char what[80];
	unsigned int i;
	long r;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		memset(buf, MARK, sizeof(buf));
		r = getrandom(buf, n[i], 0);
		snprintf(what, sizeof(what), "getrandom(buf, %zu, 0)", n[i]);
		say_result(what, r, errno);
		say("  the bytes after it untouched: %s",
		    yes(untouched_from(n[i])));
	}
}

static void bytes(void)
{
	unsigned char a[16], b[16];
	size_t i, same = 0;

	getrandom(a, sizeof(a), 0);
	getrandom(b, sizeof(b), 0);
	say("two calls of 16 bytes differ: %s", yes(memcmp(a, b, 16) != 0));
	memset(buf, MARK, sizeof(buf));
	getrandom(buf, 64, 0);
	for (i = 0; i < 64; i++)
		same += buf[i] == MARK;
	say("64 bytes, not all the old ones: %s", yes(same < 64));
}

static void zero_length(void)
{
	TRY("getrandom(buf, 0, 0)", getrandom(buf, 0, 0));
	TRY("getrandom(NULL, 0, 0)", grnd(NULL, 0, 0));
	TRY("getrandom((void *)1, 0, 0)", grnd((void *)1, 0, 0));
	TRY("getrandom(top page, 0, 0)", grnd(TOP_PAGE, 0, 0));
}

static void faults(void)
{
	char what[80];
	unsigned int i;
	unsigned char *p;

	for (i = 0; i < NBAD_PTRS; i++) {
		snprintf(what, sizeof(what), "getrandom(%s, 16, 0)",
			 bad_ptrs[i].name);
		TRY(what, grnd(bad_ptrs[i].addr, 16, 0));
	}
	TRY("getrandom(read-only data, 16, 0)", grnd((void *)read_only, 16, 0));
	say("read-only data unchanged: %s",
	    yes(read_only[0] == 1 && read_only[1] == 0));

	/* Two pages, the second given back: the first ends at a hole. */
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + PAGE, PAGE) < 0) {
		say("mmap or munmap failed: %s", errno_name(errno));
		return;
	}
	TRY("getrandom(100 bytes before a hole, 200, 0)",
	    grnd(p + PAGE - 100, 200, 0));
	TRY("getrandom(1 byte before a hole, 2, 0)", grnd(p + PAGE - 1, 2, 0));
	TRY("getrandom(1000 bytes before a hole, 2000, 0)",
	    grnd(p + PAGE - 1000, 2000, 0));
	TRY("getrandom(the hole, 16, 0)", grnd(p + PAGE, 16, 0));
	munmap(p, PAGE);
}

int main(void)
{
	conf_init();
	flags();
	sizes();
	bytes();
	zero_length();
	faults();
	return 0;
}
