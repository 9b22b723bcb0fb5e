/* SPDX-License-Identifier: MIT */
/* erim_gate_refuse.c: refusals by trusted gate code -- the slow path, the
 * direct path and erim_callback_call.  They run with trusted rights, and a
 * thread reaching them controls its own %fs: libc's printf and write would
 * read locale data and write errno through it.  So the line is formatted
 * here, with no libc (only %s, %u, %zu, %lx and %#lx), and erim__die_msg
 * (erim_abort.S) writes it with a raw system call, drops to the untrusted
 * PKRU and kills the process.  Calls nothing above erim_abort.S. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>

#include "erim_gate.h"
#include "erim_internal.h"

struct rbuf { char b[320]; size_t n; };

static void r_put(struct rbuf *r, const char *s)
{
	while (*s && r->n < sizeof r->b - 1)
		r->b[r->n++] = *s++;
}

/* S, at most MAX bytes of it, "?" when empty */
static void r_put_n(struct rbuf *r, const char *s, size_t max)
{
	size_t i = 0;

	for (; i < max && s[i] && r->n < sizeof r->b - 1; i++)
		r->b[r->n++] = s[i];
	if (i == 0)
		r_put(r, "?");
}

static void r_num(struct rbuf *r, unsigned long v, unsigned base, int alt)
{
	char t[24];
	int i = 0;

	if (alt && base == 16)
		r_put(r, "0x");
	do {
		t[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i > 0 && r->n < sizeof r->b - 1)
		r->b[r->n++] = t[--i];
}

/* The line names entry E by the copy of its names that erim_init put in the
 * name table (trusted memory, erim_entries.c): never by the program's
 * strings, which untrusted code may rewrite (red team 63, namefault: a name
 * whose NUL another thread overwrote ran on into the trusted globals after
 * it, and the refusal copied them to stderr).  E NULL: liberim's own
 * "erim.WHAT" (WHAT a literal of liberim's read-only data). */
void erim__gate_refuse(const struct erim_ientry *e, const char *what, const char *fmt, ...)
{
	/* only n is set: an initialiser for the whole buffer is a memset call
	 * through the PLT under clang (-fno-builtin does not stop it; rt_noplt);
	 * the message is r.b[0..n) */
	struct rbuf r;
	va_list ap;

	r.n = 0;

	r_put(&r, "erim: ");
	if (e) {
		const struct erim_iname *nm = erim__iname((uint32_t)(e - erim__ro.entries));

		r_put_n(&r, nm->iface, sizeof nm->iface);
		r_put(&r, ".");
		r_put_n(&r, nm->name, sizeof nm->name);
	} else {
		r_put(&r, "erim.");
		r_put(&r, what);
	}
	r_put(&r, ": ");
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		int alt = 0;

		if (*p != '%') {
			if (r.n < sizeof r.b - 1)
				r.b[r.n++] = *p;
			continue;
		}
		p++;
		if (*p == '#') {
			alt = 1;
			p++;
		}
		if (*p == 's') {
			r_put(&r, va_arg(ap, const char *));
		} else if (*p == 'u') {
			r_num(&r, va_arg(ap, unsigned), 10, 0);
		} else if (p[0] == 'z' && p[1] == 'u') {
			r_num(&r, va_arg(ap, size_t), 10, 0);
			p++;
		} else if (p[0] == 'l' && p[1] == 'x') {
			r_num(&r, va_arg(ap, unsigned long), 16, alt);
			p++;
		} else {
			r_put(&r, "?");
			if (!*p)
				break;
		}
	}
	va_end(ap);
	r.b[r.n++] = '\n';
	erim__die_msg(r.b, r.n);
}

const struct erim_ientry *erim__entry_or_refuse(unsigned id)
{
	if (id >= erim__ro.nentries)
		erim__gate_refuse(NULL, "gate", "unknown entry id %u (%u registered)", id,
		                  erim__ro.nentries);
	return &erim__ro.entries[id];
}
