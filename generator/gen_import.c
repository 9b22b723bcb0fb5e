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
};

static void gen_fnset_add(struct gen_ctx *c, struct gen_fnset *s, const struct idl_func *f)
{
	for (size_t k = 0; k < s->n; k++) {
		if (s->v[k] == f || (!strcmp(s->v[k]->name, f->name) && s->v[k]->loc.file && f->loc.file &&
		                     !strcmp(s->v[k]->loc.file, f->loc.file) &&
		                     s->v[k]->loc.first_line == f->loc.first_line &&
		                     s->v[k]->loc.first_column == f->loc.first_column))
			return;   /* one declaration reached through two imports: one function */
		if (!strcmp(s->v[k]->name, f->name)) {
			gen_error(c, &f->loc, "function '%s' is imported twice with different declarations "
			          "(the other is at %s:%d)", f->name,
			          s->v[k]->loc.file ? s->v[k]->loc.file : "?", s->v[k]->loc.first_line);
			return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v) {
			fputs("erimgen: out of memory\n", stderr);
			exit(1);
		}
	}
	s->v[s->n++] = f;
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
			size_t k;
			for (k = 0; k < all.n && strcmp(all.v[k]->name, n->name); k++)
				;
			if (k < all.n)
				gen_fnset_add(c, out, all.v[k]);
			else
				gen_error(c, &n->loc, "'%s' is not a function of \"%s\" (or of what it imports); "
				          "nothing to import", n->name, im->path);
		}
	}
	free(all.v);
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
		g->copies = realloc(g->copies, (g->ncopies + 1) * sizeof *g->copies);
		if (!g->copies) {
			fputs("erimgen: out of memory\n", stderr);
			exit(1);
		}
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
	free(s.v);
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
