/*
 * qsort: Shell sort with Knuth's gap sequence. O(n^1.5), in place, no
 * recursion, a dozen lines; plenty for the small arrays Spoor programs
 * sort (directory listings, process tables).
 */
#include <stdlib.h>

static void swap(char *a, char *b, size_t size)
{
	char t;

	while (size--) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *))
{
	char *a = base;
	size_t gap, i, j;

	for (gap = 1; gap < n / 3; gap = 3 * gap + 1)
		;
	for (; gap > 0; gap /= 3)
		for (i = gap; i < n; i++)
			for (j = i; j >= gap &&
				    cmp(a + (j - gap) * size, a + j * size) > 0;
			     j -= gap)
				swap(a + (j - gap) * size, a + j * size, size);
}
