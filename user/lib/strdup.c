/*
 * strdup: a malloc'd copy of a string.
 */
#include <stdlib.h>
#include <string.h>

/* NULL with ENOMEM (from malloc) when out of memory. */
char *strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = malloc(len);

	if (p)
		memcpy(p, s, len);
	return p;
}
