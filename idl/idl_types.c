/* SPDX-License-Identifier: MIT */
/* idl_types.c: questions about types the checks and name resolution ask
 * (after typedefs declared in the .erim are followed). */
#include <config.h>

#include <string.h>

#include "idl_priv.h"

int idl_is_pointer(const struct idl_type *t)
{
	return t && t->kind == IDL_T_POINTER;
}

/* Follow typedefs declared in the file. */
const struct idl_type *idl_strip(const struct idl_type *t)
{
	int guard = 0;

	while (t && t->kind == IDL_T_TYPEDEF && t->typedef_decl && guard++ < 64)
		t = t->typedef_decl->type;
	return t;
}

int idl_is_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->is_signed >= 0;
}

/* A type name from an included C header that may be an integer (socklen_t,
 * oe_nfds_t, enum tags): the generated code checks it at run time and a
 * static assertion refuses it at compile time when it is not one. */
int idl_is_header_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_EXTERN && t->name && strncmp(t->name, "struct ", 7) &&
	       strncmp(t->name, "union ", 6);
}

int idl_is_signed_integer(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->is_signed == 1;
}

int idl_is_char(const struct idl_type *t)
{
	t = idl_strip(t);
	return t && t->kind == IDL_T_SCALAR && t->name && !strcmp(t->name, "char");
}

int idl_has_pointer_attrs(const struct idl_attrs *a)
{
	return a->dir || a->is_string || a->is_opaque || a->user_check || a->size || a->count ||
	       a->maxlen || a->filled;
}
