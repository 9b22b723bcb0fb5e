/* SPDX-License-Identifier: MIT */
/* test_idl_ast.c: unit tests of the front end through its public API
 * (idl.h): the tree the parser builds for real inputs, name resolution, the
 * -W option logic, the diagnostics' data and printed form, imports and cycle
 * detection, and the helpers erimgen uses (--audit, --depfile). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erim_check.h"
#include "idl.h"

static const char keyvault[] =
	"interface keyvault {\n"
	"    include \"keyvault_types.h\";\n"
	"    struct kv_blob {\n"
	"        size_t len;\n"
	"        [count=len] uint8_t *data;\n"
	"    };\n"
	"    trusted {\n"
	"        public int  kv_generate(void);\n"
	"        public int  kv_sign([in, size=len] const uint8_t *msg, size_t len,\n"
	"                            [out, count=64] uint8_t *sig) error(-1);\n"
	"        public int  kv_label([in, string, maxlen=256] const char *name);\n"
	"        public int  kv_export([out, count=cap, filled=n] uint8_t *buf, size_t cap,\n"
	"                              [out] size_t *n);\n"
	"        public void kv_put([in] const struct kv_blob *b);\n"
	"        int         kv_rotate(void);\n"
	"    };\n"
	"    untrusted {\n"
	"        void kv_log([in, string] const char *line);\n"
	"        int  kv_confirm(void) allow(kv_rotate);\n"
	"    };\n"
	"};\n";

static struct idl_file *parse(const char *name, const char *text, struct idl_diags **d,
                              const struct idl_opts *o)
{
	*d = idl_diags_new();
	return idl_parse_string(name, text, strlen(text), o, *d);
}

static struct idl_func *func_named(struct idl_func *f, const char *name)
{
	for (; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/* Does some diagnostic carry check NAME? */
static int has_check(const struct idl_diags *d, const char *name)
{
	for (size_t i = 0; i < idl_diags_count(d); i++) {
		const struct idl_diag *g = idl_diags_get(d, i);

		if (g->check && !strcmp(g->check, name))
			return 1;
	}
	return 0;
}

static void keyvault_tree_matches_the_source(void)
{
	struct idl_diags *d;
	struct idl_file *f = parse("keyvault.erim", keyvault, &d, NULL);
	struct idl_interface *i;
	struct idl_func *sign, *exp, *confirm, *rotate;
	struct idl_param *p;

	REQUIRE(f != NULL);
	EXPECT(idl_diags_count(d) == 0);
	i = f->interfaces;
	REQUIRE(i != NULL);
	EXPECT(strcmp(i->name, "keyvault") == 0);
	EXPECT(!i->is_enclave);
	EXPECT(i->next == NULL);
	EXPECT(strcmp(i->includes->header, "keyvault_types.h") == 0);
	EXPECT(strcmp(i->structs->name, "kv_blob") == 0);
	p = i->structs->members->next;
	EXPECT(strcmp(p->name, "data") == 0);
	EXPECT(p->attrs.count->kind == IDL_E_IDENT);
	EXPECT(strcmp(p->attrs.count->ident, "len") == 0);

	/* trusted functions in source order; public flags */
	EXPECT(strcmp(i->trusted->name, "kv_generate") == 0);
	EXPECT(i->trusted->params == NULL); /* (void) */
	rotate = func_named(i->trusted, "kv_rotate");
	REQUIRE(rotate != NULL);
	EXPECT(!rotate->is_public);
	EXPECT(i->trusted->is_public);

	sign = func_named(i->trusted, "kv_sign");
	REQUIRE(sign != NULL);
	EXPECT(sign->side == IDL_TRUSTED);
	REQUIRE(sign->error != NULL);
	EXPECT(sign->error->value == 1);
	EXPECT(sign->error->negative);
	p = sign->params;
	EXPECT(strcmp(p->name, "msg") == 0);
	EXPECT(p->attrs.dir == IDL_DIR_IN);
	EXPECT(p->type->kind == IDL_T_POINTER);
	EXPECT(p->type->target->kind == IDL_T_SCALAR);
	EXPECT(strcmp(p->type->target->name, "uint8_t") == 0);
	EXPECT(p->type->target->is_const);
	EXPECT(p->type->target->is_signed == 0);
	EXPECT(strcmp(p->attrs.size->ident, "len") == 0);
	/* location of `[in, size=len] const uint8_t *msg` on line 9 */
	EXPECT(p->loc.first_line == 9);
	EXPECT(p->loc.first_column == 29);
	EXPECT(p->attrs.loc.first_column == 29);
	EXPECT(strcmp(p->loc.file, "keyvault.erim") == 0);
	p = p->next->next;
	EXPECT(strcmp(p->name, "sig") == 0);
	EXPECT(p->attrs.dir == IDL_DIR_OUT);
	EXPECT(p->attrs.count->kind == IDL_E_INT);
	EXPECT(p->attrs.count->value == 64);
	EXPECT(p->loc.first_line == 10);

	exp = func_named(i->trusted, "kv_export");
	REQUIRE(exp != NULL);
	EXPECT(strcmp(exp->params->attrs.filled->ident, "n") == 0);

	/* the struct parameter is bound to its declaration */
	p = func_named(i->trusted, "kv_put")->params;
	EXPECT(p->type->target->kind == IDL_T_STRUCT);
	EXPECT(p->type->target->decl == i->structs);

	confirm = func_named(i->untrusted, "kv_confirm");
	REQUIRE(confirm != NULL);
	EXPECT(confirm->side == IDL_UNTRUSTED);
	EXPECT(strcmp(confirm->allow->name, "kv_rotate") == 0);
	EXPECT(confirm->allow->next == NULL);
	EXPECT(func_named(i->untrusted, "kv_log")->params->attrs.is_string);
	idl_file_free(f);
	idl_diags_free(d);
}

static void types_resolve_to_declarations_scalars_or_externs(void)
{
	static const char src[] =
		"interface t {\n"
		"  include \"t.h\";\n"
		"  typedef uint16_t port_t;\n"
		"  enum color { RED = 1, GREEN };\n"
		"  trusted {\n"
		"    public int f(port_t p, enum color c, struct stat s, my_t m, unsigned long long u,\n"
		"                 signed char sc, double d, bool b, [in] const union u_t *uu);\n"
		"  };\n"
		"};\n";
	struct idl_diags *d;
	struct idl_file *f = parse("t.erim", src, &d, NULL);
	struct idl_param *p;

	REQUIRE(f != NULL);
	p = f->interfaces->trusted->params;
	EXPECT(p->type->kind == IDL_T_TYPEDEF);
	EXPECT(p->type->typedef_decl == f->interfaces->typedefs);
	p = p->next;
	EXPECT(p->type->kind == IDL_T_ENUM);
	EXPECT(p->type->enum_decl == f->interfaces->enums);
	p = p->next; /* struct stat is declared nowhere here: plain data from a header */
	EXPECT(p->type->kind == IDL_T_EXTERN);
	EXPECT(strcmp(p->type->name, "struct stat") == 0);
	p = p->next;
	EXPECT(p->type->kind == IDL_T_EXTERN);
	EXPECT(strcmp(p->type->name, "my_t") == 0);
	p = p->next;
	EXPECT(p->type->kind == IDL_T_SCALAR);
	EXPECT(strcmp(p->type->name, "unsigned long long") == 0);
	EXPECT(p->type->is_signed == 0);
	p = p->next;
	EXPECT(strcmp(p->type->name, "signed char") == 0);
	EXPECT(p->type->is_signed == 1);
	p = p->next;
	EXPECT(p->type->is_signed == -1);
	p = p->next;
	EXPECT(p->type->kind == IDL_T_SCALAR);
	EXPECT(strcmp(p->type->name, "bool") == 0);
	p = p->next;
	EXPECT(strcmp(p->type->target->name, "union u_t") == 0);
	EXPECT(idl_find_enum(f, "color") != NULL);
	EXPECT(idl_find_struct(f, "stat") == NULL);
	idl_file_free(f);
	idl_diags_free(d);
}

static void enclave_takes_the_file_stem_and_records_from_imports(void)
{
	static const char src[] =
		"enclave {\n"
		"  include \"sgx_eid.h\"\n"
		"  from \"missing.edl\" import a, b;\n"
		"  trusted { public void ecall_x([user_check] void *p); };\n"
		"};\n";
	struct idl_diags *d;
	struct idl_file *f = parse("/nonexistent/dir/Enclave.edl", src, &d, NULL);
	const struct idl_diag *g;

	/* the import cannot be found, so the parse fails, but it is diagnosed at the import */
	EXPECT(f == NULL);
	EXPECT(idl_diags_errors(d) == 1);
	EXPECT(idl_diags_warnings(d) == 1); /* bare user_check is only a warning in EDL */
	g = idl_diags_get(d, 0);
	REQUIRE(g != NULL);
	EXPECT(g->loc.first_line == 3);
	EXPECT(strstr(g->message, "missing.edl") != NULL);
	idl_diags_free(d);

	f = parse("Enclave.edl", "enclave { trusted { public void e(void); }; };", &d, NULL);
	REQUIRE(f != NULL);
	EXPECT(strcmp(f->interfaces->name, "Enclave") == 0);
	EXPECT(f->interfaces->is_enclave);
	idl_file_free(f);
	idl_diags_free(d);
}

static void every_error_of_a_file_is_reported_in_one_run(void)
{
	static const char src[] =
		"interface e {\n"
		"  trusted {\n"
		"    public int a(uint8_t *p);\n"              /* pointer-direction */
		"    public int b([in, string] const int *s);\n" /* string-type */
		"    public int c(int x, int x);\n"              /* duplicate */
		"    public int d(int y int z);\n"               /* syntax */
		"    public int erim_e(void);\n"                 /* reserved-prefix */
		"  };\n"
		"};\n";
	struct idl_diags *d;
	struct idl_file *f = parse("e.erim", src, &d, NULL);

	EXPECT(f == NULL);
	EXPECT(idl_diags_errors(d) == 5);
	EXPECT(has_check(d, "pointer-direction"));
	EXPECT(has_check(d, "string-type"));
	EXPECT(has_check(d, "duplicate"));
	EXPECT(has_check(d, "reserved-prefix"));
	idl_diags_free(d);
}

static void warning_options_follow_gcc_conventions(void)
{
	static const char src[] =
		"interface w { trusted { public int f([in, size=n] const uint8_t *p, int n); }; };";
	struct idl_opts o;
	struct idl_diags *d;
	struct idl_file *f;

	idl_opts_init(&o);
	f = parse("w.erim", src, &d, &o);
	EXPECT(f != NULL);
	EXPECT(idl_diags_warnings(d) == 1);
	EXPECT(has_check(d, "signed-length"));
	idl_file_free(f);
	idl_diags_free(d);

	EXPECT(idl_opts_warning(&o, "error") == 0);
	f = parse("w.erim", src, &d, &o);
	EXPECT(f == NULL);
	EXPECT(idl_diags_errors(d) == 1);
	EXPECT(idl_diags_get(d, 0)->promoted);
	idl_diags_free(d);

	EXPECT(idl_opts_warning(&o, "no-signed-length") == 0);
	f = parse("w.erim", src, &d, &o);
	EXPECT(f != NULL);
	EXPECT(idl_diags_count(d) == 0);
	idl_file_free(f);
	idl_diags_free(d);

	EXPECT(idl_opts_warning(&o, "no-pointer-direction") == (-EPERM));
	EXPECT(idl_opts_warning(&o, "no-such-check") == (-ENOENT));
	EXPECT(idl_opts_warning(&o, "empty-params") == 0);
	f = parse("w.erim", "interface w { trusted { public int f(); }; };", &d, &o);
	EXPECT(f == NULL); /* enabled, and -Werror is still on */
	EXPECT(has_check(d, "empty-params"));
	idl_diags_free(d);
	idl_opts_fini(&o);
}

static void diagnostics_print_in_gnu_format_with_a_caret(void)
{
	static const char src[] =
		"interface g {\n"
		"\ttrusted {\n"
		"\t\tpublic int f(uint8_t *buf);\n"
		"\t};\n"
		"};\n";
	static const char want[] =
		"g.erim:3:16: error: parameter 'buf' of 'f' is a pointer without a direction; say how it "
		"crosses the boundary: [in], [out], [in, out], [opaque] or [user_check(\"why\")] "
		"[-Wpointer-direction]\n"
		"\t\tpublic int f(uint8_t *buf);\n"
		"\t\t             ^~~~~~~~~~~~\n";
	struct idl_diags *d;
	struct idl_file *f = parse("g.erim", src, &d, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	EXPECT(f == NULL);
	REQUIRE(mem != NULL);
	idl_diags_print(mem, d);
	fclose(mem);
	EXPECT(strcmp(buf, want) == 0);
	free(buf);
	idl_diags_free(d);
}

/* Write NAME in DIR with TEXT; returns the path (static buffer per call site). */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	REQUIRE(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void imports_are_followed_and_cycles_named(void)
{
	char dir[] = "/tmp/idl-unit.XXXXXX";
	char path[600];
	struct idl_diags *d = idl_diags_new();
	struct idl_file *f;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (!mkdtemp(dir))
		SKIP("cannot create a temporary directory");
	write_file(dir, "types.erim", "interface types { struct pt { int x; int y; }; };\n");
	write_file(dir, "main.erim",
	           "import \"types.erim\";\n"
	           "interface m { trusted { public int move([in] const struct pt *p); }; };\n");
	snprintf(path, sizeof path, "%s/main.erim", dir);
	f = idl_parse_file(path, NULL, d);
	REQUIRE(f != NULL);
	REQUIRE(f->imports != NULL);
	REQUIRE(f->imports->file != NULL);
	/* the struct from the import is what the parameter is bound to */
	EXPECT(f->interfaces->trusted->params->type->target->decl == f->imports->file->interfaces->structs);
	mem = open_memstream(&buf, &len);
	EXPECT(idl_depfile(mem, "m.h", f) == 0);
	fclose(mem);
	EXPECT(strstr(buf, "m.h: ") != NULL);
	EXPECT(strstr(buf, "/types.erim:\n") != NULL);
	free(buf);
	idl_file_free(f);
	idl_diags_free(d);

	/* a -> b -> c -> a */
	write_file(dir, "a.erim", "import \"b.erim\";\n");
	write_file(dir, "b.erim", "import \"c.erim\";\n");
	write_file(dir, "c.erim", "\nimport \"a.erim\";\n");
	snprintf(path, sizeof path, "%s/a.erim", dir);
	d = idl_diags_new();
	f = idl_parse_file(path, NULL, d);
	EXPECT(f == NULL);
	EXPECT(idl_diags_errors(d) == 1);
	EXPECT((strstr(idl_diags_get(d, 0)->message, "import cycle: ")) != NULL);
	EXPECT((strstr(idl_diags_get(d, 0)->message, "a.erim -> ")) != NULL);
	EXPECT((strstr(idl_diags_get(d, 0)->message, "b.erim -> ")) != NULL);
	EXPECT((strstr(idl_diags_get(d, 0)->message, "c.erim -> ")) != NULL);
	EXPECT((idl_diags_get(d, 0)->loc.first_line) == 2);
	idl_diags_free(d);

	/* a non-regular file is refused, not read forever */
	d = idl_diags_new();
	f = idl_parse_string("x.erim", "import \"/dev/zero\";", 19, NULL, d);
	EXPECT(f == NULL);
	EXPECT(idl_diags_errors(d) == 1);
	idl_diags_free(d);

	for (const char *const *n = (const char *const[]){ "types.erim", "main.erim", "a.erim", "b.erim",
	                                                     "c.erim", NULL }; *n; n++) {
		snprintf(path, sizeof path, "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

static void audit_lists_every_user_check_with_its_reason(void)
{
	static const char src[] =
		"interface a {\n"
		"  struct ring { [user_check(\"shared ring\")] void *base; };\n"
		"  trusted { public int f([user_check(\"mmio window\")] volatile void *p, [in] int *q); };\n"
		"};\n";
	struct idl_diags *d;
	struct idl_file *f = parse("a.erim", src, &d, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	REQUIRE(f != NULL);
	EXPECT(idl_audit(mem, f) == 2);
	fclose(mem);
	EXPECT(strcmp(buf, "a.erim:2:17: a.struct ring: member 'base': user_check: \"shared ring\"\n"
	                       "a.erim:3:26: a.f: parameter 'p': user_check: \"mmio window\"\n") == 0);
	free(buf);
	idl_file_free(f);
	idl_diags_free(d);
}

static void empty_and_garbage_inputs_do_not_crash(void)
{
	static const char *const inputs[] = {
		"", "   \n", "interface", "interface x {", "}}}};;;", "[[[[", "/*", "\"", "enclave { from",
		"interface x { trusted { public int f([in, size=(((n", "\x01\x02\xff",
		"interface x { trusted { public int f(int (*)(void)); }; };",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct idl_diags *d = idl_diags_new();
		struct idl_file *f = idl_parse_string("g.erim", inputs[i], strlen(inputs[i]), NULL, d);

		if (i < 2) {
			EXPECT(f != NULL); /* an empty file is a valid, empty interface file */
			EXPECT(idl_diags_count(d) == 0);
		} else {
			EXPECT(f == NULL);
			EXPECT(idl_diags_errors(d) > 0);
		}
		idl_file_free(f);
		idl_diags_free(d);
	}
}

static void check_table_lists_every_check(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	static const char *const names[] = {
		"pointer-direction", "length-refs", "string-type", "void-pointer-size",
		"struct-member-length", "duplicate", "allow-target", "reserved-prefix", "pointer-array",
		"function-pointer", "varargs", "signed-length", "filled-needs-out", "user_check-reason",
	};

	idl_checks_list(mem);
	fclose(mem);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char w[64];

		snprintf(w, sizeof w, "-W%s ", names[i]);
		EXPECT(strstr(buf, w) != NULL);
	}
	free(buf);
}

int main(void)
{
	RUN(keyvault_tree_matches_the_source);
	RUN(types_resolve_to_declarations_scalars_or_externs);
	RUN(enclave_takes_the_file_stem_and_records_from_imports);
	RUN(every_error_of_a_file_is_reported_in_one_run);
	RUN(warning_options_follow_gcc_conventions);
	RUN(diagnostics_print_in_gnu_format_with_a_caret);
	RUN(imports_are_followed_and_cycles_named);
	RUN(audit_lists_every_user_check_with_its_reason);
	RUN(empty_and_garbage_inputs_do_not_crash);
	RUN(check_table_lists_every_check);
	return check_done("idl_ast");
}
