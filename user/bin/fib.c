/*
 * fib N - Fibonacci by naive recursion: btrace's demo, so every step is a
 * real call and return (many branches with a known shape).
 */
#include <stdio.h>
#include <stdlib.h>

/*
 * noinline keeps fib a function of its own, and extern keeps the plain
 * cdecl convention (gcc passes a static one's argument in eax). Without
 * sibling-call optimisation gcc cannot turn the second recursive call
 * into a loop, which -O2 would otherwise do by accumulating the sum.
 */
#define NO_SIBLING_CALLS \
	__attribute__((noinline, optimize("no-optimize-sibling-calls")))

unsigned long fib(unsigned int n);

NO_SIBLING_CALLS unsigned long fib(unsigned int n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long n;

	if (argc != 2) {
		fprintf(stderr, "usage: fib N\n");
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (*end || end == argv[1] || n > 47) {
		fprintf(stderr, "fib: N must be a number from 0 to 47\n");
		return 2;
	}
	printf("fib(%lu) = %lu\n", n, fib(n));
	return 0;
}
