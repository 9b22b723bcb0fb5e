/* SPDX-License-Identifier: MIT */
/* idl_dump.c: the human-readable views of a checked tree -- the AST dump
 * (erimgen --dump-ast, pinned by golden tests; every type shows its resolved
 * kind so a reader can see what the checks saw), the user_check audit
 * (erimgen --audit) and the make dependency rule (erimgen --depfile). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "idl_priv.h"

static void idl_dump_type(FILE *out, const struct idl_type *t)
{
	if (!t) {
		fputs("?", out);
		return;
	}
	if (t->is_const && t->kind != IDL_T_POINTER)
		fputs("const ", out);
	switch (t->kind) {
	case IDL_T_VOID: fputs("void", out); break;
	case IDL_T_SCALAR: fprintf(out, "%s", t->name); break;
	case IDL_T_STRUCT: fprintf(out, "struct %s", t->name); break;
	case IDL_T_ENUM: fprintf(out, "enum %s", t->name); break;
	case IDL_T_TYPEDEF: fprintf(out, "typedef %s", t->name); break;
	case IDL_T_EXTERN: fprintf(out, "extern %s", t->name); break;
	case IDL_T_POINTER:
		fputs(t->is_const ? "const pointer(" : "pointer(", out);
		idl_dump_type(out, t->target);
		fputc(')', out);
		break;
	}
}

static void idl_dump_expr(FILE *out, const struct idl_expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case IDL_E_INT: fprintf(out, "%s%" PRIu64, e->negative ? "-" : "", e->value); break;
	case IDL_E_IDENT: fputs(e->ident, out); break;
	case IDL_E_SIZEOF:
		fputs("sizeof(", out);
		idl_dump_type(out, e->type);
		fputc(')', out);
		break;
	case IDL_E_MUL:
	case IDL_E_ADD:
		fputc('(', out);
		idl_dump_expr(out, e->lhs);
		fputs(e->kind == IDL_E_MUL ? " * " : " + ", out);
		idl_dump_expr(out, e->rhs);
		fputc(')', out);
		break;
	}
}

static void idl_dump_attrs(FILE *out, const struct idl_attrs *a)
{
	const char *sep = " [";
	int any = 0;

#define IDL_DUMP_FLAG(cond, text)                                                     \
	do {                                                                          \
		if (cond) {                                                           \
			fprintf(out, "%s%s", sep, text);                              \
			sep = ", ";                                                   \
			any = 1;                                                      \
		}                                                                     \
	} while (0)
#define IDL_DUMP_EXPR(e, text)                                                        \
	do {                                                                          \
		if (e) {                                                              \
			fprintf(out, "%s%s=", sep, text);                             \
			idl_dump_expr(out, e);                                        \
			sep = ", ";                                                   \
			any = 1;                                                      \
		}                                                                     \
	} while (0)
	IDL_DUMP_FLAG(a->dir & IDL_DIR_IN, "in");
	IDL_DUMP_FLAG(a->dir & IDL_DIR_OUT, "out");
	IDL_DUMP_FLAG(a->is_string, "string");
	IDL_DUMP_FLAG(a->is_opaque, "opaque");
	if (a->user_check) {
		fprintf(out, "%suser_check(\"%s\")", sep, a->user_check);
		sep = ", ";
		any = 1;
	}
	IDL_DUMP_EXPR(a->size, "size");
	IDL_DUMP_EXPR(a->count, "count");
	IDL_DUMP_EXPR(a->maxlen, "maxlen");
	IDL_DUMP_EXPR(a->filled, "filled");
#undef IDL_DUMP_FLAG
#undef IDL_DUMP_EXPR
	if (any)
		fputc(']', out);
}

static void idl_dump_param(FILE *out, const char *kind, const struct idl_param *p)
{
	fprintf(out, "    %s %s: ", kind, p->name);
	idl_dump_type(out, p->type);
	for (size_t i = 0; i < p->ndims; i++)
		fprintf(out, "[%" PRIu64 "]", p->dims[i]);
	idl_dump_attrs(out, &p->attrs);
	fprintf(out, " @%d:%d\n", p->loc.first_line, p->loc.first_column);
}

static void idl_dump_func(FILE *out, const struct idl_func *f)
{
	fprintf(out, "  %s%s %s -> ", f->side == IDL_TRUSTED ? "trusted" : "untrusted",
	        f->is_public ? " public" : "", f->name);
	idl_dump_type(out, f->ret);
	if (f->error) {
		fputs(" error(", out);
		idl_dump_expr(out, f->error);
		fputc(')', out);
	}
	if (f->allow) {
		fputs(" allow(", out);
		for (const struct idl_ident_list *a = f->allow; a; a = a->next)
			fprintf(out, "%s%s", a->name, a->next ? ", " : "");
		fputc(')', out);
	}
	fprintf(out, " @%d:%d\n", f->loc.first_line, f->loc.first_column);
	for (const struct idl_param *p = f->params; p; p = p->next)
		idl_dump_param(out, "param", p);
}

static void idl_dump_file_at(FILE *out, const struct idl_file *f, int depth)
{
	fprintf(out, "file %s\n", f->path);
	for (const struct idl_import *im = f->imports; im; im = im->next) {
		fprintf(out, "import \"%s\"%s", im->path, im->is_from ? " (from)" : "");
		if (im->is_from) {
			if (im->import_all)
				fputs(" *", out);
			for (const struct idl_ident_list *n = im->names; n; n = n->next)
				fprintf(out, " %s", n->name);
		}
		fputc('\n', out);
	}
	for (const struct idl_interface *i = f->interfaces; i; i = i->next) {
		fprintf(out, "interface %s%s", i->name, i->is_enclave ? " (enclave)" : "");
		for (const struct idl_option *o = i->options; o; o = o->next)
			fprintf(out, " %s%s%s", o->key, o->value ? "=" : "", o->value ? o->value : "");
		fprintf(out, " @%d:%d\n", i->loc.first_line, i->loc.first_column);
		for (const struct idl_include *inc = i->includes; inc; inc = inc->next)
			fprintf(out, "  include \"%s\"\n", inc->header);
		for (const struct idl_struct *s = i->structs; s; s = s->next) {
			fprintf(out, "  struct %s @%d:%d\n", s->name, s->loc.first_line, s->loc.first_column);
			for (const struct idl_param *m = s->members; m; m = m->next)
				idl_dump_param(out, "member", m);
		}
		for (const struct idl_enum *e = i->enums; e; e = e->next) {
			fprintf(out, "  enum %s @%d:%d\n", e->name, e->loc.first_line, e->loc.first_column);
			for (const struct idl_enumerator *v = e->values; v; v = v->next) {
				fprintf(out, "    %s", v->name);
				if (v->value) {
					fputs(" = ", out);
					idl_dump_expr(out, v->value);
				}
				fputc('\n', out);
			}
		}
		for (const struct idl_typedef *t = i->typedefs; t; t = t->next) {
			fprintf(out, "  typedef %s: ", t->name);
			idl_dump_type(out, t->type);
			fputc('\n', out);
		}
		for (const struct idl_func *fn = i->trusted; fn; fn = fn->next)
			idl_dump_func(out, fn);
		for (const struct idl_func *fn = i->untrusted; fn; fn = fn->next)
			idl_dump_func(out, fn);
	}
	for (const struct idl_import *im = f->imports; im; im = im->next)
		if (im->file && depth < 64) {
			fprintf(out, "--- imported by %s:%d\n", f->path, im->loc.first_line);
			idl_dump_file_at(out, im->file, depth + 1);
		}
}

void idl_dump_ast(FILE *out, const struct idl_file *f)
{
	if (f)
		idl_dump_file_at(out, f, 0);
}

/* Visit each distinct file once (by realpath: a file imported along two
 * paths is one file), root first, imports depth-first. */
struct idl_seen {
	const char *v[256];
	size_t n;
};

static int idl_foreach_file(const struct idl_file *f, int (*fn)(const struct idl_file *, void *),
                            void *arg, struct idl_seen *seen, int depth)
{
	const struct idl_file_priv *pv = f->priv;
	const char *key = pv && pv->real ? pv->real : f->path;
	int r;

	for (size_t i = 0; i < seen->n; i++)
		if (!strcmp(seen->v[i], key))
			return 0;
	if (seen->n < sizeof seen->v / sizeof seen->v[0])
		seen->v[seen->n++] = key;
	if ((r = fn(f, arg)) != 0)
		return r;
	for (const struct idl_import *im = f->imports; im; im = im->next)
		if (im->file && depth < 64 && (r = idl_foreach_file(im->file, fn, arg, seen, depth + 1)) != 0)
			return r;
	return 0;
}

struct idl_audit_arg {
	FILE *out;
	int n;
};

static int idl_audit_file(const struct idl_file *f, void *argp)
{
	struct idl_audit_arg *a = argp;

	for (const struct idl_interface *i = f->interfaces; i; i = i->next) {
		for (const struct idl_struct *s = i->structs; s; s = s->next)
			for (const struct idl_param *m = s->members; m; m = m->next)
				if (m->attrs.user_check) {
					fprintf(a->out, "%s:%d:%d: %s.struct %s: member '%s': user_check: \"%s\"\n",
					        f->path, m->loc.first_line, m->loc.first_column, i->name, s->name,
					        m->name, m->attrs.user_check);
					a->n++;
				}
		for (int side = 0; side < 2; side++)
			for (const struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next)
				for (const struct idl_param *p = fn->params; p; p = p->next)
					if (p->attrs.user_check) {
						fprintf(a->out, "%s:%d:%d: %s.%s: parameter '%s': user_check: \"%s\"\n",
						        f->path, p->loc.first_line, p->loc.first_column, i->name,
						        fn->name, p->name, p->attrs.user_check);
						a->n++;
					}
	}
	return 0;
}

int idl_audit(FILE *out, const struct idl_file *f)
{
	struct idl_audit_arg a = { out, 0 };
	struct idl_seen seen = { .n = 0 };

	if (f)
		idl_foreach_file(f, idl_audit_file, &a, &seen, 0);
	return a.n;
}

struct idl_source_arg {
	int (*fn)(const char *path, void *arg);
	void *arg;
};

static int idl_source_cb(const struct idl_file *f, void *argp)
{
	struct idl_source_arg *a = argp;

	return a->fn(f->path, a->arg);
}

int idl_file_foreach_source(const struct idl_file *f, int (*fn)(const char *path, void *arg), void *arg)
{
	struct idl_source_arg a = { fn, arg };
	struct idl_seen seen = { .n = 0 };

	return f ? idl_foreach_file(f, idl_source_cb, &a, &seen, 0) : 0;
}

/* Make needs spaces in file names escaped. */
static void idl_make_quote(FILE *out, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#')
			fputc('\\', out);
		if (*p == '$')
			fputc('$', out);
		fputc(*p, out);
	}
}

static int idl_dep_one(const char *path, void *arg)
{
	FILE *out = arg;

	fputs(" ", out);
	idl_make_quote(out, path);
	return 0;
}

static int idl_dep_phony(const char *path, void *arg)
{
	struct { FILE *out; const char *root; } *a = arg;

	if (!strcmp(path, a->root))
		return 0;
	fputc('\n', a->out);
	idl_make_quote(a->out, path);
	fputs(":\n", a->out);
	return 0;
}

int idl_depfile(FILE *out, const char *target, const struct idl_file *f)
{
	struct { FILE *out; const char *root; } a = { out, f ? f->path : "" };

	idl_make_quote(out, target);
	fputc(':', out);
	idl_file_foreach_source(f, idl_dep_one, out);
	fputc('\n', out);
	idl_file_foreach_source(f, idl_dep_phony, &a);
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}
