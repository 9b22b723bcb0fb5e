/* SPDX-License-Identifier: MIT */
/* idl_fuzz.c: libFuzzer harness for the .erim front end.  One input is one
 * .erim file: it goes through the whole front end (scanner, parser, error
 * recovery, name resolution, every check), then through every consumer of the
 * tree and of the diagnostics (dump, audit, depfile, printing), and
 * everything is freed, so ASan/LSan see every path.  Imports are diagnosed
 * but never read (opts.no_imports), which keeps runs deterministic.  Inputs
 * starting with "//edl" are parsed as an .edl file, so EDL mode is fuzzed too.
 *
 * The same function is linked into idl_fuzz_replay (a normal program), which
 * replays the corpus and every crasher found so far as regression tests. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "idl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct idl_opts o;
	struct idl_diags *d = idl_diags_new();
	struct idl_file *f;
	const char *name = size >= 5 && !memcmp(data, "//edl", 5) ? "fuzz.edl" : "fuzz.erim";

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!d || !sink)
		return 0;
	idl_opts_init(&o);
	o.no_imports = 1;
	if (size > 0 && data[0] == '!')
		o.werror = 1; /* exercise promotion too */
	f = idl_parse_string(name, (const char *)data, size, &o, d);
	idl_diags_print(sink, d);
	if (f) {
		idl_dump_ast(sink, f);
		idl_audit(sink, f);
		idl_depfile(sink, "out.h", f);
	}
	idl_file_free(f);
	idl_diags_free(d);
	idl_opts_fini(&o);
	return 0;
}
