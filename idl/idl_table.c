/* SPDX-License-Identifier: MIT */
/* idl_table.c: the table of named checks -- the -W spelling, default
 * severity, whether the generator depends on it (then it cannot be turned
 * off: the generated gate would be unsafe or would not compile), and the
 * one-line description `erimgen --list-checks` prints.  The rows come from
 * IDL_CHECKS in idl_table.h; the hooks that run them are in idl_check.c. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "idl_priv.h"

struct idl_check_row {
	const char *name;
	enum idl_severity severity;
	int required;
	const char *description;
};

static const struct idl_check_row idl_checks[IDL_CHK__COUNT] = {
#define IDL_ROW(id, nm, sev, req, desc) [IDL_CHK_##id] = { nm, IDL_SEV_##sev, req, desc },
	IDL_CHECKS(IDL_ROW)
#undef IDL_ROW
};

_Static_assert(IDL_CHK__COUNT <= IDL_MAX_CHECKS, "raise IDL_MAX_CHECKS in idl.h");

const char *idl_check_name(enum idl_check_id id)
{
	return id < IDL_CHK__COUNT ? idl_checks[id].name : "?";
}

enum idl_severity idl_check_default(enum idl_check_id id)
{
	return id < IDL_CHK__COUNT ? idl_checks[id].severity : IDL_SEV_ERROR;
}

int idl_check_required(enum idl_check_id id)
{
	return id < IDL_CHK__COUNT ? idl_checks[id].required : 1;
}

int idl_check_by_name(const char *name)
{
	for (int i = 0; i < IDL_CHK__COUNT; i++)
		if (!strcmp(idl_checks[i].name, name))
			return i;
	return -1;
}

void idl_checks_list(FILE *out)
{
	for (int i = 0; i < IDL_CHK__COUNT; i++) {
		const struct idl_check_row *r = &idl_checks[i];

		fprintf(out, "  -W%-22s %-8s %s%s\n", r->name,
		        r->severity == IDL_SEV_ERROR ? "error" : r->severity == IDL_SEV_WARNING ? "warning" : "off",
		        r->description, r->required ? " (cannot be disabled)" : "");
	}
}
