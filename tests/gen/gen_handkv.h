/* SPDX-License-Identifier: MIT */
/* gen_handkv.h: the keyvault interface of language.md, built by hand as the
 * front end would build it (used by the back-end tests). */
#ifndef GEN_HANDKV_H
#define GEN_HANDKV_H

#include "gen_handast.h"

static struct idl_file *ha_keyvault(void)
{
	struct idl_file *f = ha_new(sizeof *f);
	struct idl_interface *i = ha_new(sizeof *i);
	struct idl_struct *blob = ha_new(sizeof *blob);
	struct idl_include *inc = ha_new(sizeof *inc);
	struct idl_func *fn;
	struct idl_param *p;

	ha_file = "keyvault.erim";
	f->path = strdup("keyvault.erim");
	f->interfaces = i;
	i->name = strdup("keyvault");
	ha_line = 2;
	i->loc = ha_loc();
	ha_line = 3;
	inc->header = strdup("keyvault_types.h");
	inc->loc = ha_loc();
	i->includes = inc;

	ha_line = 5;
	blob->name = strdup("kv_blob");
	blob->loc = ha_loc();
	ha_add(&blob->members, ha_param(ha_scalar("size_t", 0, 0), "len"));
	p = ha_add(&blob->members, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "data"));
	p->attrs.count = ha_id("len");
	i->structs = blob;

	ha_line = 11;
	ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("int", 1, 0), "kv_generate");
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("int", 1, 0), "kv_sign");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 1)), "msg"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "sig"));
	p->attrs.dir = IDL_DIR_OUT;
	p->attrs.count = ha_int(64, 0);
	fn->error = ha_int(1, 1);
	ha_line++;
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("int", 1, 0), "kv_label");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "name"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	p->attrs.maxlen = ha_int(256, 0);
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("int", 1, 0), "kv_export");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "buf"));
	p->attrs.dir = IDL_DIR_OUT;
	p->attrs.count = ha_id("cap");
	p->attrs.filled = ha_id("n");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "cap"));
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("size_t", 0, 0)), "n"));
	p->attrs.dir = IDL_DIR_OUT;
	ha_line++;
	fn = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_void(), "kv_put");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_struct_t(blob, 1)), "b"));
	p->attrs.dir = IDL_DIR_IN;
	ha_func(&i->trusted, IDL_TRUSTED, 0, ha_scalar("int", 1, 0), "kv_rotate");

	ha_line = 21;
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_void(), "kv_log");
	p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("char", 1, 1)), "line"));
	p->attrs.dir = IDL_DIR_IN;
	p->attrs.is_string = 1;
	fn = ha_func(&i->untrusted, IDL_UNTRUSTED, 0, ha_scalar("int", 1, 0), "kv_confirm");
	ha_allow(fn, "kv_rotate");
	return f;
}

#endif /* GEN_HANDKV_H */
