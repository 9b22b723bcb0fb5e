/* SPDX-License-Identifier: MIT */
/* erim_fmt.c: message formatting for refusals and fatal errors, without libc.
 *
 * erim_refuse() and erim__fatal() run with the trusted PKRU (in the gate's
 * slow path, in generated marshallers, in the heap).  vsnprintf would be a
 * libc call through the GOT that reads locale data and stdio state untrusted
 * code can write, so this file formats by hand.  It understands what the
 * runtime and erimgen's generated code use: %% %c %s %d %i %u %o %x %X %p with
 * the flags '#' '0' '-', a width, and the length modifiers hh h l ll z j t.
 * erim_snprintf()/erim_vsnprintf() offer the same to trusted code (erim.h):
 * it reads only its arguments, never locale or stdio state. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "erim_internal.h"

struct out { char *p, *end; };

static void put(struct out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

static void put_num(struct out *o, uintmax_t v, int neg, unsigned base, int upper,
                    const char *prefix, int width, int zero, int left)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, plen = 0;

	do {
		tmp[n++] = dig[v % base];
		v /= base;
	} while (v);
	while (prefix && prefix[plen])
		plen++;
	len = n + plen + (neg ? 1 : 0);
	if (!left && !zero)
		for (; width > len; width--)
			put(o, ' ');
	if (neg)
		put(o, '-');
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!left && zero)
		for (; width > len; width--)
			put(o, '0');
	while (n > 0)
		put(o, tmp[--n]);
	if (left)
		for (; width > len; width--)
			put(o, ' ');
}

size_t erim__vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, buf + (size ? size - 1 : 0) };

	for (const char *f = fmt; *f; f++) {
		int alt = 0, zero = 0, left = 0, width = 0, lng = 0;
		uintmax_t u;
		intmax_t s;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		for (f++;; f++) {
			if (*f == '#')
				alt = 1;
			else if (*f == '0')
				zero = 1;
			else if (*f == '-')
				left = 1;
			else
				break;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		for (;; f++) {
			if (*f == 'h')
				lng = lng > 0 ? lng : -1;
			else if (*f == 'l')
				lng++;
			else if (*f == 'z' || *f == 'j' || *f == 't')
				lng = 2;
			else
				break;
		}
		switch (*f) {
		case 0:
			f--;
			break;
		case '%':
			put(&o, '%');
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (!str)
				str = "(null)";
			while (str[len])
				len++;
			if (!left)
				for (; width > len; width--)
					put(&o, ' ');
			for (int i = 0; i < len; i++)
				put(&o, str[i]);
			for (; width > len; width--)
				put(&o, ' ');
			break;
		}
		case 'd':
		case 'i':
			s = lng >= 2 ? (intmax_t)va_arg(ap, long long)
			  : lng == 1 ? (intmax_t)va_arg(ap, long) : (intmax_t)va_arg(ap, int);
			u = s < 0 ? (uintmax_t)0 - (uintmax_t)s : (uintmax_t)s;
			put_num(&o, u, s < 0, 10, 0, NULL, width, zero, left);
			break;
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			u = lng >= 2 ? (uintmax_t)va_arg(ap, unsigned long long)
			  : lng == 1 ? (uintmax_t)va_arg(ap, unsigned long)
			  : (uintmax_t)va_arg(ap, unsigned);
			if (*f == 'u')
				put_num(&o, u, 0, 10, 0, NULL, width, zero, left);
			else if (*f == 'o')
				put_num(&o, u, 0, 8, 0, alt && u ? "0" : NULL, width, zero, left);
			else
				put_num(&o, u, 0, 16, *f == 'X', alt && u ? (*f == 'X' ? "0X" : "0x") : NULL,
				        width, zero, left);
			break;
		case 'p':
			put_num(&o, (uintptr_t)va_arg(ap, void *), 0, 16, 0, "0x", width, zero, left);
			break;
		default:        /* unknown conversion: print it as written */
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	if (size)
		*o.p = 0;
	return (size_t)(o.p - buf);
}

size_t erim_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return erim__vfmt(buf, size, fmt, ap);
}

size_t erim_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = erim__vfmt(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
