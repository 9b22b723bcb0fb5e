/* gen_gates.c: the gates file NAME_gates.c -- everything that runs at the
 * trust boundary.  Per trusted function: an args struct, the untrusted-side
 * gate (packs the arguments on the untrusted stack, erim_gate_call) and the
 * trusted entry (one fetch of the args block, range/overflow checks, trusted
 * copies, NAME_impl, copy-back without padding, frees).  Per untrusted
 * function: a trusted-side proxy (NAME_ocall) that builds a self-contained
 * block for erim_callback_call and validates what comes back (Iago), and an
 * untrusted trampoline.  Plus the registration constructor.  The helpers
 * every gates file calls (copies, range checks, string copy, bools, buffer
 * copy-in) are in the installed runtime/erim_gen.h, whose ABI the file checks.
 *
 * Hygiene: every generated identifier starts with erim__ (the front end
 * rejects user names with that prefix); functions that carry user parameter
 * names call nothing but erim__ helpers, erim_* API and compiler builtins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* ---- small helpers ---------------------------------------------------------- */

static void gen_indent(struct gen_buf *b, int n)
{
	for (int i = 0; i < n; i++)
		gen_puts(b, "\t");
}

/* Resolve typedefs declared in .erim files to what they name. */
static const struct idl_type *gen_resolve(const struct idl_type *t)
{
	while (t && t->kind == IDL_T_TYPEDEF && t->typedef_decl && t->typedef_decl->type)
		t = t->typedef_decl->type;
	return t;
}

static int gen_is_ptr(const struct idl_type *t)
{
	t = gen_resolve(t);
	return t && t->kind == IDL_T_POINTER;
}

/* A parameter passed as a buffer (pointer or fixed array with a direction). */
static int gen_is_buffer(const struct idl_param *p)
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
static int gen_is_mbuf(const struct idl_param *m)
{
	return !m->attrs.is_opaque && !m->attrs.user_check && gen_is_ptr(m->type);
}

/* Element type of a buffer parameter (pointee, or the array's element). */
static const struct idl_type *gen_elem_type(const struct idl_param *p)
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

static const struct idl_param *gen_find_param(const struct idl_param *list, const char *name)
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

static int gen_struct_is_deep(const struct idl_struct *s)
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

static int gen_has_bool(const struct idl_type *t)
{
	return gen_has_bool_d(t, 0);
}

/* Emit code normalising the bools in the N bytes at trusted address PTR,
 * which hold elements of type T copied from untrusted memory. */
static void gen_fix_bools(struct gen_buf *b, int ind, const struct idl_type *t, const char *ptr,
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

/* erim__fix_NAME: normalise every bool of one struct in trusted memory
 * (members, arrays, nested structs), reading each byte as unsigned char. */
static void gen_struct_fix(struct gen_buf *b, const struct idl_struct *s)
{
	gen_printf(b, "static __attribute__((unused)) void erim__fix_%s(struct %s *erim__p)\n{\n",
	           s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_ptr(m->type) || !gen_has_bool(m->type))
			continue;
		char *ref = m->ndims ? gen_strf("erim__p->%s", m->name) : gen_strf("&erim__p->%s", m->name);
		char *sz = gen_strf("sizeof erim__p->%s", m->name);
		gen_fix_bools(b, 1, m->type, ref, sz);
		free(ref);
		free(sz);
	}
	gen_puts(b, "}\n\n");
}

/* Does member/param NAME appear as a length in an expression? */
static int gen_expr_uses(const struct idl_expr *e, const char *name)
{
	if (!e)
		return 0;
	if (e->kind == IDL_E_IDENT)
		return strcmp(e->ident, name) == 0;
	return gen_expr_uses(e->lhs, name) || gen_expr_uses(e->rhs, name);
}

static int gen_is_length_member(const struct idl_struct *s, const char *name)
{
	for (const struct idl_param *m = s->members; m; m = m->next)
		if (gen_is_mbuf(m) && (gen_expr_uses(m->attrs.size, name) ||
		                         gen_expr_uses(m->attrs.count, name)))
			return 1;
	return 0;
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
static const char *gen_tmp(const char *role, const struct idl_param *p)
{
	static char *ring[16];
	static unsigned next;
	char **slot = &ring[next++ % 16];

	free(*slot);
	*slot = gen_strf("erim__%s_%s", role, p->name);
	return *slot;
}

/* ---- size expressions --------------------------------------------------------- */

enum gen_fail_mode { GEN_FAIL_ENTRY, GEN_FAIL_MEMBER, GEN_FAIL_PROXY };

/* Context of one generated function body. */
struct gen_fx {
	struct gen_ctx *c;
	const struct idl_func *f;
	const struct idl_param *scope;  /* where IDENTs are looked up */
	const char *prefix;             /* how a fetched value is spelled: "erim__v." */
	enum gen_fail_mode mode;
	const char *arg;                /* parameter (or member) named in messages */
	int ntmp;
	int used_goto;
};

/* Emit the code that refuses with reason WHY (a C string literal body). */
static void gen_fail(struct gen_fx *fx, struct gen_buf *b, int ind, const char *why)
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
static int gen_signedness(const struct idl_type *t)
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
static char *gen_size(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_expr *e)
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
static void gen_bytes(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_param *p,
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

/* ---- struct helpers (member-wise copies) ------------------------------------- */

/* put: member-by-member assignment into a zeroed staging copy, so padding
 * bytes of trusted memory never travel to untrusted memory. */
static void gen_struct_put(struct gen_ctx *c, struct gen_buf *b, const struct idl_struct *s)
{
	gen_printf(b, "static __attribute__((unused)) void erim__put_%s(struct %s *erim__d, "
	              "const struct %s *erim__s)\n{\n", s->name, s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next) {
		const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
		if (ms && m->ndims) {
			unsigned long long n = 1;
			for (size_t i = 0; i < m->ndims; i++)
				n *= m->dims[i];
			gen_printf(b, "\tfor (size_t erim__i = 0; erim__i < %lluu; erim__i++)\n"
			              "\t\terim__put_%s((struct %s *)(void *)erim__d->%s + erim__i, "
			              "(const struct %s *)(const void *)erim__s->%s + erim__i);\n",
			           n, ms->name, ms->name, m->name, ms->name, m->name);
		} else if (ms) {
			gen_printf(b, "\terim__put_%s(&erim__d->%s, &erim__s->%s);\n", ms->name, m->name, m->name);
		} else if (m->ndims) {
			gen_printf(b, "\terim__mcpy(erim__d->%s, erim__s->%s, sizeof erim__d->%s);\n",
			           m->name, m->name, m->name);
		} else {
			gen_printf(b, "\terim__d->%s = erim__s->%s;\n", m->name, m->name);
		}
	}
	gen_puts(b, "}\n\n");
}

/* in / out / free for structs with deep-copied pointer members. */
static void gen_struct_deep(struct gen_ctx *c, struct gen_buf *b, const struct idl_struct *s)
{
	struct gen_fx fx = { .c = c, .scope = s->members, .prefix = "erim__u->", .mode = GEN_FAIL_MEMBER };

	/* in: *erim__k (trusted) from *erim__u (trusted snapshot of the caller's
	 * element): lengths frozen from the snapshot, buffers checked, copied */
	gen_printf(b, "static __attribute__((unused)) const char *erim__in_%s(struct %s *erim__k, "
	              "const struct %s *erim__u, int erim__copy, const char **erim__mem)\n{\n",
	           s->name, s->name, s->name);
	gen_puts(b, "\terim__mset(erim__k, 0, sizeof *erim__k);\n");
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_mbuf(m))
			continue;
		const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
		const char *cond = gen_is_length_member(s, m->name) ? "" : "if (erim__copy)\n\t\t";
		if (gen_struct_is_deep(ms))
			gen_error(c, &m->loc, "struct member '%s' embeds struct %s, which has pointer members; "
			          "make it a pointer member with count=", m->name, ms->name);
		if (m->ndims)
			gen_printf(b, "\t%serim__mcpy(erim__k->%s, erim__u->%s, sizeof erim__k->%s);\n",
			           cond, m->name, m->name, m->name);
		else
			gen_printf(b, "\t%serim__k->%s = erim__u->%s;\n", cond, m->name, m->name);
	}
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (!gen_is_mbuf(m))
			continue;
		if (m->attrs.is_string || m->ndims) {
			gen_error(c, &m->loc, "member '%s': only pointer members with count= or size= "
			          "can be copied; string and array-of-pointer members are not supported", m->name);
			continue;
		}
		if (gen_struct_is_deep(gen_struct_of(c, gen_resolve(gen_elem_type(m)))))
			gen_error(c, &m->loc, "member '%s': nested deep copies are not supported", m->name);
		fx.arg = m->name;
		gen_printf(b, "\t{\n\t\tsize_t erim__n;\n\t\tvoid *erim__t = NULL;\n");
		gen_bytes(&fx, b, 2, m, "erim__n", NULL, NULL);
		gen_printf(b, "\t\tif (erim__u->%s) {\n", m->name);
		/* checked, barrier, trusted heap, copied once (or zeroed) */
		gen_printf(b, "\t\t\tconst char *erim__w = erim__copy_in(erim__u->%s, erim__n, NULL, erim__copy, &erim__t);\n",
		           m->name);
		gen_printf(b, "\t\t\tif (erim__w) { *erim__mem = \"%s\"; return erim__w; }\n", m->name);
		if (gen_has_bool(gen_elem_type(m))) {
			gen_puts(b, "\t\t\tif (erim__copy) {\n");
			gen_fix_bools(b, 4, gen_elem_type(m), "erim__t", "erim__n");
			gen_puts(b, "\t\t\t}\n");
		}
		gen_printf(b, "\t\t\terim__k->%s = erim__t;\n\t\t}\n\t}\n", m->name);
	}
	gen_puts(b, "\treturn NULL;\n}\n\n");

	/* free: the trusted buffers erim__in_ allocated (NULL members skipped) */
	gen_printf(b, "static __attribute__((unused)) void erim__free_%s(struct %s *erim__k)\n{\n",
	           s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next)
		if (gen_is_mbuf(m))
			gen_printf(b, "\terim_free((void *)erim__k->%s);\n", m->name);
	gen_puts(b, "}\n\n");

	/* out: scalars from the callee's copy *erim__p; buffers' contents from the
	 * kept trusted copies *erim__k back into the caller's original buffers;
	 * pointers and length members restored from the snapshot *erim__u (a
	 * length member is never copied back) */
	gen_printf(b, "static __attribute__((unused)) const char *erim__out_%s(struct %s *erim__d, "
	              "const struct %s *erim__p, const struct %s *erim__k, const struct %s *erim__u, "
	              "const char **erim__mem)\n{\n",
	           s->name, s->name, s->name, s->name, s->name);
	fx.prefix = "erim__u->";
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_mbuf(m)) {
			gen_printf(b, "\tif (erim__u->%s && erim__k->%s) {\n\t\tsize_t erim__n;\n", m->name, m->name);
			/* recomputing from the same frozen snapshot cannot overflow now */
			struct gen_fx fx2 = fx;
			fx2.arg = m->name;
			gen_bytes(&fx2, b, 2, m, "erim__n", NULL, NULL);
			const struct idl_struct *es = gen_struct_of(c, gen_resolve(gen_elem_type(m)));
			if (es)   /* element-wise through a zeroed staging copy: no padding leaks */
				gen_printf(b, "\t\tfor (size_t erim__i = 0; erim__i < erim__n / sizeof(struct %s); erim__i++) {\n"
				              "\t\t\tstruct %s erim__e;\n\t\t\terim__mset(&erim__e, 0, sizeof erim__e);\n"
				              "\t\t\terim__put_%s(&erim__e, (const struct %s *)(const void *)erim__k->%s + erim__i);\n"
				              "\t\t\terim__mcpy((struct %s *)(void *)erim__u->%s + erim__i, &erim__e, sizeof erim__e);\n\t\t}\n\t}\n",
				           es->name, es->name, es->name, es->name, m->name, es->name, m->name);
			else
				gen_printf(b, "\t\terim__cpy((void *)erim__u->%s, erim__k->%s, erim__n);\n\t}\n", m->name, m->name);
			gen_printf(b, "\terim__d->%s = erim__u->%s;\n", m->name, m->name);
		} else if (gen_is_length_member(s, m->name)) {
			gen_printf(b, "\terim__d->%s = erim__u->%s;\n", m->name, m->name);
		} else {
			const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
			if (ms && !m->ndims)
				gen_printf(b, "\terim__put_%s(&erim__d->%s, &erim__p->%s);\n", ms->name, m->name, m->name);
			else if (ms)   /* element-wise: the caller's zeroed staging keeps padding zero */
				gen_printf(b, "\tfor (size_t erim__i = 0; erim__i < sizeof erim__d->%s / sizeof(struct %s); erim__i++)\n"
				              "\t\terim__put_%s((struct %s *)(void *)erim__d->%s + erim__i, "
				              "(const struct %s *)(const void *)erim__p->%s + erim__i);\n",
				           m->name, ms->name, ms->name, ms->name, m->name, ms->name, m->name);
			else if (m->ndims)
				gen_printf(b, "\terim__mcpy(erim__d->%s, erim__p->%s, sizeof erim__d->%s);\n",
				           m->name, m->name, m->name);
			else
				gen_printf(b, "\terim__d->%s = erim__p->%s;\n", m->name, m->name);
		}
	}
	gen_puts(b, "\t(void)erim__p;\n\t(void)erim__mem;\n\treturn NULL;\n}\n\n");
}

/* ---- per-function pieces ------------------------------------------------------- */

static const char *gen_impl_prefix(struct gen_ctx *c)
{
	return c->interpose ? "__real_" : c->opts.abi_sgx ? "erim__t_" : "";
}

static const char *gen_impl_suffix(struct gen_ctx *c)
{
	return c->interpose || c->opts.abi_sgx ? "" : "_impl";
}

/* A field declaration of an args struct for parameter P. */
static char *gen_field(const struct idl_param *p)
{
	if (p->ndims) {
		const struct idl_type *t = gen_resolve(p->type);
		return gen_strf("%svoid *%s", (t && t->is_const) || p->type->is_const ? "const " : "", p->name);
	}
	return gen_decl(p->type, p->name, 1);
}

static void gen_args_struct(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	gen_printf(b, "struct erim__args_%s {\n", f->name);
	for (const struct idl_param *p = f->params; p; p = p->next) {
		char *d = gen_field(p);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	if (!gen_is_void(gen_resolve(f->ret))) {
		char *d = gen_decl(f->ret, "erim__ret", 1);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	if (!f->params && gen_is_void(gen_resolve(f->ret)))
		gen_puts(b, "\tchar erim__unused;\n");
	gen_puts(b, "};\n\n");
	(void)c;
}

/* ---- the trusted entry, phase by phase ---------------------------------------- */

/* One trusted entry being generated: locals are declared in DECL (the
 * function's head), statements appended to B in phase order -- fetch, then
 * per buffer its sizes and copy-in, filled= before the call, the call,
 * filled= after it, copy-out, free. */
struct gen_entry_st {
	struct gen_ctx *c;
	const struct idl_func *f;
	struct gen_buf *decl, *b;
	struct gen_fx fx;
};

/* fetch: the args block checked to be untrusted memory, copied once into
 * trusted memory (erim__v), its bools normalised; nothing reads it again. */
static void gen_entry_fetch(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;

	gen_puts(b, "\terim__cld();\n");
	gen_puts(b, "\t/* the args block itself must be untrusted memory; then one fetch */\n");
	gen_puts(b, "\terim__why = erim__check(erim__raw, sizeof erim__v);\n\tif (erim__why)\n");
	gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"argument block %%s\", erim__why);\n", c->iname, f->name);
	gen_puts(b, "\terim__mcpy(&erim__v, erim__raw, sizeof erim__v);\n");
	for (const struct idl_param *p = f->params; p; p = p->next)
		if (!gen_is_buffer(p) && !gen_is_ptr(p->type)) {
			char *ref = gen_strf("&erim__v.%s", p->name), *sz = gen_strf("sizeof erim__v.%s", p->name);
			gen_fix_bools(b, 1, p->type, ref, sz);
			free(ref);
			free(sz);
		}
}

/* copy-in of an [in] string: page by page into a fresh trusted buffer,
 * terminated, at most maxlen= characters. */
static void gen_entry_in_string(struct gen_entry_st *st, const struct idl_param *p)
{
	struct gen_buf *out = st->decl, *b = st->b;
	struct gen_fx *fx = &st->fx;

	gen_printf(out, "\tvoid *%s = NULL;\n\tsize_t %s = 0;\n", gen_tmp("p", p), gen_tmp("n", p));
	gen_printf(b, "\t/* %s: string, copied page by page, terminated */\n\t{\n", p->name);
	if (p->attrs.maxlen) {
		char *t = gen_size(fx, b, 2, p->attrs.maxlen);
		gen_printf(b, "\t\tsize_t erim__max = %s < SIZE_MAX ? %s : SIZE_MAX - 1;\n", t, t);
		free(t);
	} else {
		gen_puts(b, "\t\tsize_t erim__max = SIZE_MAX - 1;\n");
	}
	gen_printf(b, "\t\tif (erim__v.%s) {\n", p->name);
	gen_printf(b, "\t\t\tconst char *erim__w = erim__str_in(erim__v.%s, erim__max, &%s, &%s);\n",
	           p->name, gen_tmp("p", p), gen_tmp("n", p));
	gen_printf(b, "\t\t\tif (erim__w) { erim__arg = \"%s\"; erim__why = erim__w; goto erim__refused; }\n\t\t}\n\t}\n",
	           p->name);
	fx->used_goto = 1;
}

/* copy-in of a buffer of structs with pointer members: a trusted snapshot
 * of the caller's elements (lengths frozen), then each member buffer copied. */
static void gen_entry_in_deep(struct gen_entry_st *st, const struct idl_param *p, const struct idl_struct *es)
{
	struct gen_buf *out = st->decl, *b = st->b;
	struct gen_fx *fx = &st->fx;

	gen_printf(out, "\tstruct %s *%s = NULL, *%s = NULL, *%s = NULL;\n"
	                "\tsize_t %s = 0, %s = 0;\n",
	           es->name, gen_tmp("u", p), gen_tmp("k", p), gen_tmp("p", p), gen_tmp("n", p), gen_tmp("e", p));
	if (p->attrs.filled)
		gen_printf(out, "\tsize_t %s = 0;\n", gen_tmp("z", p));
	gen_printf(b, "\t/* %s: struct %s, deep copy with frozen lengths */\n\t{\n", p->name, es->name);
	fx->used_goto = 1;
	gen_bytes(fx, b, 2, p, gen_tmp("n", p), gen_tmp("e", p), p->attrs.filled ? gen_tmp("z", p) : NULL);
	gen_printf(b, "\t\tif (erim__v.%s) {\n", p->name);
	gen_printf(b, "\t\t\tconst char *erim__w = erim__check(erim__v.%s, %s);\n", p->name, gen_tmp("n", p));
	gen_printf(b, "\t\t\tif (erim__w) { erim__arg = \"%s\"; erim__why = erim__w; goto erim__refused; }\n", p->name);
	gen_puts(b, "\t\t\terim__lfence();   /* copy only after the check retired */\n");
	gen_printf(b, "\t\t\t%s = erim_malloc(%s ? %s : 1);\n", gen_tmp("u", p), gen_tmp("n", p), gen_tmp("n", p));
	gen_printf(b, "\t\t\t%s = erim_calloc(1, %s ? %s : 1);\n", gen_tmp("k", p), gen_tmp("n", p), gen_tmp("n", p));
	gen_printf(b, "\t\t\t%s = erim_calloc(1, %s ? %s : 1);\n", gen_tmp("p", p), gen_tmp("n", p), gen_tmp("n", p));
	gen_printf(b, "\t\t\tif (!%s || !%s || !%s)\n", gen_tmp("u", p), gen_tmp("k", p), gen_tmp("p", p));
	gen_fail(fx, b, 4, "cannot be copied: out of trusted memory");
	gen_printf(b, "\t\t\terim__cpy(%s, erim__v.%s, %s);\n", gen_tmp("u", p), p->name, gen_tmp("n", p));
	{
		gen_fix_bools(b, 3, gen_elem_type(p), gen_tmp("u", p), gen_tmp("n", p));
	}
	/* whole elements of the n bytes (count*size need not be count structs) */
	gen_printf(b, "\t\t\tfor (size_t erim__i = 0; erim__i < %s / sizeof(struct %s); erim__i++) {\n",
	           gen_tmp("n", p), es->name);
	gen_printf(b, "\t\t\t\terim__w = erim__in_%s(&%s[erim__i], &%s[erim__i], %d, &erim__mem);\n",
	           es->name, gen_tmp("k", p), gen_tmp("u", p), (p->attrs.dir & IDL_DIR_IN) ? 1 : 0);
	gen_printf(b, "\t\t\t\tif (erim__w) { erim__arg = \"%s\"; erim__why = erim__w; goto erim__refused; }\n", p->name);
	gen_printf(b, "\t\t\t\t%s[erim__i] = %s[erim__i];\n\t\t\t}\n\t\t}\n\t}\n", gen_tmp("p", p), gen_tmp("k", p));
}

/* sizes and copy-in of a plain buffer: trusted stack when small, else the
 * trusted heap; [in] bytes copied once, [out] bytes zeroed. */
static void gen_entry_in_buffer(struct gen_entry_st *st, const struct idl_param *p)
{
	struct gen_buf *out = st->decl, *b = st->b;
	struct gen_fx *fx = &st->fx;

	gen_printf(out, "\tvoid *%s = NULL;\n\tsize_t %s = 0, %s = 0;\n",
	           gen_tmp("p", p), gen_tmp("n", p), gen_tmp("e", p));
	if (p->attrs.filled)
		gen_printf(out, "\tsize_t %s = 0;\n", gen_tmp("z", p));
	/* small buffers live on the trusted stack: no heap round trip */
	gen_printf(out, "\tunsigned char %s[ERIM__SMALL] __attribute__((aligned(16)));\n", gen_tmp("s", p));
	gen_printf(b, "\t/* %s: %s buffer */\n\t{\n", p->name,
	           p->attrs.dir == IDL_DIR_INOUT ? "in/out" : p->attrs.dir == IDL_DIR_IN ? "in" : "out");
	gen_bytes(fx, b, 2, p, gen_tmp("n", p), gen_tmp("e", p), p->attrs.filled ? gen_tmp("z", p) : NULL);
	gen_printf(b, "\t\tif (erim__v.%s) {\n", p->name);
	/* checked, barrier, trusted stack or heap, copied once (or zeroed) */
	gen_printf(b, "\t\t\tconst char *erim__w = erim__copy_in(erim__v.%s, %s, %s, %d, &%s);\n",
	           p->name, gen_tmp("n", p), gen_tmp("s", p), (p->attrs.dir & IDL_DIR_IN) ? 1 : 0, gen_tmp("p", p));
	gen_printf(b, "\t\t\tif (erim__w) { erim__arg = \"%s\"; erim__why = erim__w; goto erim__refused; }\n", p->name);
	fx->used_goto = 1;
	if (p->attrs.dir & IDL_DIR_IN) {
		gen_fix_bools(b, 3, gen_elem_type(p), gen_tmp("p", p), gen_tmp("n", p));
	}
	gen_puts(b, "\t\t}\n\t}\n");
}

/* copy-in: every buffer parameter, in declaration order. */
static void gen_entry_copy_in(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_fx *fx = &st->fx;

	for (const struct idl_param *p = f->params; p; p = p->next) {
		const struct idl_struct *es;
		int deep;

		if (!gen_is_buffer(p)) {
			const struct idl_struct *ps = gen_struct_of(c, gen_resolve(p->type));
			if (gen_struct_is_deep(ps))
				gen_error(c, &p->loc, "parameter '%s': struct %s has pointer members and cannot be "
				          "passed by value; pass a pointer with [in]", p->name, ps->name);
			continue;
		}
		fx->arg = p->name;
		if (p->attrs.dir == IDL_DIR_NONE) {
			gen_error(c, &p->loc, "parameter '%s': pointer without direction, opaque or user_check",
			          p->name);
			continue;
		}
		es = gen_struct_of(c, gen_resolve(gen_elem_type(p)));
		deep = gen_struct_is_deep(es);
		if (p->attrs.is_string && !p->attrs.size && !p->attrs.count) {
			if (!(p->attrs.dir & IDL_DIR_IN)) {
				gen_error(c, &p->loc, "parameter '%s': an [out] string needs size= or count=", p->name);
				continue;
			}
			gen_entry_in_string(st, p);
		} else if (deep) {
			gen_entry_in_deep(st, p, es);
		} else {
			gen_entry_in_buffer(st, p);
		}
	}
}

/* filled= before the call: what the caller chose is within the capacity. */
static void gen_entry_filled_pre(struct gen_entry_st *st)
{
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	struct gen_fx *fx = &st->fx;

	/* ---- filled=: the count's own buffer holds one; a count the caller
	 * chose (by value, or [in] through a pointer) within the capacity --
	 * all before the implementation runs, refused like any argument ---- */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !p->attrs.filled || !(p->attrs.dir & IDL_DIR_OUT))
			continue;
		const struct idl_expr *fe = p->attrs.filled;
		const struct idl_param *np = fe->kind == IDL_E_IDENT ? gen_find_param(f->params, fe->ident) : NULL;
		if (!np)
			continue;   /* reported below */
		fx->arg = np->name;
		if (gen_is_buffer(np)) {
			char *td = gen_decl(gen_elem_type(np), "", 1);
			gen_printf(b, "\tif (%s && %s < sizeof(%s))\n", gen_tmp("p", np), gen_tmp("n", np), td);
			gen_fail(fx, b, 2, "is too small to hold the count filled= names");
			if (np->attrs.dir & IDL_DIR_IN) {
				gen_printf(b, "\tif (%s && %s) {\n\t\t%s erim__x;\n"
				              "\t\terim__mcpy(&erim__x, %s, sizeof erim__x);\n",
				           gen_tmp("p", p), gen_tmp("p", np), td, gen_tmp("p", np));
				if (gen_signedness(gen_elem_type(np)) != 0) {
					gen_puts(b, "\t\tif (!(erim__x > 0 || erim__x == 0))\n");
					gen_fail(fx, b, 3, "is a negative filled= count");
				}
				gen_printf(b, "\t\tif ((size_t)erim__x > %s)\n", gen_tmp("e", p));
				gen_fail(fx, b, 3, "is a filled= count above the capacity");
				gen_puts(b, "\t}\n");
			}
			free(td);
		} else {
			gen_printf(b, "\tif (%s) {\n", gen_tmp("p", p));
			if (gen_signedness(np->type) != 0) {
				gen_printf(b, "\t\tif (!(erim__v.%s > 0 || erim__v.%s == 0))\n", np->name, np->name);
				gen_fail(fx, b, 3, "is a negative filled= count");
			}
			gen_printf(b, "\t\tif ((size_t)erim__v.%s > %s)\n", np->name, gen_tmp("e", p));
			gen_fail(fx, b, 3, "is a filled= count above the capacity");
			gen_puts(b, "\t}\n");
		}
	}
}

/* the call, after a speculation barrier. */
static void gen_entry_call(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	/* ---- the call, after a speculation barrier: every check above has
	 * retired before the implementation sees an argument ---- */
	gen_puts(b, "\terim__lfence();\n");
	{
		struct gen_buf *bb = b;
		gen_puts(bb, "\t");
		if (has_ret)
			gen_puts(bb, "erim__r = ");
		gen_printf(bb, "%s%s%s(", gen_impl_prefix(c), f->name, gen_impl_suffix(c));
		for (const struct idl_param *p = f->params; p; p = p->next) {
			if (gen_is_buffer(p) && p->ndims && gen_struct_is_deep(gen_struct_of(c, gen_resolve(p->type))))
				gen_printf(bb, "(void *)%s", gen_tmp("p", p));   /* struct X *, the callee's X (*)[N] */
			else if (gen_is_buffer(p))
				gen_printf(bb, "%s", gen_tmp("p", p));
			else
				gen_printf(bb, "erim__v.%s", p->name);
			gen_puts(bb, p->next ? ", " : "");
		}
		gen_puts(bb, ");\n");
	}
}

/* filled= after the call: the callee's count, bounded before any copy-out. */
static void gen_entry_filled_post(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *out = st->decl, *b = st->b;

	/* ---- filled=: the callee's count, checked before anything is written ---- */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !p->attrs.filled || !(p->attrs.dir & IDL_DIR_OUT))
			continue;
		const struct idl_expr *fe = p->attrs.filled;
		const struct idl_param *np = fe->kind == IDL_E_IDENT ? gen_find_param(f->params, fe->ident) : NULL;
		if (!np) {
			gen_error(c, &fe->loc, "filled= must name a parameter");
			continue;
		}
		gen_printf(out, "\tsize_t %s = 0;\n", gen_tmp("f", p));
		if (gen_is_buffer(np)) {
			char *td = gen_decl(gen_elem_type(np), "", 1);
			int sg = gen_signedness(gen_elem_type(np));
			gen_printf(b, "\tif (%s) {\n\t\t%s erim__x;\n"
			              "\t\terim__mcpy(&erim__x, %s, sizeof erim__x);\n", gen_tmp("p", np), td, gen_tmp("p", np));
			if (sg != 0)
				gen_printf(b, "\t\tif (!(erim__x > 0 || erim__x == 0))\n\t\t\terim_refuse(\"%s\", \"%s\", "
				              "\"trusted function reported a negative '%s'\");\n", c->iname, f->name, np->name);
			gen_printf(b, "\t\t%s = (size_t)erim__x;\n\t}\n", gen_tmp("f", p));
			free(td);
		} else {
			gen_printf(b, "\t%s = (size_t)erim__v.%s;\n", gen_tmp("f", p), np->name);
		}
		gen_printf(b, "\tif (%s > %s)\n", gen_tmp("f", p), gen_tmp("e", p));
		gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"trusted function reported '%s' = %%zu, more than the "
		              "%%zu elements of '%s'\", %s, %s);\n",
		           c->iname, f->name, np->name, p->name, gen_tmp("f", p), gen_tmp("e", p));
	}
}

/* copy-out: [out] buffers and the return value, padding never copied. */
static void gen_entry_copy_out(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	int has_ret = !gen_is_void(gen_resolve(f->ret));
	const struct idl_struct *rs = gen_struct_of(c, gen_resolve(f->ret));

	/* ---- outputs ---- */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !(p->attrs.dir & IDL_DIR_OUT) || p->attrs.dir == IDL_DIR_NONE)
			continue;
		const struct idl_struct *es = gen_struct_of(c, gen_resolve(gen_elem_type(p)));
		int filled = p->attrs.filled != NULL;
		if (p->attrs.is_string && !p->attrs.size && !p->attrs.count) {
			gen_printf(b, "\tif (%s)\n\t\terim__cpy((void *)erim__v.%s, %s, %s + 1);\n",
			           gen_tmp("p", p), p->name, gen_tmp("p", p), gen_tmp("n", p));
		} else if (gen_struct_is_deep(es)) {
			char *lim = filled ? gen_strf("%s * %s / sizeof(struct %s)", gen_tmp("f", p), gen_tmp("z", p), es->name)
			                   : gen_strf("%s / sizeof(struct %s)", gen_tmp("n", p), es->name);
			gen_printf(b, "\tfor (size_t erim__i = 0; %s && erim__i < %s; erim__i++) {\n"
			              "\t\tstruct %s erim__d;\n\t\tconst char *erim__m2;\n"
			              "\t\terim__mset(&erim__d, 0, sizeof erim__d);\n"
			              "\t\terim__out_%s(&erim__d, &%s[erim__i], &%s[erim__i], &%s[erim__i], &erim__m2);\n"
			              "\t\terim__mcpy((struct %s *)(void *)erim__v.%s + erim__i, &erim__d, sizeof erim__d);\n\t}\n",
			           gen_tmp("p", p), lim,
			           es->name, es->name, gen_tmp("p", p), gen_tmp("k", p), gen_tmp("u", p), es->name, p->name);
			free(lim);
		} else if (es) {
			char *lim = filled ? gen_strf("%s * %s / sizeof(struct %s)", gen_tmp("f", p), gen_tmp("z", p), es->name)
			                   : gen_strf("%s / sizeof(struct %s)", gen_tmp("n", p), es->name);
			gen_printf(b, "\tfor (size_t erim__i = 0; %s && erim__i < %s; erim__i++) {\n"
			              "\t\tstruct %s erim__d;\n"
			              "\t\terim__mset(&erim__d, 0, sizeof erim__d);\n"
			              "\t\terim__put_%s(&erim__d, (const struct %s *)%s + erim__i);\n"
			              "\t\terim__mcpy((struct %s *)(void *)erim__v.%s + erim__i, &erim__d, sizeof erim__d);\n\t}\n",
			           gen_tmp("p", p), lim,
			           es->name, es->name, es->name, gen_tmp("p", p), es->name, p->name);
			free(lim);
		} else if (filled) {
			/* erim__f <= erim__e and erim__e * erim__z <= erim__n */
			gen_printf(b, "\tif (%s)\n\t\terim__cpy((void *)erim__v.%s, %s, %s * %s);\n",
			           gen_tmp("p", p), p->name, gen_tmp("p", p), gen_tmp("f", p), gen_tmp("z", p));
		} else {
			gen_printf(b, "\tif (%s)\n\t\terim__cpy((void *)erim__v.%s, %s, %s);\n",
			           gen_tmp("p", p), p->name, gen_tmp("p", p), gen_tmp("n", p));
		}
	}
	if (has_ret) {
		if (rs) {
			gen_printf(b, "\t{\n\t\tstruct %s erim__d;\n\t\terim__mset(&erim__d, 0, sizeof erim__d);\n"
			              "\t\terim__put_%s(&erim__d, &erim__r);\n"
			              "\t\terim__mcpy(&((struct erim__args_%s *)erim__raw)->erim__ret, &erim__d, sizeof erim__d);\n\t}\n",
			           rs->name, rs->name, f->name);
		} else {
			gen_printf(b, "\t((struct erim__args_%s *)erim__raw)->erim__ret = erim__r;\n", f->name);
		}
	}
}

/* free: every trusted copy, then the refusal (error(V) or fatal). */
static void gen_entry_free(struct gen_entry_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	struct gen_fx *fx = &st->fx;

	gen_puts(b, "\terim__st = 0;\n");
	if (fx->used_goto)
		gen_puts(b, "erim__refused:\n");
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || p->attrs.dir == IDL_DIR_NONE)
			continue;
		const struct idl_struct *es = gen_struct_of(c, gen_resolve(gen_elem_type(p)));
		if (gen_struct_is_deep(es) && !(p->attrs.is_string && !p->attrs.size && !p->attrs.count)) {
			gen_printf(b, "\tfor (size_t erim__i = 0; %s && erim__i < %s / sizeof(struct %s); erim__i++)\n"
			              "\t\terim__free_%s(&%s[erim__i]);\n", gen_tmp("k", p), gen_tmp("n", p), es->name, es->name, gen_tmp("k", p));
			gen_printf(b, "\terim_free(%s);\n\terim_free(%s);\n", gen_tmp("u", p), gen_tmp("k", p));
		}
		if (p->attrs.is_string && !p->attrs.size && !p->attrs.count) {
			gen_printf(b, "\terim_free(%s);\n", gen_tmp("p", p));
		} else if (gen_struct_is_deep(es)) {
			gen_printf(b, "\terim_free(%s);\n\t(void)%s;\n", gen_tmp("p", p), gen_tmp("e", p));
		} else {
			gen_printf(b, "\terim__copy_free(%s, %s);\n", gen_tmp("p", p), gen_tmp("s", p));
			gen_printf(b, "\t(void)%s;\n", gen_tmp("e", p));
		}
	}
	gen_puts(b, "\tif (erim__st != 0) {\n");
	if (f->error)
		gen_puts(b, "\t\t(void)erim__arg;\n\t\t(void)erim__mem;\n\t\treturn 1;   /* refused: the gate returns error() */\n");
	else
		gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"argument '%%s'%%s%%s%%s %%s\", erim__arg,\n"
		              "\t\t            erim__mem ? \" member '\" : \"\", erim__mem ? erim__mem : \"\",\n"
		              "\t\t            erim__mem ? \"'\" : \"\", erim__why);\n", c->iname, f->name);
	gen_puts(b, "\t}\n\treturn 0;\n}\n\n");
}

/* The trusted entry of trusted function F. */
static void gen_entry(struct gen_ctx *c, struct gen_buf *out, const struct idl_func *f)
{
	struct gen_buf body;
	struct gen_entry_st st = { .c = c, .f = f, .decl = out, .b = &body,
	                           .fx = { .c = c, .f = f, .scope = f->params, .prefix = "erim__v.",
	                                   .mode = GEN_FAIL_ENTRY } };
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	gen_buf_init(&body, out->name);
	gen_printf(out, "/* trusted entry of %s.%s: runs in the trusted domain on the trusted stack */\n",
	           c->iname, f->name);
	gen_printf(out, "static long erim__entry_%s(void *erim__raw)\n{\n", f->name);
	gen_printf(out, "\tstruct erim__args_%s erim__v;\n", f->name);
	gen_puts(out, "\tconst char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;\n"
	              "\tlong erim__st = 1;\n");
	if (has_ret) {
		char *d = gen_decl(f->ret, "erim__r", 1);
		gen_printf(out, "\t%s;\n", d);
		free(d);
	}

	gen_entry_fetch(&st);
	gen_entry_copy_in(&st);
	gen_entry_filled_pre(&st);
	gen_entry_call(&st);
	gen_entry_filled_post(&st);
	gen_entry_copy_out(&st);
	gen_entry_free(&st);
	gen_puts(out, "\n");
	gen_puts(out, body.data ? body.data : "");
	gen_buf_free(&body);
}

/* The untrusted-side gate of trusted function F: packs the arguments into an
 * args block on the untrusted stack and enters the trusted component. */
static void gen_gate(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	char *name = gen_strf("%s%s", c->interpose ? "__wrap_" : c->opts.abi_sgx ? "erim__u_" : "", f->name);
	char *params = gen_params(f);
	char *decl = gen_decl(f->ret, name, 0);
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	gen_printf(b, "/* gate of %s.%s (untrusted side) */\n", c->iname, f->name);
	gen_printf(b, "%s%s\n{\n", decl, params);
	gen_printf(b, "\tstruct erim__args_%s erim__a;\n\n", f->name);
	if (c->interpose) {
		char *args = gen_args(f, "");
		/* trusted code calling the library through a wrapped reference stays
		 * where it is; erim_in_trusted() cannot be faked by untrusted code */
		gen_printf(b, "\tif (erim_in_trusted())\n\t\t%s__real_%s(%s);\n", has_ret ? "return " : "",
		           f->name, args);
		if (!has_ret)
			gen_puts(b, "\tif (erim_in_trusted())\n\t\treturn;\n");
		free(args);
	}
	for (const struct idl_param *p = f->params; p; p = p->next)
		gen_printf(b, "\terim__a.%s = %s;\n", p->name, p->name);
	if (!f->params && !has_ret)
		gen_puts(b, "\terim__a.erim__unused = 0;\n");
	if (f->error && gen_struct_of(c, gen_resolve(f->ret))) {
		gen_error(c, &f->error->loc, "error() on '%s', which returns a struct: give it a scalar "
		          "return type or drop error() (refusals are then fatal)", f->name);
	} else if (f->error) {
		gen_printf(b, "\tif (erim_gate_call(erim__base + erim__id_%s, &erim__a) != 0)\n", f->name);
		gen_puts(b, "\t\treturn (");
		char *rd = gen_decl(f->ret, "", 1);
		gen_puts(b, rd);
		free(rd);
		gen_puts(b, ")(");
		/* error(V): V as written in the .erim */
		const struct idl_expr *e = f->error;
		if (e->kind == IDL_E_INT) {
			char *l = gen_int_literal(e->value, e->negative);
			if (!l)
				gen_error(c, &e->loc, "error(-%llu) is below INT64_MIN", (unsigned long long)e->value);
			gen_puts(b, l ? l : "0");
			free(l);
		} else if (e->kind == IDL_E_IDENT)
			gen_puts(b, e->ident);
		else
			gen_error(c, &e->loc, "error() takes an integer or an enumerator");
		gen_puts(b, ");\n");
		if (!has_ret)
			gen_error(c, &f->loc, "error() on a function returning void");
	} else {
		gen_printf(b, "\t(void)erim_gate_call(erim__base + erim__id_%s, &erim__a);\n", f->name);
	}
	if (has_ret)
		gen_puts(b, "\treturn erim__a.erim__ret;\n");
	gen_puts(b, "}\n\n");
	free(name);
	free(params);
	free(decl);
}

/* The block a proxy hands to an untrusted function: scalars by value,
 * buffers as offsets from the block's start (0 = NULL), payloads after it. */
static void gen_cb_struct(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	gen_printf(b, "struct erim__cb_%s {\n", f->name);
	if (!gen_is_void(gen_resolve(f->ret))) {
		char *d = gen_decl(f->ret, "erim__ret", 1);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (gen_is_buffer(p)) {
			gen_printf(b, "\tsize_t %s;   /* offset of the payload, 0 for NULL */\n", p->name);
		} else {
			char *d = gen_field(p);
			gen_printf(b, "\t%s;\n", d);
			free(d);
		}
	}
	gen_puts(b, "\tchar erim__pad;\n};\n\n");
	(void)c;
}

/* The untrusted trampoline: runs in the untrusted domain on the untrusted
 * stack with its own copy of the block; returns where that copy is, so the
 * proxy can fetch the outputs (after checking the address). */
static void gen_trampoline(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	gen_printf(b, "static long erim__tramp_%s(void *erim__raw)\n{\n", f->name);
	gen_printf(b, "\tstruct erim__cb_%s *erim__b = erim__raw;\n\tchar *erim__c = erim__raw;\n\n\t", f->name);
	if (!gen_is_void(gen_resolve(f->ret)))
		gen_puts(b, "erim__b->erim__ret = ");
	gen_printf(b, "%s%s(", c->interpose ? "__real_" : "", f->name);
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (gen_is_buffer(p))
			gen_printf(b, "erim__b->%s ? (void *)(erim__c + erim__b->%s) : NULL", p->name, p->name);
		else
			gen_printf(b, "erim__b->%s", p->name);
		gen_puts(b, p->next ? ", " : "");
	}
	gen_puts(b, ");\n\t(void)erim__b;\n\t(void)erim__c;\n\treturn (long)(uintptr_t)erim__raw;\n}\n\n");
}

/* Is P the count named by some other parameter's filled=? */
static const struct idl_param *gen_filled_by(const struct idl_func *f, const struct idl_param *np)
{
	for (const struct idl_param *p = f->params; p; p = p->next)
		if (p->attrs.filled && p->attrs.filled->kind == IDL_E_IDENT &&
		    strcmp(p->attrs.filled->ident, np->name) == 0)
			return p;
	return NULL;
}

/* ---- the trusted-side proxy, phase by phase --------------------------------------- */

/* One proxy being generated: sizes and layout of the callback block, filled=
 * before the call, copy-in into the zeroed block, the call and the one fetch
 * of what comes back, filled= and the return value checked, copy-out, free. */
struct gen_proxy_st {
	struct gen_ctx *c;
	const struct idl_func *f;
	struct gen_buf *b;
	struct gen_fx fx;
	size_t nallow;
};

/* sizes: every buffer's bytes (strings measured in trusted memory) and its
 * offset in the block, bounded by ERIM__CB_MAX. */
static void gen_proxy_sizes(struct gen_proxy_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	struct gen_fx *fx = &st->fx;

	/* sizes and layout */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p))
			continue;
		const struct idl_struct *es = gen_struct_of(c, gen_resolve(gen_elem_type(p)));
		if (gen_struct_is_deep(es))
			gen_error(c, &p->loc, "parameter '%s': structs with pointer members cannot be passed to "
			          "untrusted functions; pass the buffers as separate parameters", p->name);
		if (p->attrs.dir == IDL_DIR_NONE) {
			gen_error(c, &p->loc, "parameter '%s': pointer without direction, opaque or user_check", p->name);
			continue;
		}
		fx->arg = p->name;
		gen_printf(b, "\tif (%s) {\n", p->name);
		if (p->attrs.is_string && !p->attrs.size && !p->attrs.count) {
			gen_printf(b, "\t\t%s = erim__strlen(%s) + 1;\n", gen_tmp("n", p), p->name);
			if (p->attrs.maxlen) {
				char *t = gen_size(fx, b, 2, p->attrs.maxlen);
				gen_printf(b, "\t\tif (%s - 1 > %s)\n", gen_tmp("n", p), t);
				gen_fail(fx, b, 3, "is longer than its maxlen");
				free(t);
			}
		} else {
			gen_bytes(fx, b, 2, p, gen_tmp("n", p), gen_tmp("e", p), p->attrs.filled ? gen_tmp("z", p) : NULL);
		}
		gen_printf(b, "\t\tif (%s > ERIM__CB_MAX)\n", gen_tmp("n", p));
		gen_fail(fx, b, 3, "is too large to cross to the untrusted stack");
		gen_printf(b, "\t\t%s = erim__total;\n\t\terim__total += (%s + 15u) & ~(size_t)15u;\n\t}\n",
		           gen_tmp("o", p), gen_tmp("n", p));
	}
}

/* filled= before the call: a count the trusted caller passes is within the capacity. */
static void gen_proxy_filled_pre(struct gen_proxy_st *st)
{
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	struct gen_fx *fx = &st->fx;

	/* filled=: the count's buffer holds one count; a count the trusted
	 * caller passes by value is within the capacity (before the call) */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !p->attrs.filled || !(p->attrs.dir & IDL_DIR_OUT))
			continue;
		const struct idl_expr *fe = p->attrs.filled;
		const struct idl_param *np = fe->kind == IDL_E_IDENT ? gen_find_param(f->params, fe->ident) : NULL;
		if (!np)
			continue;
		fx->arg = np->name;
		if (gen_is_buffer(np)) {
			char *td = gen_decl(gen_elem_type(np), "", 1);
			gen_printf(b, "\tif (%s && %s < sizeof(%s))\n", np->name, gen_tmp("n", np), td);
			gen_fail(fx, b, 2, "is too small to hold the count filled= names");
			free(td);
		} else {
			if (gen_signedness(np->type) != 0) {
				gen_printf(b, "\tif (%s && !(%s > 0 || %s == 0))\n", p->name, np->name, np->name);
				gen_fail(fx, b, 2, "is a negative filled= count");
			}
			gen_printf(b, "\tif (%s && (size_t)%s > %s)\n", p->name, np->name, gen_tmp("e", p));
			gen_fail(fx, b, 2, "is a filled= count above the capacity");
		}
	}
}

/* copy-in: a zeroed block from the trusted heap, scalars and [in] buffers
 * member by member (no padding leaves trusted memory). */
static void gen_proxy_copy_in(struct gen_proxy_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;

	gen_puts(b, "\tif (erim__total > ERIM__CB_MAX)\n");
	gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"arguments too large to cross to the untrusted stack\");\n",
	           c->iname, f->name);
	gen_puts(b, "\terim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */\n\tif (!erim__b)\n");
	gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"out of trusted memory\");\n", c->iname, f->name);
	gen_puts(b, "\terim__mset(&erim__h, 0, sizeof erim__h);\n");
	for (const struct idl_param *p = f->params; p; p = p->next) {
		const struct idl_struct *ps = gen_struct_of(c, gen_resolve(gen_is_buffer(p) ? gen_elem_type(p) : p->type));
		if (!gen_is_buffer(p)) {
			if (ps)   /* member by member into the zeroed header: no padding leaks */
				gen_printf(b, "\terim__put_%s(&erim__h.%s, &%s);\n", ps->name, p->name, p->name);
			else
				gen_printf(b, "\terim__h.%s = %s;\n", p->name, p->name);
			continue;
		}
		gen_printf(b, "\terim__h.%s = %s;\n", p->name, gen_tmp("o", p));
		if ((p->attrs.dir & IDL_DIR_IN) && ps)   /* element-wise into the zeroed block */
			gen_printf(b, "\tfor (size_t erim__i = 0; %s && erim__i < %s / sizeof(struct %s); erim__i++)\n"
			              "\t\terim__put_%s((struct %s *)(void *)(erim__b + %s) + erim__i, "
			              "(const struct %s *)(const void *)%s + erim__i);\n",
			           p->name, gen_tmp("n", p), ps->name, ps->name, ps->name, gen_tmp("o", p), ps->name, p->name);
		else if (p->attrs.dir & IDL_DIR_IN)
			gen_printf(b, "\tif (%s)\n\t\terim__cpy(erim__b + %s, %s, %s);\n",
			           p->name, gen_tmp("o", p), p->name, gen_tmp("n", p));
	}
	gen_puts(b, "\terim__mcpy(erim__b, &erim__h, sizeof erim__h);\n");
}

/* the call, then the Iago checks of the returned block address and one fetch of its header. */
static void gen_proxy_call(struct gen_proxy_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	size_t nallow = st->nallow;

	gen_printf(b, "\terim__r = erim_callback_call(erim__tramp_%s, erim__b, erim__total, %s, %zu);\n",
	           f->name, nallow ? "erim__allow" : "NULL", nallow);
	gen_puts(b, "\terim__cld();\n");
	gen_puts(b, "\t/* Iago: the returned block address is untrusted; check it, fetch once */\n");
	gen_puts(b, "\terim__ub = (const unsigned char *)(uintptr_t)erim__r;\n");
	gen_puts(b, "\tif (erim__ub != erim__b) {\n\t\tconst char *erim__w = erim__check(erim__ub, erim__total);\n"
	            "\t\tif (erim__w)\n");
	gen_printf(b, "\t\t\terim_refuse(\"%s\", \"%s\", \"untrusted function returned a block that %%s\", erim__w);\n\t}\n",
	           c->iname, f->name);
	gen_puts(b, "\terim__mcpy(&erim__h, erim__ub, sizeof erim__h);\n");
}

/* filled= after the call: counts fetched once from the returned block, bounded. */
static void gen_proxy_filled_post(struct gen_proxy_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;

	/* filled counts: fetched once from the returned block, bounded */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !p->attrs.filled || !(p->attrs.dir & IDL_DIR_OUT))
			continue;
		const struct idl_expr *fe = p->attrs.filled;
		const struct idl_param *np = fe->kind == IDL_E_IDENT ? gen_find_param(f->params, fe->ident) : NULL;
		if (!np) {
			gen_error(c, &fe->loc, "filled= must name a parameter");
			continue;
		}
		gen_printf(b, "\tsize_t %s = %s;\n", gen_tmp("f", p), gen_tmp("e", p));
		if (gen_is_buffer(np)) {
			char *td = gen_decl(gen_elem_type(np), "", 1);
			int sg = gen_signedness(gen_elem_type(np));
			gen_printf(b, "\t%s %s = 0;\n", td, gen_tmp("fv", np));
			gen_printf(b, "\tif (%s && %s) {\n\t\terim__mcpy(&%s, erim__ub + %s, sizeof %s);\n",
			           np->name, gen_tmp("o", np), gen_tmp("fv", np), gen_tmp("o", np), gen_tmp("fv", np));
			if (sg != 0)
				gen_printf(b, "\t\tif (!(%s > 0 || %s == 0))\n\t\t\terim_refuse(\"%s\", \"%s\", "
				              "\"untrusted function returned a negative '%s'\");\n", gen_tmp("fv", np), gen_tmp("fv", np),
				           c->iname, f->name, np->name);
			gen_printf(b, "\t\t%s = (size_t)%s;\n\t}\n", gen_tmp("f", p), gen_tmp("fv", np));
			free(td);
		} else {
			gen_printf(b, "\t%s = (size_t)%s;\n", gen_tmp("f", p), np->name);
		}
		gen_printf(b, "\tif (%s > %s)\n", gen_tmp("f", p), gen_tmp("e", p));
		gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"untrusted function returned '%s' = %%zu, more than the "
		              "%%zu elements of '%s'\", %s, %s);\n",
		           c->iname, f->name, np->name, p->name, gen_tmp("f", p), gen_tmp("e", p));
	}
}

/* the return value: bools normalised, a returned pointer outside trusted
 * memory; then the barrier before anything returned is used. */
static void gen_proxy_returned(struct gen_proxy_st *st)
{
	struct gen_ctx *c = st->c;
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	if (has_ret)
		gen_fix_bools(b, 1, f->ret, "&erim__h.erim__ret", "sizeof erim__h.erim__ret");
	if (has_ret && gen_is_ptr(f->ret)) {
		gen_puts(b, "\tif (erim__h.erim__ret && erim__check(erim__h.erim__ret, 1))\n");
		gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"untrusted function returned a pointer into trusted memory\");\n",
		           c->iname, f->name);
	}
	/* the returned block and counts are checked: barrier before using them */
	gen_puts(b, "\terim__lfence();\n");
}

/* copy-out: [out] buffers from the returned block, frozen sizes, strings
 * re-terminated, bools normalised. */
static void gen_proxy_copy_out(struct gen_proxy_st *st)
{
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;

	/* outputs: frozen sizes, counts as validated above */
	for (const struct idl_param *p = f->params; p; p = p->next) {
		if (!gen_is_buffer(p) || !(p->attrs.dir & IDL_DIR_OUT))
			continue;
		const struct idl_param *fp = gen_filled_by(f, p);
		if (fp && fp->attrs.dir & IDL_DIR_OUT) {
			gen_printf(b, "\tif (%s && %s)\n\t\terim__mcpy(%s, &%s, sizeof %s);\n",
			           p->name, gen_tmp("o", p), p->name, gen_tmp("fv", p), gen_tmp("fv", p));
		} else if (p->attrs.filled) {
			/* erim__f <= erim__e and erim__e * erim__z <= erim__n */
			gen_printf(b, "\tif (%s) {\n\t\terim__cpy(%s, erim__ub + %s, %s * %s);\n",
			           p->name, p->name, gen_tmp("o", p), gen_tmp("f", p), gen_tmp("z", p));
			char *n = gen_strf("%s * %s", gen_tmp("f", p), gen_tmp("z", p));
			gen_fix_bools(b, 2, gen_elem_type(p), p->name, n);
			free(n);
			gen_puts(b, "\t}\n");
		} else {
			gen_printf(b, "\tif (%s) {\n\t\terim__cpy(%s, erim__ub + %s, %s);\n",
			           p->name, p->name, gen_tmp("o", p), gen_tmp("n", p));
			if (p->attrs.is_string)   /* the callback may have overwritten the NUL */
				gen_printf(b, "\t\tif (%s)\n\t\t\t((char *)%s)[%s - 1] = '\\0';\n",
				           gen_tmp("n", p), p->name, gen_tmp("n", p));
			char *n = gen_strf("%s", gen_tmp("n", p));
			gen_fix_bools(b, 2, gen_elem_type(p), p->name, n);
			free(n);
			gen_puts(b, "\t}\n");
		}
	}
}

/* free: the block. */
static void gen_proxy_free(struct gen_proxy_st *st)
{
	const struct idl_func *f = st->f;
	struct gen_buf *b = st->b;
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	gen_puts(b, "\terim_free(erim__b);\n");
	for (const struct idl_param *p = f->params; p; p = p->next)
		if (gen_is_buffer(p))
			gen_printf(b, "\t(void)%s;\n", gen_tmp("e", p));
	if (has_ret)
		gen_puts(b, "\treturn erim__h.erim__ret;\n");
}

/* The trusted-side proxy of untrusted function F. */
static void gen_proxy(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	char *name = c->interpose ? gen_strf("__wrap_%s", f->name) : gen_strf("%s_ocall", f->name);
	char *params = gen_params(f);
	char *decl = gen_decl(f->ret, name, 0);
	int has_ret = !gen_is_void(gen_resolve(f->ret));
	size_t nallow = 0;
	struct gen_proxy_st st = { .c = c, .f = f, .b = b,
	                           .fx = { .c = c, .f = f, .scope = f->params, .prefix = "",
	                                   .mode = GEN_FAIL_PROXY } };

	for (const struct idl_ident_list *a = f->allow; a; a = a->next)
		nallow++;
	st.nallow = nallow;
	gen_printf(b, "/* proxy to %s.%s (trusted side): the untrusted function gets a copy\n"
	              " * of every input; whatever comes back is checked before use */\n", c->iname, f->name);
	gen_printf(b, "%s%s\n{\n", decl, params);
	gen_printf(b, "\tstruct erim__cb_%s erim__h;\n\tunsigned char *erim__b;\n\tconst unsigned char *erim__ub;\n"
	              "\tsize_t erim__total = (sizeof(struct erim__cb_%s) + 15u) & ~(size_t)15u;\n\tlong erim__r;\n",
	           f->name, f->name);
	for (const struct idl_param *p = f->params; p; p = p->next)
		if (gen_is_buffer(p)) {
			gen_printf(b, "\tsize_t %s = 0, %s = 0, %s = 0;\n", gen_tmp("n", p), gen_tmp("e", p), gen_tmp("o", p));
			if (p->attrs.filled)
				gen_printf(b, "\tsize_t %s = 0;\n", gen_tmp("z", p));
		}
	if (nallow) {
		gen_printf(b, "\tunsigned erim__allow[%zu] = { ", nallow);
		for (const struct idl_ident_list *a = f->allow; a; a = a->next)
			gen_printf(b, "erim__tbase + erim__id_%s%s", a->name, a->next ? ", " : " };\n");
	}
	gen_puts(b, "\n");
	if (c->interpose) {
		char *args = gen_args(f, "");
		gen_printf(b, "\tif (!erim_in_trusted()) {\t/* an untrusted caller of the library: no crossing */\n"
		              "\t\t%s__real_%s(%s);\n%s\t}\n", has_ret ? "return " : "", f->name, args,
		           has_ret ? "" : "\t\treturn;\n");
		free(args);
	}
	gen_proxy_sizes(&st);
	gen_proxy_filled_pre(&st);
	gen_proxy_copy_in(&st);
	gen_proxy_call(&st);
	gen_proxy_filled_post(&st);
	gen_proxy_returned(&st);
	gen_proxy_copy_out(&st);
	gen_proxy_free(&st);
	gen_puts(b, "}\n\n");
	free(name);
	free(params);
	free(decl);
}

/* ---- the file ----------------------------------------------------------------- */

/* Struct helpers for every struct reachable from this file (imports first),
 * each once. */
struct gen_seen {
	const struct idl_struct *s[512];
	size_t n;
};

static void gen_struct_helpers(struct gen_ctx *c, struct gen_buf *b, const struct idl_file *file,
                               struct gen_seen *seen)
{
	for (const struct idl_import *im = file->imports; im; im = im->next)
		if (im->file)
			gen_struct_helpers(c, b, im->file, seen);
	for (const struct idl_interface *i = file->interfaces; i; i = i->next)
		for (const struct idl_struct *s = i->structs; s; s = s->next) {
			size_t k;
			for (k = 0; k < seen->n; k++)
				if (seen->s[k] == s || strcmp(seen->s[k]->name, s->name) == 0)
					break;
			if (k < seen->n || seen->n == sizeof seen->s / sizeof seen->s[0])
				continue;
			seen->s[seen->n++] = s;
			gen_struct_put(c, b, s);
			{
				struct idl_type st = { .kind = IDL_T_STRUCT, .name = s->name,
				                       .decl = (struct idl_struct *)s };
				if (gen_has_bool(&st))
					gen_struct_fix(b, s);
			}
			if (gen_struct_is_deep(s))
				gen_struct_deep(c, b, s);
		}
}

void gen_gates(struct gen_ctx *c, struct gen_buf *b)
{
	const struct idl_interface *i = c->iface;
	struct gen_seen seen = { .n = 0 };
	size_t nt = 0;
	int has_allow = 0;

	gen_banner(c, b);
	gen_printf(b, "/* %s_gates.c: the trust boundary of interface %s -- gates, argument\n"
	              " * checks and copies, callback proxies, and the registration of the trusted\n"
	              " * entries.  Link it into the program together with liberim. */\n",
	           c->iname, c->iname);
	gen_puts(b, "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
	            "#include \"erim.h\"\n#include \"erim_gen.h\"\n");
	gen_printf(b, "#include \"%s_erim.h\"\n#include \"%s_trusted.h\"\n\n", c->iname, c->iname);
	/* the helpers this file calls are erim_gen.h's of one ABI */
	gen_printf(b, "#if !defined(ERIM_GEN_ABI) || ERIM_GEN_ABI != %d\n"
	              "#error \"%s_gates.c was generated for erim_gen.h ABI %d: regenerate it with the "
	              "erimgen of the installed erim\"\n#endif\n\n", GEN_RUNTIME_ABI, c->iname, GEN_RUNTIME_ABI);

	for (const struct idl_func *f = i->untrusted; f; f = f->next)
		if (f->allow)
			has_allow = 1;
	if (has_allow) {
		/* a trusted global needs the program linked with erim_trusted.ld;
		 * only allow lists need one */
		gen_puts(b, "/* entry ids: erim__base (untrusted copy, used by the gates) plus the\n"
		            " * index; allow lists use the trusted copy erim__tbase, which untrusted\n"
		            " * code cannot redirect to another private entry */\n");
		gen_puts(b, "static unsigned erim__base;\n"
		            "static ERIM_TRUSTED unsigned erim__tbase;\n");
	} else {
		gen_puts(b, "/* entry ids: erim__base plus the index */\n");
		gen_puts(b, "static unsigned erim__base;\n");
	}
	if (i->trusted) {
		gen_puts(b, "enum {\n");
		for (const struct idl_func *f = i->trusted; f; f = f->next, nt++)
			gen_printf(b, "\terim__id_%s = %zu,\n", f->name, nt);
		gen_puts(b, "};\n");
	}
	gen_puts(b, "\n");

	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_args_struct(c, b, f);
	for (const struct idl_func *f = i->untrusted; f; f = f->next)
		gen_cb_struct(c, b, f);
	gen_struct_helpers(c, b, c->file, &seen);

	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_entry(c, b, f);
	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_gate(c, b, f);
	for (const struct idl_func *f = i->untrusted; f; f = f->next) {
		gen_trampoline(c, b, f);
		gen_proxy(c, b, f);
	}

	if (i->trusted) {
		gen_puts(b, "static const struct erim_entry erim__entries[] = {\n");
		for (const struct idl_func *f = i->trusted; f; f = f->next)
			gen_printf(b, "\t{ \"%s\", \"%s\", erim__entry_%s, %s },\n", c->iname, f->name, f->name,
			           f->is_public ? "ERIM_ENTRY_PUBLIC" : "0 /* only inside an allowing callback */");
		gen_puts(b, "};\n\n");
	}
	gen_puts(b, "/* Runs before main(), hence before erim_init(): registration is refused\n"
	            " * after init, and trusted globals are still writable now. */\n");
	gen_puts(b, "__attribute__((constructor)) static void erim__register(void)\n{\n");
	if (i->trusted) {
		gen_puts(b, "\tunsigned erim__first = 0;\n"
		            "\tint erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / "
		            "sizeof erim__entries[0], &erim__first);\n\n"
		            "\tif (erim__rc != 0) {\n");
		gen_printf(b, "\t\tfprintf(stderr, \"erim: %s: cannot register the trusted entries (error %%d)\\n\", -erim__rc);\n"
		              "\t\tabort();\n\t}\n", c->iname);
		gen_puts(b, "\terim__base = erim__first;\n");
		if (has_allow)
			gen_puts(b, "\terim__tbase = erim__first;\n");
	} else {
		gen_puts(b, "\terim__base = 0;\n");
		if (has_allow)
			gen_puts(b, "\terim__tbase = 0;\n");
	}
	gen_puts(b, "}\n");
}

const struct gen_backend gen_backends[] = {
	{ "_erim.h", 1, gen_header_untrusted, 0 },
	{ "_trusted.h", 1, gen_header_trusted, 0 },
	{ "_gates.c", 0, gen_gates, 0 },
	{ "_u.h", 1, gen_sgx_u_h, 1 },
	{ "_u.c", 0, gen_sgx_u_c, 1 },
	{ "_t.h", 1, gen_sgx_t_h, 1 },
	{ "_t.c", 0, gen_sgx_t_c, 1 },
};
const size_t gen_nbackends = sizeof gen_backends / sizeof gen_backends[0];
