/* SPDX-License-Identifier: MIT */
/* gen_proxy.c: the way from trusted code to an untrusted function -- the
 * callback block (erim__cb_NAME), the untrusted trampoline that runs the
 * function on its own copy of the block, and the trusted-side proxy
 * (NAME_ocall) that builds a zeroed self-contained block, calls
 * erim_callback_call and validates everything that comes back (Iago).  Each
 * phase of the proxy is its own emitter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_gates.h"

/* The block a proxy hands to an untrusted function: scalars by value,
 * buffers as offsets from the block's start (0 = NULL), payloads after it. */
void gen_cb_struct(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
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
void gen_trampoline(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
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
		const struct idl_param *np = gen_filled_pre(fx, b, p, 0);
		if (!np)
			continue;
		if (!gen_is_buffer(np)) {
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
void gen_proxy(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
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
			gen_printf(b, "%s + erim__id_%s%s", gen_tbase(c), a->name, a->next ? ", " : " };\n");
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
	gen_filled_post(st.c, st.f, st.b, st.b, 0);
	gen_proxy_returned(&st);
	gen_proxy_copy_out(&st);
	gen_proxy_free(&st);
	gen_puts(b, "}\n\n");
	free(name);
	free(params);
	free(decl);
}

