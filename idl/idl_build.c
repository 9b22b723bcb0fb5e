/* SPDX-License-Identifier: MIT */
/* idl_build.c: the AST builders the grammar actions call, and the functions
 * that free the tree.  Builders take ownership of every pointer they are
 * given.  They interpret what the grammar keeps generic -- attribute names
 * (a table, with "did you mean" hints for other IDLs' spellings), function
 * suffixes (error(), allow(), EDL's ignored ones), scalar type spellings --
 * and leave cross-references (length names, allow targets, struct tags) to
 * the checks, which see the whole file.  The front end belongs to the erimgen
 * tool, so running out of memory aborts with a message. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl_priv.h"

/* Prepend ELEM (one node) to LIST; see idl_list_reverse. */
#define IDL_PREPEND(list, elem)                                                        \
	do {                                                                           \
		if (elem) {                                                            \
			(elem)->next = (list);                                         \
			(list) = (elem);                                               \
		}                                                                      \
	} while (0)

/* ---- types ----------------------------------------------------------------------- */

/* Scalar type names that are identifiers rather than keywords (stdint.h, stddef.h,
 * stdbool.h, ...): is_signed as in idl_type (1, 0, -1 = not an integer). */
static const struct {
	const char *name;
	int is_signed;
} idl_named_scalars[] = {
	{ "size_t", 0 },    { "ssize_t", 1 },   { "bool", -1 },     { "_Bool", -1 },
	{ "int8_t", 1 },    { "int16_t", 1 },   { "int32_t", 1 },   { "int64_t", 1 },
	{ "uint8_t", 0 },   { "uint16_t", 0 },  { "uint32_t", 0 },  { "uint64_t", 0 },
	{ "intptr_t", 1 },  { "uintptr_t", 0 }, { "ptrdiff_t", 1 }, { "off_t", 1 },
	{ "wchar_t", 1 },   { "char16_t", 0 },  { "char32_t", 0 },  { "intmax_t", 1 },
	{ "uintmax_t", 0 }, { "pid_t", 1 },     { "uid_t", 0 },     { "gid_t", 0 },
	{ "time_t", 1 },
};

/* Keyword spellings: the combinations C11 (6.7.2) allows, and what they say
 * about sign.  Counted per keyword, so the order of the words does not matter
 * ("int unsigned long" is C); everything else is refused, so erimgen never
 * writes a type the C compiler rejects. */
static int idl_kw_scalar_sign(struct idl_parser *p, const char *spelling, const struct idl_loc *loc)
{
	static const char *const kw[] = { "long", "short", "signed", "unsigned", "char", "int",
	                                  "float", "double", "_Bool", "__int64" };
	enum { K_LONG, K_SHORT, K_SIGNED, K_UNSIGNED, K_CHAR, K_INT, K_FLOAT, K_DOUBLE, K_BOOL, K_INT64, K_N };
	int n[K_N] = { 0 }, bad = 0;
	const char *s = spelling;

	while (*s) {
		size_t len = strcspn(s, " ");
		int k;

		for (k = 0; k < K_N; k++)
			if (strlen(kw[k]) == len && !strncmp(s, kw[k], len))
				break;
		if (k < K_N)
			n[k]++;
		else
			bad = 1;
		s += len;
		while (*s == ' ')
			s++;
	}
	if (n[K_INT64]) {
		idl_error(p->s, loc, "'__int64' is not C; write int64_t (or uint64_t)");
		return 1;
	}
	int sign = n[K_SIGNED] + n[K_UNSIGNED];
	int bases = n[K_CHAR] + n[K_INT] + n[K_FLOAT] + n[K_DOUBLE] + n[K_BOOL];
	int is_float = n[K_FLOAT] || n[K_DOUBLE] || n[K_BOOL]; /* not integers for lengths */

	if (bad || bases > 1 || sign > 1 || n[K_LONG] > 2 || n[K_SHORT] > 1 ||
	    (n[K_SHORT] && n[K_LONG]) ||                                  /* long short */
	    ((n[K_SHORT] || n[K_LONG]) && (n[K_CHAR] || n[K_BOOL] || n[K_FLOAT])) || /* long char/float/_Bool */
	    (n[K_SHORT] && n[K_DOUBLE]) || (n[K_LONG] > 1 && n[K_DOUBLE]) ||  /* long long double */
	    (sign && is_float)) {
		idl_error(p->s, loc, "invalid combination of type keywords '%s' (C has char, short [int], "
		          "int, long [int], long long [int] with signed/unsigned, float, double, long double, _Bool)",
		          spelling);
		return 1;
	}
	if (is_float)
		return -1;
	return n[K_UNSIGNED] ? 0 : 1;
}

struct idl_type *idl_b_type_base(struct idl_parser *p, enum idl_type_kind kind, char *name,
                                 int nconst, const struct idl_loc *loc)
{
	struct idl_type *t = idl_xzalloc(sizeof *t);

	t->kind = kind;
	t->name = name;
	t->is_const = nconst > 0;
	t->is_signed = -1;
	t->loc = *loc;
	if (kind == IDL_T_SCALAR && name)
		t->is_signed = idl_kw_scalar_sign(p, name, loc);
	if (kind == IDL_T_EXTERN && name) {
		for (size_t i = 0; i < sizeof idl_named_scalars / sizeof idl_named_scalars[0]; i++)
			if (!strcmp(name, idl_named_scalars[i].name)) {
				t->kind = IDL_T_SCALAR;
				t->is_signed = idl_named_scalars[i].is_signed;
			}
	}
	return t;
}

struct idl_type *idl_b_type_pointer(struct idl_parser *p, struct idl_type *target, int is_const,
                                    const struct idl_loc *loc)
{
	struct idl_type *t;

	if (++p->ptr_levels > IDL_MAX_PTR_LEVELS) {
		if (p->ptr_levels == IDL_MAX_PTR_LEVELS + 1)
			idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, loc,
			           "more than %d levels of pointers", IDL_MAX_PTR_LEVELS);
		return target;
	}
	t = idl_xzalloc(sizeof *t);
	t->kind = IDL_T_POINTER;
	t->target = target;
	t->is_const = is_const > 0;
	t->is_signed = -1;
	t->loc = *loc;
	return t;
}

/* ---- expressions -------------------------------------------------------------- */

struct idl_expr *idl_b_expr_int(uint64_t v, int neg, const struct idl_loc *loc)
{
	struct idl_expr *e = idl_xzalloc(sizeof *e);

	e->kind = IDL_E_INT;
	e->value = v;
	e->negative = neg;
	e->loc = *loc;
	return e;
}

struct idl_expr *idl_b_expr_ident(char *name, const struct idl_loc *loc)
{
	struct idl_expr *e = idl_xzalloc(sizeof *e);

	e->kind = IDL_E_IDENT;
	e->ident = name;
	e->loc = *loc;
	return e;
}

struct idl_expr *idl_b_expr_sizeof(struct idl_type *t, const struct idl_loc *loc)
{
	struct idl_expr *e = idl_xzalloc(sizeof *e);

	e->kind = IDL_E_SIZEOF;
	e->type = t;
	e->loc = *loc;
	return e;
}

struct idl_expr *idl_b_expr_bin(struct idl_parser *p, enum idl_expr_kind k, struct idl_expr *l,
                                struct idl_expr *r, const struct idl_loc *loc)
{
	struct idl_expr *e;

	/* a+a+a+... builds a left-deep tree without growing the parser stack */
	if (++p->expr_ops > IDL_MAX_EXPR_OPS) {
		if (p->expr_ops == IDL_MAX_EXPR_OPS + 1)
			idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, loc,
			           "expression has more than %d operators; compute the length in a parameter",
			           IDL_MAX_EXPR_OPS);
		idl_free_expr(r);
		return l;
	}
	e = idl_xzalloc(sizeof *e);

	e->kind = k;
	e->lhs = l;
	e->rhs = r;
	e->loc = *loc;
	return e;
}

struct idl_exprlist *idl_b_exprlist(struct idl_exprlist *list, struct idl_expr *e)
{
	struct idl_exprlist *cell = idl_xzalloc(sizeof *cell);

	cell->e = e;
	IDL_PREPEND(list, cell);
	return list;
}

static size_t idl_args_count(const struct idl_exprlist *l)
{
	size_t n = 0;

	for (; l; l = l->next)
		n++;
	return n;
}

void idl_free_exprlist(struct idl_exprlist *l)
{
	while (l) {
		struct idl_exprlist *next = l->next;

		idl_free_expr(l->e);
		free(l);
		l = next;
	}
}

/* ---- attributes ------------------------------------------------------------------- */

struct idl_rawattr *idl_b_rawattr(char *name, struct idl_expr *value, char *string, int has_string,
                                  const struct idl_loc *loc, const struct idl_loc *name_loc)
{
	struct idl_rawattr *a = idl_xzalloc(sizeof *a);

	a->name = name;
	a->value = value;
	a->has_value = value != NULL;
	a->string = string;
	a->has_string = has_string;
	a->loc = *loc;
	a->name_loc = *name_loc;
	return a;
}

struct idl_rawattr *idl_b_rawattr_list(struct idl_rawattr *list, struct idl_rawattr *a)
{
	IDL_PREPEND(list, a);
	return list;
}

enum idl_attr_form { IDL_AF_FLAG, IDL_AF_EXPR, IDL_AF_REASON };
enum idl_attr_id { IDL_A_IN, IDL_A_OUT, IDL_A_STRING, IDL_A_OPAQUE, IDL_A_USER_CHECK,
                   IDL_A_SIZE, IDL_A_COUNT, IDL_A_MAXLEN, IDL_A_FILLED };

/* The attribute table (language.md). */
static const struct {
	const char *name;
	enum idl_attr_id id;
	enum idl_attr_form form;
} idl_attr_table[] = {
	{ "in", IDL_A_IN, IDL_AF_FLAG },
	{ "out", IDL_A_OUT, IDL_AF_FLAG },
	{ "string", IDL_A_STRING, IDL_AF_FLAG },
	{ "opaque", IDL_A_OPAQUE, IDL_AF_FLAG },
	{ "user_check", IDL_A_USER_CHECK, IDL_AF_REASON },
	{ "size", IDL_A_SIZE, IDL_AF_EXPR },
	{ "count", IDL_A_COUNT, IDL_AF_EXPR },
	{ "maxlen", IDL_A_MAXLEN, IDL_AF_EXPR },
	{ "filled", IDL_A_FILLED, IDL_AF_EXPR },
};

/* Spellings from other IDLs (MIDL, EDL, CORBA) and what to write instead. */
static const struct {
	const char *name, *hint;
} idl_attr_aliases[] = {
	{ "size_is", "did you mean 'size' (bytes) or 'count' (elements)?" },
	{ "length_is", "did you mean 'count'? for a partly filled [out] buffer use 'filled'" },
	{ "max_is", "did you mean 'count'?" },
	{ "inout", "did you mean 'in, out'?" },
	{ "in_out", "did you mean 'in, out'?" },
	{ "ref", "pointers have no MIDL classes here: give a direction ('in', 'out')" },
	{ "unique", "pointers have no MIDL classes here: give a direction ('in', 'out')" },
	{ "ptr", "pointers have no MIDL classes here: give a direction ('in', 'out')" },
	{ "len", "did you mean 'size' (bytes) or 'count' (elements)?" },
	{ "length", "did you mean 'size' (bytes) or 'count' (elements)?" },
	{ "wstring", "wide strings are not supported: pass [in, count=n] const wchar_t *" },
	{ "sizefunc", "EDL's sizefunc was removed from the SGX SDK and is not supported: give the length "
	              "with [size=E] naming a parameter the caller fills" },
	{ "user_checked", "did you mean 'user_check(\"why\")'?" },
};

static void idl_unknown_attr(struct idl_parser *p, const struct idl_rawattr *a)
{
	struct idl_suggest sg;

	for (size_t i = 0; i < sizeof idl_attr_aliases / sizeof idl_attr_aliases[0]; i++)
		if (!strcmp(a->name, idl_attr_aliases[i].name)) {
			idl_report(p->s, IDL_CHK_UNKNOWN_ATTRIBUTE, IDL_SEV_OFF, &a->name_loc,
			           "unknown attribute '%s'; %s", a->name, idl_attr_aliases[i].hint);
			return;
		}
	idl_suggest_init(&sg, a->name);
	for (size_t i = 0; i < sizeof idl_attr_table / sizeof idl_attr_table[0]; i++)
		idl_suggest_consider(&sg, idl_attr_table[i].name);
	if (sg.best)
		idl_report(p->s, IDL_CHK_UNKNOWN_ATTRIBUTE, IDL_SEV_OFF, &a->name_loc,
		           "unknown attribute '%s'; did you mean '%s'?", a->name, sg.best);
	else
		idl_report(p->s, IDL_CHK_UNKNOWN_ATTRIBUTE, IDL_SEV_OFF, &a->name_loc,
		           "unknown attribute '%s' (attributes are in, out, string, opaque, "
		           "user_check(\"why\"), size=, count=, maxlen=, filled=)", a->name);
}

/* Turn the raw [...] list into struct idl_attrs; frees RAW. */
static void idl_interpret_attrs(struct idl_parser *p, struct idl_rawattr *raw, struct idl_attrs *out)
{
	unsigned seen = 0;

	raw = IDL_REV(struct idl_rawattr, raw);
	for (struct idl_rawattr *a = raw; a; a = a->next) {
		size_t i, n = sizeof idl_attr_table / sizeof idl_attr_table[0];

		for (i = 0; i < n && strcmp(a->name, idl_attr_table[i].name); i++)
			;
		if (i == n && !a->has_value && !a->has_string &&
		    (!strcmp(a->name, "isptr") || !strcmp(a->name, "isary"))) {
			out->edl_hidden = a->name[2] == 'p' ? 1 : 2;
			continue;
		}
		if (i == n && !a->has_value && !a->has_string && !strcmp(a->name, "readonly")) {
			idl_report(p->s, IDL_CHK_EDL_COMPAT, IDL_SEV_OFF, &a->name_loc,
			           "EDL 'readonly' is ignored: an [in] buffer is always a private copy the "
			           "callee cannot write back");
			continue;
		}
		if (i == n) {
			idl_unknown_attr(p, a);
			continue;
		}
		if (seen & (1u << idl_attr_table[i].id)) {
			idl_report(p->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, &a->loc,
			           "attribute '%s' given twice", a->name);
			continue;
		}
		seen |= 1u << idl_attr_table[i].id;
		switch (idl_attr_table[i].form) {
		case IDL_AF_FLAG:
			if (a->has_value || a->has_string) {
				idl_report(p->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, &a->loc,
				           "attribute '%s' takes no value", a->name);
				continue;
			}
			break;
		case IDL_AF_EXPR:
			if (!a->has_value) {
				idl_report(p->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, &a->loc,
				           "attribute '%s' needs a value: [%s=E]", a->name, a->name);
				continue;
			}
			break;
		case IDL_AF_REASON:
			if (a->has_value) {
				idl_report(p->s, IDL_CHK_ATTR_CONFLICT, IDL_SEV_OFF, &a->loc,
				           "write the reason as user_check(\"why\")");
				continue;
			}
			break;
		}
		switch (idl_attr_table[i].id) {
		case IDL_A_IN: out->dir |= IDL_DIR_IN; break;
		case IDL_A_OUT: out->dir |= IDL_DIR_OUT; break;
		case IDL_A_STRING: out->is_string = 1; break;
		case IDL_A_OPAQUE: out->is_opaque = 1; break;
		case IDL_A_USER_CHECK:
			out->user_check = a->has_string ? a->string : idl_xstrdup("");
			a->string = NULL;
			break;
		case IDL_A_SIZE: out->size = a->value; a->value = NULL; break;
		case IDL_A_COUNT: out->count = a->value; a->value = NULL; break;
		case IDL_A_MAXLEN: out->maxlen = a->value; a->value = NULL; break;
		case IDL_A_FILLED: out->filled = a->value; a->value = NULL; break;
		}
	}
	if (out->edl_hidden == 1 && out->dir && out->size && !out->count && !out->is_string)
		; /* [isptr, in/out, size=n]: n bytes through the typedef'd pointer (edger8r's reading) */
	else if (out->edl_hidden && !out->user_check)
		idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &out->loc,
		           "[%s] with a copy direction%s%s: erim copies only buffers whose element type it "
		           "can see; write the %s out (%s) with size=/count=, or mark it "
		           "[user_check(\"why\"), %s] to pass the value as it is",
		           out->edl_hidden == 1 ? "isptr" : "isary",
		           out->edl_hidden == 1 ? " " : "", out->edl_hidden == 1 ? "and without size= (bytes)" : "",
		           out->edl_hidden == 1 ? "pointer" : "array",
		           out->edl_hidden == 1 ? "T *p" : "T a[N]",
		           out->edl_hidden == 1 ? "isptr" : "isary");
	idl_free_rawattrs(raw);
}

/* ---- parameters and members ----------------------------------------------------- */

uint64_t *idl_b_dims(uint64_t *dims, size_t n, uint64_t v)
{
	uint64_t *d;

	if (n >= IDL_MAX_DIMS) /* the grammar reports it; keep the count bounded */
		return dims;
	d = idl_xrealloc(dims, (n + 1) * sizeof *d);
	d[n] = v;
	return d;
}

struct idl_param *idl_b_param(struct idl_parser *p, struct idl_rawattr *attrs,
                              const struct idl_loc *attrs_loc, struct idl_type *type, char *name,
                              uint64_t *dims, size_t ndims, const struct idl_loc *loc, int member)
{
	struct idl_param *prm = idl_xzalloc(sizeof *prm);

	(void)member;
	prm->name = name;
	prm->type = type;
	prm->dims = dims;
	prm->ndims = ndims;
	prm->loc = *loc;
	if (attrs) {
		prm->attrs.loc = *attrs_loc;
		idl_interpret_attrs(p, attrs, &prm->attrs);
	}
	return prm;
}

struct idl_param *idl_b_param_list(struct idl_param *list, struct idl_param *prm)
{
	IDL_PREPEND(list, prm);
	return list;
}

/* ---- functions -------------------------------------------------------------------- */

struct idl_suffix *idl_b_suffix(char *name, struct idl_exprlist *args, int has_args,
                                const struct idl_loc *loc)
{
	struct idl_suffix *s = idl_xzalloc(sizeof *s);

	s->name = name;
	s->args = IDL_REV(struct idl_exprlist, args);
	s->has_args = has_args;
	s->loc = *loc;
	return s;
}

struct idl_suffix *idl_b_suffix_list(struct idl_suffix *list, struct idl_suffix *s)
{
	IDL_PREPEND(list, s);
	return list;
}

/* EDL function attributes and suffixes that change nothing for erim. */
static const char *const idl_edl_ignored[] = {
	"cdecl", "stdcall", "fastcall", "dllimport", "transition_using_threads", "propagate_errno",
};

static int idl_is_edl_ignored(const char *name)
{
	for (size_t i = 0; i < sizeof idl_edl_ignored / sizeof idl_edl_ignored[0]; i++)
		if (!strcmp(name, idl_edl_ignored[i]))
			return 1;
	return 0;
}

static void idl_func_suffixes(struct idl_parser *p, struct idl_func *f, struct idl_suffix *suffixes)
{
	for (struct idl_suffix *s = suffixes; s; s = s->next) {
		if (!strcmp(s->name, "error")) {
			if (f->side != IDL_TRUSTED) {
				idl_report(p->s, IDL_CHK_MISPLACED_SUFFIX, IDL_SEV_OFF, &s->loc,
				           "error() belongs to trusted functions (the value their gate returns "
				           "when a call is refused); untrusted function '%s' cannot have one", f->name);
			} else if (!s->has_args || idl_args_count(s->args) != 1) {
				idl_report(p->s, IDL_CHK_MISPLACED_SUFFIX, IDL_SEV_OFF, &s->loc,
				           "error() takes exactly one value, e.g. error(-1)");
			} else if (f->error) {
				idl_report(p->s, IDL_CHK_DUPLICATE, IDL_SEV_OFF, &s->loc,
				           "error() given twice for '%s'", f->name);
			} else {
				f->error = s->args->e;
				s->args->e = NULL;
			}
		} else if (!strcmp(s->name, "allow")) {
			if (f->side != IDL_UNTRUSTED) {
				idl_report(p->s, IDL_CHK_MISPLACED_SUFFIX, IDL_SEV_OFF, &s->loc,
				           "allow() belongs to untrusted functions (callbacks); trusted function '%s' "
				           "cannot have one", f->name);
				continue;
			}
			for (struct idl_exprlist *l = s->args; l; l = l->next) {
				struct idl_expr *e = l->e;

				if (e->kind != IDL_E_IDENT) {
					idl_report(p->s, IDL_CHK_ALLOW_TARGET, IDL_SEV_OFF, &e->loc,
					           "allow() lists trusted function names");
					continue;
				}
				f->allow = idl_b_ident_list(f->allow, idl_b_ident(idl_xstrdup(e->ident), &e->loc));
			}
			f->allow = IDL_REV(struct idl_ident_list, f->allow);
		} else if (idl_is_edl_ignored(s->name) && !s->has_args) {
			idl_report(p->s, IDL_CHK_EDL_COMPAT, IDL_SEV_OFF, &s->loc,
			           "EDL '%s' has no meaning for erim and is ignored", s->name);
		} else {
			idl_report(p->s, IDL_CHK_UNKNOWN_ATTRIBUTE, IDL_SEV_OFF, &s->loc,
			           "unknown function suffix '%s' (suffixes are error(V) on trusted and "
			           "allow(f, ...) on untrusted functions)", s->name);
		}
	}
	idl_free_suffixes(suffixes);
}

struct idl_func *idl_b_func(struct idl_parser *p, enum idl_side side, int is_public,
                            struct idl_rawattr *fattrs, struct idl_type *ret, char *name,
                            struct idl_param *params, int empty_parens, struct idl_suffix *suffixes,
                            const struct idl_loc *loc, const struct idl_loc *name_loc)
{
	struct idl_func *f = idl_xzalloc(sizeof *f);

	f->name = name;
	f->side = side;
	f->is_public = is_public;
	f->ret = ret;
	f->loc = *loc;
	fattrs = IDL_REV(struct idl_rawattr, fattrs);
	params = IDL_REV(struct idl_param, params);
	suffixes = IDL_REV(struct idl_suffix, suffixes);
	for (struct idl_rawattr *a = fattrs; a; a = a->next) {
		if (idl_is_edl_ignored(a->name) && !a->has_value && !a->has_string)
			idl_report(p->s, IDL_CHK_EDL_COMPAT, IDL_SEV_OFF, &a->loc,
			           "EDL calling convention '%s' has no meaning for erim and is ignored", a->name);
		else
			idl_report(p->s, IDL_CHK_UNKNOWN_ATTRIBUTE, IDL_SEV_OFF, &a->name_loc,
			           "unknown function attribute '%s' (only EDL's cdecl/stdcall/fastcall/dllimport "
			           "are accepted, and ignored)", a->name);
	}
	idl_free_rawattrs(fattrs);
	/* (void) means no parameters. */
	if (params && !params->next && !params->name && params->type->kind == IDL_T_VOID &&
	    !params->ndims && !params->attrs.loc.file) {
		idl_free_params(params);
		params = NULL;
	}
	/* Unnamed parameters cannot be marshalled by name: diagnose and drop. */
	for (struct idl_param **pp = &params; *pp;) {
		if (!(*pp)->name) {
			struct idl_param *dead = *pp;

			if (dead->type->kind == IDL_T_VOID)
				idl_report(p->s, IDL_CHK_UNNAMED_PARAM, IDL_SEV_OFF, &dead->loc,
				           "'void' must be the only parameter of '%s' when it means 'no parameters'",
				           name);
			else
				idl_report(p->s, IDL_CHK_UNNAMED_PARAM, IDL_SEV_OFF, &dead->loc,
				           "a parameter of '%s' has no name; the gate refers to parameters by name",
				           name);
			*pp = dead->next;
			dead->next = NULL;
			idl_free_params(dead);
			continue;
		}
		pp = &(*pp)->next;
	}
	f->params = params;
	if (empty_parens)
		idl_report(p->s, IDL_CHK_EMPTY_PARAMS, IDL_SEV_OFF, name_loc,
		           "'%s()' declares no parameters; write '%s(void)' as in C", name, name);
	idl_func_suffixes(p, f, suffixes);
	return f;
}

struct idl_func *idl_b_func_list(struct idl_func *list, struct idl_func *f)
{
	IDL_PREPEND(list, f);
	return list;
}

/* ---- declarations --------------------------------------------------------------- */

struct idl_struct *idl_b_struct(char *name, struct idl_param *members, const struct idl_loc *loc)
{
	struct idl_struct *s = idl_xzalloc(sizeof *s);

	s->name = name;
	s->members = IDL_REV(struct idl_param, members);
	s->loc = *loc;
	return s;
}

struct idl_enumerator *idl_b_enumerator(char *name, struct idl_expr *v, const struct idl_loc *loc)
{
	struct idl_enumerator *e = idl_xzalloc(sizeof *e);

	e->name = name;
	e->value = v;
	e->loc = *loc;
	return e;
}

struct idl_enumerator *idl_b_enumerator_list(struct idl_enumerator *l, struct idl_enumerator *e)
{
	IDL_PREPEND(l, e);
	return l;
}

struct idl_enum *idl_b_enum(char *name, struct idl_enumerator *values, const struct idl_loc *loc)
{
	struct idl_enum *e = idl_xzalloc(sizeof *e);

	e->name = name;
	e->values = IDL_REV(struct idl_enumerator, values);
	e->loc = *loc;
	return e;
}

struct idl_typedef *idl_b_typedef(struct idl_type *t, char *name, const struct idl_loc *loc)
{
	struct idl_typedef *td = idl_xzalloc(sizeof *td);

	td->type = t;
	td->name = name;
	td->loc = *loc;
	return td;
}

struct idl_include *idl_b_include(char *header, const struct idl_loc *loc)
{
	struct idl_include *i = idl_xzalloc(sizeof *i);

	i->header = header;
	i->loc = *loc;
	return i;
}

struct idl_option *idl_b_option(char *key, char *value, const struct idl_loc *loc)
{
	struct idl_option *o = idl_xzalloc(sizeof *o);

	o->key = key;
	o->value = value;
	o->loc = *loc;
	return o;
}

struct idl_option *idl_b_option_list(struct idl_option *l, struct idl_option *o)
{
	IDL_PREPEND(l, o);
	return l;
}

struct idl_ident_list *idl_b_ident(char *name, const struct idl_loc *loc)
{
	struct idl_ident_list *i = idl_xzalloc(sizeof *i);

	i->name = name;
	i->loc = *loc;
	return i;
}

struct idl_ident_list *idl_b_ident_list(struct idl_ident_list *l, struct idl_ident_list *i)
{
	IDL_PREPEND(l, i);
	return l;
}

struct idl_import *idl_b_import(struct idl_parser *p, char *path, int is_from, int all,
                                struct idl_ident_list *names, const struct idl_loc *loc)
{
	struct idl_import *imp = idl_xzalloc(sizeof *imp);

	(void)p;
	imp->path = path;
	imp->is_from = is_from;
	imp->import_all = all;
	imp->names = IDL_REV(struct idl_ident_list, names);
	imp->loc = *loc;
	return imp;
}

struct idl_item *idl_b_item(enum idl_item_kind kind, void *node)
{
	struct idl_item *i = idl_xzalloc(sizeof *i);

	i->kind = node ? kind : IDL_I_NONE;
	/* function blocks arrive as prepend-built lists */
	if (kind == IDL_I_TRUSTED || kind == IDL_I_UNTRUSTED)
		node = IDL_REV(struct idl_func, node);
	i->node = node;
	return i;
}

struct idl_item *idl_b_item_list(struct idl_item *l, struct idl_item *i)
{
	IDL_PREPEND(l, i);
	return l;
}

/* "dir/Enclave.edl" -> "Enclave" */
static char *idl_file_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (n == 0)
		return idl_xstrdup("enclave");
	return idl_xstrndup(base, n);
}

struct idl_interface *idl_b_interface(struct idl_parser *p, char *name, int is_enclave,
                                      struct idl_option *options, struct idl_item *items,
                                      const struct idl_loc *loc)
{
	struct idl_interface *i = idl_xzalloc(sizeof *i);

	i->name = name ? name : idl_file_stem(p->path);
	i->is_enclave = is_enclave;
	i->loc = *loc;
	i->options = IDL_REV(struct idl_option, options);
	/* Everything is prepended while parsing: reverse back into source order. */
	items = IDL_REV(struct idl_item, items);
	while (items) {
		struct idl_item *it = items;

		items = it->next;
		switch (it->kind) {
		case IDL_I_INCLUDE: IDL_PREPEND(i->includes, (struct idl_include *)it->node); break;
		case IDL_I_STRUCT: IDL_PREPEND(i->structs, (struct idl_struct *)it->node); break;
		case IDL_I_UNION: IDL_PREPEND(i->unions, (struct idl_struct *)it->node); break;
		case IDL_I_ENUM: IDL_PREPEND(i->enums, (struct idl_enum *)it->node); break;
		case IDL_I_TYPEDEF: IDL_PREPEND(i->typedefs, (struct idl_typedef *)it->node); break;
		case IDL_I_TRUSTED:
		case IDL_I_UNTRUSTED: {
			/* a whole block (in source order): prepend one by one, like the rest */
			struct idl_func **side = it->kind == IDL_I_TRUSTED ? &i->trusted : &i->untrusted;
			struct idl_func *fl = it->node;

			while (fl) {
				struct idl_func *next = fl->next;

				fl->next = *side;
				*side = fl;
				fl = next;
			}
			break;
		}
		case IDL_I_IMPORT: idl_b_file_import(p, it->node); break;
		case IDL_I_NONE: break;
		}
		free(it);
	}
	i->includes = IDL_REV(struct idl_include, i->includes);
	i->structs = IDL_REV(struct idl_struct, i->structs);
	i->unions = IDL_REV(struct idl_struct, i->unions);
	i->enums = IDL_REV(struct idl_enum, i->enums);
	i->typedefs = IDL_REV(struct idl_typedef, i->typedefs);
	i->trusted = IDL_REV(struct idl_func, i->trusted);
	i->untrusted = IDL_REV(struct idl_func, i->untrusted);
	return i;
}

void idl_b_file_interface(struct idl_parser *p, struct idl_interface *i)
{
	if (i) {
		*p->iface_tail = i;
		p->iface_tail = &i->next;
	}
}

void idl_b_file_import(struct idl_parser *p, struct idl_import *imp)
{
	if (imp) {
		*p->import_tail = imp;
		p->import_tail = &imp->next;
	}
}

/* ---- freeing ------------------------------------------------------------------------ */

void idl_free_type(struct idl_type *t)
{
	while (t) {
		struct idl_type *target = t->target;

		free(t->name);
		free(t);
		t = target;
	}
}

void idl_free_expr(struct idl_expr *e)
{
	if (!e)
		return;
	free(e->ident);
	idl_free_type(e->type);
	idl_free_expr(e->lhs);
	idl_free_expr(e->rhs);
	free(e);
}

static void idl_free_attrs(struct idl_attrs *a)
{
	free(a->user_check);
	idl_free_expr(a->size);
	idl_free_expr(a->count);
	idl_free_expr(a->maxlen);
	idl_free_expr(a->filled);
}

void idl_free_rawattrs(struct idl_rawattr *a)
{
	while (a) {
		struct idl_rawattr *next = a->next;

		free(a->name);
		idl_free_expr(a->value);
		free(a->string);
		free(a);
		a = next;
	}
}

void idl_free_params(struct idl_param *p)
{
	while (p) {
		struct idl_param *next = p->next;

		free(p->name);
		idl_free_type(p->type);
		idl_free_attrs(&p->attrs);
		free(p->dims);
		free(p);
		p = next;
	}
}

void idl_free_suffixes(struct idl_suffix *s)
{
	while (s) {
		struct idl_suffix *next = s->next;

		free(s->name);
		idl_free_exprlist(s->args);
		free(s);
		s = next;
	}
}

void idl_free_idents(struct idl_ident_list *i)
{
	while (i) {
		struct idl_ident_list *next = i->next;

		free(i->name);
		free(i);
		i = next;
	}
}

void idl_free_funcs(struct idl_func *f)
{
	while (f) {
		struct idl_func *next = f->next;

		free(f->name);
		idl_free_type(f->ret);
		idl_free_params(f->params);
		idl_free_expr(f->error);
		idl_free_idents(f->allow);
		free(f);
		f = next;
	}
}

void idl_free_structs(struct idl_struct *s)
{
	while (s) {
		struct idl_struct *next = s->next;

		free(s->name);
		idl_free_params(s->members);
		free(s);
		s = next;
	}
}

void idl_free_enumerators(struct idl_enumerator *e)
{
	while (e) {
		struct idl_enumerator *next = e->next;

		free(e->name);
		idl_free_expr(e->value);
		free(e);
		e = next;
	}
}

void idl_free_enums(struct idl_enum *e)
{
	while (e) {
		struct idl_enum *next = e->next;

		free(e->name);
		idl_free_enumerators(e->values);
		free(e);
		e = next;
	}
}

void idl_free_typedefs(struct idl_typedef *t)
{
	while (t) {
		struct idl_typedef *next = t->next;

		free(t->name);
		idl_free_type(t->type);
		free(t);
		t = next;
	}
}

void idl_free_includes(struct idl_include *i)
{
	while (i) {
		struct idl_include *next = i->next;

		free(i->header);
		free(i);
		i = next;
	}
}

void idl_free_options(struct idl_option *o)
{
	while (o) {
		struct idl_option *next = o->next;

		free(o->key);
		free(o->value);
		free(o);
		o = next;
	}
}

void idl_free_imports(struct idl_import *i)
{
	while (i) {
		struct idl_import *next = i->next;

		free(i->path);
		idl_free_idents(i->names);
		idl_file_free(i->file);
		free(i);
		i = next;
	}
}

void idl_free_items(struct idl_item *i)
{
	while (i) {
		struct idl_item *next = i->next;

		switch (i->kind) {
		case IDL_I_INCLUDE: idl_free_includes(i->node); break;
		case IDL_I_STRUCT: idl_free_structs(i->node); break;
		case IDL_I_UNION: idl_free_structs(i->node); break;
		case IDL_I_ENUM: idl_free_enums(i->node); break;
		case IDL_I_TYPEDEF: idl_free_typedefs(i->node); break;
		case IDL_I_TRUSTED:
		case IDL_I_UNTRUSTED: idl_free_funcs(i->node); break;
		case IDL_I_IMPORT: idl_free_imports(i->node); break;
		case IDL_I_NONE: break;
		}
		free(i);
		i = next;
	}
}

void idl_free_interfaces(struct idl_interface *i)
{
	while (i) {
		struct idl_interface *next = i->next;

		free(i->name);
		idl_free_options(i->options);
		idl_free_includes(i->includes);
		idl_free_structs(i->structs);
		idl_free_structs(i->unions);
		idl_free_enums(i->enums);
		idl_free_typedefs(i->typedefs);
		idl_free_funcs(i->trusted);
		idl_free_funcs(i->untrusted);
		free(i);
		i = next;
	}
}

void idl_file_free(struct idl_file *f)
{
	struct idl_file_priv *pv;

	if (!f)
		return;
	idl_free_imports(f->imports);
	idl_free_interfaces(f->interfaces);
	pv = f->priv;
	if (pv) {
		free(pv->path);
		free(pv->real);
		free(pv->text);
		free(pv);
	}
	free(f->path);
	free(f);
}
