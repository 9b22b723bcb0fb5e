/* SPDX-License-Identifier: MIT */
/* idl_alloc.c: allocation for the front end.  The front end belongs to the
 * erimgen tool, so running out of memory aborts with a message; every other
 * module allocates through these and never checks for NULL. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl_priv.h"

static void idl_oom(void) __attribute__((noreturn));
static void idl_oom(void)
{
	fputs("erim: out of memory\n", stderr);
	abort();
}

void *idl_xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		idl_oom();
	return p;
}

void *idl_xrealloc(void *p, size_t n)
{
	void *r = realloc(p, n ? n : 1);

	if (!r)
		idl_oom();
	return r;
}

char *idl_xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		idl_oom();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *idl_xstrdup(const char *s)
{
	return idl_xstrndup(s, strlen(s));
}

char *idl_xjoin(char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r = malloc(la + lb + 2);

	if (!r)
		idl_oom();
	memcpy(r, a, la);
	r[la] = ' ';
	memcpy(r + la + 1, b, lb + 1);
	free(a);
	return r;
}

void *idl_list_reverse(void *head, size_t next_offset)
{
	char *prev = NULL, *cur = head;

	while (cur) {
		char *next = *(char **)(cur + next_offset);

		*(char **)(cur + next_offset) = prev;
		prev = cur;
		cur = next;
	}
	return prev;
}
