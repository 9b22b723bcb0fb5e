/* SPDX-License-Identifier: MIT */
/* gen_headers.c: the two generated headers.  NAME_erim.h is what untrusted
 * code includes (gates to trusted functions under their plain names, and the
 * untrusted functions it must implement); NAME_trusted.h is what the trusted
 * component includes (NAME_impl functions it implements, NAME_ocall proxies to
 * reach untrusted functions).  In interposition mode the plain names stay the
 * library's own and the gates are __wrap_NAME / __real_NAME (ld --wrap). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void gen_guard_open(struct gen_ctx *c, struct gen_buf *b, const char *suffix)
{
	char *g = gen_strf("%s%s", c->iname, suffix);

	for (char *p = g; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	gen_printf(b, "#ifndef %s\n#define %s\n\n", g, g);
	free(g);
}

/* One prototype "RET PREFIXNAMESUFFIX(PARAMS);" with #line back to the .erim. */
static void gen_proto(struct gen_buf *b, const struct idl_func *f, const char *prefix,
                      const char *suffix)
{
	char *name = gen_strf("%s%s%s", prefix, f->name, suffix);
	char *params = gen_params(f);
	char *decl = gen_decl(f->ret, name, 0);

	gen_line_src(b, &f->loc);
	gen_printf(b, "%s%s;\n", decl, params);
	gen_line_back(b);
	free(name);
	free(params);
	free(decl);
}

/* One section of prototypes: COMMENT, then every function of LIST as
 * PREFIXNAMESUFFIX and, with ALIAS, once more as ALIASNAME. */
static void gen_section(struct gen_buf *b, const struct idl_func *list, const char *comment,
                        const char *prefix, const char *suffix, const char *alias)
{
	if (!list)
		return;
	gen_puts(b, comment);
	for (const struct idl_func *f = list; f; f = f->next)
		gen_proto(b, f, prefix, suffix);
	if (alias)
		for (const struct idl_func *f = list; f; f = f->next)
			gen_proto(b, f, alias, "");
	gen_puts(b, "\n");
}

/* Banner, the file's comment (NAMEFILE: the SIDE side ... include it WHERE),
 * include guard, the types and the C++ opening; gen_header_close ends it. */
static void gen_header_open(struct gen_ctx *c, struct gen_buf *b, const char *file, const char *side,
                            const char *where, const char *guard)
{
	gen_banner(c, b);
	gen_printf(b, "/* %s%s: the %s side of interface %s: include it %s */\n", c->iname, file, side, c->iname,
	           where);
	gen_guard_open(c, b, guard);
	gen_types(c, b);
	gen_puts(b, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
}

static void gen_header_close(struct gen_buf *b)
{
	gen_puts(b, "#ifdef __cplusplus\n}\n#endif\n");
	gen_puts(b, "#endif\n");
}

void gen_header_untrusted(struct gen_ctx *c, struct gen_buf *b)
{
	const struct idl_interface *i = c->iface;

	gen_header_open(c, b, "_erim.h", "untrusted", "where\n * untrusted code calls the trusted component.",
	                "_ERIM_H");
	if (c->interpose) {
		gen_section(b, i->trusted, "/* trusted functions: call them by their own names and link with\n"
		                           " * `erimgen --print-link-flags`; the linker sends the calls to the\n"
		                           " * gates __wrap_NAME (in the gates file). */\n", "", "", "__wrap_");
		gen_section(b, i->untrusted, "/* untrusted functions: the untrusted library's own; trusted code\n"
		                             " * reaches them through __wrap_NAME -> __real_NAME (ld --wrap) */\n",
		            "", "", "__real_");
	} else {
		gen_section(b, i->trusted, "/* trusted functions: each call goes through a gate into the trusted\n"
		                           " * component (defined in the gates file) */\n",
		            c->opts.abi_sgx ? "erim__u_" : "", "", NULL);
		gen_section(b, i->untrusted, "/* untrusted functions: implement these in the untrusted component;\n"
		                             " * trusted code reaches them through NAME_ocall */\n", "", "", NULL);
	}
	gen_header_close(b);
}

void gen_header_trusted(struct gen_ctx *c, struct gen_buf *b)
{
	const struct idl_interface *i = c->iface;

	gen_header_open(c, b, "_trusted.h", "trusted", "in\n * the trusted component.", "_TRUSTED_H");
	if (c->interpose) {
		gen_section(b, i->trusted, "/* trusted functions: the isolated library's own definitions, reached\n"
		                           " * by the gates as __real_NAME (ld --wrap) */\n", "__real_", "", NULL);
		gen_section(b, i->untrusted, "/* untrusted functions: trusted code calls them by their own names;\n"
		                             " * the linker sends the calls to the proxies __wrap_NAME, which run\n"
		                             " * __real_NAME in the untrusted domain */\n", "", "", "__wrap_");
	} else {
		gen_section(b, i->trusted, "/* trusted functions: implement these in the trusted component; they\n"
		                           " * receive trusted copies of every buffer */\n",
		            c->opts.abi_sgx ? "erim__t_" : "", c->opts.abi_sgx ? "" : "_impl", NULL);
		gen_section(b, i->untrusted, "/* untrusted functions: call these proxies from trusted code; they run\n"
		                             " * NAME in the untrusted domain and validate what comes back */\n",
		            "", "_ocall", NULL);
	}
	gen_header_close(b);
}
