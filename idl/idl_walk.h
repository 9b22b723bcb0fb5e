/* SPDX-License-Identifier: MIT */
/* idl_walk.h: what the checks (idl_check.c) and the tree walker
 * (idl_walk.c) share -- the walker's context and the hook table.  The walker
 * calls, for every file, interface, function and parameter/member, the hooks
 * of idl_check_hooks[] in order; the checks never call the walker. */
#ifndef IDL_WALK_H
#define IDL_WALK_H

#include "idl_map.h"
#include "idl_priv.h"

struct idl_chk {
	struct idl_session *s;
	struct idl_file *file;
	struct idl_interface *iface;
	struct idl_func *func;       /* parameter hooks: the function, or NULL for members */
	struct idl_struct *strct;    /* member hooks: the struct */
	struct idl_param *siblings;  /* parameters of func / members of strct */
	struct idl_map sibmap;       /* siblings by name (first declaration wins) */
	struct idl_map trusted;      /* this interface's trusted functions by name */
	struct idl_map allowed;      /* names some allow() of this interface lists */
	int edl;                     /* EDL mode: some checks are softer */
};

typedef void (*idl_param_hook)(struct idl_chk *c, struct idl_param *p);
typedef void (*idl_func_hook)(struct idl_chk *c, struct idl_func *f);
typedef void (*idl_iface_hook)(struct idl_chk *c, struct idl_interface *i);
typedef void (*idl_file_hook)(struct idl_chk *c, struct idl_file *f);

struct idl_check_hook {
	enum idl_check_id id;
	idl_param_hook param;
	idl_func_hook func;
	idl_iface_hook iface;
	idl_file_hook file;
};

/* The hooks, in the order they run (idl_check.c). */
extern const struct idl_check_hook idl_check_hooks[];
extern const size_t idl_check_nhooks;

/* Bind type names to declarations (idl_resolve.c); before any hook runs. */
void idl_resolve(struct idl_session *s, struct idl_file *f);

#endif /* IDL_WALK_H */
