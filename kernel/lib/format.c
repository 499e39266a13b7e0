/*
 * vformat: the one printf engine of Spoor, used by printk, snprintf and
 * the user library's stdio.  Conversions: d i u x X o c s p %; flags
 * - 0 + space #; width and precision (also *); lengths hh h l ll z.
 * No floating point: neither the kernel nor the demos need it.
 */
#include <spoor/format.h>
#include <spoor/string.h>

struct spec {
	int left, zero, plus, space, alt;
	int width, prec;	/* prec < 0: none given */
	int len;		/* 'H' hh, 'h', 0 int, 'l', 'L' ll, 'z' */
};

struct out {
	format_emit_t emit;
	void *arg;
	int count;
};

static void put(struct out *o, char c)
{
	o->emit(c, o->arg);
	o->count++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emit @s of length @n padded to the field width. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
		      int n)
{
	int i;

	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

/*
 * Emit an integer: @prefix ("-", "0x", ...) then digits, with zero
 * padding from the precision or the 0 flag, then the field width.
 */
static void put_number(struct out *o, const struct spec *sp,
		       unsigned long long v, unsigned base, int upper,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0, plen = strlen(prefix), zeros = 0, total;

	while (v) {
		// cppcheck-suppress zerodivcond ; base is 8, 10 or 16
		buf[n++] = digits[v % base];
		v /= base;
	}
	if (sp->prec < 0 && n == 0)
		buf[n++] = '0';
	if (sp->prec > n)
		zeros = sp->prec - n;
	total = plen + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	while (*prefix)
		put(o, *prefix++);
	pad(o, '0', zeros);
	while (n)
		put(o, buf[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static unsigned long long get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	default:  return va_arg(*ap, unsigned);
	}
}

static long long get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (long long)va_arg(*ap, size_t);
	default:  return va_arg(*ap, int);
	}
}

/* Parse flags, width, precision and length; return the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f == '+')
			sp->plus = 1;
		else if (*f == ' ')
			sp->space = 1;
		else if (*f == '#')
			sp->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + *f++ - '0';
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + *f++ - '0';
	}
	for (;; f++) {
		if (*f == 'h')
			sp->len = sp->len == 'h' ? 'H' : 'h';
		else if (*f == 'l')
			sp->len = sp->len == 'l' ? 'L' : 'l';
		else if (*f == 'z')
			sp->len = 'z';
		else
			return f;
	}
}

static void convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
	long long sv;
	const char *s;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		sv = get_signed(sp, ap);
		put_number(o, sp, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv, 10, 0,
			   sv < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "");
		break;
	case 'u':
		put_number(o, sp, get_unsigned(sp, ap), 10, 0, "");
		break;
	case 'x':
	case 'X':
		sv = get_unsigned(sp, ap);
		put_number(o, sp, sv, 16, c == 'X',
			   sp->alt && sv ? (c == 'X' ? "0X" : "0x") : "");
		break;
	case 'o':
		sv = get_unsigned(sp, ap);
		put_number(o, sp, sv, 8, 0, sp->alt && sv ? "0" : "");
		break;
	case 'p':		/* glibc's format, so outputs compare equal */
		sp->len = 'l';
		sv = get_unsigned(sp, ap);
		if (sv)
			put_number(o, sp, sv, 16, 0, "0x");
		else
			put_field(o, sp, "(nil)", 5);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_field(o, sp, &ch, 1);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put_field(o, sp, s, sp->prec < 0 ? (int)strlen(s) :
			  (int)strnlen(s, sp->prec));
		break;
	default:		/* %% and unknown conversions print themselves */
		put(o, c);
		break;
	}
}

int vformat(format_emit_t emit, void *arg, const char *fmt, va_list ap)
{
	struct out o = { emit, arg, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (!*fmt)
			break;
		convert(&o, &sp, *fmt, &args);
	}
	va_end(args);
	return o.count;
}
