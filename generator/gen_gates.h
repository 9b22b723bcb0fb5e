/* SPDX-License-Identifier: MIT */
/* gen_gates.h: what the emitters of the gates file share (gen_marshal.c)
 * and the per-function emitters gen_gates.c calls: the trusted entry
 * (gen_entry.c) and the trusted-side proxy with its trampoline and block
 * (gen_proxy.c).  Private to generator/. */
#ifndef GEN_GATES_H
#define GEN_GATES_H

#include "gen.h"

/* ---- questions about types and parameters (gen_marshal.c) ---- */

void gen_indent(struct gen_buf *b, int n);
/* Typedefs declared in .erim files resolved to what they name. */
const struct idl_type *gen_resolve(const struct idl_type *t);
int gen_is_ptr(const struct idl_type *t);
/* A parameter passed as a buffer (pointer or fixed array with a direction). */
int gen_is_buffer(const struct idl_param *p);
/* A struct member copied as a separate buffer (a pointer member). */
int gen_is_mbuf(const struct idl_param *m);
/* Element type of a buffer parameter (pointee, or the array's element). */
const struct idl_type *gen_elem_type(const struct idl_param *p);
const struct idl_param *gen_find_param(const struct idl_param *list, const char *name);
/* An IDL struct with pointer members that need a deep copy. */
int gen_struct_is_deep(const struct idl_struct *s);
/* Does a value of type T (not following pointers) contain a bool? */
int gen_has_bool(const struct idl_type *t);
/* Code normalising the bools in the N bytes at trusted address PTR. */
void gen_fix_bools(struct gen_buf *b, int ind, const struct idl_type *t, const char *ptr,
                   const char *n);
/* The temporary ROLE of parameter P: "erim__ROLE_NAME" (valid for 15 more calls). */
const char *gen_tmp(const char *role, const struct idl_param *p);
/* Signedness of a length value: 1 signed, 0 unsigned, -1 unknown. */
int gen_signedness(const struct idl_type *t);
/* How the trusted implementation of a trusted function is named. */
const char *gen_impl_prefix(struct gen_ctx *c);
const char *gen_impl_suffix(struct gen_ctx *c);
/* The trusted global holding the first entry id, which allow lists add
 * their indices to (valid until the next call). */
const char *gen_tbase(const struct gen_ctx *c);
/* A field declaration of an args struct for parameter P (caller frees). */
char *gen_field(const struct idl_param *p);

/* ---- refusals and sizes (gen_marshal.c) ---- */

enum gen_fail_mode { GEN_FAIL_ENTRY, GEN_FAIL_MEMBER, GEN_FAIL_PROXY };

/* Context of one generated function body. */
struct gen_fx {
	struct gen_ctx *c;
	const struct idl_func *f;
	const struct idl_param *scope;  /* where IDENTs are looked up */
	const char *prefix;             /* how a fetched value is spelled: "erim__v." */
	enum gen_fail_mode mode;
	const char *arg;                /* parameter (or member) named in messages */
	int ntmp;
	int used_goto;
};

/* The statement refusing with reason WHY, as FX's context does it. */
void gen_fail(struct gen_fx *fx, struct gen_buf *b, int ind, const char *why);
/* Statements computing length expression E into a fresh size_t temporary,
 * refusing negative values and overflow; returns its name (caller frees). */
char *gen_size(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_expr *e);
/* Statements computing the byte size of buffer P into DST; ELEMS (may be
 * NULL) its element count, UNIT (may be NULL) the bytes of one element. */
void gen_bytes(struct gen_fx *fx, struct gen_buf *b, int ind, const struct idl_param *p,
               const char *dst, const char *elems, const char *unit);

/* ---- filled= (gen_filled.c) ---- */

/* The parameter holding the count of P's filled=, when P is an [out] buffer
 * with a filled= naming a parameter; NULL otherwise (REPORT: with the error
 * "filled= must name a parameter" when it names none). */
const struct idl_param *gen_filled_count(struct gen_ctx *c, const struct idl_func *f,
                                         const struct idl_param *p, int report);
/* filled= before the call, for parameter P: the parameter holding its count
 * (NULL when there is none: nothing written), FX's arg set to it and, when
 * that is a buffer, the refusal of one too small to hold a count.  ENTRY: in
 * the trusted entry (else in the trusted-side proxy). */
const struct idl_param *gen_filled_pre(struct gen_fx *fx, struct gen_buf *b, const struct idl_param *p,
                                       int entry);
/* filled= after the call: each count the other side reported, fetched
 * once and refused when negative or above the capacity, before anything is
 * copied out.  ENTRY: in the trusted entry (the count is in its trusted copy
 * erim__v, the temporaries declared into DECL); else in the trusted-side
 * proxy (the count is in the block the untrusted function returned). */
void gen_filled_post(struct gen_ctx *c, const struct idl_func *f, struct gen_buf *decl, struct gen_buf *b,
                     int entry);

/* ---- per-function emitters ---- */

/* The trusted entry of trusted function F (gen_entry.c): locals into OUT. */
void gen_entry(struct gen_ctx *c, struct gen_buf *out, const struct idl_func *f);
/* The callback block, the untrusted trampoline and the trusted-side proxy
 * of untrusted function F (gen_proxy.c). */
void gen_cb_struct(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f);
void gen_trampoline(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f);
void gen_proxy(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f);

#endif /* GEN_GATES_H */
