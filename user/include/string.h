/*
 * string.h - the shared freestanding string functions (kernel/lib/string.c,
 * declared in <spoor/string.h>) plus the few that need user space.
 */
#ifndef _STRING_H
#define _STRING_H

#include <spoor/string.h>

char *strerror(int errnum);
char *strdup(const char *s);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

#endif /* _STRING_H */
