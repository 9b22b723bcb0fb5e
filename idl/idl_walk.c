/* SPDX-License-Identifier: MIT */
/* idl_walk.c: the one tree walker -- resolves names, then calls the hooks
 * of idl_check_hooks[] for the file, each interface, each struct member, each
 * function and each parameter, with the maps the checks look names up in. */
#include <config.h>

#include <stdlib.h>

#include "idl_walk.h"

static size_t idl_count_params(const struct idl_param *p)
{
	size_t n = 0;

	for (; p; p = p->next)
		n++;
	return n;
}

static void idl_walk_params(struct idl_chk *c, struct idl_param *list)
{
	c->siblings = list;
	idl_map_fini(&c->sibmap);
	idl_map_init(&c->sibmap, idl_count_params(list));
	for (struct idl_param *p = list; p; p = p->next)
		idl_map_put(&c->sibmap, p->name, p);
	for (struct idl_param *p = list; p; p = p->next)
		for (size_t h = 0; h < idl_check_nhooks; h++)
			if (idl_check_hooks[h].param)
				idl_check_hooks[h].param(c, p);
}

void idl_check_file(struct idl_session *s, struct idl_file *f)
{
	struct idl_chk c = { .s = s, .file = f };

	idl_resolve(s, f);
	for (size_t h = 0; h < idl_check_nhooks; h++)
		if (idl_check_hooks[h].file)
			idl_check_hooks[h].file(&c, f);
	for (struct idl_interface *i = f->interfaces; i; i = i->next) {
		size_t nt = 0, na = 0;

		c.iface = i;
		c.edl = i->is_enclave || s->edl;
		for (struct idl_func *t = i->trusted; t; t = t->next)
			nt++;
		for (struct idl_func *u = i->untrusted; u; u = u->next)
			for (struct idl_ident_list *a = u->allow; a; a = a->next)
				na++;
		idl_map_init(&c.trusted, nt);
		idl_map_init(&c.allowed, na);
		for (struct idl_func *t = i->trusted; t; t = t->next)
			idl_map_put(&c.trusted, t->name, t);
		for (struct idl_func *u = i->untrusted; u; u = u->next)
			for (struct idl_ident_list *a = u->allow; a; a = a->next)
				idl_map_put(&c.allowed, a->name, a);
		for (size_t h = 0; h < idl_check_nhooks; h++)
			if (idl_check_hooks[h].iface)
				idl_check_hooks[h].iface(&c, i);
		for (struct idl_struct *st = i->structs; st; st = st->next) {
			c.func = NULL;
			c.strct = st;
			idl_walk_params(&c, st->members);
		}
		c.strct = NULL;
		for (int side = 0; side < 2; side++)
			for (struct idl_func *fn = side ? i->untrusted : i->trusted; fn; fn = fn->next) {
				c.func = fn;
				for (size_t h = 0; h < idl_check_nhooks; h++)
					if (idl_check_hooks[h].func)
						idl_check_hooks[h].func(&c, fn);
				idl_walk_params(&c, fn->params);
			}
		c.func = NULL;
		idl_map_fini(&c.trusted);
		idl_map_fini(&c.allowed);
	}
	idl_map_fini(&c.sibmap);
}
