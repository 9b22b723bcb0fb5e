/* SPDX-License-Identifier: MIT */
/* gen_filled.c: what the trusted entry (gen_entry.c) and the trusted-side
 * proxy (gen_proxy.c) share for filled= -- which parameter holds the count,
 * and the checks on the count the other side reported.  Declared in
 * gen_gates.h. */
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

void gen_filled_negative(struct gen_buf *b, struct gen_ctx *c, const struct idl_func *f,
                         const struct idl_param *np, const char *val, const char *who)
{
	gen_printf(b, "\t\tif (!(%s > 0 || %s == 0))\n\t\t\terim_refuse(\"%s\", \"%s\", "
	              "\"%s a negative '%s'\");\n", val, val, c->iname, f->name, who, np->name);
}

void gen_filled_bound(struct gen_buf *b, struct gen_ctx *c, const struct idl_func *f,
                      const struct idl_param *p, const struct idl_param *np, const char *who)
{
	gen_printf(b, "\tif (%s > %s)\n", gen_tmp("f", p), gen_tmp("e", p));
	gen_printf(b, "\t\terim_refuse(\"%s\", \"%s\", \"%s '%s' = %%zu, more than the "
	              "%%zu elements of '%s'\", %s, %s);\n",
	           c->iname, f->name, who, np->name, p->name, gen_tmp("f", p), gen_tmp("e", p));
}
