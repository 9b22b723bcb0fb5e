/* SPDX-License-Identifier: MIT */
/* idl_front.c: the front end's driver -- load a file, run the scanner and
 * parser over it, follow its imports (relative to the importing file, then the
 * -I directories), diagnose import cycles with the whole chain, then resolve
 * names and run the checks.  A file imported twice along different paths
 * (a diamond) is parsed again for its own subtree, silently, because its
 * diagnostics were reported the first time. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idl_priv.h"
#include "idl_parse.h"
#include "idl_lex.h"

#define IDL_MAX_IMPORT_DEPTH 64
#define IDL_MAX_FILE_SIZE (16u << 20)

static struct idl_file *idl_load_text(struct idl_session *s, const char *path, char *text,
                                      size_t len, const char *real);

static int idl_has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/* Read PATH whole; NUL-terminated copy in *TEXT.  Returns 0 or -errno. */
static int idl_read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	int err = 0;

	if (!f)
		return -errno;
	/* Only regular files: `import "/dev/zero"` must not hang or eat memory. */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return -EINVAL;
	}
	for (;;) {
		if (n > IDL_MAX_FILE_SIZE) {
			err = -EFBIG;
			break;
		}
		size_t got;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static struct idl_source *idl_source_find_real(struct idl_session *s, const char *real)
{
	for (struct idl_source *src = s->sources; src; src = src->next)
		if (src->real && !strcmp(src->real, real))
			return src;
	return NULL;
}

static void idl_push(struct idl_session *s, const char *path, const char *real)
{
	if (s->depth == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		const char **a = realloc(s->stack, cap * sizeof *a);
		const char **b = realloc(s->stack_real, cap * sizeof *b);

		if (a)
			s->stack = a;
		if (b)
			s->stack_real = b;
		if (!a || !b) {
			fputs("erim: out of memory\n", stderr);
			abort();
		}
		s->cap = cap;
	}
	s->stack[s->depth] = path;
	s->stack_real[s->depth] = real;
	s->depth++;
}

/* "a.erim -> b.erim -> a.erim" for an import of REAL that is already on the stack. */
static char *idl_cycle_text(struct idl_session *s, size_t from, const char *again)
{
	size_t n = strlen(again) + 1;
	char *t, *q;

	for (size_t i = from; i < s->depth; i++)
		n += strlen(s->stack[i]) + 4;
	t = idl_xzalloc(n);
	q = t;
	for (size_t i = from; i < s->depth; i++)
		q += sprintf(q, "%s -> ", s->stack[i]);
	strcpy(q, again);
	return t;
}

/* Where `import "P"` written in IMPORTER refers to: IMPORTER's directory
 * first, then the -I directories.  Returns a malloc'd path or NULL. */
static char *idl_resolve_import(struct idl_session *s, const char *importer, const char *p)
{
	const char *slash;
	char *cand;

	if (p[0] == '/')
		return access(p, R_OK) == 0 ? idl_xstrdup(p) : NULL;
	slash = importer ? strrchr(importer, '/') : NULL;
	if (slash) {
		size_t dl = (size_t)(slash - importer) + 1;

		cand = idl_xzalloc(dl + strlen(p) + 1);
		memcpy(cand, importer, dl);
		strcpy(cand + dl, p);
	} else {
		cand = idl_xstrdup(p);
	}
	if (access(cand, R_OK) == 0)
		return cand;
	free(cand);
	for (size_t i = 0; i < s->opts->n_import_dirs; i++) {
		const char *d = s->opts->import_dirs[i];

		cand = idl_xzalloc(strlen(d) + strlen(p) + 2);
		sprintf(cand, "%s/%s", d, p);
		if (access(cand, R_OK) == 0)
			return cand;
		free(cand);
	}
	return NULL;
}

static void idl_follow_imports(struct idl_session *s, struct idl_file *f)
{
	for (struct idl_import *im = f->imports; im; im = im->next) {
		char *path = s->opts->no_imports ? NULL : idl_resolve_import(s, f->path, im->path);
		char *text = NULL, *real;
		size_t len = 0, k;
		int err;

		if (s->opts->no_imports) {
			idl_error(s, &im->loc, "imports are disabled here: cannot import '%s'", im->path);
			continue;
		}
		if (!path) {
			idl_error(s, &im->loc, "cannot find imported file '%s' (looked next to '%s'%s)",
			          im->path, f->path, s->opts->n_import_dirs ? " and in the -I directories" : "");
			continue;
		}
		real = realpath(path, NULL);
		if (!real)
			real = idl_xstrdup(path);
		for (k = 0; k < s->depth; k++)
			if (!strcmp(s->stack_real[k], real))
				break;
		if (k < s->depth) {
			char *chain = idl_cycle_text(s, k, path);

			idl_error(s, &im->loc, "import cycle: %s", chain);
			free(chain);
			free(real);
			free(path);
			continue;
		}
		if (s->depth >= IDL_MAX_IMPORT_DEPTH) {
			idl_error(s, &im->loc, "imports nested more than %d deep", IDL_MAX_IMPORT_DEPTH);
			free(real);
			free(path);
			continue;
		}
		err = idl_read_file(path, &text, &len);
		if (err) {
			idl_error(s, &im->loc, "cannot read imported file '%s': %s", path, strerror(-err));
			free(real);
			free(path);
			continue;
		}
		{
			int quiet = idl_source_find_real(s, real) != NULL;

			s->quiet += quiet;
			im->file = idl_load_text(s, path, text, len, real);
			s->quiet -= quiet;
		}
		free(real);
		free(path);
	}
}

/* Parse TEXT (ownership taken) as PATH, follow its imports, check it.  REAL
 * is its realpath, used for cycle detection. */
static struct idl_file *idl_load_text(struct idl_session *s, const char *path, char *text,
                                      size_t len, const char *real)
{
	struct idl_file *f = idl_xzalloc(sizeof *f);
	struct idl_file_priv *pv = idl_xzalloc(sizeof *pv);
	struct idl_source *src = idl_xzalloc(sizeof *src);
	struct idl_parser p;
	yyscan_t scanner;
	int saved_edl = s->edl;

	f->path = idl_xstrdup(path);
	f->priv = pv;
	pv->path = idl_xstrdup(path);
	pv->text = text;
	pv->len = len;
	pv->edl = idl_has_suffix(path, ".edl");
	pv->real = idl_xstrdup(real ? real : path);
	src->path = pv->path;
	src->real = real ? idl_xstrdup(real) : NULL;
	src->text = text;
	src->len = len;
	src->next = s->sources;
	s->sources = src;
	s->edl = pv->edl;

	char *pp = NULL;
	size_t pplen = 0;
	if (s->opts->preprocess && s->opts->preprocess(path, &pp, &pplen, s->opts->preprocess_arg) != 0) {
		struct idl_loc l = { pv->path, 0, 0, 0, 0 };

		idl_error(s, &l, "the preprocessor (--cpp) failed on this file");
		pp = NULL;
		pplen = 0;
		text = "";   /* parse nothing: the error is reported */
		len = 0;
	}
	memset(&p, 0, sizeof p);
	p.s = s;
	p.file = f;
	p.path = pv->path;
	p.text = pp ? pp : text;
	p.len = pp ? pplen : len;
	p.cpp = s->opts->preprocess != NULL;
	p.line = 1;
	p.col = 1;
	p.iface_tail = &f->interfaces;
	p.import_tail = &f->imports;
	if (idl_yylex_init_extra(&p, &scanner) != 0) {
		fputs("erim: out of memory\n", stderr);
		abort();
	}
	idl_yyparse(scanner, &p);
	idl_yylex_destroy(scanner);
	free(pp);

	idl_push(s, pv->path, src->real ? src->real : pv->path);
	idl_follow_imports(s, f);
	s->depth--;
	s->edl = pv->edl;
	idl_check_file(s, f);
	s->edl = saved_edl;
	return f;
}

static void idl_session_init(struct idl_session *s, const struct idl_opts *opts, struct idl_diags *d)
{
	memset(s, 0, sizeof *s);
	idl_opts_init(&s->default_opts);
	s->opts = opts ? opts : &s->default_opts;
	s->diags = d;
}

static void idl_session_fini(struct idl_session *s)
{
	while (s->sources) {
		struct idl_source *n = s->sources->next;

		free(s->sources->real);
		free(s->sources->lines);
		free(s->sources);
		s->sources = n;
	}
	free(s->stack);
	free(s->stack_real);
}

static struct idl_file *idl_finish(struct idl_session *s, struct idl_file *f, int errors_before)
{
	if (idl_diags_errors(s->diags) > errors_before) {
		idl_file_free(f);
		f = NULL;
	}
	idl_session_fini(s);
	return f;
}

struct idl_file *idl_parse_string(const char *name, const char *text, size_t len,
                                  const struct idl_opts *opts, struct idl_diags *diags)
{
	struct idl_session s;
	struct idl_file *f;
	char *copy, *real;
	int before;

	if (!diags)
		return NULL;
	before = idl_diags_errors(diags);
	idl_session_init(&s, opts, diags);
	copy = idl_xstrndup(text, len);
	real = realpath(name, NULL);
	f = idl_load_text(&s, name, copy, len, real ? real : name);
	free(real);
	return idl_finish(&s, f, before);
}

struct idl_file *idl_parse_file(const char *path, const struct idl_opts *opts,
                                struct idl_diags *diags)
{
	struct idl_session s;
	struct idl_file *f;
	char *text, *real;
	size_t len;
	int before, err;

	if (!diags)
		return NULL;
	before = idl_diags_errors(diags);
	idl_session_init(&s, opts, diags);
	err = idl_read_file(path, &text, &len);
	if (err) {
		struct idl_loc l = { path, 0, 0, 0, 0 };

		idl_error(&s, &l, "cannot read: %s", strerror(-err));
		idl_session_fini(&s);
		return NULL;
	}
	real = realpath(path, NULL);
	f = idl_load_text(&s, path, text, len, real ? real : path);
	free(real);
	return idl_finish(&s, f, before);
}
