/*
 * getrandom(2)'s flags (Linux's), shared by the kernel (random.c) and
 * the user library's <sys/random.h>.
 */
#ifndef SPOOR_RANDOM_ABI_H
#define SPOOR_RANDOM_ABI_H

#define GRND_NONBLOCK	0x0001	/* EAGAIN rather than wait for the pool */
#define GRND_RANDOM	0x0002	/* the "blocking" pool (once a separate one) */
#define GRND_INSECURE	0x0004	/* never wait, even before the pool is ready */

#endif
