/*
 * Signal set operations. Signal n is bit n - 1, as the kernel counts.
 */
#include <errno.h>
#include <signal.h>

#define BITS_PER_WORD	(8 * sizeof(unsigned long))
/* Fenced: clang-format 14 would write (sig)-1, as if a cast. */
/* clang-format off */
#define WORD(sig)	(((sig) - 1) / BITS_PER_WORD)
#define BIT(sig)	(1UL << (((sig) - 1) % BITS_PER_WORD))
/* clang-format on */

static int bad_signal(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
	set->sig[1] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = ~0UL;
	set->sig[1] = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	set->sig[WORD(sig)] |= BIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	set->sig[WORD(sig)] &= ~BIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return !!(set->sig[WORD(sig)] & BIT(sig));
}
