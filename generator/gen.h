/* SPDX-License-Identifier: MIT */
/* gen.h: the generator's back ends -- they walk the checked AST of one
 * interface (idl.h) and emit the C that crosses the trust boundary: the
 * untrusted header (NAME_erim.h), the trusted header (NAME_trusted.h) and the
 * gates file (NAME_gates.c), whose ocall side --split-ocalls writes apart
 * (NAME_ocalls.c).  The back ends never see a tree the front end
 * rejected; anything they cannot express is reported through gen_error() and
 * the caller writes nothing.  Prefix: gen_. */
#ifndef GEN_H
#define GEN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "idl.h"

/* A growing output buffer that counts lines, so that #line directives can
 * point back into the generated file after a stretch of .erim text. */
struct gen_buf {
	char *data;
	size_t len, cap;
	int line;                /* line number the next character lands on */
	const char *name;        /* the output's file name, for #line resets */
};

void gen_buf_init(struct gen_buf *b, const char *name);
void gen_buf_free(struct gen_buf *b);
__attribute__((format(printf, 2, 3)))
void gen_printf(struct gen_buf *b, const char *fmt, ...);
void gen_puts(struct gen_buf *b, const char *s);
/* `#line N "FILE"` for the declaration at LOC (nothing if LOC has no file). */
void gen_line_src(struct gen_buf *b, const struct idl_loc *loc);
/* `#line` back to the generated file itself. */
void gen_line_back(struct gen_buf *b);
/* Write B to PATH atomically (temporary file in the same directory, then
 * rename).  Returns 0 or -errno. */
int gen_write_atomic(const char *path, const struct gen_buf *b);

/* The ABI of the helpers in the installed erim_gen.h that generated gates
 * call; the gates file refuses to compile against another (raise both
 * together, with ERIM_GEN_ABI in runtime/erim_gen.h). */
#define GEN_RUNTIME_ABI 2

/* Options shared by every back end. */
struct gen_opts {
	int abi_sgx;             /* --abi=sgx (1) / --abi=oe (2): edger8r's or oeedger8r's
	                            files and signatures too (gen_sgx.c) */
	int split_ocalls;        /* --split-ocalls: the ocall side (proxies, trampolines)
	                            in NAME_ocalls.c, not in NAME_gates.c */
	const char *source_name; /* basename of the .erim, for the banner */
	const char *version;     /* erimgen version, for the banner */
};

/* The generation context of one interface. */
struct gen_ctx {
	const struct idl_file *file;
	const struct idl_interface *iface;
	const char *iname;       /* interface name (file stem for `enclave`) */
	struct gen_opts opts;
	int interpose;           /* effective interposition mode */
	int errors;              /* gen_error() calls so far */
};

__attribute__((format(printf, 3, 4)))
void gen_error(struct gen_ctx *c, const struct idl_loc *loc, const char *fmt, ...);

/* One back end: emits one output file of an interface into B. */
struct gen_backend {
	const char *suffix;      /* appended to the interface name: "_erim.h" */
	int is_header;           /* written under --header-only too */
	void (*emit)(struct gen_ctx *c, struct gen_buf *b);
	int sgx_only;            /* written under --abi=sgx only */
	int split_only;          /* written under --split-ocalls only */
};

/* The back ends, in the order their files are written; N_OUT entries. */
extern const struct gen_backend gen_backends[];
extern const size_t gen_nbackends;
/* Whether back end BE writes a file under options O. */
int gen_backend_wanted(const struct gen_backend *be, const struct gen_opts *o);

void gen_header_untrusted(struct gen_ctx *c, struct gen_buf *b);
void gen_header_trusted(struct gen_ctx *c, struct gen_buf *b);
void gen_gates(struct gen_ctx *c, struct gen_buf *b);
void gen_ocalls(struct gen_ctx *c, struct gen_buf *b);
void gen_sgx_u_h(struct gen_ctx *c, struct gen_buf *b);
void gen_sgx_u_c(struct gen_ctx *c, struct gen_buf *b);
void gen_sgx_t_h(struct gen_ctx *c, struct gen_buf *b);
void gen_sgx_t_c(struct gen_ctx *c, struct gen_buf *b);

/* EDL `from "x.edl" import` (gen_import.c): the interface of C with the
 * imported functions appended; G owns the copies until gen_import_free(). */
struct gen_import {
	struct idl_interface *iface;
	struct idl_func **copies;
	size_t ncopies;
};
const struct idl_interface *gen_import_merge(struct gen_ctx *c, struct gen_import *g);
void gen_import_free(struct gen_import *g);

/* ---- helpers shared by the back ends (gen_types.c) ------------------------ */

/* The C spelling of type T followed by declarator NAME (NAME may be ""),
 * e.g. "const uint8_t *msg".  DROP_CONST drops a top-level const (for struct
 * fields that are assigned).  Returns a malloc'd string owned by the caller. */
char *gen_decl(const struct idl_type *t, const char *name, int drop_const);
/* Parameter list "(const uint8_t *msg, size_t len)" or "(void"). Caller frees. */
char *gen_params(const struct idl_func *f);
/* Argument list "msg, len" (caller frees); PREFIX is put before each name. */
char *gen_args(const struct idl_func *f, const char *prefix);
/* Banner and the type declarations both headers share (guarded). */
void gen_banner(struct gen_ctx *c, struct gen_buf *b);
void gen_types(struct gen_ctx *c, struct gen_buf *b);
/* Non-zero when option KEY is set on the interface. */
int gen_iface_option(const struct idl_interface *i, const char *key);
/* Whether type T (after typedefs of this interface) is void. */
int gen_is_void(const struct idl_type *t);
/* The struct declaration T refers to (pointer targets not followed), or NULL. */
const struct idl_struct *gen_struct_of(const struct gen_ctx *c, const struct idl_type *t);
/* A C integer literal for V (negated when NEGATIVE) that compiles warning-free
 * at the ends of the 64-bit range; NULL when it is below INT64_MIN. */
char *gen_int_literal(uint64_t v, int negative);
/* printf into a fresh malloc'd string; dies on OOM (tools may). */
__attribute__((format(printf, 1, 2)))
char *gen_strf(const char *fmt, ...);
void *gen_xmalloc(size_t n);

#endif /* GEN_H */
