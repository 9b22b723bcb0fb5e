/* SPDX-License-Identifier: MIT */
/* idl_ast.h: the checked syntax tree of a .erim file -- the contract between
 * the front end (idl/: scanner, parser, checks) and the back ends
 * (generator/).  Every node carries the source range it came from, so checks
 * and back ends (#line directives) can point back at the .erim text.
 *
 * Ownership: the whole tree, including every string, belongs to the
 * struct idl_file returned by the front end and is released by idl_file_free().
 * Lists are singly linked through `next`, in source order. */
#ifndef IDL_AST_H
#define IDL_AST_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* IDL_AST_H */
