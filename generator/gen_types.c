/* SPDX-License-Identifier: MIT */
/* gen_types.c: C spelling of .erim types, declarators and parameter lists,
 * and the type declarations (structs, enums, typedefs) that both generated
 * headers carry under one include guard, so they can be included together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

int gen_iface_option(const struct idl_interface *i, const char *key)
{
	for (const struct idl_option *o = i->options; o; o = o->next)
		if (strcmp(o->key, key) == 0)
			return 1;
	return 0;
}

int gen_is_void(const struct idl_type *t)
{
	return t && t->kind == IDL_T_VOID;
}

const struct idl_struct *gen_struct_of(const struct gen_ctx *c, const struct idl_type *t)
{
	if (!t || t->kind != IDL_T_STRUCT)
		return NULL;
	if (t->decl)
		return t->decl;
	for (const struct idl_struct *s = c->iface->structs; s; s = s->next)
		if (strcmp(s->name, t->name) == 0)
			return s;
	return NULL;
}

/* The base (non-pointer) part of a type. */
static char *gen_base(const struct idl_type *t, int drop_const)
{
	const char *cq = (t->is_const && !drop_const) ? "const " : "";

	switch (t->kind) {
	case IDL_T_VOID:
		return gen_strf("%svoid", cq);
	case IDL_T_STRUCT:
		return gen_strf("%sstruct %s", cq, t->name);
	case IDL_T_ENUM:
		return gen_strf("%senum %s", cq, t->name);
	default:
		return gen_strf("%s%s", cq, t->name);
	}
}

char *gen_decl(const struct idl_type *t, const char *name, int drop_const)
{
	char *s, *stars = gen_strf("%s", ""), *r;
	int top = 1;

	/* walk down the pointer chain: "T * const *" reads outside in */
	while (t->kind == IDL_T_POINTER) {
		char *n = gen_strf("*%s%s", (t->is_const && !(top && drop_const)) ? " const " : "", stars);
		free(stars);
		stars = n;
		t = t->target;
		top = 0;
	}
	s = gen_base(t, top && drop_const);
	if (*stars)
		r = gen_strf("%s %s%s", s, stars, name);
	else if (*name)
		r = gen_strf("%s %s", s, name);
	else
		r = gen_strf("%s", s);
	free(s);
	free(stars);
	return r;
}

/* NAME[4][8] for a parameter with fixed dimensions. */
static char *gen_param_decl(const struct idl_param *p)
{
	char *d = gen_decl(p->type, p->name, 0);

	for (size_t i = 0; i < p->ndims; i++) {
		char *n = gen_strf("%s[%llu]", d, (unsigned long long)p->dims[i]);
		free(d);
		d = n;
	}
	return d;
}

char *gen_params(const struct idl_func *f)
{
	char *s = gen_strf("(");

	if (!f->params) {
		free(s);
		return gen_strf("(void)");
	}
	for (const struct idl_param *p = f->params; p; p = p->next) {
		char *d = gen_param_decl(p);
		char *n = gen_strf("%s%s%s", s, d, p->next ? ", " : ")");
		free(s);
		free(d);
		s = n;
	}
	return s;
}

char *gen_args(const struct idl_func *f, const char *prefix)
{
	char *s = gen_strf("%s", "");

	for (const struct idl_param *p = f->params; p; p = p->next) {
		char *n = gen_strf("%s%s%s%s", s, prefix, p->name, p->next ? ", " : "");
		free(s);
		s = n;
	}
	return s;
}

void gen_banner(struct gen_ctx *c, struct gen_buf *b)
{
	gen_printf(b, "/* generated from %s by erimgen %s \xe2\x80\x94 do not edit */\n",
	           c->opts.source_name, c->opts.version);
}

char *gen_int_literal(uint64_t v, int negative)
{
	if (negative && v == (uint64_t)INT64_MAX + 1)
		return gen_strf("(-%lldLL - 1)", (long long)INT64_MAX);   /* INT64_MIN */
	if (negative && v > (uint64_t)INT64_MAX + 1)
		return NULL;
	if (!negative && v > (uint64_t)INT64_MAX)
		return gen_strf("%lluULL", (unsigned long long)v);          /* unsigned in C too */
	return gen_strf("%s%llu", negative ? "-" : "", (unsigned long long)v);
}

static void gen_expr_c(struct gen_buf *b, const struct idl_expr *e)
{
	switch (e->kind) {
	case IDL_E_INT: {
		char *l = gen_int_literal(e->value, e->negative);
		/* below INT64_MIN: the front end bounds enumerators; spell it anyway */
		gen_puts(b, l ? l : "0");
		free(l);
		break;
	}
	case IDL_E_IDENT:
		gen_puts(b, e->ident);
		break;
	case IDL_E_SIZEOF: {
		char *d = gen_decl(e->type, "", 0);
		gen_printf(b, "sizeof(%s)", d);
		free(d);
		break;
	}
	case IDL_E_MUL:
	case IDL_E_ADD:
		gen_puts(b, "(");
		gen_expr_c(b, e->lhs);
		gen_puts(b, e->kind == IDL_E_MUL ? " * " : " + ");
		gen_expr_c(b, e->rhs);
		gen_puts(b, ")");
		break;
	}
}

/* A struct or an EDL union (KEYWORD) with its members, at its source line. */
static void gen_struct_decl(struct gen_buf *b, const struct idl_struct *s, const char *keyword)
{
	gen_line_src(b, &s->loc);
	gen_printf(b, "%s %s {\n", keyword, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next) {
		char *d = gen_param_decl(m);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	gen_puts(b, "};\n");
	gen_line_back(b);
}

/* A guard name unique to the type declarations of interface I: its name plus
 * a hash of what it declares, so two imported files with the same stem
 * (a/Types.edl, b/Types.edl) keep separate guards, while one file reached
 * twice, or identical declarations, share one. */
static char *gen_types_guard(const struct idl_interface *i)
{
	uint32_t h = 2166136261u;
	const char *names[3] = { "s", "e", "t" };

#define GEN_HASH(str) do { for (const char *q_ = (str); *q_; q_++) h = (h ^ (unsigned char)*q_) * 16777619u; h = (h ^ 0xff) * 16777619u; } while (0)
	for (const struct idl_struct *s = i->structs; s; s = s->next) {
		GEN_HASH(names[0]);
		GEN_HASH(s->name);
		for (const struct idl_param *m = s->members; m; m = m->next)
			GEN_HASH(m->name);
	}
	for (const struct idl_enum *e = i->enums; e; e = e->next) {
		GEN_HASH(names[1]);
		GEN_HASH(e->name);
		for (const struct idl_enumerator *v = e->values; v; v = v->next)
			GEN_HASH(v->name);
	}
	for (const struct idl_typedef *t = i->typedefs; t; t = t->next) {
		GEN_HASH(names[2]);
		GEN_HASH(t->name);
	}
	for (const struct idl_struct *u = i->unions; u; u = u->next)
		GEN_HASH(u->name);
#undef GEN_HASH
	return gen_strf("ERIM__TYPES_%s_%08x", i->name, (unsigned)h);
}

/* The type declarations of one interface, under a guard named after it, so
 * that headers of interfaces importing it can repeat them. */
static void gen_iface_types(struct gen_buf *b, const struct idl_interface *i, const char *from)
{
	if (!i->structs && !i->enums && !i->typedefs && !i->unions)
		return;
	char *guard = gen_types_guard(i);
	gen_printf(b, "\n/* types declared in %s (shared by every header that uses them) */\n", from);
	gen_printf(b, "#ifndef %s\n#define %s\n", guard, guard);
	/* the AST keeps structs, enums and typedefs in separate lists: forward
	 * declarations first make every order of use compile */
	for (const struct idl_struct *s = i->structs; s; s = s->next)
		gen_printf(b, "struct %s;\n", s->name);
	/* Open Enclave's headers typedef every EDL struct to its bare name, and
	 * EDL files use it so (C11 allows the typedef to repeat) */
	if (i->is_enclave)
		for (const struct idl_struct *s = i->structs; s; s = s->next)
			gen_printf(b, "typedef struct %s %s;\n", s->name, s->name);
	for (const struct idl_enum *e = i->enums; e; e = e->next) {
		gen_line_src(b, &e->loc);
		gen_printf(b, "enum %s {\n", e->name);
		for (const struct idl_enumerator *v = e->values; v; v = v->next) {
			gen_printf(b, "\t%s", v->name);
			if (v->value) {
				gen_puts(b, " = ");
				gen_expr_c(b, v->value);
			}
			gen_puts(b, v->next ? ",\n" : "\n");
		}
		gen_puts(b, "};\n");
		gen_line_back(b);
	}
	for (const struct idl_typedef *t = i->typedefs; t; t = t->next) {
		char *d = gen_decl(t->type, t->name, 0);
		gen_line_src(b, &t->loc);
		gen_printf(b, "typedef %s;\n", d);
		gen_line_back(b);
		free(d);
	}
	/* EDL unions (plain data) before the structs that may embed them */
	for (const struct idl_struct *u = i->unions; u; u = u->next)
		gen_struct_decl(b, u, "union");
	for (const struct idl_struct *s = i->structs; s; s = s->next)
		gen_struct_decl(b, s, "struct");
	gen_printf(b, "#endif /* %s */\n", guard);
	free(guard);
}

static const char *gen_base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Is any interface of F or of what it imports written `enclave { }`? */
static int gen_file_is_edl(const struct idl_file *f, int depth)
{
	if (depth > 64)
		return 0;
	for (const struct idl_interface *i = f->interfaces; i; i = i->next)
		if (i->is_enclave)
			return 1;
	for (const struct idl_import *im = f->imports; im; im = im->next)
		if (im->file && gen_file_is_edl(im->file, depth + 1))
			return 1;
	return 0;
}

/* The includes of F and every file it imports, before any type declaration:
 * edger8r puts every include of the whole import tree into one header, so a
 * type an imported file uses may come from a header only the importing file
 * includes. */
static void gen_file_includes(struct gen_buf *b, const struct idl_file *f, int depth)
{
	if (depth > 64)
		return;
	for (const struct idl_import *im = f->imports; im; im = im->next)
		if (im->file)
			gen_file_includes(b, im->file, depth + 1);
	for (const struct idl_interface *i = f->interfaces; i; i = i->next)
		for (const struct idl_include *inc = i->includes; inc; inc = inc->next)
			gen_printf(b, "#include \"%s\"\n", inc->header);
}

/* Types of imported files first (depth first), then the file's own. */
static void gen_file_types(struct gen_buf *b, const struct idl_file *f, const struct idl_interface *self)
{
	for (const struct idl_import *im = f->imports; im; im = im->next)
		if (im->file)
			gen_file_types(b, im->file, NULL);
	/* every interface of the file: another interface's gates may use a type
	 * declared by this one (each block has its own guard; source order keeps
	 * by-value uses after their declarations) */
	(void)self;
	for (const struct idl_interface *i = f->interfaces; i; i = i->next)
		gen_iface_types(b, i, gen_base_name(f->path));
}

void gen_types(struct gen_ctx *c, struct gen_buf *b)
{
	gen_puts(b, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
	            "#include <sys/types.h>\n");
	if (gen_file_is_edl(c->file, 0))
		gen_puts(b, "#include \"erim_edl.h\"\n");
	gen_file_includes(b, c->file, 0);
	gen_file_types(b, c->file, c->iface);
	gen_puts(b, "\n");
}
