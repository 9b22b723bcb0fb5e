/* SPDX-License-Identifier: MIT */
/* idl.h: the public API of the .erim front end (libidl.la), used by erimgen.
 *
 * One call parses a .erim (or Intel SGX .edl) file, follows its imports,
 * resolves types and runs the table of named semantic checks; diagnostics are
 * collected in a struct idl_diags that the caller prints in GNU format
 * (`file:line:col: error: message [-Wname]`, the source line, a caret/tilde
 * line).  The tree it returns is described in the first part below: this
 * header is everything of idl/ that other folders may use.
 *
 * Typical use (erimgen):
 *
 *     struct idl_opts o;
 *     struct idl_diags *d = idl_diags_new();
 *     idl_opts_init(&o);
 *     for each -W arg:   if (idl_opts_warning(&o, arg + 2) < 0) usage error;
 *     for each -I dir:   idl_opts_add_import_dir(&o, dir);
 *     struct idl_file *f = idl_parse_file(path, &o, d);
 *     idl_diags_print(stderr, d);
 *     if (!f) exit(1);          // f is NULL exactly when idl_diags_errors(d) > 0
 *     ... generate ...
 *     idl_file_free(f); idl_diags_free(d); idl_opts_fini(&o);
 */
#ifndef IDL_H
#define IDL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the checked syntax tree ------------------------------------------------
 *
 * The contract between the front end (idl/: scanner, parser, checks) and the
 * back ends (generator/).  Every node carries the source range it came from,
 * so checks and back ends (#line directives) can point back at the .erim text.
 *
 * Ownership: the whole tree, including every string, belongs to the
 * struct idl_file returned by the front end and is released by idl_file_free().
 * Lists are singly linked through `next`, in source order. */

/* A source position range; also the parser's YYLTYPE. */
struct idl_loc {
	const char *file;        /* interned path as given (owned by idl_file) */
	int first_line, first_column;
	int last_line, last_column;
};

/* ---- types ---------------------------------------------------------------- */

enum idl_type_kind {
	IDL_T_VOID,
	IDL_T_SCALAR,   /* C scalar: char, int, unsigned long, uint8_t, size_t, bool, ... */
	IDL_T_STRUCT,   /* struct NAME declared in the file (member-wise copy) */
	IDL_T_ENUM,     /* enum NAME declared in the file */
	IDL_T_TYPEDEF,  /* typedef NAME declared in the file */
	IDL_T_EXTERN,   /* a type name from an included C header: plain data, copied by sizeof */
	IDL_T_POINTER,  /* pointer to `target` */
};

struct idl_type {
	enum idl_type_kind kind;
	char *name;                 /* spelling for scalars/externs ("unsigned long", "uint8_t"),
	                               tag for struct/enum, NULL for void/pointer */
	int is_const;               /* const-qualified at this level */
	int is_signed;              /* scalars: 1 signed, 0 unsigned, -1 not an integer (float, bool) */
	struct idl_type *target;    /* IDL_T_POINTER: pointee */
	struct idl_struct *decl;    /* IDL_T_STRUCT: resolved declaration (NULL if unresolved) */
	struct idl_loc loc;
	/* Added by the front end (idl/), additive: */
	struct idl_enum *enum_decl;       /* IDL_T_ENUM: resolved declaration */
	struct idl_typedef *typedef_decl; /* IDL_T_TYPEDEF: resolved declaration */
};

/* ---- attribute expressions: size=, count=, maxlen=, filled=, error() ------ */

enum idl_expr_kind { IDL_E_INT, IDL_E_IDENT, IDL_E_SIZEOF, IDL_E_MUL, IDL_E_ADD };

struct idl_expr {
	enum idl_expr_kind kind;
	uint64_t value;             /* IDL_E_INT */
	int negative;               /* IDL_E_INT in error(-1) */
	char *ident;                /* IDL_E_IDENT: a parameter or sibling member name */
	struct idl_type *type;      /* IDL_E_SIZEOF */
	struct idl_expr *lhs, *rhs; /* IDL_E_MUL, IDL_E_ADD */
	struct idl_loc loc;
};

/* ---- pointer attributes ----------------------------------------------------- */

enum idl_dir { IDL_DIR_NONE = 0, IDL_DIR_IN = 1, IDL_DIR_OUT = 2, IDL_DIR_INOUT = 3 };

struct idl_attrs {
	enum idl_dir dir;
	int is_string;              /* [string] */
	int is_opaque;              /* [opaque] */
	char *user_check;           /* [user_check("why")]: the reason, NULL if absent;
	                               "" for EDL's bare [user_check] (warned about) */
	struct idl_expr *size;      /* [size=E] bytes */
	struct idl_expr *count;     /* [count=E] elements */
	struct idl_expr *maxlen;    /* [maxlen=E] */
	struct idl_expr *filled;    /* [filled=N] */
	struct idl_loc loc;         /* the whole [...] list */
	/* Added by the front end (idl/), additive: EDL's [isptr] (1) or [isary]
	 * (2) on a parameter whose header typedef hides a pointer or an array;
	 * accepted with user_check only (the value is passed as it is). */
	int edl_hidden;
};

/* A parameter or a struct member. */
struct idl_param {
	char *name;
	struct idl_type *type;
	struct idl_attrs attrs;     /* all-zero when there is no [...] */
	uint64_t *dims;             /* fixed array dimensions `name[4][8]`, ndims entries */
	size_t ndims;
	struct idl_loc loc;
	struct idl_param *next;
};

/* ---- declarations ------------------------------------------------------------ */

struct idl_struct {
	char *name;
	struct idl_param *members;
	struct idl_loc loc;
	struct idl_struct *next;
};

struct idl_enumerator {
	char *name;
	struct idl_expr *value;     /* NULL when implicit */
	struct idl_loc loc;
	struct idl_enumerator *next;
};

struct idl_enum {
	char *name;
	struct idl_enumerator *values;
	struct idl_loc loc;
	struct idl_enum *next;
};

struct idl_typedef {
	char *name;
	struct idl_type *type;
	struct idl_loc loc;
	struct idl_typedef *next;
};

struct idl_ident_list {
	char *name;
	struct idl_loc loc;
	struct idl_ident_list *next;
};

enum idl_side { IDL_TRUSTED, IDL_UNTRUSTED };

struct idl_func {
	char *name;
	enum idl_side side;
	int is_public;              /* trusted functions only */
	struct idl_type *ret;
	struct idl_param *params;   /* NULL for (void) or () */
	struct idl_expr *error;     /* error(V), NULL if absent (trusted functions) */
	struct idl_ident_list *allow; /* allow(...) (untrusted functions) */
	struct idl_loc loc;
	struct idl_func *next;
};

struct idl_include {
	char *header;               /* as written, without quotes */
	struct idl_loc loc;
	struct idl_include *next;
};

/* interface NAME [options] { ... };  or  enclave { ... };  For `enclave` the
 * front end sets name to the file stem ("Enclave.edl" -> "Enclave"), so name
 * is never NULL in a tree returned by idl_parse_file(). */
struct idl_option {
	char *key;                  /* e.g. "stack", "interpose" */
	char *value;                /* NULL for a bare flag */
	struct idl_loc loc;
	struct idl_option *next;
};

struct idl_interface {
	char *name;
	int is_enclave;             /* written as `enclave { }` */
	struct idl_option *options;
	struct idl_include *includes;
	struct idl_struct *structs;
	struct idl_enum *enums;
	struct idl_typedef *typedefs;
	struct idl_func *trusted;   /* trusted { } functions, source order */
	struct idl_func *untrusted; /* untrusted { } functions, source order */
	struct idl_loc loc;
	struct idl_interface *next;
	/* Added by the front end (idl/), additive: EDL `union NAME { ... };`
	 * declarations (members are plain data: no pointers), emitted as C
	 * unions; a `union NAME` use is copied by sizeof like a header type. */
	struct idl_struct *unions;
};

struct idl_import {
	char *path;                 /* as written */
	struct idl_file *file;      /* the parsed imported file (owned here) */
	struct idl_loc loc;
	struct idl_import *next;
	/* Added by the front end (idl/), additive: EDL's `from "x.edl" import *;`
	 * or `from "x.edl" import f, g;` (written inside enclave { }).  The
	 * imported file's functions are NOT merged into the importing interface:
	 * a back end that wants EDL semantics generates the listed ones too. */
	int is_from;                /* written as `from ... import` */
	int import_all;             /* `import *` */
	struct idl_ident_list *names; /* `import f, g` (NULL when import_all) */
};

struct idl_file {
	char *path;
	struct idl_import *imports;
	struct idl_interface *interfaces;
	/* private to the front end: interned strings, source text for carets, arena */
	void *priv;
};

void idl_file_free(struct idl_file *f);

/* ---- options ---------------------------------------------------------------- */

/* Upper bound on the number of named checks (the table is in idl_table.c). */
#define IDL_MAX_CHECKS 64

enum idl_severity { IDL_SEV_OFF = 0, IDL_SEV_NOTE, IDL_SEV_WARNING, IDL_SEV_ERROR };

struct idl_opts {
	/* Directories searched for `import "x.erim"` / `from "x.edl" import`
	 * after the importing file's own directory; owned by the opts. */
	char **import_dirs;
	size_t n_import_dirs;
	int werror;                         /* -Werror: every warning is an error */
	int no_imports;                     /* imports are diagnosed, never read (fuzzing) */
	/* Per-check state set by -W<name>/-Wno-<name>/-Werror=<name>:
	 * 0 = default, 1 = enabled, -1 = disabled, 2 = error. Index = check id. */
	signed char check_state[IDL_MAX_CHECKS];
	/* Optional: run every file read (the root and each import) through a
	 * preprocessor first (erimgen --cpp).  PREPROCESS gets the path and
	 * returns 0 with a malloc'd NUL-terminated text in TEXT and LEN, or -1
	 * after printing why.  The text may carry C line markers
	 * (`# 42 "file.edl"`), which map diagnostics back to the original
	 * lines; carets quote the original file. */
	int (*preprocess)(const char *path, char **text, size_t *len, void *arg);
	void *preprocess_arg;
};

/* Defaults: every check at its table severity, no import dirs. */
void idl_opts_init(struct idl_opts *o);
/* Releases what idl_opts_add_import_dir() copied. */
void idl_opts_fini(struct idl_opts *o);
/* Apply one warning option, given WITHOUT the leading "-W": "error",
 * "error=NAME", "NAME", "no-NAME", "no-error=NAME".  Returns 0, -ENOENT for an
 * unknown check name, -EPERM for trying to disable a check the generator
 * depends on (those are always errors). */
int idl_opts_warning(struct idl_opts *o, const char *arg);
/* Add an import search directory (copied).  Returns 0 or -ENOMEM. */
int idl_opts_add_import_dir(struct idl_opts *o, const char *dir);
/* Print the table of checks (name, default severity, description) for --help. */
void idl_checks_list(FILE *out);

/* ---- diagnostics ------------------------------------------------------------- */

struct idl_diag {
	enum idl_severity severity;         /* NOTE, WARNING or ERROR (after -W options) */
	const char *check;                  /* check name ("pointer-direction"), or NULL
	                                       for syntax/IO errors that are not checks */
	char *message;
	struct idl_loc loc;                 /* loc.file may be NULL for file-less errors */
	char *line_text;                    /* copy of the source line, or NULL */
	int promoted;                       /* a warning made an error by -Werror */
};

struct idl_diags;

/* A new, empty collection (owned by the caller; free with idl_diags_free).
 * Returns NULL on out-of-memory. */
struct idl_diags *idl_diags_new(void);
void idl_diags_free(struct idl_diags *d);
int idl_diags_errors(const struct idl_diags *d);
int idl_diags_warnings(const struct idl_diags *d);
size_t idl_diags_count(const struct idl_diags *d);
/* i-th diagnostic in emission order (owned by d), NULL when out of range. */
const struct idl_diag *idl_diags_get(const struct idl_diags *d, size_t i);
/* Print every diagnostic in GNU format with source line and caret/tilde. */
void idl_diags_print(FILE *out, const struct idl_diags *d);

/* ---- parsing ----------------------------------------------------------------- */

/* Parse PATH, its imports (recursively, cycles diagnosed) and run every check.
 * Returns the checked tree (owned by the caller, free with idl_file_free), or
 * NULL when any error was diagnosed (including warnings promoted by -Werror)
 * or on out-of-memory (then an error diagnostic says so).  OPTS may be NULL
 * (defaults).  A file whose interface is written `enclave { }` is parsed in
 * EDL compatibility mode; its interface name is set to the file stem, so
 * idl_interface.name is never NULL in a returned tree. */
struct idl_file *idl_parse_file(const char *path, const struct idl_opts *opts,
                                struct idl_diags *diags);

/* Same, from memory: NAME is used in diagnostics and for resolving imports
 * (relative to NAME's directory).  TEXT need not be NUL-terminated. */
struct idl_file *idl_parse_string(const char *name, const char *text, size_t len,
                                  const struct idl_opts *opts, struct idl_diags *diags);

/* ---- back-end helpers ---------------------------------------------------------- */

/* Human-readable dump of the checked tree (erimgen --dump-ast).  Stable text,
 * pinned by golden tests. */
void idl_dump_ast(FILE *out, const struct idl_file *f);

/* Every [user_check] pointer with its location and reason (erimgen --audit):
 * `file:line:col: interface.function: parameter 'p': user_check: "reason"`.
 * Returns the number of user_check pointers listed. */
int idl_audit(FILE *out, const struct idl_file *f);

/* Make-style dependency rule (erimgen --depfile): "TARGET: file.erim imp1.erim ...",
 * then one empty rule per imported file so deleting one does not break make.
 * Returns 0 or -errno from writing. */
int idl_depfile(FILE *out, const char *target, const struct idl_file *f);

/* Every .erim/.edl file the tree was read from (the root first, then imports
 * depth-first, each once): calls FN for each path; stops early and returns
 * FN's value if nonzero. */
int idl_file_foreach_source(const struct idl_file *f,
                            int (*fn)(const char *path, void *arg), void *arg);

/* Lookups across a file and everything it imports (NULL when not found). */
struct idl_struct *idl_find_struct(const struct idl_file *f, const char *name);
struct idl_enum *idl_find_enum(const struct idl_file *f, const char *name);

#endif /* IDL_H */
