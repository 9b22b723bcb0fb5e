/* SPDX-License-Identifier: MIT */
/* gen_emit.c: the output side of the generator -- a line-counting buffer
 * (so #line directives can return to the generated file), error reporting in
 * GNU format, and atomic writing: a generated file is either the complete
 * new text or the previous file, never a half-written one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

void *gen_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("erimgen: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

char *gen_strf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = gen_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void gen_buf_init(struct gen_buf *b, const char *name)
{
	memset(b, 0, sizeof *b);
	b->line = 1;
	b->name = name;
}

void gen_buf_free(struct gen_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

static void gen_append(struct gen_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *d;

		while (cap < b->len + n + 1)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d) {
			fputs("erimgen: out of memory\n", stderr);
			exit(1);
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			b->line++;
}

void gen_puts(struct gen_buf *b, const char *s)
{
	gen_append(b, s, strlen(s));
}

void gen_printf(struct gen_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		gen_append(b, small, (size_t)n);
		return;
	}
	char *big = gen_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	gen_append(b, big, (size_t)n);
	free(big);
}

/* A file name inside a C string literal: backslashes and quotes escaped. */
static void gen_put_quoted(struct gen_buf *b, const char *s)
{
	gen_puts(b, "\"");
	for (; *s; s++) {
		char c[3] = { '\\', *s, 0 };
		if (*s == '\\' || *s == '"')
			gen_puts(b, c);
		else
			gen_append(b, s, 1);
	}
	gen_puts(b, "\"");
}

void gen_line_src(struct gen_buf *b, const struct idl_loc *loc)
{
	if (!loc || !loc->file || loc->first_line <= 0)
		return;
	gen_printf(b, "#line %d ", loc->first_line);
	gen_put_quoted(b, loc->file);
	gen_puts(b, "\n");
}

void gen_line_back(struct gen_buf *b)
{
	/* the directive names the line that follows it */
	gen_printf(b, "#line %d ", b->line + 1);
	gen_put_quoted(b, b->name);
	gen_puts(b, "\n");
}

void gen_error(struct gen_ctx *c, const struct idl_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (loc && loc->file)
		fprintf(stderr, "%s:%d:%d: ", loc->file, loc->first_line, loc->first_column);
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->errors++;
}

int gen_write_atomic(const char *path, const struct gen_buf *b)
{
	char *tmp = gen_strf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp), err = 0;
	size_t off = 0;

	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		off += (size_t)w;
	}
	/* mkstemp creates 0600; generated sources are ordinary files */
	if (!err && fchmod(fd, 0644) != 0)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}
