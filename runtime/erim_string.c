/* SPDX-License-Identifier: MIT */
/* erim_string.c: the string and memory functions trusted code calls instead of
 * libc's (doc/security.md, "library state"; erim-trusted-link(1) redirects a
 * trusted closure's memcpy, memset, ... here).  glibc's versions are IFUNCs
 * whose choice and whose size thresholds live in libc's writable memory, which
 * untrusted code can write; these read nothing but their arguments and the
 * bytes they point to: no libc call, no global, no TLS.  The fatal ones
 * (abort, __stack_chk_fail, __assert_fail, a failed _chk) stop the process
 * through erim__die_msg, which writes its line with a raw system call. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "erim.h"
#include "erim_internal.h"

static inline void copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	__asm__ volatile("cld\n\trep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

/* Backwards from the last byte (overlapping move to a higher address). */
static inline void copy_bwd(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory", "cc");
}

void *erim_memcpy(void *d, const void *s, size_t n)
{
	copy_fwd(d, s, n);
	return d;
}

void *erim_memmove(void *d, const void *s, size_t n)
{
	uintptr_t dd = (uintptr_t)d, ss = (uintptr_t)s;

	if (n == 0 || dd == ss)
		return d;
	if (dd < ss || dd - ss >= n)
		copy_fwd(d, s, n);
	else
		copy_bwd(d, s, n);
	return d;
}

void *erim_memset(void *d, int c, size_t n)
{
	void *p = d;

	__asm__ volatile("cld\n\trep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
	return d;
}

int erim_memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return (int)x[i] - (int)y[i];
	return 0;
}

size_t erim_strlen(const char *s)
{
	const volatile char *p = s;
	size_t n = 0;

	while (p[n])
		n++;
	return n;
}

/* explicit_bzero: the stores must happen even though the memory is dead. */
void erim_explicit_bzero(void *d, size_t n)
{
	erim_memset(d, 0, n);
	__asm__ volatile("" : : "r"(d) : "memory");
}

#define DIE(lit) erim__die_msg(lit, sizeof lit - 1)

void erim_abort(void)
{
	DIE("erim: trusted code called abort\n");
}

void erim_stack_chk_fail(void)
{
	DIE("erim: stack smashing detected in trusted code\n");
}

void erim_assert_fail(const char *expr, const char *file, unsigned line, const char *fn)
{
	char msg[256];
	size_t n;

	/* the strings are the caller's constants (.rodata) */
	n = erim_snprintf(msg, sizeof msg, "erim: assertion failed in trusted code: %s (%s:%u, %s)\n",
	                  expr ? expr : "?", file ? file : "?", line, fn ? fn : "?");
	erim__die_msg(msg, n);
}

/* The _FORTIFY_SOURCE variants: DESTLEN is the size the compiler knows. */
static void chk(size_t n, size_t destlen)
{
	if (n > destlen)
		DIE("erim: buffer overflow detected in trusted code\n");
}

void *erim_memcpy_chk(void *d, const void *s, size_t n, size_t destlen)
{
	chk(n, destlen);
	return erim_memcpy(d, s, n);
}

void *erim_memmove_chk(void *d, const void *s, size_t n, size_t destlen)
{
	chk(n, destlen);
	return erim_memmove(d, s, n);
}

void *erim_memset_chk(void *d, int c, size_t n, size_t destlen)
{
	chk(n, destlen);
	return erim_memset(d, c, n);
}

void erim_explicit_bzero_chk(void *d, size_t n, size_t destlen)
{
	chk(n, destlen);
	erim_explicit_bzero(d, n);
}

/* The stub erim-trusted-link --stub puts in place of a library function the
 * closure links but must never run with trusted rights: NAME is the
 * function's, a NUL-terminated string in the closure's .rodata. */
void erim_trusted_stub_called(const char *name)
{
	char line[160];
	size_t n = erim_snprintf(line, sizeof line,
	                         "erim: trusted code called %s, stubbed out by erim-trusted-link\n", name);

	erim__die_msg(line, n);
}
