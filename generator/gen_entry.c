/* SPDX-License-Identifier: MIT */
/* gen_entry.c: the trusted entry of a trusted function, erim__entry_NAME --
 * runs in the trusted domain on the trusted stack: one fetch of the args
 * block, per buffer its sizes and a checked copy into trusted memory,
 * filled= bounds, the call after a speculation barrier, copy-out without
 * padding, frees, and the refusal.  Each phase is its own emitter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_gates.h"

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
		const struct idl_param *np = gen_filled_pre(fx, b, p, 1);
		if (!np)
			continue;   /* reported after the call */
		if (gen_is_buffer(np)) {
			char *td = gen_decl(gen_elem_type(np), "", 1);
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
	/* ---- before the first store to untrusted memory (it can fault, and the
	 * kernel would write the implementation's register residue into the
	 * signal frame): caller-saved and vector registers zeroed ---- */
	int stores = has_ret;
	for (const struct idl_param *p = f->params; p && !stores; p = p->next)
		stores = gen_is_buffer(p) && (p->attrs.dir & IDL_DIR_OUT) && p->attrs.dir != IDL_DIR_NONE;
	if (stores)
		gen_puts(b, "\terim_scrub_registers();\n");
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
		} else if (es) {
			/* each element converted (a deep one with its pointed-to buffers) */
			int deep = gen_struct_is_deep(es);
			char *lim = filled ? gen_strf("%s * %s / sizeof(struct %s)", gen_tmp("f", p), gen_tmp("z", p), es->name)
			                   : gen_strf("%s / sizeof(struct %s)", gen_tmp("n", p), es->name);
			gen_printf(b, "\tfor (size_t erim__i = 0; %s && erim__i < %s; erim__i++) {\n\t\tstruct %s erim__d;\n%s",
			           gen_tmp("p", p), lim, es->name, deep ? "\t\tconst char *erim__m2;\n" : "");
			gen_puts(b, "\t\terim__mset(&erim__d, 0, sizeof erim__d);\n");
			if (deep)
				gen_printf(b, "\t\terim__out_%s(&erim__d, &%s[erim__i], &%s[erim__i], &%s[erim__i], &erim__m2);\n",
				           es->name, gen_tmp("p", p), gen_tmp("k", p), gen_tmp("u", p));
			else
				gen_printf(b, "\t\terim__put_%s(&erim__d, (const struct %s *)%s + erim__i);\n",
				           es->name, es->name, gen_tmp("p", p));
			gen_printf(b, "\t\terim__mcpy((struct %s *)(void *)erim__v.%s + erim__i, &erim__d, sizeof erim__d);\n\t}\n",
			           es->name, p->name);
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
void gen_entry(struct gen_ctx *c, struct gen_buf *out, const struct idl_func *f)
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
	gen_filled_post(st.c, st.f, st.decl, st.b, 1);
	gen_entry_copy_out(&st);
	gen_entry_free(&st);
	gen_puts(out, "\n");
	gen_puts(out, body.data ? body.data : "");
	gen_buf_free(&body);
}

