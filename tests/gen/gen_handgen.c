/* SPDX-License-Identifier: MIT */
/* gen_handgen.c: runs the back ends on hand-built syntax trees and writes
 * the generated files into a directory.  The build uses it to generate the
 * code the runtime and attack tests link (independent of the front end), and
 * the compile tests compile what it writes.
 *
 *   gen_handgen DIR [--interpose] [--split-ocalls]
 *                                      writes keyvault_* and gentest_* into DIR */
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "gen_handkv.h"

/* The interface the attack tests exercise: one function per rule of
 * doc/language.md's "The contract of every generated gate", plus callbacks and hygiene. */
static struct idl_file *ha_gentest(void)
{
	struct idl_file *f = ha_new(sizeof *f);
	struct idl_interface *i = ha_new(sizeof *i);
	struct idl_struct *pad = ha_new(sizeof *pad), *blob = ha_new(sizeof *blob);
	struct idl_func *fn;
	struct idl_param *p;

	ha_file = "gentest.erim";
	ha_line = 1;
	f->path = strdup("gentest.erim");
	f->interfaces = i;
	i->name = strdup("gentest");
	i->loc = ha_loc();

	ha_line = 3;
	pad->name = strdup("gt_padded");       /* char, then 7 bytes of padding before q */
	pad->loc = ha_loc();
	ha_add(&pad->members, ha_param(ha_scalar("char", 1, 0), "c"));
	ha_add(&pad->members, ha_param(ha_scalar("uint64_t", 0, 0), "q"));
	ha_add(&pad->members, ha_param(ha_scalar("short", 1, 0), "s"));
	blob->name = strdup("gt_blob");
	blob->loc = ha_loc();
	ha_add(&blob->members, ha_param(ha_scalar("uint32_t", 0, 0), "tag"));
	ha_add(&blob->members, ha_param(ha_scalar("size_t", 0, 0), "len"));
	p = ha_add(&blob->members, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "data"));
	p->attrs.count = ha_id("len");
	pad->next = blob;
	i->structs = pad;

	ha_line = 10;
	/* in buffer, refusal returns -1 */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_sum");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 1)), "buf"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	fn->error = ha_int(1, 1);
	/* same without error(): refusal is fatal */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_sum_fatal");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 1)), "buf"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	/* count x element size, with a signed count */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_words");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint32_t", 0, 1)), "w"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.count = ha_id("n");
	ha_add(&fn->params, ha_param(ha_scalar("long", 1, 0), "n"));
	fn->error = ha_int(1, 1);
	/* count x size + header: a sum and a product */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_records");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_void()), "rec"));
	p->type->target->is_const = 1;
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_bin(IDL_E_ADD, ha_bin(IDL_E_MUL, ha_id("n"), ha_id("recsize")), ha_int(16, 0));
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "n"));
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "recsize"));
	fn->error = ha_int(1, 1);
	/* strings */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_strlen");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "s"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	p->attrs.maxlen = ha_int(64, 0);
	fn->error = ha_int(1, 1);
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_strlen_any");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "s"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	fn->error = ha_int(1, 1);
	/* out struct with padding; out buffer the callee may leave unwritten */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_void(), "gt_padded_out");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_struct_t(pad, 0)), "p"));
	p->attrs.dir = IDL_DIR_OUT;
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_struct_t(pad, 0), "gt_padded_ret");
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_void(), "gt_out_untouched");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "buf"));
	p->attrs.dir = IDL_DIR_OUT;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	/* callee-sized output */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("int", 1, 0), "gt_fill");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "buf"));
	p->attrs.dir = IDL_DIR_OUT;
	p->attrs.count = ha_id("cap");
	p->attrs.filled = ha_id("n");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "cap"));
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("size_t", 0, 0)), "n"));
	p->attrs.dir = IDL_DIR_OUT;
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "want"));
	/* deep struct copy, in and in/out */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_blob_in");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_struct_t(blob, 1)), "b"));
	p->attrs.dir = IDL_DIR_IN;
	fn->error = ha_int(1, 1);
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_blob_inout");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_struct_t(blob, 0)), "b"));
	p->attrs.dir = IDL_DIR_INOUT;
	p->attrs.count = ha_id("n");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "n"));
	fn->error = ha_int(1, 1);
	/* in/out buffer, opaque handle, user_check pointer */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_void(), "gt_upcase");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 0)), "s"));
	p->attrs.dir = IDL_DIR_INOUT;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_ptr(ha_void()), "gt_handle");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_void()), "h"));
	p->attrs.is_opaque = 1;
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("int", 1, 0)), "raw"));
	p->attrs.user_check = strdup("test: passed through unchecked");
	/* callbacks: run the untrusted functions below and report */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_call_get");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "cap"));
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_call_ptr");
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_call_allow");
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_call_log");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "s"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	/* private: only inside u_allow */
	ha_func(&i->trusted, IDL_TRUSTED, 0, ha_scalar("long", 1, 0), "gt_private");
	/* hygiene: parameters named like generated locals and library functions */
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gt_hygiene");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 1)), "memcpy"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "args"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "raw"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "id"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "st"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "i"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "free"));
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "malloc"));
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "strlen"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;

	ha_line = 40;
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_scalar("int", 1, 0), "u_get");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "buf"));
	p->attrs.dir = IDL_DIR_OUT;
	p->attrs.count = ha_id("cap");
	p->attrs.filled = ha_id("n");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "cap"));
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("size_t", 0, 0)), "n"));
	p->attrs.dir = IDL_DIR_OUT;
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_ptr(ha_scalar("char", 1, 0)), "u_ptr");
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_scalar("long", 1, 0), "u_allow");
	ha_allow(fn, "gt_private");
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_scalar("int", 1, 0), "u_log");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "line"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	ha_add(&fn->params, ha_param(ha_scalar("int", 1, 0), "level"));
	return f;
}

/* The hand-built trees live until exit on purpose; under --enable-asan the
 * leak checker would count them as leaks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static int handgen_write(struct idl_file *f, const char *dir, int interpose, int split)
{
	struct gen_ctx c = { .file = f, .iface = f->interfaces, .iname = f->interfaces->name,
		.opts = { .split_ocalls = split, .source_name = f->path, .version = "test" } };
	int rc = 0;

	c.interpose = interpose;
	for (size_t k = 0; k < gen_nbackends; k++) {
		if (!gen_backend_wanted(&gen_backends[k], &c.opts))
			continue;   /* --abi=sgx, --split-ocalls files: not asked for */
		struct gen_buf b;
		char *path = gen_strf("%s/%s%s", dir, c.iname, gen_backends[k].suffix);
		gen_buf_init(&b, path + strlen(dir) + 1);
		gen_backends[k].emit(&c, &b);
		if (c.errors || gen_write_atomic(path, &b) != 0) {
			fprintf(stderr, "gen_handgen: cannot generate %s\n", path);
			rc = 1;
		}
		gen_buf_free(&b);
		free(path);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int interpose = 0, split = 0;

	for (int k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--interpose") == 0)
			interpose = 1;
		else if (strcmp(argv[k], "--split-ocalls") == 0)
			split = 1;
		else
			argc = 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: gen_handgen DIR [--interpose] [--split-ocalls]\n");
		return 2;
	}
	return handgen_write(ha_keyvault(), argv[1], interpose, split) |
	       handgen_write(ha_gentest(), argv[1], interpose, split);
}
