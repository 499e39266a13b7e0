/*
 * String to integer conversions: strtoul, strtol, atoi, atol.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 36;
}

/*
 * The common parser: optional white space and sign, then digits in @base
 * (0: decimal, 0x hex, 0 octal; 16 accepts a 0x prefix). The magnitude
 * goes to *@mag (clamped to ULONG_MAX with *@overflow set); returns the
 * sign (-1 or 1). *@end is @s when there are no digits at all.
 */
static int parse(const char *s, const char **end, int base, unsigned long *mag,
		 int *overflow)
{
	const char *p = s;
	unsigned long v = 0;
	int neg = 0, d, any = 0;

	*overflow = 0;
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && isxdigit(p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (; (d = digit_value(*p)) < base; p++, any = 1) {
		if (v > (ULONG_MAX - d) / base)
			*overflow = 1;
		else
			v = v * base + d;
	}
	*end = any ? p : s;
	*mag = *overflow ? ULONG_MAX : v;
	return neg ? -1 : 1;
}

/* As C: a leading '-' negates the result; ERANGE on overflow. */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *e;
	unsigned long mag;
	int overflow, sign;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	sign = parse(s, &e, base, &mag, &overflow);
	if (end)
		*end = (char *)e;
	if (overflow) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return sign < 0 ? -mag : mag;
}

/* Clamps to LONG_MIN/LONG_MAX with ERANGE. */
long strtol(const char *s, char **end, int base)
{
	const char *e;
	unsigned long mag;
	int overflow, sign;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	sign = parse(s, &e, base, &mag, &overflow);
	if (end)
		*end = (char *)e;
	if (sign > 0 && (overflow || mag > LONG_MAX)) {
		errno = ERANGE;
		return LONG_MAX;
	}
	if (sign < 0 && (overflow || mag > (unsigned long)LONG_MAX + 1)) {
		errno = ERANGE;
		return LONG_MIN;
	}
	return sign < 0 ? (long)-mag : (long)mag;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}
