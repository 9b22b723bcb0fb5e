/* SPDX-License-Identifier: MIT */
/* idl_parse_check.c: parse one .erim/.edl file with the front end and print
 * what erimgen would print -- the diagnostics on stderr, and on request the
 * AST dump, the user_check audit or the dependency rule on stdout.  The golden
 * tests drive it (it does what `erimgen --check` does, without depending on
 * the generator), and the fuzz crashers are replayed through the same API.
 *
 *     idl_parse_check [-W...] [-I dir] [--dump-ast|--audit|--depfile T] file
 *
 * Exit status: 0 clean or warnings only, 1 errors, 2 usage. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "idl.h"

int main(int argc, char **argv)
{
	struct idl_opts o;
	struct idl_diags *d = idl_diags_new();
	struct idl_file *f;
	const char *path = NULL, *dep_target = NULL;
	int dump = 0, audit = 0, rc = 2;

	if (!d)
		return 2;
	idl_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "-W", 2)) {
			int err = idl_opts_warning(&o, a + 2);

			if (err < 0) {
				fprintf(stderr, "idl_parse_check: %s: %s\n", a,
				        err == -EPERM ? "this check cannot be disabled (the generated code depends on it)"
				                      : "no such check (--list-checks lists them)");
				rc = 2;
				goto out;
			}
		} else if (!strcmp(a, "-I") && i + 1 < argc) {
			idl_opts_add_import_dir(&o, argv[++i]);
		} else if (!strcmp(a, "--dump-ast")) {
			dump = 1;
		} else if (!strcmp(a, "--audit")) {
			audit = 1;
		} else if (!strcmp(a, "--depfile") && i + 1 < argc) {
			dep_target = argv[++i];
		} else if (!strcmp(a, "--list-checks")) {
			idl_checks_list(stdout);
			rc = 0;
			goto out;
		} else if (a[0] != '-' && !path) {
			path = a;
		} else {
			path = NULL;
			break;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: idl_parse_check [-W...] [-I dir] [--dump-ast|--audit|--depfile T] file\n");
		rc = 2;
		goto out;
	}
	f = idl_parse_file(path, &o, d);
	idl_diags_print(stderr, d);
	rc = f ? 0 : 1;
	if (f && dump)
		idl_dump_ast(stdout, f);
	if (f && audit)
		idl_audit(stdout, f);
	if (f && dep_target)
		idl_depfile(stdout, dep_target, f);
	idl_file_free(f);
out:
	idl_diags_free(d);
	idl_opts_fini(&o);
	return rc;
}
