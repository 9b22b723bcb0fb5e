/* SPDX-License-Identifier: MIT */
/* gen_sgx.c: erimgen --abi=sgx -- the files Intel's edger8r generates, with
 * its function signatures, on top of erim's gates, so that an SGX
 * application and its enclave code build against erim unchanged:
 *
 *   NAME_u.h/.c  untrusted side: `sgx_status_t f(sgx_enclave_id_t eid,
 *                RET *retval, ...)` per trusted function, calling erim's gate
 *                (named erim__u_f under this ABI); the application implements
 *                its ocalls as plain `RET g(...)`.
 *   NAME_t.h/.c  trusted side: the enclave implements plain `RET f(...)` and
 *                calls `sgx_status_t g(RET *retval, ...)`; both names are
 *                macros onto erim's own (erim__t_f, the implementation the
 *                gate calls, and erim__sgx_g, which calls the proxy g_ocall),
 *                because in one process the application's `f` and `g` exist
 *                too.  Enclave sources must include NAME_t.h (as with SGX).
 *
 * --abi=oe writes the same four files with oeedger8r's signatures
 * (`oe_result_t f(oe_enclave_t *enclave, RET *retval, ...)`, ocalls returning
 * oe_result_t) and oe_create_NAME_enclave (erim_oe.h).
 *
 * A refused argument is refused by erim's gate (erim_refuse, or error(V)
 * when the EDL gives one), never mapped to SGX_ERROR_INVALID_PARAMETER. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* What differs between edger8r's and oeedger8r's signatures. */
struct gen_abi {
	const char *status, *ok;     /* the status type and its success value */
	const char *id_decl, *id;    /* the untrusted side's enclave parameter */
	const char *header;          /* the installed stand-in declaring them */
};

static const struct gen_abi gen_abi_sgx = { "sgx_status_t", "SGX_SUCCESS", "sgx_enclave_id_t eid", "eid",
                                            "erim_edl.h" };
static const struct gen_abi gen_abi_oe = { "oe_result_t", "OE_OK", "oe_enclave_t *enclave", "enclave",
                                           "erim_oe.h" };

static const struct gen_abi *gen_abi_of(const struct gen_ctx *c)
{
	return c->opts.abi_sgx == 2 ? &gen_abi_oe : &gen_abi_sgx;
}

/* "sgx_status_t NAME(sgx_enclave_id_t eid, RET *retval, PARAMS)" */
static char *gen_sgx_sig(const struct gen_abi *a, const struct idl_func *f, const char *name, int with_eid)
{
	int has_ret = !gen_is_void(f->ret);
	char *params = gen_params(f);   /* "(...)" or "(void)" */
	char *inner = f->params ? gen_strf("%.*s", (int)strlen(params) - 2, params + 1) : gen_strf("%s", "");
	char *ret = has_ret ? gen_decl(f->ret, "*retval", 1) : NULL;
	char *s = gen_strf("%s %s(%s%s%s%s%s)", a->status, name,
	                   with_eid ? a->id_decl : "",
	                   with_eid && (ret || f->params) ? ", " : "",
	                   ret ? ret : "", ret && f->params ? ", " : "", inner);

	if (!with_eid && !ret && !f->params) {
		free(s);
		s = gen_strf("%s %s(void)", a->status, name);
	}
	free(params);
	free(inner);
	free(ret);
	return s;
}

static int gen_sgx_has_ret(const struct idl_func *f)
{
	return !gen_is_void(f->ret);
}

/* The body forwarding to CALLEE and storing its result through retval. */
static void gen_sgx_body(const struct gen_abi *a, struct gen_buf *b, const struct idl_func *f,
                         const char *callee, int with_eid)
{
	char *args = gen_args(f, "");

	gen_puts(b, "{\n");
	if (with_eid)   /* one erim instance: every id sgx_create_enclave gave names it */
		gen_printf(b, "\t(void)%s;\n", a->id);
	if (gen_sgx_has_ret(f)) {
		char *d = gen_decl(f->ret, "erim__r", 1);
		gen_printf(b, "\t%s = %s(%s);\n\tif (retval)\n\t\t*retval = erim__r;\n", d, callee, args);
		free(d);
	} else {
		gen_printf(b, "\t%s(%s);\n", callee, args);
	}
	gen_printf(b, "\treturn %s;\n}\n\n", a->ok);
	free(args);
}

static void gen_sgx_guard(struct gen_ctx *c, struct gen_buf *b, const char *suffix, int open)
{
	if (open)
		gen_printf(b, "#ifndef ERIM_SGX_%s%s\n#define ERIM_SGX_%s%s\n\n", c->iname, suffix, c->iname, suffix);
	else
		gen_puts(b, "#endif\n");
}

void gen_sgx_u_h(struct gen_ctx *c, struct gen_buf *b)
{
	const struct gen_abi *a = gen_abi_of(c);

	gen_banner(c, b);
	gen_printf(b, "/* %s_u.h: edger8r's untrusted header for %s, on erim: include it in\n"
	              " * the application (with sgx_urts.h for sgx_create_enclave). */\n", c->iname, c->iname);
	gen_sgx_guard(c, b, "_U_H", 1);
	gen_printf(b, "#include \"%s\"\n#include \"%s_erim.h\"\n\n", a->header, c->iname);
	gen_puts(b, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	if (a == &gen_abi_oe)
		gen_printf(b, "/* oeedger8r's per-enclave creation function: erim_init (erim_oe.h) */\n"
		              "oe_result_t oe_create_%s_enclave(const char *path, oe_enclave_type_t type, "
		              "uint32_t flags, const oe_enclave_setting_t *settings, uint32_t setting_count, "
		              "oe_enclave_t **enclave);\n\n", c->iname);
	gen_puts(b, "/* ecalls: enter the trusted component through erim's gates */\n");
	for (const struct idl_func *f = c->iface->trusted; f; f = f->next) {
		char *s = gen_sgx_sig(a, f, f->name, 1);
		gen_printf(b, "%s;\n", s);
		free(s);
	}
	gen_puts(b, "\n/* ocalls: implement these in the application (declared in the\n"
	            " * erim header included above, with their EDL signatures) */\n");
	gen_puts(b, "\n#ifdef __cplusplus\n}\n#endif\n");
	gen_sgx_guard(c, b, "_U_H", 0);
}

void gen_sgx_u_c(struct gen_ctx *c, struct gen_buf *b)
{
	const struct gen_abi *a = gen_abi_of(c);

	gen_banner(c, b);
	gen_printf(b, "#include \"%s_u.h\"\n\n", c->iname);
	if (a == &gen_abi_oe)
		gen_printf(b, "oe_result_t oe_create_%s_enclave(const char *path, oe_enclave_type_t type, "
		              "uint32_t flags, const oe_enclave_setting_t *settings, uint32_t setting_count, "
		              "oe_enclave_t **enclave)\n{\n"
		              "\treturn erim_oe_create(path, type, flags, settings, setting_count, enclave);\n}\n\n",
		           c->iname);
	for (const struct idl_func *f = c->iface->trusted; f; f = f->next) {
		char *s = gen_sgx_sig(a, f, f->name, 1), *g = gen_strf("erim__u_%s", f->name);
		gen_printf(b, "%s\n", s);
		gen_sgx_body(a, b, f, g, 1);
		free(s);
		free(g);
	}
	if (!c->iface->trusted)
		gen_puts(b, "typedef int erim__sgx_u_empty;\n");
}

void gen_sgx_t_h(struct gen_ctx *c, struct gen_buf *b)
{
	const struct gen_abi *a = gen_abi_of(c);

	gen_banner(c, b);
	gen_printf(b, "/* %s_t.h: edger8r's trusted header for %s, on erim: include it in\n"
	              " * every enclave source.  The names below are macros onto erim's, so\n"
	              " * the enclave's functions do not collide with the application's. */\n",
	           c->iname, c->iname);
	gen_sgx_guard(c, b, "_T_H", 1);
	gen_printf(b, "#include \"%s\"\n#include \"%s_trusted.h\"\n\n", a->header, c->iname);
	gen_puts(b, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	gen_puts(b, "/* ecalls: the enclave implements these */\n");
	for (const struct idl_func *f = c->iface->trusted; f; f = f->next) {
		char *params = gen_params(f), *name = gen_strf("erim__t_%s", f->name);
		char *d = gen_decl(f->ret, f->name, 0);
		gen_printf(b, "#define %s %s\n%s%s;\n", f->name, name, d, params);
		free(params);
		free(name);
		free(d);
	}
	gen_printf(b, "\n/* ocalls: the enclave calls these (%s, result through retval) */\n", a->status);
	for (const struct idl_func *f = c->iface->untrusted; f; f = f->next) {
		char *s = gen_sgx_sig(a, f, f->name, 0);
		gen_printf(b, "#define %s erim__sgx_%s\n%s;\n", f->name, f->name, s);
		free(s);
	}
	gen_puts(b, "\n#ifdef __cplusplus\n}\n#endif\n");
	gen_sgx_guard(c, b, "_T_H", 0);
}

void gen_sgx_t_c(struct gen_ctx *c, struct gen_buf *b)
{
	const struct gen_abi *a = gen_abi_of(c);

	gen_banner(c, b);
	gen_printf(b, "/* the edger8r-style ocall wrappers of %s (trusted side) */\n"
	              "#include \"%s\"\n#include \"%s_trusted.h\"\n\n", c->iname, a->header, c->iname);
	for (const struct idl_func *f = c->iface->untrusted; f; f = f->next) {
		char *n = gen_strf("erim__sgx_%s", f->name), *s = gen_sgx_sig(a, f, n, 0);
		char *p = gen_strf("%s_ocall", f->name);
		gen_printf(b, "%s;\n%s\n", s, s);
		gen_sgx_body(a, b, f, p, 0);
		free(n);
		free(s);
		free(p);
	}
	if (!c->iface->untrusted)
		gen_puts(b, "typedef int erim__sgx_t_empty;\n");
}
