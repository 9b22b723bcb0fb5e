/* SPDX-License-Identifier: MIT */
/* gen_filled.c: what the trusted entry (gen_entry.c) and the trusted-side
 * proxy (gen_proxy.c) share for filled= -- which parameter holds the count,
 * and, after the call, the count the other side reported: fetched once,
 * refused when negative or above the capacity.  Declared in gen_gates.h. */
#include <stdlib.h>

#include "gen_gates.h"

const struct idl_param *gen_filled_count(struct gen_ctx *c, const struct idl_func *f,
                                         const struct idl_param *p, int report)
{
	if (!gen_is_buffer(p) || !p->attrs.filled || !(p->attrs.dir & IDL_DIR_OUT))
		return NULL;
	const struct idl_expr *fe = p->attrs.filled;
	const struct idl_param *np = fe->kind == IDL_E_IDENT ? gen_find_param(f->params, fe->ident) : NULL;
	if (!np && report)
		gen_error(c, &fe->loc, "filled= must name a parameter");
	return np;
}

const struct idl_param *gen_filled_pre(struct gen_fx *fx, struct gen_buf *b, const struct idl_param *p,
                                       int entry)
{
	const struct idl_param *np = gen_filled_count(fx->c, fx->f, p, 0);

	if (!np)
		return NULL;
	fx->arg = np->name;
	if (gen_is_buffer(np)) {
		char *td = gen_decl(gen_elem_type(np), "", 1);
		/* the entry's trusted copy of the count's buffer, the proxy's own pointer */
		gen_printf(b, "\tif (%s && %s < sizeof(%s))\n", entry ? gen_tmp("p", np) : np->name, gen_tmp("n", np), td);
		gen_fail(fx, b, 2, "is too small to hold the count filled= names");
		free(td);
	}
	return np;
}

/* Refuses when the count VAL (held by NP) is negative; WHO reported it. */
static void gen_filled_negative(struct gen_buf *b, struct gen_ctx *c, const struct idl_func *f,
                                const struct idl_param *np, const char *val, const char *who)
{
	gen_printf(b, "\t\tif (!(%s > 0 || %s == 0))\n\t\t\terim_refuse(\"%s\", \"%s\", "
	              "\"%s a negative '%s'\");\n", val, val, c->iname, f->name, who, np->name);
}

/* Refuses when P's filled count (temporary "f") exceeds its elements ("e"). */
static void gen_filled_bound(struct gen_buf *b, struct gen_ctx *c, const struct idl_func *f,
                             const struct idl_param *p, const struct idl_param *np, const char *who)
{
	gen_printf(b, "\tif (%s > %s)\n", gen_tmp("f", p), gen_tmp("e", p));
	gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"%s '%s' = %%zu, more than the "
	              "%%zu elements of '%s'\", %s, %s);\n",
	           c->iname, f->name, who, np->name, p->name, gen_tmp("f", p), gen_tmp("e", p));
}

void gen_filled_post(struct gen_ctx *c, const struct idl_func *f, struct gen_buf *decl, struct gen_buf *b,
                     int entry)
{
	const char *who = entry ? "trusted function reported" : "untrusted function returned";

	for (const struct idl_param *p = f->params; p; p = p->next) {
		const struct idl_param *np = gen_filled_count(c, f, p, 1);
		if (!np)
			continue;
		if (entry)
			gen_printf(decl, "\tsize_t %s = 0;\n", gen_tmp("f", p));
		else
			gen_printf(b, "\tsize_t %s = %s;\n", gen_tmp("f", p), gen_tmp("e", p));
		if (gen_is_buffer(np)) {
			/* a count behind a pointer: fetched once into VAL */
			char *td = gen_decl(gen_elem_type(np), "", 1);
			char *val = gen_strf("%s", entry ? "erim__x" : gen_tmp("fv", np));
			if (entry) {
				gen_printf(b, "\tif (%s) {\n\t\t%s erim__x;\n"
				              "\t\terim__mcpy(&erim__x, %s, sizeof erim__x);\n", gen_tmp("p", np), td, gen_tmp("p", np));
			} else {
				gen_printf(b, "\t%s %s = 0;\n", td, val);
				gen_printf(b, "\tif (%s && %s) {\n\t\terim__mcpy(&%s, erim__ub + %s, sizeof %s);\n",
				           np->name, gen_tmp("o", np), val, gen_tmp("o", np), val);
			}
			if (gen_signedness(gen_elem_type(np)) != 0)
				gen_filled_negative(b, c, f, np, val, who);
			gen_printf(b, "\t\t%s = (size_t)%s;\n\t}\n", gen_tmp("f", p), val);
			free(val);
			free(td);
		} else {
			gen_printf(b, "\t%s = (size_t)%s%s;\n", gen_tmp("f", p), entry ? "erim__v." : "", np->name);
		}
		gen_filled_bound(b, c, f, p, np, who);
	}
}
