/* SPDX-License-Identifier: MIT */
/* gen_gates.c: the gates file NAME_gates.c -- everything that runs at the
 * trust boundary.  Per trusted function: an args struct, the untrusted-side
 * gate (packs the arguments on the untrusted stack, erim_gate_call) and the
 * trusted entry (one fetch of the args block, range/overflow checks, trusted
 * copies, NAME_impl, copy-back without padding, frees).  Per untrusted
 * function: a trusted-side proxy (NAME_ocall) that builds a self-contained
 * block for erim_callback_call and validates what comes back (Iago), and an
 * untrusted trampoline.  Plus the registration constructor.  The helpers
 * every gates file calls (copies, range checks, string copy, bools, buffer
 * copy-in) are in the installed runtime/erim_gen.h, whose ABI the file checks.
 *
 * Hygiene: every generated identifier starts with erim__ (the front end
 * rejects user names with that prefix); functions that carry user parameter
 * names call nothing but erim__ helpers, erim_* API and compiler builtins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_gates.h"

/* erim__fix_NAME: normalise every bool of one struct in trusted memory
 * (members, arrays, nested structs), reading each byte as unsigned char. */
static void gen_struct_fix(struct gen_buf *b, const struct idl_struct *s)
{
	gen_printf(b, "static __attribute__((unused)) void erim__fix_%s(struct %s *erim__p)\n{\n",
	           s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_ptr(m->type) || !gen_has_bool(m->type))
			continue;
		char *ref = m->ndims ? gen_strf("erim__p->%s", m->name) : gen_strf("&erim__p->%s", m->name);
		char *sz = gen_strf("sizeof erim__p->%s", m->name);
		gen_fix_bools(b, 1, m->type, ref, sz);
		free(ref);
		free(sz);
	}
	gen_puts(b, "}\n\n");
}

/* Does member/param NAME appear as a length in an expression? */
static int gen_expr_uses(const struct idl_expr *e, const char *name)
{
	if (!e)
		return 0;
	if (e->kind == IDL_E_IDENT)
		return strcmp(e->ident, name) == 0;
	return gen_expr_uses(e->lhs, name) || gen_expr_uses(e->rhs, name);
}

static int gen_is_length_member(const struct idl_struct *s, const char *name)
{
	for (const struct idl_param *m = s->members; m; m = m->next)
		if (gen_is_mbuf(m) && (gen_expr_uses(m->attrs.size, name) ||
		                         gen_expr_uses(m->attrs.count, name)))
			return 1;
	return 0;
}

/* ---- struct helpers (member-wise copies) ------------------------------------- */

/* put: member-by-member assignment into a zeroed staging copy, so padding
 * bytes of trusted memory never travel to untrusted memory. */
static void gen_struct_put(struct gen_ctx *c, struct gen_buf *b, const struct idl_struct *s)
{
	gen_printf(b, "static __attribute__((unused)) void erim__put_%s(struct %s *erim__d, "
	              "const struct %s *erim__s)\n{\n", s->name, s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next) {
		const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
		if (ms && m->ndims) {
			unsigned long long n = 1;
			for (size_t i = 0; i < m->ndims; i++)
				n *= m->dims[i];
			gen_printf(b, "\tfor (size_t erim__i = 0; erim__i < %lluu; erim__i++)\n"
			              "\t\terim__put_%s((struct %s *)(void *)erim__d->%s + erim__i, "
			              "(const struct %s *)(const void *)erim__s->%s + erim__i);\n",
			           n, ms->name, ms->name, m->name, ms->name, m->name);
		} else if (ms) {
			gen_printf(b, "\terim__put_%s(&erim__d->%s, &erim__s->%s);\n", ms->name, m->name, m->name);
		} else if (m->ndims) {
			gen_printf(b, "\terim__mcpy(erim__d->%s, erim__s->%s, sizeof erim__d->%s);\n",
			           m->name, m->name, m->name);
		} else {
			gen_printf(b, "\terim__d->%s = erim__s->%s;\n", m->name, m->name);
		}
	}
	gen_puts(b, "}\n\n");
}

/* in / out / free for structs with deep-copied pointer members. */
static void gen_struct_deep(struct gen_ctx *c, struct gen_buf *b, const struct idl_struct *s)
{
	struct gen_fx fx = { .c = c, .scope = s->members, .prefix = "erim__u->", .mode = GEN_FAIL_MEMBER };

	/* in: *erim__k (trusted) from *erim__u (trusted snapshot of the caller's
	 * element): lengths frozen from the snapshot, buffers checked, copied */
	gen_printf(b, "static __attribute__((unused)) const char *erim__in_%s(struct %s *erim__k, "
	              "const struct %s *erim__u, int erim__copy, const char **erim__mem)\n{\n",
	           s->name, s->name, s->name);
	gen_puts(b, "\terim__mset(erim__k, 0, sizeof *erim__k);\n");
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_mbuf(m))
			continue;
		const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
		const char *cond = gen_is_length_member(s, m->name) ? "" : "if (erim__copy)\n\t\t";
		if (gen_struct_is_deep(ms))
			gen_error(c, &m->loc, "struct member '%s' embeds struct %s, which has pointer members; "
			          "make it a pointer member with count=", m->name, ms->name);
		if (m->ndims)
			gen_printf(b, "\t%serim__mcpy(erim__k->%s, erim__u->%s, sizeof erim__k->%s);\n",
			           cond, m->name, m->name, m->name);
		else
			gen_printf(b, "\t%serim__k->%s = erim__u->%s;\n", cond, m->name, m->name);
	}
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (!gen_is_mbuf(m))
			continue;
		if (m->attrs.is_string || m->ndims) {
			gen_error(c, &m->loc, "member '%s': only pointer members with count= or size= "
			          "can be copied; string and array-of-pointer members are not supported", m->name);
			continue;
		}
		if (gen_struct_is_deep(gen_struct_of(c, gen_resolve(gen_elem_type(m)))))
			gen_error(c, &m->loc, "member '%s': nested deep copies are not supported", m->name);
		fx.arg = m->name;
		gen_printf(b, "\t{\n\t\tsize_t erim__n;\n\t\tvoid *erim__t = NULL;\n");
		gen_bytes(&fx, b, 2, m, "erim__n", NULL, NULL);
		gen_printf(b, "\t\tif (erim__u->%s) {\n", m->name);
		/* checked, barrier, trusted heap, copied once (or zeroed) */
		gen_printf(b, "\t\t\tconst char *erim__w = erim__copy_in(erim__u->%s, erim__n, NULL, erim__copy, &erim__t);\n",
		           m->name);
		gen_printf(b, "\t\t\tif (erim__w) { *erim__mem = \"%s\"; return erim__w; }\n", m->name);
		if (gen_has_bool(gen_elem_type(m))) {
			gen_puts(b, "\t\t\tif (erim__copy) {\n");
			gen_fix_bools(b, 4, gen_elem_type(m), "erim__t", "erim__n");
			gen_puts(b, "\t\t\t}\n");
		}
		gen_printf(b, "\t\t\terim__k->%s = erim__t;\n\t\t}\n\t}\n", m->name);
	}
	gen_puts(b, "\treturn NULL;\n}\n\n");

	/* free: the trusted buffers erim__in_ allocated (NULL members skipped) */
	gen_printf(b, "static __attribute__((unused)) void erim__free_%s(struct %s *erim__k)\n{\n",
	           s->name, s->name);
	for (const struct idl_param *m = s->members; m; m = m->next)
		if (gen_is_mbuf(m))
			gen_printf(b, "\terim_free((void *)erim__k->%s);\n", m->name);
	gen_puts(b, "}\n\n");

	/* out: scalars from the callee's copy *erim__p; buffers' contents from the
	 * kept trusted copies *erim__k back into the caller's original buffers;
	 * pointers and length members restored from the snapshot *erim__u (a
	 * length member is never copied back) */
	gen_printf(b, "static __attribute__((unused)) const char *erim__out_%s(struct %s *erim__d, "
	              "const struct %s *erim__p, const struct %s *erim__k, const struct %s *erim__u, "
	              "const char **erim__mem)\n{\n",
	           s->name, s->name, s->name, s->name, s->name);
	fx.prefix = "erim__u->";
	for (const struct idl_param *m = s->members; m; m = m->next) {
		if (gen_is_mbuf(m)) {
			gen_printf(b, "\tif (erim__u->%s && erim__k->%s) {\n\t\tsize_t erim__n;\n", m->name, m->name);
			/* recomputing from the same frozen snapshot cannot overflow now */
			struct gen_fx fx2 = fx;
			fx2.arg = m->name;
			gen_bytes(&fx2, b, 2, m, "erim__n", NULL, NULL);
			const struct idl_struct *es = gen_struct_of(c, gen_resolve(gen_elem_type(m)));
			if (es)   /* element-wise through a zeroed staging copy: no padding leaks */
				gen_printf(b, "\t\tfor (size_t erim__i = 0; erim__i < erim__n / sizeof(struct %s); erim__i++) {\n"
				              "\t\t\tstruct %s erim__e;\n\t\t\terim__mset(&erim__e, 0, sizeof erim__e);\n"
				              "\t\t\terim__put_%s(&erim__e, (const struct %s *)(const void *)erim__k->%s + erim__i);\n"
				              "\t\t\terim__mcpy((struct %s *)(void *)erim__u->%s + erim__i, &erim__e, sizeof erim__e);\n\t\t}\n\t}\n",
				           es->name, es->name, es->name, es->name, m->name, es->name, m->name);
			else
				gen_printf(b, "\t\terim__cpy((void *)erim__u->%s, erim__k->%s, erim__n);\n\t}\n", m->name, m->name);
			gen_printf(b, "\terim__d->%s = erim__u->%s;\n", m->name, m->name);
		} else if (gen_is_length_member(s, m->name)) {
			gen_printf(b, "\terim__d->%s = erim__u->%s;\n", m->name, m->name);
		} else {
			const struct idl_struct *ms = gen_struct_of(c, gen_resolve(m->type));
			if (ms && !m->ndims)
				gen_printf(b, "\terim__put_%s(&erim__d->%s, &erim__p->%s);\n", ms->name, m->name, m->name);
			else if (ms)   /* element-wise: the caller's zeroed staging keeps padding zero */
				gen_printf(b, "\tfor (size_t erim__i = 0; erim__i < sizeof erim__d->%s / sizeof(struct %s); erim__i++)\n"
				              "\t\terim__put_%s((struct %s *)(void *)erim__d->%s + erim__i, "
				              "(const struct %s *)(const void *)erim__p->%s + erim__i);\n",
				           m->name, ms->name, ms->name, ms->name, m->name, ms->name, m->name);
			else if (m->ndims)
				gen_printf(b, "\terim__mcpy(erim__d->%s, erim__p->%s, sizeof erim__d->%s);\n",
				           m->name, m->name, m->name);
			else
				gen_printf(b, "\terim__d->%s = erim__p->%s;\n", m->name, m->name);
		}
	}
	gen_puts(b, "\t(void)erim__p;\n\t(void)erim__mem;\n\treturn NULL;\n}\n\n");
}

static void gen_args_struct(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	gen_printf(b, "struct erim__args_%s {\n", f->name);
	for (const struct idl_param *p = f->params; p; p = p->next) {
		char *d = gen_field(p);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	if (!gen_is_void(gen_resolve(f->ret))) {
		char *d = gen_decl(f->ret, "erim__ret", 1);
		gen_printf(b, "\t%s;\n", d);
		free(d);
	}
	if (!f->params && gen_is_void(gen_resolve(f->ret)))
		gen_puts(b, "\tchar erim__unused;\n");
	gen_puts(b, "};\n\n");
	(void)c;
}

/* The untrusted-side gate of trusted function F: packs the arguments into an
 * args block on the untrusted stack and enters the trusted component. */
static void gen_gate(struct gen_ctx *c, struct gen_buf *b, const struct idl_func *f)
{
	char *name = gen_strf("%s%s", c->interpose ? "__wrap_" : c->opts.abi_sgx ? "erim__u_" : "", f->name);
	char *params = gen_params(f);
	char *decl = gen_decl(f->ret, name, 0);
	int has_ret = !gen_is_void(gen_resolve(f->ret));

	gen_printf(b, "/* gate of %s.%s (untrusted side) */\n", c->iname, f->name);
	gen_printf(b, "%s%s\n{\n", decl, params);
	gen_printf(b, "\tstruct erim__args_%s erim__a;\n\n", f->name);
	if (c->interpose) {
		char *args = gen_args(f, "");
		/* trusted code calling the library through a wrapped reference stays
		 * where it is; erim_in_trusted() cannot be faked by untrusted code */
		gen_printf(b, "\tif (erim_in_trusted())\n\t\t%s__real_%s(%s);\n", has_ret ? "return " : "",
		           f->name, args);
		if (!has_ret)
			gen_puts(b, "\tif (erim_in_trusted())\n\t\treturn;\n");
		free(args);
	}
	for (const struct idl_param *p = f->params; p; p = p->next)
		gen_printf(b, "\terim__a.%s = %s;\n", p->name, p->name);
	if (!f->params && !has_ret)
		gen_puts(b, "\terim__a.erim__unused = 0;\n");
	if (f->error && gen_struct_of(c, gen_resolve(f->ret))) {
		gen_error(c, &f->error->loc, "error() on '%s', which returns a struct: give it a scalar "
		          "return type or drop error() (refusals are then fatal)", f->name);
	} else if (f->error) {
		gen_printf(b, "\tif (erim_gate_call(erim__base + erim__id_%s, &erim__a) != 0)\n", f->name);
		gen_puts(b, "\t\treturn (");
		char *rd = gen_decl(f->ret, "", 1);
		gen_puts(b, rd);
		free(rd);
		gen_puts(b, ")(");
		/* error(V): V as written in the .erim */
		const struct idl_expr *e = f->error;
		if (e->kind == IDL_E_INT) {
			char *l = gen_int_literal(e->value, e->negative);
			if (!l)
				gen_error(c, &e->loc, "error(-%llu) is below INT64_MIN", (unsigned long long)e->value);
			gen_puts(b, l ? l : "0");
			free(l);
		} else if (e->kind == IDL_E_IDENT)
			gen_puts(b, e->ident);
		else
			gen_error(c, &e->loc, "error() takes an integer or an enumerator");
		gen_puts(b, ");\n");
		if (!has_ret)
			gen_error(c, &f->loc, "error() on a function returning void");
	} else {
		gen_printf(b, "\t(void)erim_gate_call(erim__base + erim__id_%s, &erim__a);\n", f->name);
	}
	if (has_ret)
		gen_puts(b, "\treturn erim__a.erim__ret;\n");
	gen_puts(b, "}\n\n");
	free(name);
	free(params);
	free(decl);
}

/* ---- the file ----------------------------------------------------------------- */

/* Struct helpers for every struct reachable from this file (imports first),
 * each once. */
struct gen_seen {
	const struct idl_struct *s[512];
	size_t n;
};

static void gen_struct_helpers(struct gen_ctx *c, struct gen_buf *b, const struct idl_file *file,
                               struct gen_seen *seen)
{
	for (const struct idl_import *im = file->imports; im; im = im->next)
		if (im->file)
			gen_struct_helpers(c, b, im->file, seen);
	for (const struct idl_interface *i = file->interfaces; i; i = i->next)
		for (const struct idl_struct *s = i->structs; s; s = s->next) {
			size_t k;
			for (k = 0; k < seen->n; k++)
				if (seen->s[k] == s || strcmp(seen->s[k]->name, s->name) == 0)
					break;
			if (k < seen->n || seen->n == sizeof seen->s / sizeof seen->s[0])
				continue;
			seen->s[seen->n++] = s;
			gen_struct_put(c, b, s);
			{
				struct idl_type st = { .kind = IDL_T_STRUCT, .name = s->name,
				                       .decl = (struct idl_struct *)s };
				if (gen_has_bool(&st))
					gen_struct_fix(b, s);
			}
			if (gen_struct_is_deep(s))
				gen_struct_deep(c, b, s);
		}
}

/* Does an untrusted function of the interface have an allow(...) list? */
static int gen_has_allow(const struct idl_interface *i)
{
	for (const struct idl_func *f = i->untrusted; f; f = f->next)
		if (f->allow)
			return 1;
	return 0;
}

/* The head of generated C file NAME_FILE.c: banner, what it holds (WHAT,
 * lines of a comment), includes and the erim_gen.h ABI check. */
static void gen_file_head(struct gen_ctx *c, struct gen_buf *b, const char *file, const char *what)
{
	gen_banner(c, b);
	gen_printf(b, "/* %s_%s.c: %s */\n", c->iname, file, what);
	gen_puts(b, "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
	            "#include \"erim.h\"\n#include \"erim_gen.h\"\n");
	gen_printf(b, "#include \"%s_erim.h\"\n#include \"%s_trusted.h\"\n\n", c->iname, c->iname);
	/* the helpers this file calls are erim_gen.h's of one ABI */
	gen_printf(b, "#if !defined(ERIM_GEN_ABI) || ERIM_GEN_ABI != %d\n"
	              "#error \"%s_%s.c was generated for erim_gen.h ABI %d: regenerate it with the "
	              "erimgen of the installed erim\"\n#endif\n\n", GEN_RUNTIME_ABI, c->iname, file, GEN_RUNTIME_ABI);
}

/* erim__id_NAME: the index of trusted function NAME in the entry table. */
static void gen_entry_ids(const struct idl_interface *i, struct gen_buf *b)
{
	size_t nt = 0;

	if (!i->trusted)
		return;
	gen_puts(b, "enum {\n");
	for (const struct idl_func *f = i->trusted; f; f = f->next, nt++)
		gen_printf(b, "\terim__id_%s = %zu,\n", f->name, nt);
	gen_puts(b, "};\n");
}

/* The ocall side of the interface: per untrusted function its trampoline
 * and trusted-side proxy. */
static void gen_ocall_side(struct gen_ctx *c, struct gen_buf *b)
{
	for (const struct idl_func *f = c->iface->untrusted; f; f = f->next) {
		gen_trampoline(c, b, f);
		gen_proxy(c, b, f);
	}
}

/* NAME_gates.c: args blocks, entries and gates, the entry table and the
 * registration constructor; and, unless --split-ocalls puts it into
 * NAME_ocalls.c (gen_ocalls), the ocall side. */
void gen_gates(struct gen_ctx *c, struct gen_buf *b)
{
	const struct idl_interface *i = c->iface;
	struct gen_seen seen = { .n = 0 };
	int split = c->opts.split_ocalls;
	int has_allow = gen_has_allow(i);
	char *what;

	if (split)
		what = gen_strf("the entry side of interface %s -- gates, argument\n"
		                " * checks and copies, and the registration of the trusted entries; the\n"
		                " * callback proxies are in %s_ocalls.c.  Link both into the program\n"
		                " * together with liberim.", c->iname, c->iname);
	else
		what = gen_strf("the trust boundary of interface %s -- gates, argument\n"
		                " * checks and copies, callback proxies, and the registration of the trusted\n"
		                " * entries.  Link it into the program together with liberim.", c->iname);
	gen_file_head(c, b, "gates", what);
	free(what);

	if (has_allow && split) {
		gen_puts(b, "/* entry ids: erim__base (untrusted copy, used by the gates) plus the\n"
		            " * index; allow lists use the trusted copy in the ocalls file, which\n"
		            " * untrusted code cannot redirect to another private entry */\n");
		gen_printf(b, "static unsigned erim__base;\n"
		              "extern __attribute__((visibility(\"hidden\"))) unsigned %s;\n", gen_tbase(c));
	} else if (has_allow) {
		/* a trusted global needs the program linked with erim_trusted.ld;
		 * only allow lists need one */
		gen_puts(b, "/* entry ids: erim__base (untrusted copy, used by the gates) plus the\n"
		            " * index; allow lists use the trusted copy erim__tbase, which untrusted\n"
		            " * code cannot redirect to another private entry */\n");
		gen_puts(b, "static unsigned erim__base;\n"
		            "static ERIM_TRUSTED unsigned erim__tbase;\n");
	} else {
		gen_puts(b, "/* entry ids: erim__base plus the index */\n");
		gen_puts(b, "static unsigned erim__base;\n");
	}
	gen_entry_ids(i, b);
	gen_puts(b, "\n");

	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_args_struct(c, b, f);
	if (!split)
		for (const struct idl_func *f = i->untrusted; f; f = f->next)
			gen_cb_struct(c, b, f);
	gen_struct_helpers(c, b, c->file, &seen);

	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_entry(c, b, f);
	for (const struct idl_func *f = i->trusted; f; f = f->next)
		gen_gate(c, b, f);
	if (!split)
		gen_ocall_side(c, b);

	if (i->trusted) {
		gen_puts(b, "static const struct erim_entry erim__entries[] = {\n");
		for (const struct idl_func *f = i->trusted; f; f = f->next)
			gen_printf(b, "\t{ \"%s\", \"%s\", erim__entry_%s, %s },\n", c->iname, f->name, f->name,
			           f->is_public ? "ERIM_ENTRY_PUBLIC" : "0 /* only inside an allowing callback */");
		gen_puts(b, "};\n\n");
	}
	gen_puts(b, "/* Runs before main(), hence before erim_init(): registration is refused\n"
	            " * after init, and trusted globals are still writable now. */\n");
	gen_puts(b, "__attribute__((constructor)) static void erim__register(void)\n{\n");
	if (i->trusted) {
		gen_puts(b, "\tunsigned erim__first = 0;\n"
		            "\tint erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / "
		            "sizeof erim__entries[0], &erim__first);\n\n"
		            "\tif (erim__rc != 0) {\n");
		gen_printf(b, "\t\tfprintf(stderr, \"erim: %s: cannot register the trusted entries (error %%d)\\n\", -erim__rc);\n"
		              "\t\tabort();\n\t}\n", c->iname);
		gen_puts(b, "\terim__base = erim__first;\n");
		if (has_allow)
			gen_printf(b, "\t%s = erim__first;\n", gen_tbase(c));
	} else {
		gen_puts(b, "\terim__base = 0;\n");
		if (has_allow)
			gen_printf(b, "\t%s = 0;\n", gen_tbase(c));
	}
	gen_puts(b, "}\n");
}

/* NAME_ocalls.c (--split-ocalls): the ocall side -- callback blocks,
 * trampolines and trusted-side proxies, and the trusted base of the allow
 * lists that NAME_gates.c's constructor sets.  Refers to nothing in
 * NAME_gates.c, so trusted code calling the proxies and called by the
 * entries forms no circle with the generated files. */
void gen_ocalls(struct gen_ctx *c, struct gen_buf *b)
{
	const struct idl_interface *i = c->iface;
	struct gen_seen seen = { .n = 0 };
	char *what = gen_strf("the ocall side of interface %s -- the proxies\n"
	                      " * trusted code calls to reach its untrusted functions, with their checks\n"
	                      " * and copies, and the trampolines; the gates are in %s_gates.c.  Link\n"
	                      " * both into the program together with liberim.", c->iname, c->iname);

	gen_file_head(c, b, "ocalls", what);
	free(what);
	if (gen_has_allow(i)) {
		gen_puts(b, "/* the entry ids allow lists name: the trusted base (set by the\n"
		            " * registration in the gates file; untrusted code cannot redirect it to\n"
		            " * another private entry) plus the index */\n");
		gen_printf(b, "ERIM_TRUSTED __attribute__((visibility(\"hidden\"))) unsigned %s;\n", gen_tbase(c));
		gen_entry_ids(i, b);
		gen_puts(b, "\n");
	}
	for (const struct idl_func *f = i->untrusted; f; f = f->next)
		gen_cb_struct(c, b, f);
	gen_struct_helpers(c, b, c->file, &seen);
	gen_ocall_side(c, b);
	if (!i->untrusted)
		gen_printf(b, "/* interface %s has no untrusted functions */\n", c->iname);
}

const struct gen_backend gen_backends[] = {
	{ "_erim.h", 1, gen_header_untrusted, 0, 0 },
	{ "_trusted.h", 1, gen_header_trusted, 0, 0 },
	{ "_gates.c", 0, gen_gates, 0, 0 },
	{ "_ocalls.c", 0, gen_ocalls, 0, 1 },
	{ "_u.h", 1, gen_sgx_u_h, 1, 0 },
	{ "_u.c", 0, gen_sgx_u_c, 1, 0 },
	{ "_t.h", 1, gen_sgx_t_h, 1, 0 },
	{ "_t.c", 0, gen_sgx_t_c, 1, 0 },
};
const size_t gen_nbackends = sizeof gen_backends / sizeof gen_backends[0];

int gen_backend_wanted(const struct gen_backend *be, const struct gen_opts *o)
{
	return (!be->sgx_only || o->abi_sgx) && (!be->split_only || o->split_ocalls);
}
