/* SPDX-License-Identifier: MIT */
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

#include "idl_table.h"

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

/* ---- checks (idl_walk.c runs the hooks of idl_check.c) ------------------------------- */

/* Resolve types and run every check on F (not on its imports). */
void idl_check_file(struct idl_session *s, struct idl_file *f);

/* ---- type questions (idl_types.c): typedefs of the .erim followed ------------------ */

int idl_is_pointer(const struct idl_type *t);
const struct idl_type *idl_strip(const struct idl_type *t);
int idl_is_integer(const struct idl_type *t);
/* A type name from an included C header that may be an integer (socklen_t). */
int idl_is_header_integer(const struct idl_type *t);
int idl_is_signed_integer(const struct idl_type *t);
int idl_is_char(const struct idl_type *t);
int idl_has_pointer_attrs(const struct idl_attrs *a);

/* ---- "did you mean" (idl_strdist.c) ------------------------------------------------- */

struct idl_suggest {
	const char *want;            /* the unknown name */
	const char *best;            /* the closest candidate so far, or NULL */
	size_t bestd;
};
void idl_suggest_init(struct idl_suggest *s, const char *want);
void idl_suggest_consider(struct idl_suggest *s, const char *cand);

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

/* Allocation (idl_alloc.c): out of memory aborts with a message. */
void *idl_xzalloc(size_t n);
void *idl_xrealloc(void *p, size_t n);
/* Lists are built by prepending (O(1) per element, so huge inputs stay
 * linear) and reversed once complete. */
void *idl_list_reverse(void *head, size_t next_offset);
#define IDL_REV(type, head) ((type *)idl_list_reverse((head), offsetof(type, next)))
char *idl_xstrdup(const char *s);
char *idl_xstrndup(const char *s, size_t n);
/* "A B" from A (freed) and B: multi-keyword type names, "struct X". */
char *idl_xjoin(char *a, const char *b);

struct idl_type *idl_b_type_base(struct idl_parser *p, enum idl_type_kind kind, char *name,
                                 int nconst, const struct idl_loc *loc);
struct idl_type *idl_b_type_pointer(struct idl_parser *p, struct idl_type *target, int is_const,
                                    const struct idl_loc *loc);

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
