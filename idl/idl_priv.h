/* idl_priv.h: what the pieces of the front end share and nobody else sees --
 * the parse session (options, diagnostics, loaded sources, import stack),
 * the per-file parser state handed to the scanner and parser, the AST
 * builders the grammar actions call (one call per action, dtc style), and
 * the ids of the named checks.
 *
 * Ownership inside the front end: every node and string is malloc'd and owned
 * by its parent once attached; a builder takes ownership of its arguments
 * (also on failure); the parser's %destructor frees values discarded by error
 * recovery.  The interned file path and the source text live in the
 * struct idl_file_priv hung off idl_file.priv. */
#ifndef IDL_PRIV_H
#define IDL_PRIV_H

#include <stdarg.h>
#include <stddef.h>

#include "idl.h"

/* ---- named checks: the table itself is in idl_check.c ------------------------- */

#define IDL_CHECKS(X)                                                                   \
	X(POINTER_DIRECTION, "pointer-direction", ERROR, 1,                             \
	  "every pointer has [in], [out], [opaque] or [user_check]")                       \
	X(LENGTH_REFS, "length-refs", ERROR, 1,                                        \
	  "size/count/maxlen/filled name an existing integer parameter or sibling member") \
	X(STRING_TYPE, "string-type", ERROR, 1, "[string] only on char *")              \
	X(VOID_POINTER_SIZE, "void-pointer-size", ERROR, 1, "a copied void * needs [size=]") \
	X(STRUCT_MEMBER_LENGTH, "struct-member-length", ERROR, 1,                     \
	  "pointer members of IDL structs need [count=]/[size=] naming a sibling")       \
	X(DUPLICATE, "duplicate", ERROR, 1, "functions, parameters, members, types declared once") \
	X(ALLOW_TARGET, "allow-target", ERROR, 1,                                       \
	  "allow() names non-public trusted functions of the same interface")              \
	X(RESERVED_PREFIX, "reserved-prefix", ERROR, 1,                                 \
	  "names must not start with erim_, _erim or __ (generated code uses them)")     \
	X(POINTER_ARRAY, "pointer-array", ERROR, 1, "pointers to pointers and arrays of pointers") \
	X(FUNCTION_POINTER, "function-pointer", ERROR, 1, "function pointers cannot cross the boundary") \
	X(VARARGS, "varargs", ERROR, 1, "variadic functions cannot be marshalled")     \
	X(SIGNED_LENGTH, "signed-length", WARNING, 0, "length given by a signed integer") \
	X(FILLED_NEEDS_OUT, "filled-needs-out", ERROR, 1, "[filled=] only with [out]")  \
	X(USER_CHECK_REASON, "user_check-reason", ERROR, 0,                           \
	  "[user_check] gives its reason: user_check(\"why\") (a warning in EDL files)") \
	X(ATTR_NON_POINTER, "attr-non-pointer", ERROR, 1,                               \
	  "pointer attributes on a parameter that is not a pointer or array")            \
	X(ATTR_CONFLICT, "attr-conflict", ERROR, 1, "attributes that contradict each other") \
	X(UNKNOWN_ATTRIBUTE, "unknown-attribute", ERROR, 1, "attribute names the language does not have") \
	X(MISSING_SEMICOLON, "missing-semicolon", ERROR, 1, "';' after a closing '}'") \
	X(MISPLACED_SUFFIX, "misplaced-suffix", ERROR, 1,                              \
	  "error() only on trusted functions returning a value, allow() only on untrusted ones") \
	X(POINTER_RETURN, "pointer-return", ERROR, 1, "functions cannot return pointers") \
	X(UNNAMED_PARAM, "unnamed-param", ERROR, 1, "every parameter has a name")        \
	X(UNSUPPORTED, "unsupported", ERROR, 1, "C/EDL constructs the generator cannot copy safely") \
	X(EDL_COMPAT, "edl-compat", WARNING, 0, "EDL attributes accepted and ignored") \
	X(UNKNOWN_TYPE, "unknown-type", WARNING, 0,                                    \
	  "a type name that is neither declared nor can come from an included header")   \
	X(UNREACHABLE_PRIVATE, "unreachable-private", WARNING, 0,                      \
	  "a non-public trusted function that no allow() lists can never be called")    \
	X(EMPTY_PARAMS, "empty-params", OFF, 0, "`f()` instead of `f(void)`")           \
	X(DEEP_STRUCT, "deep-struct", ERROR, 1,                                        \
	  "structs with pointer members only as [in]/[out] buffers of trusted functions, one level deep") \
	X(EMPTY_STRUCT, "empty-struct", ERROR, 1, "a struct without members (C11 has none)") \
	X(SHALLOW_POINTER, "shallow-pointer", WARNING, 0,                              \
	  "EDL pointer returns, arrays of pointers and struct pointer members without a length: " \
	  "the pointer values are copied, never followed (as unchecked as [user_check])")

enum idl_check_id {
#define IDL_CHECK_ENUM(id, name, sev, req, desc) IDL_CHK_##id,
	IDL_CHECKS(IDL_CHECK_ENUM)
#undef IDL_CHECK_ENUM
	IDL_CHK__COUNT
};

/* ---- the parse session ------------------------------------------------------------ */

struct idl_source {              /* one loaded file */
	char *path;                  /* as given / resolved: also the interned loc.file */
	char *real;                  /* realpath, for cycle and repeat detection */
	const char *text;            /* owned by the file's priv */
	size_t len;
	size_t *lines;               /* start offset of each line, built on the first caret */
	size_t nlines;
	struct idl_source *next;
};

struct idl_session {
	const struct idl_opts *opts;
	struct idl_opts default_opts;
	struct idl_diags *diags;
	struct idl_source *sources;  /* every file loaded, for caret lines */
	const char **stack;          /* import stack (display paths) for cycle messages */
	const char **stack_real;
	size_t depth, cap;
	int quiet;                   /* >0: re-parsing an already-reported file */
	int edl;                     /* current file is EDL (enclave or .edl) */
	void *scope;                 /* idl_check.c: name maps while resolving one file */
};

/* What idl_file.priv points at. */
struct idl_file_priv {
	char *path;                  /* interned path every loc.file of this file uses */
	char *text;                  /* the source */
	size_t len;
	int edl;                     /* file is in EDL mode */
	char *real;                  /* realpath: one file reached by two spellings is one source */
};

/* Per-file parser state: the scanner's yyextra and the parser's parse-param. */
struct idl_parser {
	struct idl_session *s;
	struct idl_file *file;
	const char *path;            /* interned */
	const char *text;
	size_t len, pos;             /* YY_INPUT reads text[pos..len) */
	int line, col;               /* scanner position, 1-based */
	int in_edl;                  /* inside enclave { } */
	int expr_ops;                /* operators in the expression being parsed */
	int ptr_levels;              /* '*'s in the type being parsed */
	struct idl_interface **iface_tail; /* O(1) appends to file->interfaces/imports */
	struct idl_import **import_tail;
	int comment_line, comment_col; /* start of an unterminated comment */
	int cpp;                     /* text came through --cpp: honour line markers */
	int foreign;                 /* inside text a line marker says is another file's */
};

/* ---- diagnostics (idl_diag.c) ---------------------------------------------------- */

/* Report through the check table: severity from the table (or SEV when not
 * IDL_SEV_OFF, e.g. a check that is only a warning in EDL mode), then the
 * -W options.  Returns 1 if reported as an error. */
int idl_report(struct idl_session *s, enum idl_check_id id, enum idl_severity sev,
               const struct idl_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Plain error or note that is not a check (syntax, I/O, imports). */
void idl_error(struct idl_session *s, const struct idl_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void idl_note(struct idl_session *s, const struct idl_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct idl_diag *idl_diag_add(struct idl_session *s, enum idl_severity sev, const char *check,
                              const struct idl_loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
void idl_diags_oom(struct idl_diags *d);

/* ---- checks (idl_check.c) ------------------------------------------------------------ */

const char *idl_check_name(enum idl_check_id id);
enum idl_severity idl_check_default(enum idl_check_id id);
/* Resolve types and run every check on F (not on its imports). */
void idl_check_file(struct idl_session *s, struct idl_file *f);

/* ---- builders (idl_build.c): each takes ownership of its pointer arguments ---- */

/* Lexer-side value of an attribute argument before it is interpreted. */
struct idl_rawattr {
	char *name;
	int has_value;               /* name=expr */
	struct idl_expr *value;
	int has_string;              /* name("text") */
	char *string;
	struct idl_loc loc, name_loc;
	struct idl_rawattr *next;
};

/* Function suffix: error(-1), allow(a, b), transition_using_threads */
struct idl_suffix {
	char *name;
	struct idl_exprlist *args;
	int has_args;
	struct idl_loc loc;
	struct idl_suffix *next;
};

/* One item of an interface body. */
enum idl_item_kind { IDL_I_INCLUDE, IDL_I_STRUCT, IDL_I_ENUM, IDL_I_TYPEDEF,
                     IDL_I_TRUSTED, IDL_I_UNTRUSTED, IDL_I_IMPORT, IDL_I_NONE,
                     IDL_I_UNION };
struct idl_item {
	enum idl_item_kind kind;
	void *node;                  /* list head of the kind's node type */
	struct idl_item *next;
};

void *idl_xzalloc(size_t n);
/* Lists are built by prepending (O(1) per element, so huge inputs stay
 * linear) and reversed once complete. */
void *idl_list_reverse(void *head, size_t next_offset);
#define IDL_REV(type, head) ((type *)idl_list_reverse((head), offsetof(type, next)))
char *idl_xstrdup(const char *s);
char *idl_xstrndup(const char *s, size_t n);

struct idl_type *idl_b_type_base(struct idl_parser *p, enum idl_type_kind kind, char *name,
                                 int nconst, const struct idl_loc *loc);
struct idl_type *idl_b_type_pointer(struct idl_parser *p, struct idl_type *target, int is_const,
                                    const struct idl_loc *loc);
struct idl_type *idl_b_type_const(struct idl_type *t);
char *idl_b_kw_join(char *a, const char *b);

struct idl_expr *idl_b_expr_int(uint64_t v, int neg, const struct idl_loc *loc);
struct idl_expr *idl_b_expr_ident(char *name, const struct idl_loc *loc);
struct idl_expr *idl_b_expr_sizeof(struct idl_type *t, const struct idl_loc *loc);
/* Bounds that keep every recursive walk of the tree shallow, whatever the input. */
#define IDL_MAX_EXPR_OPS 256
#define IDL_MAX_PTR_LEVELS 8
#define IDL_MAX_DIMS 8
struct idl_expr *idl_b_expr_bin(struct idl_parser *p, enum idl_expr_kind k, struct idl_expr *l,
                                struct idl_expr *r, const struct idl_loc *loc);
struct idl_exprlist {          /* argument list of a function suffix */
	struct idl_expr *e;
	struct idl_exprlist *next;
};
struct idl_exprlist *idl_b_exprlist(struct idl_exprlist *list, struct idl_expr *e);
void idl_free_exprlist(struct idl_exprlist *l);

struct idl_rawattr *idl_b_rawattr(char *name, struct idl_expr *value, char *string, int has_string,
                                  const struct idl_loc *loc, const struct idl_loc *name_loc);
struct idl_rawattr *idl_b_rawattr_list(struct idl_rawattr *list, struct idl_rawattr *a);

struct idl_param *idl_b_param(struct idl_parser *p, struct idl_rawattr *attrs,
                              const struct idl_loc *attrs_loc, struct idl_type *type, char *name,
                              uint64_t *dims, size_t ndims, const struct idl_loc *loc, int member);
uint64_t *idl_b_dims(uint64_t *dims, size_t n, uint64_t v);
struct idl_param *idl_b_param_list(struct idl_param *list, struct idl_param *p);

struct idl_suffix *idl_b_suffix(char *name, struct idl_exprlist *args, int has_args,
                                const struct idl_loc *loc);
struct idl_suffix *idl_b_suffix_list(struct idl_suffix *list, struct idl_suffix *s);
struct idl_func *idl_b_func(struct idl_parser *p, enum idl_side side, int is_public,
                            struct idl_rawattr *fattrs, struct idl_type *ret, char *name,
                            struct idl_param *params, int empty_parens, struct idl_suffix *suffixes,
                            const struct idl_loc *loc, const struct idl_loc *name_loc);
struct idl_func *idl_b_func_list(struct idl_func *list, struct idl_func *f);

struct idl_struct *idl_b_struct(char *name, struct idl_param *members, const struct idl_loc *loc);
struct idl_enumerator *idl_b_enumerator(char *name, struct idl_expr *v, const struct idl_loc *loc);
struct idl_enumerator *idl_b_enumerator_list(struct idl_enumerator *l, struct idl_enumerator *e);
struct idl_enum *idl_b_enum(char *name, struct idl_enumerator *values, const struct idl_loc *loc);
struct idl_typedef *idl_b_typedef(struct idl_type *t, char *name, const struct idl_loc *loc);
struct idl_include *idl_b_include(char *header, const struct idl_loc *loc);
struct idl_option *idl_b_option(char *key, char *value, const struct idl_loc *loc);
struct idl_option *idl_b_option_list(struct idl_option *l, struct idl_option *o);
struct idl_ident_list *idl_b_ident(char *name, const struct idl_loc *loc);
struct idl_ident_list *idl_b_ident_list(struct idl_ident_list *l, struct idl_ident_list *i);
struct idl_import *idl_b_import(struct idl_parser *p, char *path, int is_from, int all,
                                struct idl_ident_list *names, const struct idl_loc *loc);

struct idl_item *idl_b_item(enum idl_item_kind kind, void *node);
struct idl_item *idl_b_item_list(struct idl_item *l, struct idl_item *i);
struct idl_interface *idl_b_interface(struct idl_parser *p, char *name, int is_enclave,
                                      struct idl_option *options, struct idl_item *items,
                                      const struct idl_loc *loc);
void idl_b_file_interface(struct idl_parser *p, struct idl_interface *i);
void idl_b_file_import(struct idl_parser *p, struct idl_import *imp);

/* Freeing (idl_build.c); all accept NULL. */
void idl_free_type(struct idl_type *t);
void idl_free_expr(struct idl_expr *e);
void idl_free_attrs(struct idl_attrs *a);
void idl_free_rawattrs(struct idl_rawattr *a);
void idl_free_params(struct idl_param *p);
void idl_free_suffixes(struct idl_suffix *s);
void idl_free_funcs(struct idl_func *f);
void idl_free_structs(struct idl_struct *s);
void idl_free_enumerators(struct idl_enumerator *e);
void idl_free_enums(struct idl_enum *e);
void idl_free_typedefs(struct idl_typedef *t);
void idl_free_includes(struct idl_include *i);
void idl_free_options(struct idl_option *o);
void idl_free_idents(struct idl_ident_list *i);
void idl_free_imports(struct idl_import *i);
void idl_free_items(struct idl_item *i);
void idl_free_interfaces(struct idl_interface *i);

#endif /* IDL_PRIV_H */
