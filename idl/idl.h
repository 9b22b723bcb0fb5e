/* SPDX-License-Identifier: MIT */
/* idl.h: the public API of the .erim front end (libidl.la), used by erimgen.
 *
 * One call parses a .erim (or Intel SGX .edl) file, follows its imports,
 * resolves types and runs the table of named semantic checks; diagnostics are
 * collected in a struct idl_diags that the caller prints in GNU format
 * (`file:line:col: error: message [-Wname]`, the source line, a caret/tilde
 * line).  The tree it returns is the one described in idl_ast.h.
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
#include <stdio.h>

#include "idl_ast.h"

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
