/* idl_check.c: name resolution and the table of named semantic checks.
 *
 * dtc style: each check is a row -- name (the -W spelling), default severity,
 * whether the generator depends on it (then it cannot be turned off: the
 * generated gate would be unsafe or would not compile), and hooks the one
 * tree walker calls for every parameter/member, function, interface.  Checks
 * that the grammar or the builders must apply while parsing (varargs,
 * function pointers, unknown attributes, missing ';') have rows without hooks
 * so they are still named and can be promoted with -Werror=NAME.  Negative
 * tests assert the NAME, so messages can improve freely.
 *
 * Name resolution runs first: `struct X`, `enum X` and bare type names are
 * bound to the declarations of this file or its imports; a struct/enum tag
 * that is declared nowhere becomes an extern type spelled "struct X" (plain
 * data from an included header), so IDL_T_STRUCT always has its decl. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idl_priv.h"

/* ---- a string map: name lookups and duplicate checks stay linear -------------- */

struct idl_map {
	const char **k;
	void **v;
	size_t mask;
	size_t n;
};

/* Room for N insertions without ever filling up (open addressing, <= 50% load). */
static void idl_map_init(struct idl_map *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap <<= 1;
	m->k = idl_xzalloc(cap * sizeof *m->k);
	m->v = idl_xzalloc(cap * sizeof *m->v);
	m->mask = cap - 1;
	m->n = 0;
}

static void idl_map_fini(struct idl_map *m)
{
	free(m->k);
	free(m->v);
	m->k = NULL;
	m->v = NULL;
}

static size_t idl_map_slot(const struct idl_map *m, const char *key)
{
	size_t h = 1469598103934665603u;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		h = (h ^ *c) * 1099511628211u;
	for (h &= m->mask; m->k[h] && strcmp(m->k[h], key); h = (h + 1) & m->mask)
		;
	return h;
}

static void *idl_map_get(const struct idl_map *m, const char *key)
{
	size_t i;

	if (!m->k || !key)
		return NULL;
	i = idl_map_slot(m, key);
	return m->k[i] ? m->v[i] : NULL;
}

/* Insert KEY -> VAL unless KEY is there; returns the value already there, or
 * NULL.  Grows when half full. */
static void *idl_map_put(struct idl_map *m, const char *key, void *val)
{
	size_t i;

	if (2 * (m->n + 1) > m->mask + 1) {
		struct idl_map big;

		idl_map_init(&big, m->mask + 1);
		for (size_t j = 0; j <= m->mask; j++)
			if (m->k[j]) {
				size_t b = idl_map_slot(&big, m->k[j]);

				big.k[b] = m->k[j];
				big.v[b] = m->v[j];
				big.n++;
			}
		idl_map_fini(m);
		*m = big;
	}
	i = idl_map_slot(m, key);
	if (m->k[i])
		return m->v[i];
	m->k[i] = key;
	m->v[i] = val;
	m->n++;
	return NULL;
}

static size_t idl_count_params(const struct idl_param *p)
{
	size_t n = 0;

	for (; p; p = p->next)
		n++;
	return n;
}

/* ---- the walker's context ------------------------------------------------------- */

struct idl_chk {
	struct idl_session *s;
	struct idl_file *file;
	struct idl_interface *iface;
	struct idl_func *func;       /* parameter hooks: the function, or NULL for members */
	struct idl_struct *strct;    /* member hooks: the struct */
	struct idl_param *siblings;  /* parameters of func / members of strct */
	struct idl_map sibmap;       /* siblings by name (first declaration wins) */
	struct idl_map trusted;      /* this interface's trusted functions by name */
	struct idl_map allowed;      /* names some allow() of this interface lists */
	int edl;                     /* EDL mode: some checks are softer */
};

typedef void (*idl_param_hook)(struct idl_chk *c, struct idl_param *p);
typedef void (*idl_func_hook)(struct idl_chk *c, struct idl_func *f);
typedef void (*idl_iface_hook)(struct idl_chk *c, struct idl_interface *i);

struct idl_check_row {
	const char *name;
	enum idl_severity severity;
	int required;
	const char *description;
};

/* ---- helpers ---------------------------------------------------------------------- */

static int idl_is_pointer(const struct idl_type *t)
{
	return t && t->kind == IDL_T_POINTER;
}

/* Follow typedefs declared in the file. */
static const struct idl_type *idl_strip(const struct idl_type *t)
{
	int guard = 0;

	while (t && t->kind == IDL_T_TYPEDEF && t->typedef_decl && guard++ < 64)
		t = t->typedef_decl->type;
	return t;
}

static int idl_is_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->is_signed >= 0;
}

/* A type name from an included C header that may be an integer (socklen_t,
 * oe_nfds_t, enum tags): the generated code checks it at run time and a
 * static assertion refuses it at compile time when it is not one. */
static int idl_is_header_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_EXTERN && t->name && strncmp(t->name, "struct ", 7) &&
	       strncmp(t->name, "union ", 6);
}

static int idl_is_signed_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->is_signed == 1;
}

static int idl_is_char(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->name && !strcmp(t->name, "char");
}

static int idl_has_pointer_attrs(const struct idl_attrs *a)
{
	return a->dir || a->is_string || a->is_opaque || a->user_check || a->size || a->count ||
	       a->maxlen || a->filled;
}

static size_t idl_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

			cur[j] = del < ins ? del : ins;
			if (sub < cur[j])
				cur[j] = sub;
		}
		memcpy(prev, cur, sizeof cur);
	}
	return prev[lb];
}

static const char *idl_closest_param(struct idl_param *list, const char *name, const struct idl_param *self)
{
	const char *best = NULL;
	size_t bestd = 3;

	for (; list; list = list->next) {
		size_t d;

		if (list == self || !list->name)
			continue;
		d = idl_edit_distance(name, list->name);
		if (d < bestd && d < strlen(name)) {
			bestd = d;
			best = list->name;
		}
	}
	return best;
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

static void chk_duplicate_params(struct idl_chk *c, struct idl_func *f)
{
	struct idl_map m;

	idl_map_init(&m, idl_count_params(f->params));
	for (struct idl_param *p = f->params; p; p = p->next)
		if (idl_map_put(&m, p->name, p))
			idl_report(c->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &p->loc,
			           "parameter '%s' of '%s' declared twice", p->name, f->name);
	idl_map_fini(&m);
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
	if (f->error && f->ret && f->ret->kind == IDL_T_VOID)
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
		const char *best = NULL;
		size_t bestd = 3;

		if (idl_map_put(&seen, a->name, a))
			idl_report(c->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &a->loc,
			           "'%s' listed twice in allow() of '%s'", a->name, f->name);
		t = idl_map_get(&c->trusted, a->name);
		if (!t) {
			for (t = c->iface->trusted; t; t = t->next) {
				size_t d = idl_edit_distance(a->name, t->name);

				if (d < bestd) {
					bestd = d;
					best = t->name;
				}
			}
			idl_report(c->s, IDL_CHK_ALLOW_TARGET, IDL_SEV_OFF, &a->loc,
			           "allow(%s) of '%s': '%s' is not a trusted function of interface '%s'%s%s%s",
			           a->name, f->name, a->name, c->iface->name, best ? "; did you mean '" : "",
			           best ? best : "", best ? "'?" : "");
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
	for (struct idl_struct *s = i->structs; s; s = s->next) {
		struct idl_map m;

		idl_map_init(&m, idl_count_params(s->members));
		for (struct idl_param *p = s->members; p; p = p->next)
			if (idl_map_put(&m, p->name, p))
				idl_report(c->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &p->loc,
				           "member '%s' of struct '%s' declared twice", p->name, s->name);
		idl_map_fini(&m);
	}
}

/* Names that share one C namespace across the whole file: functions (the
 * generated gates are global symbols), struct tags, enum tags, typedefs,
 * enumerators. */
static void idl_check_duplicates_file(struct idl_session *s, struct idl_file *f)
{
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

/* A struct whose copy needs a deep copy: a pointer member that is copied (not
 * opaque, not user_check), or a struct member (by value or array) that is one. */
static int idl_struct_deep(const struct idl_struct *st, int depth)
{
	if (!st || depth > 64)
		return 0;
	for (const struct idl_param *m = st->members; m; m = m->next) {
		const struct idl_type *t = idl_strip(m->type);

		if (idl_is_pointer(t) && !m->attrs.is_opaque && !m->attrs.user_check)
			return 1;
		if (t && t->kind == IDL_T_STRUCT && idl_struct_deep(t->decl, depth + 1))
			return 1;
	}
	return 0;
}

/* The deep struct type T names (by value), or NULL. */
static const struct idl_struct *idl_deep_of(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_STRUCT && idl_struct_deep(t->decl, 0) ? t->decl : NULL;
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

/* ---- the table ----------------------------------------------------------------------- */

static const struct idl_check_row idl_checks[IDL_CHK__COUNT] = {
#define IDL_ROW(id, nm, sev, req, desc) [IDL_CHK_##id] = { nm, IDL_SEV_##sev, req, desc },
	IDL_CHECKS(IDL_ROW)
#undef IDL_ROW
};

/* Hooks, in the order they run (a parameter's direction is checked before its lengths). */
static const struct {
	enum idl_check_id id;
	idl_param_hook param;
	idl_func_hook func;
	idl_iface_hook iface;
} idl_hooks[] = {
	{ IDL_CHK_RESERVED_PREFIX, chk_reserved_param, chk_reserved_func, chk_reserved_iface },
	{ IDL_CHK_DUPLICATE, NULL, chk_duplicate_params, chk_duplicate_iface },
	{ IDL_CHK_UNSUPPORTED, chk_unsupported_param, NULL, NULL },
	{ IDL_CHK_POINTER_ARRAY, chk_pointer_array, NULL, NULL },
	{ IDL_CHK_POINTER_DIRECTION, chk_pointer_direction, NULL, NULL },
	{ IDL_CHK_ATTR_NON_POINTER, chk_attr_non_pointer, NULL, NULL },
	{ IDL_CHK_ATTR_CONFLICT, chk_attr_conflict, NULL, NULL },
	{ IDL_CHK_STRING_TYPE, chk_string_type, NULL, NULL },
	{ IDL_CHK_VOID_POINTER_SIZE, chk_void_pointer_size, NULL, NULL },
	{ IDL_CHK_STRUCT_MEMBER_LENGTH, chk_struct_member_length, NULL, NULL },
	{ IDL_CHK_LENGTH_REFS, chk_length_refs, NULL, NULL },
	{ IDL_CHK_FILLED_NEEDS_OUT, chk_filled_needs_out, NULL, NULL },
	{ IDL_CHK_USER_CHECK_REASON, chk_user_check_reason, NULL, NULL },
	{ IDL_CHK_POINTER_RETURN, NULL, chk_pointer_return, NULL },
	{ IDL_CHK_MISPLACED_SUFFIX, NULL, chk_error_value, NULL },
	{ IDL_CHK_ALLOW_TARGET, NULL, chk_allow_target, NULL },
	{ IDL_CHK_UNREACHABLE_PRIVATE, NULL, NULL, chk_unreachable_private },
	{ IDL_CHK_DEEP_STRUCT, chk_deep_struct_param, chk_deep_struct_return, NULL },
	{ IDL_CHK_EMPTY_STRUCT, NULL, NULL, chk_empty_struct },
};

const char *idl_check_name(enum idl_check_id id)
{
	return id < IDL_CHK__COUNT ? idl_checks[id].name : "?";
}

enum idl_severity idl_check_default(enum idl_check_id id)
{
	return id < IDL_CHK__COUNT ? idl_checks[id].severity : IDL_SEV_ERROR;
}

/* ---- options ---------------------------------------------------------------------------- */

_Static_assert(IDL_CHK__COUNT <= IDL_MAX_CHECKS, "raise IDL_MAX_CHECKS in idl.h");

void idl_opts_init(struct idl_opts *o)
{
	memset(o, 0, sizeof *o);
}

void idl_opts_fini(struct idl_opts *o)
{
	for (size_t i = 0; i < o->n_import_dirs; i++)
		free(o->import_dirs[i]);
	free(o->import_dirs);
	o->import_dirs = NULL;
	o->n_import_dirs = 0;
}

int idl_opts_add_import_dir(struct idl_opts *o, const char *dir)
{
	char **v = realloc(o->import_dirs, (o->n_import_dirs + 1) * sizeof *v);
	char *d;

	if (!v)
		return -ENOMEM;
	o->import_dirs = v;
	d = strdup(dir);
	if (!d)
		return -ENOMEM;
	v[o->n_import_dirs++] = d;
	return 0;
}

static int idl_check_by_name(const char *name)
{
	for (int i = 0; i < IDL_CHK__COUNT; i++)
		if (!strcmp(idl_checks[i].name, name))
			return i;
	return -1;
}

int idl_opts_warning(struct idl_opts *o, const char *arg)
{
	int id, off = 0, err = 0;

	if (!strcmp(arg, "error")) {
		o->werror = 1;
		return 0;
	}
	if (!strcmp(arg, "no-error")) {
		o->werror = 0;
		return 0;
	}
	if (!strncmp(arg, "no-error=", 9)) {
		if ((id = idl_check_by_name(arg + 9)) < 0)
			return -ENOENT;
		if (o->check_state[id] == 2)
			o->check_state[id] = 1;
		return 0;
	}
	if (!strncmp(arg, "error=", 6)) {
		arg += 6;
		err = 1;
	} else if (!strncmp(arg, "no-", 3)) {
		arg += 3;
		off = 1;
	}
	if ((id = idl_check_by_name(arg)) < 0)
		return -ENOENT;
	if (off && idl_checks[id].required)
		return -EPERM;
	o->check_state[id] = off ? -1 : err ? 2 : 1;
	return 0;
}

void idl_checks_list(FILE *out)
{
	for (int i = 0; i < IDL_CHK__COUNT; i++) {
		const struct idl_check_row *r = &idl_checks[i];

		fprintf(out, "  -W%-22s %-8s %s%s\n", r->name,
		        r->severity == IDL_SEV_ERROR ? "error" : r->severity == IDL_SEV_WARNING ? "warning" : "off",
		        r->description, r->required ? " (cannot be disabled)" : "");
	}
}

/* ---- name resolution ------------------------------------------------------------------- */

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

static struct idl_typedef *idl_find_typedef_in(const struct idl_file *f, const char *name, int depth)
{
	if (!f || depth > 64)
		return NULL;
	for (struct idl_interface *i = f->interfaces; i; i = i->next)
		for (struct idl_typedef *t = i->typedefs; t; t = t->next)
			if (!strcmp(t->name, name))
				return t;
	for (struct idl_import *im = f->imports; im; im = im->next) {
		struct idl_typedef *t = idl_find_typedef_in(im->file, name, depth + 1);

		if (t)
			return t;
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

struct idl_typedef *idl_find_typedef(const struct idl_file *f, const char *name)
{
	return idl_find_typedef_in(f, name, 0);
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
				t->name = idl_b_kw_join(idl_xstrdup("struct"), tag);
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
				t->name = idl_b_kw_join(idl_xstrdup("enum"), tag);
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

static void idl_resolve(struct idl_session *s, struct idl_file *f)
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

/* ---- the walker ---------------------------------------------------------------------- */

static void idl_walk_params(struct idl_chk *c, struct idl_param *list)
{
	c->siblings = list;
	idl_map_fini(&c->sibmap);
	idl_map_init(&c->sibmap, idl_count_params(list));
	for (struct idl_param *p = list; p; p = p->next)
		idl_map_put(&c->sibmap, p->name, p);
	for (struct idl_param *p = list; p; p = p->next)
		for (size_t h = 0; h < sizeof idl_hooks / sizeof idl_hooks[0]; h++)
			if (idl_hooks[h].param)
				idl_hooks[h].param(c, p);
}

void idl_check_file(struct idl_session *s, struct idl_file *f)
{
	struct idl_chk c = { .s = s, .file = f };

	idl_resolve(s, f);
	idl_check_duplicates_file(s, f);
	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		size_t nt = 0, na = 0;

		c.iface = i;
		c.edl = i->is_enclave || s->edl;
		for (struct idl_func *t = i->trusted; t; t = t->next)
			nt++;
		for (struct idl_func *u = i->untrusted; u; u = u->next)
			for (struct idl_ident_list *a = u->allow; a; a = a->next)
				na++;
		idl_map_init(&c.trusted, nt);
		idl_map_init(&c.allowed, na);
		for (struct idl_func *t = i->trusted; t; t = t->next)
			idl_map_put(&c.trusted, t->name, t);
		for (struct idl_func *u = i->untrusted; u; u = u->next)
			for (struct idl_ident_list *a = u->allow; a; a = a->next)
				idl_map_put(&c.allowed, a->name, a);
		for (size_t h = 0; h < sizeof idl_hooks / sizeof idl_hooks[0]; h++)
			if (idl_hooks[h].iface)
				idl_hooks[h].iface(&c, i);
		for (struct idl_struct *st = i->structs; st; st = st->next) {
			c.func = NULL;
			c.strct = st;
			idl_walk_params(&c, st->members);
		}
		c.strct = NULL;
		/* EDL unions: plain data, copied by sizeof; a pointer member cannot
		 * be checked (which member is live is unknown) */
		for (struct idl_struct *u = i->unions; u; u = u->next)
			for (struct idl_param *m = u->members; m; m = m->next) {
				const struct idl_type *t = idl_strip(m->type);
				if (idl_is_pointer(t) || idl_has_pointer_attrs(&m->attrs) ||
				    (t && t->kind == IDL_T_STRUCT && idl_struct_deep(t->decl, 0)))
					idl_report(s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &m->loc,
					           "member '%s' of union '%s' holds a pointer: which member is live "
					           "is unknown, so it can be neither copied nor checked; keep unions "
					           "plain data, or pass the pointer as its own parameter", m->name,
					           u->name);
			}
		for (int side = 0; side < 2; side++)
			for (struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next) {
				c.func = fn;
				for (size_t h = 0; h < sizeof idl_hooks / sizeof idl_hooks[0]; h++)
					if (idl_hooks[h].func)
						idl_hooks[h].func(&c, fn);
				idl_walk_params(&c, fn->params);
			}
		c.func = NULL;
		idl_map_fini(&c.trusted);
		idl_map_fini(&c.allowed);
	}
	idl_map_fini(&c.sibmap);
}
