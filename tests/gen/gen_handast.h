/* SPDX-License-Identifier: MIT */
/* gen_handast.h: build .erim syntax trees by hand, so the back ends can be
 * tested without the front end (and exactly on the shapes a test needs).
 * Everything is allocated and never freed: test programs exit right after. */
#ifndef GEN_HANDAST_H
#define GEN_HANDAST_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"

static const char *ha_file = "hand.erim";
static int ha_line = 1;

/* Every node is kept on one list from a global, so LeakSanitizer sees the
 * never-freed trees as reachable (--enable-asan), not as leaks. */
union ha_hdr {
	union ha_hdr *next;
	max_align_t align;
};
static union ha_hdr *ha_all;

static __attribute__((unused)) void *ha_new(size_t n)
{
	union ha_hdr *h = calloc(1, sizeof *h + n);
	if (!h)
		abort();
	h->next = ha_all;
	ha_all = h;
	return h + 1;
}

static __attribute__((unused)) struct idl_loc ha_loc(void)
{
	struct idl_loc l = { ha_file, ha_line, 1, ha_line, 1 };
	return l;
}

static __attribute__((unused)) struct idl_type *ha_scalar(const char *name, int is_signed, int is_const)
{
	struct idl_type *t = ha_new(sizeof *t);
	t->kind = IDL_T_SCALAR;
	t->name = strdup(name);
	t->is_signed = is_signed;
	t->is_const = is_const;
	t->loc = ha_loc();
	return t;
}

static __attribute__((unused)) struct idl_type *ha_void(void)
{
	struct idl_type *t = ha_new(sizeof *t);
	t->kind = IDL_T_VOID;
	t->loc = ha_loc();
	return t;
}

static __attribute__((unused)) struct idl_type *ha_struct_t(struct idl_struct *s, int is_const)
{
	struct idl_type *t = ha_new(sizeof *t);
	t->kind = IDL_T_STRUCT;
	t->name = strdup(s->name);
	t->decl = s;
	t->is_const = is_const;
	t->loc = ha_loc();
	return t;
}

static __attribute__((unused)) struct idl_type *ha_ptr(struct idl_type *target)
{
	struct idl_type *t = ha_new(sizeof *t);
	t->kind = IDL_T_POINTER;
	t->target = target;
	t->loc = ha_loc();
	return t;
}

static __attribute__((unused)) struct idl_expr *ha_int(unsigned long long v, int neg)
{
	struct idl_expr *e = ha_new(sizeof *e);
	e->kind = IDL_E_INT;
	e->value = v;
	e->negative = neg;
	e->loc = ha_loc();
	return e;
}

static __attribute__((unused)) struct idl_expr *ha_id(const char *name)
{
	struct idl_expr *e = ha_new(sizeof *e);
	e->kind = IDL_E_IDENT;
	e->ident = strdup(name);
	e->loc = ha_loc();
	return e;
}

static __attribute__((unused)) struct idl_expr *ha_bin(enum idl_expr_kind k, struct idl_expr *l, struct idl_expr *r)
{
	struct idl_expr *e = ha_new(sizeof *e);
	e->kind = k;
	e->lhs = l;
	e->rhs = r;
	e->loc = ha_loc();
	return e;
}

static __attribute__((unused)) struct idl_param *ha_param(struct idl_type *t, const char *name)
{
	struct idl_param *p = ha_new(sizeof *p);
	p->type = t;
	p->name = strdup(name);
	p->loc = ha_loc();
	return p;
}

/* append P to *LIST; returns P for chaining attribute settings */
static __attribute__((unused)) struct idl_param *ha_add(struct idl_param **list, struct idl_param *p)
{
	while (*list)
		list = &(*list)->next;
	*list = p;
	return p;
}

static __attribute__((unused)) struct idl_func *ha_func(struct idl_func **list, enum idl_side side, int pub,
                                struct idl_type *ret, const char *name)
{
	struct idl_func *f = ha_new(sizeof *f);
	f->side = side;
	f->is_public = pub;
	f->ret = ret;
	f->name = strdup(name);
	f->loc = ha_loc();
	ha_line++;
	while (*list)
		list = &(*list)->next;
	*list = f;
	return f;
}

static __attribute__((unused)) void ha_allow(struct idl_func *f, const char *name)
{
	struct idl_ident_list *a = ha_new(sizeof *a), **l = &f->allow;
	a->name = strdup(name);
	a->loc = ha_loc();
	while (*l)
		l = &(*l)->next;
	*l = a;
}

#endif /* GEN_HANDAST_H */
