/* SPDX-License-Identifier: MIT */
/* idl_resolve.c: name resolution, run before the checks.  `struct X`,
 * `enum X` and bare type names are bound to the declarations of this file or
 * its imports; a struct/enum tag that is declared nowhere becomes an extern
 * type spelled "struct X" (plain data from an included header), so
 * IDL_T_STRUCT always has its decl.  Also the idl_find_* lookups of idl.h. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idl_walk.h"

static struct idl_struct *idl_find_struct_in(const struct idl_file *f, const char *name, int depth)
{
	if (!f || depth > 64)
		return NULL;
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_struct *s = i->structs; s; s = s->next)
			if (!strcmp(s->name, name))
				return s;
	for (struct idl_import *im = f->imports; im; im = im->next) {
		struct idl_struct *s = idl_find_struct_in(im->file, name, depth + 1);

		if (s)
			return s;
	}
	return NULL;
}

static struct idl_enum *idl_find_enum_in(const struct idl_file *f, const char *name, int depth)
{
	if (!f || depth > 64)
		return NULL;
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_enum *e = i->enums; e; e = e->next)
			if (!strcmp(e->name, name))
				return e;
	for (struct idl_import *im = f->imports; im; im = im->next) {
		struct idl_enum *e = idl_find_enum_in(im->file, name, depth + 1);

		if (e)
			return e;
	}
	return NULL;
}

struct idl_struct *idl_find_struct(const struct idl_file *f, const char *name)
{
	return idl_find_struct_in(f, name, 0);
}

struct idl_enum *idl_find_enum(const struct idl_file *f, const char *name)
{
	return idl_find_enum_in(f, name, 0);
}

static int idl_file_has_includes(const struct idl_file *f, int depth)
{
	if (!f || depth > 64)
		return 0;
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		if (i->includes)
			return 1;
	for (struct idl_import *im = f->imports; im; im = im->next)
		if (idl_file_has_includes(im->file, depth + 1))
			return 1;
	return 0;
}

/* Does F (or an import) include a header whose name ends in HDR? */
static int idl_file_includes(const struct idl_file *f, const char *hdr, int depth)
{
	size_t lh = strlen(hdr);

	if (!f || depth > 64)
		return 0;
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_include *inc = i->includes; inc; inc = inc->next) {
			size_t l = strlen(inc->header);

			if (l >= lh && !strcmp(inc->header + l - lh, hdr) &&
			    (l == lh || inc->header[l - lh - 1] == '/'))
				return 1;
		}
	for (struct idl_import *im = f->imports; im; im = im->next)
		if (idl_file_includes(im->file, hdr, depth + 1))
			return 1;
	return 0;
}

/* Declarations visible in the file being resolved: its own first (in source
 * order), then its imports depth-first -- the order idl_find_struct() uses. */
struct idl_scope {
	struct idl_map structs, enums, typedefs;
	struct idl_map order;        /* this file's struct -> 1-based position */
};

/* Is struct S declared before location LOC's struct in the same file, or imported? */
static int idl_struct_declared_before(struct idl_session *ss, const struct idl_struct *s,
                                      const struct idl_struct *user)
{
	struct idl_scope *sc = ss->scope;
	uintptr_t a = (uintptr_t)idl_map_get(&sc->order, s->name);
	uintptr_t b = (uintptr_t)idl_map_get(&sc->order, user->name);

	if (!a)
		return 1; /* from an import */
	return a < b;
}

static void idl_scope_fill(struct idl_scope *sc, const struct idl_file *f, int depth)
{
	if (!f || depth > 64)
		return;
	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		for (struct idl_struct *st = i->structs; st; st = st->next)
			idl_map_put(&sc->structs, st->name, st);
		for (struct idl_enum *e = i->enums; e; e = e->next)
			idl_map_put(&sc->enums, e->name, e);
		for (struct idl_typedef *t = i->typedefs; t; t = t->next)
			idl_map_put(&sc->typedefs, t->name, t);
	}
	for (struct idl_import *im = f->imports; im; im = im->next)
		idl_scope_fill(sc, im->file, depth + 1);
}

static void idl_resolve_type(struct idl_session *s, struct idl_file *f, struct idl_type *t,
                             const struct idl_struct *in_struct, int has_includes)
{
	int via_ptr = 0;

	for (; t; via_ptr |= t->kind == IDL_T_POINTER, t = t->target) {
		switch (t->kind) {
		case IDL_T_STRUCT:
			t->decl = idl_map_get(&((struct idl_scope *)s->scope)->structs, t->name);
			if (!t->decl) {
				char *tag = t->name;

				t->kind = IDL_T_EXTERN;
				t->name = idl_xjoin(idl_xstrdup("struct"), tag);
				free(tag);
			} else if (in_struct && !via_ptr && !idl_struct_declared_before(s, t->decl, in_struct)) {
				idl_report(s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &t->loc,
				           "struct '%s' is used by value in struct '%s' before it is complete; "
				           "declare it first (a struct cannot contain itself)", t->decl->name,
				           in_struct->name);
			}
			break;
		case IDL_T_ENUM:
			t->enum_decl = idl_map_get(&((struct idl_scope *)s->scope)->enums, t->name);
			if (!t->enum_decl) {
				char *tag = t->name;

				t->kind = IDL_T_EXTERN;
				t->name = idl_xjoin(idl_xstrdup("enum"), tag);
				free(tag);
			}
			break;
		case IDL_T_EXTERN:
			if (strchr(t->name, ' '))
				break; /* "union X", already resolved */
			t->typedef_decl = idl_map_get(&((struct idl_scope *)s->scope)->typedefs, t->name);
			if (t->typedef_decl) {
				t->kind = IDL_T_TYPEDEF;
			} else if ((t->decl = idl_map_get(&((struct idl_scope *)s->scope)->structs, t->name))) {
				/* a struct declared in the file used by its bare name (Open
				 * Enclave's generated headers typedef every struct) */
				t->kind = IDL_T_STRUCT;
			} else if (!has_includes)
				idl_report(s, IDL_CHK_UNKNOWN_TYPE, IDL_SEV_OFF, &t->loc,
				           "unknown type '%s': it is not declared in this file and no C header is "
				           "included; add include \"header.h\" that declares it", t->name);
			break;
		case IDL_T_SCALAR:
			/* C11 declares these in <uchar.h> only, which the generated
			 * headers do not include on their own */
			if ((!strcmp(t->name, "char16_t") || !strcmp(t->name, "char32_t")) &&
			    !idl_file_includes(f, "uchar.h", 0))
				idl_report(s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &t->loc,
				           "'%s' is declared in <uchar.h>; add include \"uchar.h\" to the "
				           "interface (or use uint%s_t)", t->name, t->name[4] == '1' ? "16" : "32");
			break;
		case IDL_T_TYPEDEF:
		case IDL_T_VOID:
		case IDL_T_POINTER:
			break;
		}
	}
}

static void idl_resolve_expr(struct idl_session *s, struct idl_file *f, struct idl_expr *e, int inc)
{
	if (!e)
		return;
	if (e->kind == IDL_E_SIZEOF)
		idl_resolve_type(s, f, e->type, NULL, inc);
	idl_resolve_expr(s, f, e->lhs, inc);
	idl_resolve_expr(s, f, e->rhs, inc);
}

static void idl_resolve_params(struct idl_session *s, struct idl_file *f, struct idl_param *p,
                               const struct idl_struct *in_struct, int inc)
{
	for (; p; p = p->next) {
		idl_resolve_type(s, f, p->type, in_struct, inc);
		idl_resolve_expr(s, f, p->attrs.size, inc);
		idl_resolve_expr(s, f, p->attrs.count, inc);
		idl_resolve_expr(s, f, p->attrs.maxlen, inc);
		idl_resolve_expr(s, f, p->attrs.filled, inc);
	}
}

void idl_resolve(struct idl_session *s, struct idl_file *f)
{
	int inc = idl_file_has_includes(f, 0);
	struct idl_scope sc;
	uintptr_t pos = 0;

	idl_map_init(&sc.structs, 16);
	idl_map_init(&sc.enums, 16);
	idl_map_init(&sc.typedefs, 16);
	idl_map_init(&sc.order, 16);
	idl_scope_fill(&sc, f, 0);
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_struct *st = i->structs; st; st = st->next)
			idl_map_put(&sc.order, st->name, (void *)++pos);
	s->scope = &sc;

	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		for (struct idl_typedef *td = i->typedefs; td; td = td->next) {
			idl_resolve_type(s, f, td->type, NULL, inc);
			if (td->type->kind == IDL_T_TYPEDEF && td->type->typedef_decl == td) {
				td->type->typedef_decl = NULL; /* typedef T T: keep it an extern */
				td->type->kind = IDL_T_EXTERN;
			}
			if (idl_is_pointer(td->type))
				idl_report(s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &td->loc,
				           "typedef '%s' hides a pointer from the checks; write the pointer out "
				           "('T *p') where it is used", td->name);
		}
		for (struct idl_struct *st = i->structs; st; st = st->next)
			idl_resolve_params(s, f, st->members, st, inc);
		for (struct idl_struct *u = i->unions; u; u = u->next)
			idl_resolve_params(s, f, u->members, NULL, inc);
		for (int side = 0; side < 2; side++)
			for (struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next) {
				idl_resolve_type(s, f, fn->ret, NULL, inc);
				idl_resolve_params(s, f, fn->params, NULL, inc);
			}
	}
	/* typedef chains that loop (typedef a b; typedef b a;) */
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_typedef *td = i->typedefs; td; td = td->next) {
			const struct idl_type *t = td->type;
			int n = 0;

			while (t && t->kind == IDL_T_TYPEDEF && t->typedef_decl && n < 64) {
				t = t->typedef_decl->type;
				n++;
			}
			if (n >= 64) {
				idl_report(s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &td->loc,
				           "typedef '%s' is defined in terms of itself", td->name);
				td->type->kind = IDL_T_EXTERN;
				td->type->typedef_decl = NULL;
			}
		}
	s->scope = NULL;
	idl_map_fini(&sc.structs);
	idl_map_fini(&sc.enums);
	idl_map_fini(&sc.typedefs);
	idl_map_fini(&sc.order);
}
