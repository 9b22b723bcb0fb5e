/* SPDX-License-Identifier: MIT */
/* idl_diag.c: collecting and printing diagnostics.  Each diagnostic owns a
 * copy of its file name and source line, so a collection outlives the tree
 * (idl_parse_file frees the tree when there are errors, and the caller prints
 * afterwards).  The printed form is GNU's:
 *
 *     keyvault.erim:12:34: error: message [-Wcheck-name]
 *         public int kv_sign([in] uint8_t *msg);
 *                                  ^~~~~~~~~~~
 *
 * Tabs of the source line are repeated in the caret line so the caret stays
 * under the right column whatever the tab width.  Severity comes from the
 * check table and the -W options (idl_report); plain errors (syntax, I/O,
 * imports) have no check name. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl_priv.h"

struct idl_diags {
	struct idl_diag *v;
	size_t n, cap;
	int errors, warnings;
	int oom;
};

struct idl_diags *idl_diags_new(void)
{
	return calloc(1, sizeof(struct idl_diags));
}

void idl_diags_free(struct idl_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].message);
		free(d->v[i].line_text);
		free((char *)d->v[i].loc.file);
	}
	free(d->v);
	free(d);
}

int idl_diags_errors(const struct idl_diags *d)
{
	return d ? d->errors + d->oom : 0;
}

int idl_diags_warnings(const struct idl_diags *d)
{
	return d ? d->warnings : 0;
}

size_t idl_diags_count(const struct idl_diags *d)
{
	return d ? d->n : 0;
}

const struct idl_diag *idl_diags_get(const struct idl_diags *d, size_t i)
{
	return d && i < d->n ? &d->v[i] : NULL;
}

/* The text of line LINE of the source that loc->file names, or NULL.  The
 * line index is built once per source, so many diagnostics stay cheap. */
static char *idl_line_text(struct idl_session *s, const struct idl_loc *loc)
{
	if (!loc || !loc->file || loc->first_line < 1)
		return NULL;
	for (struct idl_source *src = s->sources; src; src = src->next) {
		const char *t, *nl;
		size_t len, n = 1;

		if (src->path != loc->file)
			continue;
		if (!src->lines) {
			for (size_t i = 0; i < src->len; i++)
				n += src->text[i] == '\n';
			src->lines = malloc(n * sizeof *src->lines);
			if (!src->lines)
				return NULL;
			src->lines[0] = 0;
			src->nlines = 1;
			for (size_t i = 0; i < src->len; i++)
				if (src->text[i] == '\n')
					src->lines[src->nlines++] = i + 1;
		}
		if ((size_t)loc->first_line > src->nlines)
			return NULL;
		t = src->text + src->lines[loc->first_line - 1];
		nl = memchr(t, '\n', (size_t)(src->text + src->len - t));
		len = nl ? (size_t)(nl - t) : (size_t)(src->text + src->len - t);
		if (len && t[len - 1] == '\r')
			len--;
		return idl_xstrndup(t, len);
	}
	return NULL;
}

__attribute__((format(printf, 5, 0)))
static struct idl_diag *idl_diag_add(struct idl_session *s, enum idl_severity sev, const char *check,
                                     const struct idl_loc *loc, const char *fmt, va_list ap)
{
	struct idl_diags *d = s->diags;
	struct idl_diag *g;
	va_list aq;
	int n;

	if (sev == IDL_SEV_ERROR)
		d->errors++;
	else if (sev == IDL_SEV_WARNING)
		d->warnings++;
	if (s->quiet)
		return NULL;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct idl_diag *v = realloc(d->v, cap * sizeof *v);

		if (!v) {
			d->oom = 1;
			return NULL;
		}
		d->v = v;
		d->cap = cap;
	}
	g = &d->v[d->n++];
	memset(g, 0, sizeof *g);
	g->severity = sev;
	g->check = check;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	g->message = idl_xzalloc((size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(g->message, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	if (loc) {
		g->loc = *loc;
		g->loc.file = loc->file ? idl_xstrdup(loc->file) : NULL;
		g->line_text = idl_line_text(s, loc);
	}
	return g;
}

int idl_report(struct idl_session *s, enum idl_check_id id, enum idl_severity sev,
               const struct idl_loc *loc, const char *fmt, ...)
{
	const struct idl_opts *o = s->opts;
	enum idl_severity eff = sev != IDL_SEV_OFF ? sev : idl_check_default(id);
	int state = o->check_state[id];
	struct idl_diag *g;
	int promoted = 0;
	va_list ap;

	if (state < 0)
		return 0;
	if (state == 1 && eff == IDL_SEV_OFF)
		eff = IDL_SEV_WARNING;
	if (eff == IDL_SEV_OFF)
		return 0;
	if (eff == IDL_SEV_WARNING && (state == 2 || o->werror)) {
		eff = IDL_SEV_ERROR;
		promoted = 1;
	}
	va_start(ap, fmt);
	g = idl_diag_add(s, eff, idl_check_name(id), loc, fmt, ap);
	va_end(ap);
	if (g)
		g->promoted = promoted;
	return eff == IDL_SEV_ERROR;
}

void idl_error(struct idl_session *s, const struct idl_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	idl_diag_add(s, IDL_SEV_ERROR, NULL, loc, fmt, ap);
	va_end(ap);
}

void idl_note(struct idl_session *s, const struct idl_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	idl_diag_add(s, IDL_SEV_NOTE, NULL, loc, fmt, ap);
	va_end(ap);
}

static const char *idl_sev_name(enum idl_severity s)
{
	switch (s) {
	case IDL_SEV_ERROR: return "error";
	case IDL_SEV_WARNING: return "warning";
	case IDL_SEV_NOTE: return "note";
	case IDL_SEV_OFF: break;
	}
	return "note";
}

static void idl_print_caret(FILE *out, const struct idl_diag *g)
{
	const char *t = g->line_text;
	size_t len = strlen(t);
	size_t first = g->loc.first_column > 0 ? (size_t)g->loc.first_column - 1 : 0;
	size_t last = first;

	if (g->loc.last_line == g->loc.first_line && g->loc.last_column >= g->loc.first_column)
		last = (size_t)g->loc.last_column - 1;
	else if (g->loc.last_line > g->loc.first_line)
		last = len ? len - 1 : 0; /* range continues: underline to the end of this line */
	fprintf(out, "%s\n", t);
	for (size_t i = 0; i < first; i++)
		fputc(i < len && t[i] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (size_t i = first + 1; i <= last && i < len; i++)
		fputc('~', out);
	fputc('\n', out);
}

void idl_diags_print(FILE *out, const struct idl_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		const struct idl_diag *g = &d->v[i];

		if (g->loc.file && g->loc.first_line > 0)
			fprintf(out, "%s:%d:%d: ", g->loc.file, g->loc.first_line, g->loc.first_column);
		else if (g->loc.file)
			fprintf(out, "%s: ", g->loc.file);
		else
			fputs("erimgen: ", out);
		fprintf(out, "%s: %s", idl_sev_name(g->severity), g->message);
		if (g->check) {
			/* A warning made an error by -Werror says so, as gcc does. */
			fprintf(out, " [-W%s%s]", g->promoted ? "error=" : "", g->check);
		}
		fputc('\n', out);
		if (g->line_text)
			idl_print_caret(out, g);
	}
	if (d->oom)
		fputs("erimgen: error: out of memory while collecting diagnostics\n", out);
}
