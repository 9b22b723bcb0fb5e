/* SPDX-License-Identifier: MIT */
/* idl_table.h: the ids of the named checks and the table's questions
 * (idl_table.c).  One X-macro row per check: id, -W name, default severity,
 * required (cannot be turned off), description. */
#ifndef IDL_TABLE_H
#define IDL_TABLE_H

#include "idl.h"

#define IDL_CHECKS(X)                                                                   \
	X(POINTER_DIRECTION, "pointer-direction", ERROR, 1,                             \
	  "every pointer has [in], [out], [opaque] or [user_check]")                       \
	X(LENGTH_REFS, "length-refs", ERROR, 1,                                        \
	  "size/count/maxlen/filled name an existing integer parameter or sibling member") \
	X(STRING_TYPE, "string-type", ERROR, 1, "[string] only on char *")              \
	X(VOID_POINTER_SIZE, "void-pointer-size", ERROR, 1, "a copied void * needs [size=]") \
	X(STRUCT_MEMBER_LENGTH, "struct-member-length", ERROR, 1,                     \
	  "pointer members of IDL structs need [count=]/[size=] naming a sibling")       \
	X(DUPLICATE, "duplicate", ERROR, 1, "functions, parameters, members, types declared once") \
	X(ALLOW_TARGET, "allow-target", ERROR, 1,                                       \
	  "allow() names non-public trusted functions of the same interface")              \
	X(RESERVED_PREFIX, "reserved-prefix", ERROR, 1,                                 \
	  "names must not start with erim_, _erim or __ (generated code uses them)")     \
	X(POINTER_ARRAY, "pointer-array", ERROR, 1, "pointers to pointers and arrays of pointers") \
	X(FUNCTION_POINTER, "function-pointer", ERROR, 1, "function pointers cannot cross the boundary") \
	X(VARARGS, "varargs", ERROR, 1, "variadic functions cannot be marshalled")     \
	X(SIGNED_LENGTH, "signed-length", WARNING, 0, "length given by a signed integer") \
	X(FILLED_NEEDS_OUT, "filled-needs-out", ERROR, 1, "[filled=] only with [out]")  \
	X(USER_CHECK_REASON, "user_check-reason", ERROR, 0,                           \
	  "[user_check] gives its reason: user_check(\"why\") (a warning in EDL files)") \
	X(ATTR_NON_POINTER, "attr-non-pointer", ERROR, 1,                               \
	  "pointer attributes on a parameter that is not a pointer or array")            \
	X(ATTR_CONFLICT, "attr-conflict", ERROR, 1, "attributes that contradict each other") \
	X(UNKNOWN_ATTRIBUTE, "unknown-attribute", ERROR, 1, "attribute names the language does not have") \
	X(MISSING_SEMICOLON, "missing-semicolon", ERROR, 1, "';' after a closing '}'") \
	X(MISPLACED_SUFFIX, "misplaced-suffix", ERROR, 1,                              \
	  "error() only on trusted functions returning a value, allow() only on untrusted ones") \
	X(POINTER_RETURN, "pointer-return", ERROR, 1, "functions cannot return pointers") \
	X(UNNAMED_PARAM, "unnamed-param", ERROR, 1, "every parameter has a name")        \
	X(UNSUPPORTED, "unsupported", ERROR, 1, "C/EDL constructs the generator cannot copy safely") \
	X(EDL_COMPAT, "edl-compat", WARNING, 0, "EDL attributes accepted and ignored") \
	X(UNKNOWN_TYPE, "unknown-type", WARNING, 0,                                    \
	  "a type name that is neither declared nor can come from an included header")   \
	X(UNREACHABLE_PRIVATE, "unreachable-private", WARNING, 0,                      \
	  "a non-public trusted function that no allow() lists can never be called")    \
	X(EMPTY_PARAMS, "empty-params", OFF, 0, "`f()` instead of `f(void)`")           \
	X(DEEP_STRUCT, "deep-struct", ERROR, 1,                                        \
	  "structs with pointer members only as [in]/[out] buffers of trusted functions, one level deep") \
	X(EMPTY_STRUCT, "empty-struct", ERROR, 1, "a struct without members (C11 has none)") \
	X(REFUSAL_VALUE, "refusal-value", ERROR, 1,                                        \
	  "error(V): V an integer >= INT64_MIN or an enumerator, on a function returning a scalar") \
	X(STRING_MEMBER, "string-member", ERROR, 1,                                    \
	  "no [string] pointer members in structs (a deep copy needs count=/size=)")      \
	X(FILLED_NAME, "filled-name", ERROR, 1,                                        \
	  "filled= names one parameter the callee sets, not an expression")              \
	X(IMPORT_NAME, "import-name", ERROR, 1,                                        \
	  "from \"x.edl\" import NAME: NAME is a function of that file or of what it imports") \
	X(SHALLOW_POINTER, "shallow-pointer", WARNING, 0,                              \
	  "EDL pointer returns, arrays of pointers and struct pointer members without a length: " \
	  "the pointer values are copied, never followed (as unchecked as [user_check])")

enum idl_check_id {
#define IDL_CHECK_ENUM(id, name, sev, req, desc) IDL_CHK_##id,
	IDL_CHECKS(IDL_CHECK_ENUM)
#undef IDL_CHECK_ENUM
	IDL_CHK__COUNT
};

const char *idl_check_name(enum idl_check_id id);
enum idl_severity idl_check_default(enum idl_check_id id);
int idl_check_required(enum idl_check_id id);
/* The id of the check spelled NAME, or -1. */
int idl_check_by_name(const char *name);

#endif /* IDL_TABLE_H */
