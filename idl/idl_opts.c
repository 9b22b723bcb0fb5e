/* SPDX-License-Identifier: MIT */
/* idl_opts.c: the front end's options -- import directories and the -W
 * state of each named check (idl.h describes the calls). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idl_priv.h"

void idl_opts_init(struct idl_opts *o)
{
	memset(o, 0, sizeof *o);
}

void idl_opts_fini(struct idl_opts *o)
{
	for (size_t i = 0; i < o->n_import_dirs; i++)
		free(o->import_dirs[i]);
	free(o->import_dirs);
	o->import_dirs = NULL;
	o->n_import_dirs = 0;
}

int idl_opts_add_import_dir(struct idl_opts *o, const char *dir)
{
	char **v = realloc(o->import_dirs, (o->n_import_dirs + 1) * sizeof *v);
	char *d;

	if (!v)
		return -ENOMEM;
	o->import_dirs = v;
	d = strdup(dir);
	if (!d)
		return -ENOMEM;
	v[o->n_import_dirs++] = d;
	return 0;
}

int idl_opts_warning(struct idl_opts *o, const char *arg)
{
	int id, off = 0, err = 0;

	if (!strcmp(arg, "error")) {
		o->werror = 1;
		return 0;
	}
	if (!strcmp(arg, "no-error")) {
		o->werror = 0;
		return 0;
	}
	if (!strncmp(arg, "no-error=", 9)) {
		if ((id = idl_check_by_name(arg + 9)) < 0)
			return -ENOENT;
		if (o->check_state[id] == 2)
			o->check_state[id] = 1;
		return 0;
	}
	if (!strncmp(arg, "error=", 6)) {
		arg += 6;
		err = 1;
	} else if (!strncmp(arg, "no-", 3)) {
		arg += 3;
		off = 1;
	}
	if ((id = idl_check_by_name(arg)) < 0)
		return -ENOENT;
	if (off && idl_check_required(id))
		return -EPERM;
	o->check_state[id] = off ? -1 : err ? 2 : 1;
	return 0;
}
