/* SPDX-License-Identifier: MIT */
/* idl_check.c: the named semantic checks and their hook table.
 *
 * dtc style: each check is a row of the table in idl_table.c -- name (the -W
 * spelling), default severity, whether the generator depends on it -- and
 * here the hooks the one tree walker (idl_walk.c) calls for every
 * parameter/member, function, interface and file.  Checks that the grammar
 * or the builders must apply while parsing (varargs, function pointers,
 * unknown attributes, missing ';') have rows without hooks so they are still
 * named and can be promoted with -Werror=NAME.  Negative tests assert the
 * NAME, so messages can improve freely. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl_walk.h"

static size_t idl_count_params(const struct idl_param *p)
{
	size_t n = 0;

	for (; p; p = p->next)
		n++;
	return n;
}

static const char *idl_closest_param(struct idl_param *list, const char *name, const struct idl_param *self)
{
	struct idl_suggest sg;

	idl_suggest_init(&sg, name);
	for (; list; list = list->next)
		if (list != self)
			idl_suggest_consider(&sg, list->name);
	return sg.best;
}

/* "parameter 'x' of 'f'" / "member 'x' of struct 's'" */
static void idl_what(const struct idl_chk *c, const struct idl_param *p, char *buf, size_t n)
{
	if (c->func)
		snprintf(buf, n, "parameter '%s' of '%s'", p->name, c->func->name);
	else
		snprintf(buf, n, "member '%s' of struct '%s'", p->name, c->strct ? c->strct->name : "?");
}

static const struct idl_loc *idl_attr_loc(const struct idl_param *p)
{
	return p->attrs.loc.file ? &p->attrs.loc : &p->loc;
}

/* ---- checks on parameters and members --------------------------------------------- */

static void chk_pointer_direction(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_attrs *a = &p->attrs;
	char what[256];

	if (!c->func || !(idl_is_pointer(p->type) || p->ndims))
		return;
	if (a->dir || a->is_opaque || a->user_check)
		return;
	idl_what(c, p, what, sizeof what);
	idl_report(c->s, IDL_CHK_POINTER_DIRECTION, IDL_SEV_OFF, &p->loc,
	           "%s is %s without a direction; say how it crosses the boundary: "
	           "[in], [out], [in, out], [opaque] or [user_check(\"why\")]",
	           what, p->ndims ? "an array" : "a pointer");
}

static void chk_attr_non_pointer(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_attrs *a = &p->attrs;
	char what[256];

	if (idl_is_pointer(p->type) || p->ndims || !idl_has_pointer_attrs(a))
		return;
	if (a->edl_hidden)
		return;   /* [isptr]/[isary]: a header typedef hides the pointer */
	idl_what(c, p, what, sizeof what);
	if (a->dir)
		idl_report(c->s, IDL_CHK_ATTR_NON_POINTER, IDL_SEV_OFF, idl_attr_loc(p),
		           "[%s] on %s, which is not a pointer: scalars and structs are always copied by "
		           "value; drop the attribute (or pass a pointer: [%s] T *%s)",
		           a->dir == IDL_DIR_INOUT ? "in, out" : a->dir == IDL_DIR_IN ? "in" : "out", what,
		           a->dir == IDL_DIR_INOUT ? "in, out" : a->dir == IDL_DIR_IN ? "in" : "out", p->name);
	else
		idl_report(c->s, IDL_CHK_ATTR_NON_POINTER, IDL_SEV_OFF, idl_attr_loc(p),
		           "pointer attributes on %s, which is not a pointer", what);
}

static void chk_attr_conflict(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_attrs *a = &p->attrs;
	const struct idl_loc *l = idl_attr_loc(p);
	char what[256];

	idl_what(c, p, what, sizeof what);
	if (!c->func && a->dir) {
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: struct members take the direction of the parameter that holds the "
		           "struct; drop [in]/[out] here", what);
		return;
	}
	if (a->is_opaque && (a->dir || a->is_string || a->user_check || a->size || a->count || a->maxlen || a->filled))
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: [opaque] handles are passed through unchanged and take no other attribute", what);
	else if (a->user_check && (a->dir || a->is_string || a->size || a->count || a->maxlen || a->filled))
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: [user_check] pointers are neither copied nor checked, so direction and length "
		           "attributes make no sense with it", what);
	else if (a->is_string && (a->size || a->count))
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: a [string]'s length is computed; bound it with maxlen= instead of size=/count=", what);
	else if (a->maxlen && !a->is_string)
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: maxlen= bounds a [string]; for a buffer use size= or count=", what);
	else if (a->is_string && c->func && a->dir == IDL_DIR_OUT)
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: an [out, string] has no length before the call; use [out, size=n] char *buf "
		           "with a size parameter", what);
	else if (p->ndims && (a->size || a->count))
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: an array's length is its dimension; drop size=/count=", what);
	else if (c->func && (a->dir & IDL_DIR_OUT) && idl_is_pointer(p->type) && p->type->target &&
	         p->type->target->is_const)
		idl_report(c->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, l,
		           "%s: [out] writes through the pointer, but it points to const", what);
}

static void chk_string_type(struct idl_chk *c, struct idl_param *p)
{
	char what[256];

	if (!p->attrs.is_string)
		return;
	if (idl_is_pointer(p->type) && !p->ndims && idl_is_char(p->type->target))
		return;
	idl_what(c, p, what, sizeof what);
	idl_report(c->s, IDL_CHK_STRING_TYPE, IDL_SEV_OFF, idl_attr_loc(p),
	           "[string] on %s, which is not a 'char *'; for other element types use size=/count=", what);
}

static void chk_void_pointer_size(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_attrs *a = &p->attrs;
	const struct idl_type *t = p->type;
	char what[256];

	if (!idl_is_pointer(t) || !t->target || t->target->kind != IDL_T_VOID)
		return;
	if (a->is_opaque || a->user_check || a->is_string || a->size)
		return;
	if (c->func && !a->dir)
		return; /* pointer-direction says it */
	idl_what(c, p, what, sizeof what);
	if (a->count)
		idl_report(c->s, IDL_CHK_VOID_POINTER_SIZE, IDL_SEV_OFF, idl_attr_loc(p),
		           "%s is a 'void *': count= of void elements means nothing; give the length in "
		           "bytes with size=", what);
	else
		idl_report(c->s, IDL_CHK_VOID_POINTER_SIZE, IDL_SEV_OFF, idl_attr_loc(p),
		           "%s is a 'void *' copied across the boundary; give its length in bytes with "
		           "[size=E]", what);
}

static void chk_struct_member_length(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_attrs *a = &p->attrs;

	if (c->func || !idl_is_pointer(p->type))
		return;
	if (a->size || a->count || a->is_string || a->user_check || a->is_opaque)
		return;
	if (c->edl) {
		/* edger8r copies such a member as a pointer value (shallow copy) */
		idl_report(c->s, IDL_CHK_SHALLOW_POINTER, IDL_SEV_OFF, &p->loc,
		           "member '%s' of struct '%s' is a pointer without size= or count=: it is copied "
		           "as a value and never followed (as [user_check]); give it a length for a deep copy",
		           p->name, c->strct->name);
		p->attrs.user_check = idl_xstrdup("EDL pointer member without a length: copied as a value");
		return;
	}
	idl_report(c->s, IDL_CHK_STRUCT_MEMBER_LENGTH, IDL_SEV_OFF, &p->loc,
	           "member '%s' of struct '%s' is a pointer; give its length with [count=M] or [size=M] "
	           "naming a sibling member (deep copy), or mark it [user_check(\"why\")]",
	           p->name, c->strct->name);
}

static void chk_pointer_array(struct idl_chk *c, struct idl_param *p)
{
	char what[256];

	if (!idl_is_pointer(p->type))
		return;
	if (!(idl_is_pointer(p->type->target) || p->ndims))
		return;
	if (p->attrs.user_check || p->attrs.is_opaque)
		return; /* not copied: the shape does not matter */
	idl_what(c, p, what, sizeof what);
	if (c->edl && !p->attrs.is_string && !(p->ndims && idl_is_pointer(p->type->target))) {
		/* edger8r copies the pointer values of a T ** buffer, never what
		 * they point to (sgx_tstdc.edl's waiters): erim does the same */
		idl_report(c->s, IDL_CHK_SHALLOW_POINTER, IDL_SEV_OFF, &p->loc,
		           "%s is %s: the pointer values are copied as data and never followed, so the "
		           "side receiving them must treat each as [user_check]", what,
		           p->ndims ? "an array of pointers" : "a buffer of pointers");
		return;
	}
	idl_report(c->s, IDL_CHK_POINTER_ARRAY, IDL_SEV_OFF, &p->loc,
	           "%s is %s, which cannot be deep-copied; pass one flat [in, size=len] buffer "
	           "(with offsets into it), or one call per element", what,
	           p->ndims ? "an array of pointers" : "a pointer to pointers");
}

/* Does the length expression E name sensible siblings?  KIND is "size", ... */
static void idl_check_len_expr(struct idl_chk *c, struct idl_param *p, struct idl_expr *e,
                               const char *kind, int allow_int_pointer)
{
	struct idl_param *ref;
	const char *sugg;
	char what[256];

	if (!e)
		return;
	switch (e->kind) {
	case IDL_E_INT:
	case IDL_E_SIZEOF:
		return;
	case IDL_E_MUL:
	case IDL_E_ADD:
		idl_check_len_expr(c, p, e->lhs, kind, 0);
		idl_check_len_expr(c, p, e->rhs, kind, 0);
		return;
	case IDL_E_IDENT:
		break;
	}
	idl_what(c, p, what, sizeof what);
	ref = idl_map_get(&c->sibmap, e->ident);
	if (ref == p) {
		idl_report(c->s, IDL_CHK_LENGTH_REFS, IDL_SEV_OFF, &e->loc,
		           "%s=%s of %s: a length cannot be its own buffer; name the %s that holds it",
		           kind, e->ident, what, c->func ? "parameter" : "member");
		return;
	}
	if (!ref) {
		sugg = idl_closest_param(c->siblings, e->ident, p);
		idl_report(c->s, IDL_CHK_LENGTH_REFS, IDL_SEV_OFF, &e->loc,
		           "%s=%s of %s: '%s' is not %s%s%s%s", kind, e->ident, what, e->ident,
		           c->func ? "a parameter of this function" : "a member of this struct",
		           sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
		return;
	}
	if ((idl_is_integer(ref->type) || idl_is_header_integer(ref->type)) && !ref->ndims) {
		if (idl_is_signed_integer(ref->type))
			idl_report(c->s, IDL_CHK_SIGNED_LENGTH, IDL_SEV_OFF, &e->loc,
			           "%s=%s of %s: '%s' has a signed type; negative lengths are refused at run "
			           "time, prefer size_t", kind, e->ident, what, e->ident);
		return;
	}
	if (allow_int_pointer && idl_is_pointer(ref->type) &&
	    (idl_is_integer(ref->type->target) || idl_is_header_integer(ref->type->target)))
		return;
	idl_report(c->s, IDL_CHK_LENGTH_REFS, IDL_SEV_OFF, &e->loc,
	           "%s=%s of %s: '%s' is not an integer%s", kind, e->ident, what, e->ident,
	           allow_int_pointer ? " or a pointer to one" : "");
}

static void chk_length_refs(struct idl_chk *c, struct idl_param *p)
{
	idl_check_len_expr(c, p, p->attrs.size, "size", 0);
	idl_check_len_expr(c, p, p->attrs.count, "count", 0);
	idl_check_len_expr(c, p, p->attrs.maxlen, "maxlen", 0);
	idl_check_len_expr(c, p, p->attrs.filled, "filled", 1);
}

static void chk_filled_needs_out(struct idl_chk *c, struct idl_param *p)
{
	char what[256];

	if (!p->attrs.filled || (p->attrs.dir & IDL_DIR_OUT))
		return;
	idl_what(c, p, what, sizeof what);
	idl_report(c->s, IDL_CHK_FILLED_NEEDS_OUT, IDL_SEV_OFF, idl_attr_loc(p),
	           "%s: filled= says how much of an [out] buffer is copied back; add 'out'", what);
}

static void chk_user_check_reason(struct idl_chk *c, struct idl_param *p)
{
	char what[256];

	if (!p->attrs.user_check || p->attrs.user_check[0])
		return;
	idl_what(c, p, what, sizeof what);
	idl_report(c->s, IDL_CHK_USER_CHECK_REASON, c->edl ? IDL_SEV_WARNING : IDL_SEV_OFF,
	           idl_attr_loc(p),
	           "%s is [user_check] without a reason; write user_check(\"why a raw pointer is safe "
	           "here\") -- erimgen --audit lists every reason", what);
}

static int idl_reserved(const char *name)
{
	return name && (!strncmp(name, "erim_", 5) || !strncmp(name, "_erim", 5) ||
	                !strncmp(name, "__", 2) || !strncmp(name, "ERIM_", 5));
}

static void idl_check_reserved(struct idl_chk *c, const char *what, const char *name,
                               const struct idl_loc *loc)
{
	if (idl_reserved(name))
		idl_report(c->s, IDL_CHK_RESERVED_PREFIX, IDL_SEV_OFF, loc,
		           "%s name '%s' is reserved: names starting with erim_, ERIM_, _erim or __ are used "
		           "by the generated code; rename it", what, name);
}

static void chk_reserved_param(struct idl_chk *c, struct idl_param *p)
{
	idl_check_reserved(c, c->func ? "parameter" : "member", p->name, &p->loc);
}

static void chk_unsupported_param(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_type *t = idl_strip(p->type);
	char what[256];

	if (t && t->kind == IDL_T_VOID) {
		idl_what(c, p, what, sizeof what);
		idl_report(c->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &p->loc, "%s has type void", what);
	}
}

/* ---- checks on functions ----------------------------------------------------------- */

static void chk_reserved_func(struct idl_chk *c, struct idl_func *f)
{
	idl_check_reserved(c, "function", f->name, &f->loc);
}

/* Each name of LIST once, else "WHAT 'p' of KIND'OWNER' declared twice". */
static void chk_unique_params(struct idl_chk *c, struct idl_param *list, const char *what, const char *kind,
                              const char *owner)
{
	struct idl_map m;

	idl_map_init(&m, idl_count_params(list));
	for (struct idl_param *p = list; p; p = p->next)
		if (idl_map_put(&m, p->name, p))
			idl_report(c->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &p->loc,
			           "%s '%s' of %s'%s' declared twice", what, p->name, kind, owner);
	idl_map_fini(&m);
}

static void chk_duplicate_params(struct idl_chk *c, struct idl_func *f)
{
	chk_unique_params(c, f->params, "parameter", "", f->name);
}

static void chk_pointer_return(struct idl_chk *c, struct idl_func *f)
{
	if ((idl_is_pointer(f->ret) || idl_is_pointer(idl_strip(f->ret))) && c->edl)
		idl_report(c->s, IDL_CHK_SHALLOW_POINTER, IDL_SEV_OFF, &f->ret->loc,
		           "'%s' returns a pointer: the value is copied, never followed; the %s side "
		           "must treat it as [user_check]", f->name,
		           f->side == IDL_TRUSTED ? "untrusted" : "trusted");
	else if (idl_is_pointer(f->ret) || idl_is_pointer(idl_strip(f->ret)))
		idl_report(c->s, IDL_CHK_POINTER_RETURN, IDL_SEV_OFF, &f->ret->loc,
		           "'%s' returns a pointer, which would cross the boundary unchecked; return it "
		           "through an [out] parameter, or as an integer handle", f->name);
}

static void chk_error_value(struct idl_chk *c, struct idl_func *f)
{
	const struct idl_type *r = idl_strip(f->ret);

	if (f->error && r && r->kind == IDL_T_VOID)
		idl_report(c->s, IDL_CHK_MISPLACED_SUFFIX, IDL_SEV_OFF, &f->error->loc,
		           "'%s' returns void, so there is no value to return on refusal; drop error()",
		           f->name);
}

static void chk_allow_target(struct idl_chk *c, struct idl_func *f)
{
	struct idl_map seen;
	size_t n = 0;

	for (struct idl_ident_list *a = f->allow; a; a = a->next)
		n++;
	idl_map_init(&seen, n);
	for (struct idl_ident_list *a = f->allow; a; a = a->next) {
		struct idl_func *t;
		struct idl_suggest sg;

		if (idl_map_put(&seen, a->name, a))
			idl_report(c->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &a->loc,
			           "'%s' listed twice in allow() of '%s'", a->name, f->name);
		t = idl_map_get(&c->trusted, a->name);
		if (!t) {
			idl_suggest_init(&sg, a->name);
			for (t = c->iface->trusted; t; t = t->next)
				idl_suggest_consider(&sg, t->name);
			idl_report(c->s, IDL_CHK_ALLOW_TARGET, IDL_SEV_OFF, &a->loc,
			           "allow(%s) of '%s': '%s' is not a trusted function of interface '%s'%s%s%s",
			           a->name, f->name, a->name, c->iface->name, sg.best ? "; did you mean '" : "",
			           sg.best ? sg.best : "", sg.best ? "'?" : "");
			continue;
		}
		if (t->is_public)
			idl_report(c->s, IDL_CHK_ALLOW_TARGET, c->edl ? IDL_SEV_WARNING : IDL_SEV_OFF, &a->loc,
			           "allow(%s) of '%s': '%s' is public, so it is always callable; allow() is for "
			           "non-public trusted functions", a->name, f->name, a->name);
	}
	idl_map_fini(&seen);
}

/* ---- checks on interfaces ----------------------------------------------------------- */

static void chk_reserved_iface(struct idl_chk *c, struct idl_interface *i)
{
	idl_check_reserved(c, "interface", i->name, &i->loc);
	for (struct idl_struct *s = i->structs; s; s = s->next)
		idl_check_reserved(c, "struct", s->name, &s->loc);
	for (struct idl_enum *e = i->enums; e; e = e->next) {
		idl_check_reserved(c, "enum", e->name, &e->loc);
		for (struct idl_enumerator *v = e->values; v; v = v->next)
			idl_check_reserved(c, "enumerator", v->name, &v->loc);
	}
	for (struct idl_typedef *t = i->typedefs; t; t = t->next)
		idl_check_reserved(c, "typedef", t->name, &t->loc);
}

static void chk_duplicate_iface(struct idl_chk *c, struct idl_interface *i)
{
	/* members within each struct */
	for (struct idl_struct *s = i->structs; s; s = s->next)
		chk_unique_params(c, s->members, "member", "struct ", s->name);
}

/* Names that share one C namespace across the whole file: functions (the
 * generated gates are global symbols), struct tags, enum tags, typedefs,
 * enumerators. */
static void chk_duplicate_file(struct idl_chk *c, struct idl_file *f)
{
	struct idl_session *s = c->s;
	struct idl_map ifaces, funcs, structs, enums, typedefs;
	size_t n = 1;

	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		n++;
		for (int side = 0; side < 2; side++)
			for (struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next)
				n++;
		for (struct idl_struct *st = i->structs; st; st = st->next)
			n++;
		for (struct idl_enum *en = i->enums; en; en = en->next)
			n++;
		for (struct idl_typedef *td = i->typedefs; td; td = td->next)
			n++;
	}
	idl_map_init(&ifaces, n);
	idl_map_init(&funcs, n);
	idl_map_init(&structs, n);
	idl_map_init(&enums, n);
	idl_map_init(&typedefs, n);
	/* one pass in source order: the later declaration is the one reported */
	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		struct idl_func *first;

		if (idl_map_put(&ifaces, i->name, i))
			idl_report(s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &i->loc,
			           "interface '%s' declared twice", i->name);
		for (int side = 0; side < 2; side++)
			for (struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next)
				if ((first = idl_map_put(&funcs, fn->name, fn))) {
					idl_report(s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &fn->loc,
					           "function '%s' declared twice", fn->name);
					idl_note(s, &first->loc, "first declared here");
				}
		for (struct idl_struct *st = i->structs; st; st = st->next)
			if (idl_map_put(&structs, st->name, st))
				idl_report(s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &st->loc,
				           "struct '%s' declared twice", st->name);
		for (struct idl_enum *en = i->enums; en; en = en->next)
			if (idl_map_put(&enums, en->name, en))
				idl_report(s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &en->loc,
				           "enum '%s' declared twice", en->name);
		for (struct idl_typedef *td = i->typedefs; td; td = td->next)
			if (idl_map_put(&typedefs, td->name, td))
				idl_report(s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &td->loc,
				           "typedef '%s' declared twice", td->name);
	}
	idl_map_fini(&ifaces);
	idl_map_fini(&funcs);
	idl_map_fini(&structs);
	idl_map_fini(&enums);
	idl_map_fini(&typedefs);
}

static void chk_unreachable_private(struct idl_chk *c, struct idl_interface *i)
{
	for (struct idl_func *t = i->trusted; t; t = t->next) {
		if (t->is_public)
			continue;
		if (!idl_map_get(&c->allowed, t->name))
			idl_report(c->s, IDL_CHK_UNREACHABLE_PRIVATE, IDL_SEV_OFF, &t->loc,
			           "trusted function '%s' is not public and no untrusted function lists it in "
			           "allow(), so it can never be called; add 'public' or an allow()", t->name);
	}
}

/* ---- structs with pointer members ---------------------------------------------------- */

/* The structs one idl_struct_deep question has visited: each is looked at
 * once.  Without it, struct members naming the same structs over and over
 * made the walk exponential (the fuzzer found a 723-byte file that ran for
 * minutes).  Full: the answer is "deep" (the caller refuses: fail closed). */
#define IDL_DEEP_SEEN 4096
struct idl_deep_walk {
	const struct idl_struct *seen[IDL_DEEP_SEEN];
	size_t n;
};

/* A struct whose copy needs a deep copy: a pointer member that is copied (not
 * opaque, not user_check), or a struct member (by value or array) that is one.
 * A struct already visited (not deep, or on the current path) adds nothing. */
static int idl_struct_deep_in(const struct idl_struct *st, struct idl_deep_walk *w)
{
	if (!st)
		return 0;
	for (size_t i = 0; i < w->n; i++)
		if (w->seen[i] == st)
			return 0;
	if (w->n == IDL_DEEP_SEEN)
		return 1;
	w->seen[w->n++] = st;
	for (const struct idl_param *m = st->members; m; m = m->next) {
		const struct idl_type *t = idl_strip(m->type);

		if (idl_is_pointer(t) && !m->attrs.is_opaque && !m->attrs.user_check)
			return 1;
		if (t && t->kind == IDL_T_STRUCT && idl_struct_deep_in(t->decl, w))
			return 1;
	}
	return 0;
}

static int idl_struct_deep(const struct idl_struct *st)
{
	static struct idl_deep_walk w;   /* 32 KiB: not on the stack */

	w.n = 0;
	return idl_struct_deep_in(st, &w);
}

/* The deep struct type T names (by value), or NULL. */
static const struct idl_struct *idl_deep_of(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_STRUCT && idl_struct_deep(t->decl) ? t->decl : NULL;
}

/* The generated copies are one level deep and only where a trusted copy is
 * kept and freed by the gate: an [in]/[out] buffer of a trusted function.
 * Everywhere else a pointer member would cross as the raw pointer (into the
 * trusted implementation, or out to untrusted code), so those shapes are
 * refused, saying what to write. */
static void chk_deep_struct_param(struct idl_chk *c, struct idl_param *p)
{
	const struct idl_type *t = idl_strip(p->type);
	const struct idl_struct *d;

	if (p->attrs.is_opaque || p->attrs.user_check)
		return;
	if (c->strct) {
		if ((d = idl_deep_of(t)))
			idl_report(c->s, IDL_CHK_DEEP_STRUCT, IDL_SEV_OFF, &p->loc,
			           "member '%s' of struct '%s' embeds struct '%s' by value, which has pointer "
			           "members; deep copies are one level deep: move the members of '%s' into "
			           "'%s', or pass it as a separate [in] parameter", p->name, c->strct->name,
			           d->name, d->name, c->strct->name);
		else if (idl_is_pointer(t) && (d = idl_deep_of(t->target)))
			idl_report(c->s, IDL_CHK_DEEP_STRUCT, IDL_SEV_OFF, &p->loc,
			           "member '%s' of struct '%s' points to struct '%s', which has pointer members; "
			           "deep copies are one level deep: pass the '%s' array as a separate [in] or "
			           "[out] parameter", p->name, c->strct->name, d->name, d->name);
		return;
	}
	if (!c->func)
		return;
	int buffer = idl_is_pointer(t) || p->ndims > 0;   /* a pointer or an array parameter */

	d = idl_is_pointer(t) ? idl_deep_of(t->target) : idl_deep_of(t);
	if (!d)
		return;
	if (c->func->side == IDL_UNTRUSTED)
		idl_report(c->s, IDL_CHK_DEEP_STRUCT, IDL_SEV_OFF, &p->loc,
		           "parameter '%s' of untrusted function '%s': struct '%s' has pointer members, "
		           "which would reach untrusted code as trusted pointers; pass the buffers as "
		           "separate parameters", p->name, c->func->name, d->name);
	else if (!buffer)
		idl_report(c->s, IDL_CHK_DEEP_STRUCT, IDL_SEV_OFF, &p->loc,
		           "parameter '%s' of '%s': struct '%s' has pointer members and cannot be passed "
		           "by value (its pointers would reach the trusted side unchecked); pass a "
		           "pointer with [in]", p->name, c->func->name, d->name);
}

static void chk_deep_struct_return(struct idl_chk *c, struct idl_func *f)
{
	const struct idl_struct *d = idl_deep_of(f->ret);

	if (d)
		idl_report(c->s, IDL_CHK_DEEP_STRUCT, IDL_SEV_OFF, &f->ret->loc,
		           "'%s' returns struct '%s', which has pointer members: the pointers would cross "
		           "unchecked; %s", f->name, d->name,
		           f->side == IDL_TRUSTED ? "return it through an [out] parameter"
		                                  : "return the buffers through [out] parameters");
}

static void chk_empty_struct(struct idl_chk *c, struct idl_interface *i)
{
	for (struct idl_struct *st = i->structs; st; st = st->next)
		if (!st->members)
			idl_report(c->s, IDL_CHK_EMPTY_STRUCT, IDL_SEV_OFF, &st->loc,
			           "struct '%s' has no members, which C11 does not allow; give it a member "
			           "or drop it", st->name);
}

/* error(V): the gate returns V, converted to the return type, when it
 * refuses -- so the type is a scalar and V a constant the generated C can
 * spell (an integer literal within int64_t, or an enumerator). */
static void chk_error_form(struct idl_chk *c, struct idl_func *f)
{
	const struct idl_expr *e = f->error;
	const struct idl_type *r = idl_strip(f->ret);

	if (!e || !r || r->kind == IDL_T_VOID)
		return;   /* none, or misplaced-suffix */
	if (r->kind == IDL_T_STRUCT && r->decl)
		idl_report(c->s, IDL_CHK_REFUSAL_VALUE, IDL_SEV_OFF, &e->loc,
		           "error() on '%s', which returns struct '%s': a refusal returns V, which must be "
		           "a scalar; give it a scalar return type or drop error() (refusals are then "
		           "fatal)", f->name, r->decl->name);
	else if (e->kind == IDL_E_INT && e->negative && e->value > (uint64_t)INT64_MAX + 1)
		idl_report(c->s, IDL_CHK_REFUSAL_VALUE, IDL_SEV_OFF, &e->loc,
		           "error(-%llu) of '%s' is below INT64_MIN", (unsigned long long)e->value, f->name);
	else if (e->kind != IDL_E_INT && e->kind != IDL_E_IDENT)
		idl_report(c->s, IDL_CHK_REFUSAL_VALUE, IDL_SEV_OFF, &e->loc,
		           "error() of '%s' takes an integer or an enumerator, not an expression", f->name);
}

/* A deep copy copies count=/size= bytes; a [string] member would need its
 * NUL found in untrusted memory, which the struct copy does not do. */
static void chk_string_member(struct idl_chk *c, struct idl_param *p)
{
	if (!c->strct || !p->attrs.is_string || p->attrs.is_opaque || p->attrs.user_check ||
	    !idl_is_pointer(idl_strip(p->type)))
		return;
	idl_report(c->s, IDL_CHK_STRING_MEMBER, IDL_SEV_OFF, idl_attr_loc(p),
	           "member '%s' of struct '%s' is a [string]: struct copies take their length from a "
	           "sibling, never by scanning; write [count=len] char *%s with a length member", p->name,
	           c->strct->name, p->name);
}

/* filled= is the count the callee reports, read back from one parameter. */
static void chk_filled_name(struct idl_chk *c, struct idl_param *p)
{
	if (!c->func || !p->attrs.filled || p->attrs.filled->kind == IDL_E_IDENT)
		return;
	idl_report(c->s, IDL_CHK_FILLED_NAME, IDL_SEV_OFF, &p->attrs.filled->loc,
	           "filled= of parameter '%s' of '%s' is an expression; it names the one parameter the "
	           "callee sets to the number of elements it filled", p->name, c->func->name);
}

/* EDL `from "x.edl" import NAME`: the functions file F offers -- its own,
 * and what its own `from` imports select -- searched for NAME.  *BUDGET
 * bounds the walk (a file reached twice is parsed twice); when it runs out
 * the name counts as found and the generator's merge still refuses it. */
static int idl_offers(const struct idl_file *f, const char *name, int depth, size_t *budget)
{
	if (!f || depth > 64 || !*budget)
		return !*budget;
	--*budget;
	for (const struct idl_interface *i = f->interfaces; i; i = i->next)
		for (int side = 0; side < 2; side++)
			for (const struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next)
				if (!strcmp(fn->name, name))
					return 1;
	for (const struct idl_import *im = f->imports; im; im = im->next) {
		int listed = im->import_all;

		if (!im->is_from)
			continue;
		for (const struct idl_ident_list *n = im->names; n && !listed; n = n->next)
			listed = !strcmp(n->name, name);
		if (listed && idl_offers(im->file, name, depth + 1, budget))
			return 1;
	}
	return 0;
}

static void chk_import_name(struct idl_chk *c, struct idl_file *f)
{
	for (const struct idl_import *im = f->imports; im; im = im->next) {
		if (!im->is_from || im->import_all || !im->file)
			continue;   /* a file that could not be read is reported already */
		for (const struct idl_ident_list *n = im->names; n; n = n->next) {
			size_t budget = 1u << 16;

			if (!idl_offers(im->file, n->name, 0, &budget))
				idl_report(c->s, IDL_CHK_IMPORT_NAME, IDL_SEV_OFF, &n->loc,
				           "'%s' is not a function of \"%s\" (or of what it imports); nothing "
				           "to import", n->name, im->path);
		}
	}
}

/* EDL unions: plain data, copied by sizeof; a pointer member cannot be
 * checked (which member is live is unknown) */
static void chk_union_plain(struct idl_chk *c, struct idl_interface *i)
{
	for (struct idl_struct *u = i->unions; u; u = u->next)
		for (struct idl_param *m = u->members; m; m = m->next) {
			const struct idl_type *t = idl_strip(m->type);
			if (idl_is_pointer(t) || idl_has_pointer_attrs(&m->attrs) ||
			    (t && t->kind == IDL_T_STRUCT && idl_struct_deep(t->decl)))
				idl_report(c->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &m->loc,
				           "member '%s' of union '%s' holds a pointer: which member is live "
				           "is unknown, so it can be neither copied nor checked; keep unions "
				           "plain data, or pass the pointer as its own parameter", m->name,
				           u->name);
		}
}

/* ---- the hooks, in the order they run (a parameter's direction is checked before its lengths) ---- */

const struct idl_check_hook idl_check_hooks[] = {
	{ IDL_CHK_DUPLICATE, NULL, NULL, NULL, chk_duplicate_file },
	{ IDL_CHK_RESERVED_PREFIX, chk_reserved_param, chk_reserved_func, chk_reserved_iface, NULL },
	{ IDL_CHK_DUPLICATE, NULL, chk_duplicate_params, chk_duplicate_iface, NULL },
	{ IDL_CHK_UNSUPPORTED, chk_unsupported_param, NULL, NULL, NULL },
	{ IDL_CHK_POINTER_ARRAY, chk_pointer_array, NULL, NULL, NULL },
	{ IDL_CHK_POINTER_DIRECTION, chk_pointer_direction, NULL, NULL, NULL },
	{ IDL_CHK_ATTR_NON_POINTER, chk_attr_non_pointer, NULL, NULL, NULL },
	{ IDL_CHK_ATTR_CONFLICT, chk_attr_conflict, NULL, NULL, NULL },
	{ IDL_CHK_STRING_TYPE, chk_string_type, NULL, NULL, NULL },
	{ IDL_CHK_VOID_POINTER_SIZE, chk_void_pointer_size, NULL, NULL, NULL },
	{ IDL_CHK_STRUCT_MEMBER_LENGTH, chk_struct_member_length, NULL, NULL, NULL },
	{ IDL_CHK_LENGTH_REFS, chk_length_refs, NULL, NULL, NULL },
	{ IDL_CHK_FILLED_NEEDS_OUT, chk_filled_needs_out, NULL, NULL, NULL },
	{ IDL_CHK_USER_CHECK_REASON, chk_user_check_reason, NULL, NULL, NULL },
	{ IDL_CHK_POINTER_RETURN, NULL, chk_pointer_return, NULL, NULL },
	{ IDL_CHK_MISPLACED_SUFFIX, NULL, chk_error_value, NULL, NULL },
	{ IDL_CHK_ALLOW_TARGET, NULL, chk_allow_target, NULL, NULL },
	{ IDL_CHK_UNREACHABLE_PRIVATE, NULL, NULL, chk_unreachable_private, NULL },
	{ IDL_CHK_DEEP_STRUCT, chk_deep_struct_param, chk_deep_struct_return, NULL, NULL },
	{ IDL_CHK_EMPTY_STRUCT, NULL, NULL, chk_empty_struct, NULL },
	{ IDL_CHK_UNSUPPORTED, NULL, NULL, chk_union_plain, NULL },
	{ IDL_CHK_REFUSAL_VALUE, NULL, chk_error_form, NULL, NULL },
	{ IDL_CHK_STRING_MEMBER, chk_string_member, NULL, NULL, NULL },
	{ IDL_CHK_FILLED_NAME, chk_filled_name, NULL, NULL, NULL },
	{ IDL_CHK_IMPORT_NAME, NULL, NULL, NULL, chk_import_name },
};
const size_t idl_check_nhooks = sizeof idl_check_hooks / sizeof idl_check_hooks[0];
