/*
 * The environment: set up by __libc_start from the initial stack.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char **environ;

/* The value of NAME=value in environ, or NULL. */
char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e;

	if (!environ)
		return NULL;
	for (e = environ; *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}
