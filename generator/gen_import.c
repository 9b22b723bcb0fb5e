/* SPDX-License-Identifier: MIT */
/* gen_import.c: EDL's `from "x.edl" import *;` and `import f, g;` make the
 * imported functions part of the importing enclave's interface (edger8r
 * semantics).  The front end keeps them in the imported file's tree; this
 * builds, for one interface, a shallow copy whose trusted/untrusted lists
 * hold its own functions followed by every imported one (recursively through
 * the imported files' own `from` imports), each once.  An `import NAME` that
 * names no function of the imported file is an error, never a silent drop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct gen_fnset {
	const struct idl_func **v;
	size_t n, cap;
	size_t *slot;            /* open-addressed index into v by name (1-based, 0 free) */
	size_t nslot;
};

static size_t gen_fn_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void *gen_fn_xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("erimgen: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static void gen_fnset_index(struct gen_fnset *s, size_t k)
{
	size_t i = gen_fn_hash(s->v[k]->name) & (s->nslot - 1);

	while (s->slot[i])
		i = (i + 1) & (s->nslot - 1);
	s->slot[i] = k + 1;
}

/* Same declaration (one file reached through two imports is parsed twice). */
static int gen_same_decl(const struct idl_func *a, const struct idl_func *b)
{
	return a == b || (a->loc.file && b->loc.file && !strcmp(a->loc.file, b->loc.file) &&
	                  a->loc.first_line == b->loc.first_line &&
	                  a->loc.first_column == b->loc.first_column);
}

static void gen_fnset_add(struct gen_ctx *c, struct gen_fnset *s, const struct idl_func *f)
{
	if (s->nslot) {
		for (size_t i = gen_fn_hash(f->name) & (s->nslot - 1); s->slot[i]; i = (i + 1) & (s->nslot - 1)) {
			const struct idl_func *o = s->v[s->slot[i] - 1];
			if (strcmp(o->name, f->name))
				continue;
			if (!gen_same_decl(o, f))
				gen_error(c, &f->loc, "function '%s' is imported twice with different declarations "
				          "(the other is at %s:%d)", f->name, o->loc.file ? o->loc.file : "?",
				          o->loc.first_line);
			return;   /* one declaration reached through two imports: one function */
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = gen_fn_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = f;
	if (2 * s->n > s->nslot) {   /* keep the index at most half full */
		free(s->slot);
		s->nslot = s->nslot ? 2 * s->nslot : 64;
		while (2 * s->n > s->nslot)
			s->nslot *= 2;
		s->slot = gen_fn_xrealloc(NULL, s->nslot * sizeof *s->slot);
		memset(s->slot, 0, s->nslot * sizeof *s->slot);
		for (size_t k = 0; k < s->n; k++)
			gen_fnset_index(s, k);
	} else {
		gen_fnset_index(s, s->n - 1);
	}
}

static void gen_fnset_free(struct gen_fnset *s)
{
	free(s->v);
	free(s->slot);
}

static void gen_offered(struct gen_ctx *c, const struct idl_file *f, struct gen_fnset *out, int depth);

/* The functions one `from` import brings in. */
static void gen_selected(struct gen_ctx *c, const struct idl_import *im, struct gen_fnset *out, int depth)
{
	struct gen_fnset all = { 0 };

	if (!im->is_from || !im->file || depth > 64)
		return;
	gen_offered(c, im->file, &all, depth + 1);
	if (im->import_all) {
		for (size_t k = 0; k < all.n; k++)
			gen_fnset_add(c, out, all.v[k]);
	} else {
		for (const struct idl_ident_list *n = im->names; n; n = n->next) {
			const struct idl_func *hit = NULL;
			if (all.nslot)
				for (size_t i = gen_fn_hash(n->name) & (all.nslot - 1); all.slot[i] && !hit;
				     i = (i + 1) & (all.nslot - 1))
					if (!strcmp(all.v[all.slot[i] - 1]->name, n->name))
						hit = all.v[all.slot[i] - 1];
			if (hit)
				gen_fnset_add(c, out, hit);
			else
				gen_error(c, &n->loc, "'%s' is not a function of \"%s\" (or of what it imports); "
				          "nothing to import", n->name, im->path);
		}
	}
	gen_fnset_free(&all);
}

/* Every function file F declares or imports with `from`. */
static void gen_offered(struct gen_ctx *c, const struct idl_file *f, struct gen_fnset *out, int depth)
{
	for (const struct idl_interface *i = f->interfaces; i; i = i->next) {
		for (const struct idl_func *fn = i->trusted; fn; fn = fn->next)
			gen_fnset_add(c, out, fn);
		for (const struct idl_func *fn = i->untrusted; fn; fn = fn->next)
			gen_fnset_add(c, out, fn);
	}
	for (const struct idl_import *im = f->imports; im; im = im->next)
		gen_selected(c, im, out, depth);
}

static struct idl_func *gen_chain(struct gen_import *g, const struct gen_fnset *s, enum idl_side side)
{
	struct idl_func *head = NULL, **tail = &head;

	for (size_t k = 0; k < s->n; k++) {
		if (s->v[k]->side != side)
			continue;
		struct idl_func *cp = gen_xmalloc(sizeof *cp);
		*cp = *s->v[k];
		cp->next = NULL;
		*tail = cp;
		tail = &cp->next;
		if ((g->ncopies & (g->ncopies - 1)) == 0)   /* grow at powers of two */
			g->copies = gen_fn_xrealloc(g->copies, (g->ncopies ? 2 * g->ncopies : 1) * sizeof *g->copies);
		g->copies[g->ncopies++] = cp;
	}
	return head;
}

const struct idl_interface *gen_import_merge(struct gen_ctx *c, struct gen_import *g)
{
	const struct idl_interface *i = c->iface;
	struct gen_fnset s = { 0 };
	int any = 0;

	memset(g, 0, sizeof *g);
	for (const struct idl_import *im = c->file->imports; im; im = im->next)
		any |= im->is_from;
	if (!any)
		return i;
	for (const struct idl_func *fn = i->trusted; fn; fn = fn->next)
		gen_fnset_add(c, &s, fn);
	for (const struct idl_func *fn = i->untrusted; fn; fn = fn->next)
		gen_fnset_add(c, &s, fn);
	for (const struct idl_import *im = c->file->imports; im; im = im->next)
		gen_selected(c, im, &s, 0);
	g->iface = gen_xmalloc(sizeof *g->iface);
	*g->iface = *i;
	g->iface->trusted = gen_chain(g, &s, IDL_TRUSTED);
	g->iface->untrusted = gen_chain(g, &s, IDL_UNTRUSTED);
	gen_fnset_free(&s);
	return g->iface;
}

void gen_import_free(struct gen_import *g)
{
	for (size_t k = 0; k < g->ncopies; k++)
		free(g->copies[k]);
	free(g->copies);
	free(g->iface);
	memset(g, 0, sizeof *g);
}
