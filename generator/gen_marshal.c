/* SPDX-License-Identifier: MIT */
/* gen_marshal.c: what every emitter of the gates file shares -- questions
 * about parameters (buffer? element type? deep struct? bools?), the one
 * naming helper for per-parameter temporaries, the refusal statement of
 * each context, and the size computations that refuse negative lengths and
 * overflow.  Declared in gen_gates.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_gates.h"

/* ---- small helpers ---------------------------------------------------------- */

void gen_indent(struct gen_buf *b, int n)
{
	for (int i = 0; i < n; i++)
		gen_puts(b, "\t");
}

/* Resolve typedefs declared in .erim files to what they name. */
const struct idl_type *gen_resolve(const struct idl_type *t)
{
	while (t && t->kind == IDL_T_TYPEDEF && t->typedef_decl && t->typedef_decl->type)
		t = t->typedef_decl->type;
	return t;
}

int gen_is_ptr(const struct idl_type *t)
{
	t = gen_resolve(t);
	return t && t->kind == IDL_T_POINTER;
}

/* A parameter passed as a buffer (pointer or fixed array with a direction). */
int gen_is_buffer(const struct idl_param *p)
{
	if (p->attrs.is_opaque || p->attrs.user_check)
		return 0;
	/* EDL [isptr, in/out, size=n]: a header typedef that is a pointer,
	 * copied as n bytes */
	if (p->attrs.edl_hidden == 1 && p->attrs.dir)
		return 1;
	return p->ndims > 0 || gen_is_ptr(p->type);
}

/* A struct member copied as a separate buffer: a pointer member (fixed
 * arrays are plain data inside the struct). */
int gen_is_mbuf(const struct idl_param *m)
{
	return !m->attrs.is_opaque && !m->attrs.user_check && gen_is_ptr(m->type);
}

/* Element type of a buffer parameter (pointee, or the array's element). */
const struct idl_type *gen_elem_type(const struct idl_param *p)
{
	static const struct idl_type gen_void_elem = { .kind = IDL_T_VOID };

	if (p->attrs.edl_hidden)
		return &gen_void_elem;   /* [isptr]: bytes, as a void * with size= */
	if (p->ndims > 0)
		return p->type;
	return gen_resolve(p->type)->target;
}

/* "sizeof(T)" of a buffer's element, "1" for void. */
static char *gen_elem_size(const struct idl_param *p)
{
	const struct idl_type *e = gen_elem_type(p);

	if (gen_is_void(gen_resolve(e)))
		return gen_strf("1");
	char *d = gen_decl(e, "", 1);
	char *s = gen_strf("sizeof(%s)", d);
	free(d);
	return s;
}

const struct idl_param *gen_find_param(const struct idl_param *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

/* An IDL struct with pointer members that need a deep copy. */
static int gen_struct_is_deep_d(const struct idl_struct *s, int depth)
{
	if (!s || depth > 64)
		return 0;
	for (const struct idl_param *m = s->members; m; m = m->next) {
		const struct idl_type *t = gen_resolve(m->type);
		if (gen_is_mbuf(m))
			return 1;
		/* a struct embedding one (by value or as an array) is one too */
		if (t && t->kind == IDL_T_STRUCT && gen_struct_is_deep_d(t->decl, depth + 1))
			return 1;
	}
	return 0;
}

int gen_struct_is_deep(const struct idl_struct *s)
{
	return gen_struct_is_deep_d(s, 0);
}

/* bool and _Bool: a byte other than 0/1 is an invalid value trusted code must
 * never load, so such bytes arriving from untrusted memory are normalised. */
static int gen_is_bool(const struct idl_type *t)
{
	t = gen_resolve(t);
	return t && t->kind == IDL_T_SCALAR && t->name &&
	       (!strcmp(t->name, "bool") || !strcmp(t->name, "_Bool"));
}

/* Does a value of type T (not following pointers) contain a bool? */
static int gen_has_bool_d(const struct idl_type *t, int depth)
{
	t = gen_resolve(t);
	if (!t || depth > 64)
		return 0;
	if (gen_is_bool(t))
		return 1;
	if (t->kind == IDL_T_STRUCT && t->decl)
		for (const struct idl_param *m = t->decl->members; m; m = m->next)
			if (!gen_is_ptr(m->type) && gen_has_bool_d(m->type, depth + 1))
				return 1;
	return 0;
}

int gen_has_bool(const struct idl_type *t)
{
	return gen_has_bool_d(t, 0);
}

/* Emit code normalising the bools in the N bytes at trusted address PTR,
 * which hold elements of type T copied from untrusted memory. */
void gen_fix_bools(struct gen_buf *b, int ind, const struct idl_type *t, const char *ptr,
                          const char *n)
{
	const struct idl_type *r = gen_resolve(t);

	if (!gen_has_bool(r))
		return;
	gen_indent(b, ind);
	if (gen_is_bool(r)) {
		gen_printf(b, "erim__fix_bools((void *)(%s), %s);\n", ptr, n);
		return;
	}
	gen_printf(b, "for (size_t erim__j = 0; erim__j < (%s) / sizeof(struct %s); erim__j++)\n",
	           n, r->decl->name);
	gen_indent(b, ind + 1);
	gen_printf(b, "erim__fix_%s((struct %s *)(void *)(%s) + erim__j);\n", r->decl->name,
	           r->decl->name, ptr);
}

/* ---- names of generated temporaries --------------------------------------------- */

/* The one spelling of a per-parameter temporary: "erim__ROLE_NAME" for
 * parameter P (the front end reserves erim__, so no user name collides):
 *   p  the trusted copy     n  its bytes       e  its elements
 *   z  bytes per element    s  the trusted-stack buffer
 *   f  the filled= count    fv a filled= count fetched from a callback block
 *   u  the caller's snapshot and k the kept copies of a deep-copied buffer
 *   o  the offset of a buffer in a callback block
 * The string stays valid for the next 15 calls: one statement's worth. */
const char *gen_tmp(const char *role, const struct idl_param *p)
{
	static char *ring[16];
	static unsigned next;
	char **slot = &ring[next++ % 16];

	free(*slot);
	*slot = gen_strf("erim__%s_%s", role, p->name);
	return *slot;
}

/* ---- size expressions --------------------------------------------------------- */

/* Emit the code that refuses with reason WHY (a C string literal body). */
void gen_fail(struct gen_fx *fx, struct gen_buf *b, int ind, const char *why)
{
	gen_indent(b, ind);
	switch (fx->mode) {
	case GEN_FAIL_ENTRY:
		gen_printf(b, "{ erim__arg = \"%s\"; erim__why = \"%s\"; goto erim__refused; }\n",
		           fx->arg, why);
		fx->used_goto = 1;
		break;
	case GEN_FAIL_MEMBER:
		gen_printf(b, "{ *erim__mem = \"%s\"; return \"%s\"; }\n", fx->arg, why);
		break;
	case GEN_FAIL_PROXY:
		gen_printf(b, "erim_refuse(\"%s\", \"%s\", \"argument '%s' %s\");\n",
		           fx->c->iname, fx->f->name, fx->arg, why);
		break;
	}
}

/* Signedness of a length value: 1 signed, 0 unsigned, -1 unknown. */
int gen_signedness(const struct idl_type *t)
{
	t = gen_resolve(t);
	if (!t)
		return -1;
	if (t->kind == IDL_T_SCALAR)
		return t->is_signed == 1 ? 1 : t->is_signed == 0 ? 0 : -1;
	return -1;
}

/* Emit statements computing expression E into a fresh size_t temporary,
 * refusing on negative values and on overflow.  Returns the temporary's
 * name (caller frees). */
char *gen_size(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_expr *e)
{
	char *t = gen_strf("erim__t%d", ++fx->ntmp);

	switch (e->kind) {
	case IDL_E_INT:
		gen_indent(b, ind);
		gen_printf(b, "size_t %s = (size_t)%lluu;\n", t, (unsigned long long)e->value);
		break;
	case IDL_E_SIZEOF: {
		char *d = gen_decl(e->type, "", 0);
		gen_indent(b, ind);
		gen_printf(b, "size_t %s = sizeof(%s);\n", t, d);
		free(d);
		break;
	}
	case IDL_E_IDENT: {
		const struct idl_param *p = gen_find_param(fx->scope, e->ident);
		int sg = p ? gen_signedness(p->type) : -1;

		if (!p || gen_is_ptr(p->type) || p->ndims) {
			gen_error(fx->c, &e->loc, "'%s' is not a scalar %s usable as a length",
			          e->ident, fx->mode == GEN_FAIL_MEMBER ? "member" : "parameter");
			break;
		}
		if (sg == 1) {
			gen_indent(b, ind);
			gen_printf(b, "if (%s%s < 0)\n", fx->prefix, e->ident);
			gen_fail(fx, b, ind + 1, "has a negative length");
		} else if (sg == -1) {
			/* a header type (socklen_t): signed or not is known only to the
			 * compiler; a value size_t cannot hold is a negative one, and
			 * no compiler calls this test always-true or always-false */
			gen_indent(b, ind);
			gen_printf(b, "if (__builtin_add_overflow(%s%s, 0, &(size_t){ 0 }))\n",
			           fx->prefix, e->ident);
			gen_fail(fx, b, ind + 1, "has a negative length");
		}
		gen_indent(b, ind);
		gen_printf(b, "size_t %s = (size_t)%s%s;\n", t, fx->prefix, e->ident);
		break;
	}
	case IDL_E_MUL:
	case IDL_E_ADD: {
		char *l = gen_size(fx, b, ind, e->lhs);
		char *r = gen_size(fx, b, ind, e->rhs);
		gen_indent(b, ind);
		gen_printf(b, "size_t %s;\n", t);
		gen_indent(b, ind);
		gen_printf(b, "if (__builtin_%s_overflow(%s, %s, &%s))\n",
		           e->kind == IDL_E_MUL ? "mul" : "add", l, r, t);
		gen_fail(fx, b, ind + 1, "has a size that overflows size_t");
		free(l);
		free(r);
		break;
	}
	}
	return t;
}

/* Emit code computing the byte size of buffer parameter P into DST (an
 * existing size_t lvalue); ELEMS (may be NULL) receives the element count. */
void gen_bytes(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_param *p,
                      const char *dst, const char *elems, const char *unit)
{
	char *es = gen_elem_size(p);
	char *cnt = NULL, *sz = NULL;
	const struct idl_attrs *a = &p->attrs;

	if (p->ndims) {
		unsigned long long n = 1;
		for (size_t i = 0; i < p->ndims; i++)
			n *= p->dims[i];    /* the front end bounds array dimensions */
		cnt = gen_strf("erim__t%d", ++fx->ntmp);
		gen_indent(b, ind);
		gen_printf(b, "size_t %s = (size_t)%lluu;\n", cnt, n);
	} else if (a->count) {
		cnt = gen_size(fx, b, ind, a->count);
	}
	if (a->size)
		sz = gen_size(fx, b, ind, a->size);
	/* size= without count= covers whole elements (edger8r refuses the rest
	 * too): a partial trailing element would be read or written past */
	if (sz && !cnt && !gen_is_void(gen_resolve(gen_elem_type(p)))) {
		gen_indent(b, ind);
		gen_printf(b, "if (%s %% %s != 0)\n", sz, es);
		gen_fail(fx, b, ind + 1, "has a size= that is not a multiple of its element size");
	}
	if (cnt) {
		gen_indent(b, ind);
		gen_printf(b, "if (__builtin_mul_overflow(%s, %s, &%s))\n", cnt, sz ? sz : es, dst);
		gen_fail(fx, b, ind + 1, "has a size that overflows size_t");
	} else {
		gen_indent(b, ind);
		gen_printf(b, "%s = %s;\n", dst, sz ? sz : es);
	}
	if (elems) {
		gen_indent(b, ind);
		if (cnt)
			gen_printf(b, "%s = %s;\n", elems, cnt);
		else if (sz)
			gen_printf(b, "%s = %s / %s;\n", elems, sz, es);
		else
			gen_printf(b, "%s = 1;\n", elems);
	}
	/* the bytes of one counted element: size= when it comes with count=
	 * (the buffer is count*size bytes), else the element type's size; so
	 * ELEMS * UNIT never exceeds DST */
	if (unit) {
		gen_indent(b, ind);
		gen_printf(b, "%s = %s;\n", unit, cnt && sz ? sz : es);
	}
	free(es);
	free(cnt);
	free(sz);
}

/* ---- per-function pieces ------------------------------------------------------- */

const char *gen_impl_prefix(struct gen_ctx *c)
{
	return c->interpose ? "__real_" : c->opts.abi_sgx ? "erim__t_" : "";
}

const char *gen_impl_suffix(struct gen_ctx *c)
{
	return c->interpose || c->opts.abi_sgx ? "" : "_impl";
}

const char *gen_tbase(const struct gen_ctx *c)
{
	static char name[256];

	/* one file: a static; split: NAME_ocalls.c's global, which NAME_gates.c's
	 * constructor sets (so the ocall side never refers to the entry side) */
	snprintf(name, sizeof name, "erim__tbase%s%s", c->opts.split_ocalls ? "_" : "",
	         c->opts.split_ocalls ? c->iname : "");
	return name;
}

/* A field declaration of an args struct for parameter P. */
char *gen_field(const struct idl_param *p)
{
	if (p->ndims) {
		const struct idl_type *t = gen_resolve(p->type);
		return gen_strf("%svoid *%s", (t && t->is_const) || p->type->is_const ? "const " : "", p->name);
	}
	return gen_decl(p->type, p->name, 1);
}

