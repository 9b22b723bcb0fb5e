/* SPDX-License-Identifier: MIT */
/* audit_policy.c: erim-audit's allow-list of copy routines (see the header). */
#include "config.h"

#include "audit_policy.h"

#include <string.h>

const struct audit_copy_rule audit_copy_rules[] = {
	/* glibc's copy routines, called by trusted code on argument blocks */
	{ "memcpy", 0, AUDIT_READ | AUDIT_WRITE, "libc memcpy: copies an argument block in or results out" },
	{ "memmove", 0, AUDIT_READ | AUDIT_WRITE, "libc memmove: as memcpy" },
	{ "mempcpy", 0, AUDIT_READ | AUDIT_WRITE, "libc mempcpy: as memcpy" },
	{ "__memcpy_chk", 0, AUDIT_READ | AUDIT_WRITE, "fortified memcpy" },
	{ "__memmove_chk", 0, AUDIT_READ | AUDIT_WRITE, "fortified memmove" },
	{ "strlen", 0, AUDIT_READ, "libc strlen: measures an argument string" },
	{ "strnlen", 0, AUDIT_READ, "libc strnlen: measures an argument string" },
	{ "memchr", 0, AUDIT_READ, "libc memchr: finds the end of an argument string" },
	/* their IFUNC implementations, named in a static binary's .symtab */
	{ "__memmove_", 1, AUDIT_READ | AUDIT_WRITE, "memcpy/memmove implementation" },
	{ "__memcpy_", 1, AUDIT_READ | AUDIT_WRITE, "memcpy implementation" },
	{ "__mempcpy_", 1, AUDIT_READ | AUDIT_WRITE, "mempcpy implementation" },
	{ "__strlen_", 1, AUDIT_READ, "strlen implementation" },
	{ "__strnlen_", 1, AUDIT_READ, "strnlen implementation" },
	{ "__memchr_", 1, AUDIT_READ, "memchr implementation" },
	/* erimgen's generated trusted-side stubs (gen_gates.c) */
	{ "erim__entry_", 1, AUDIT_READ | AUDIT_WRITE,
	  "erimgen ecall stub: fetches the argument block once, writes results back" },
	{ "erim__str_in", 0, AUDIT_READ, "erimgen: copies an argument string in" },
	{ "erim__in_", 1, AUDIT_READ, "erimgen: deep copy of an argument struct in" },
	{ "erim__out_", 1, AUDIT_WRITE, "erimgen: copies an out struct back" },
	{ "_ocall", 2, AUDIT_READ, "erimgen ocall proxy: fetches the callback block's answer once" },
	/* the callback gate's copy of the callback block onto the untrusted stack */
	{ "erim__cb_", 1, AUDIT_WRITE, "callback gate: copies the callback block to the untrusted stack" },
	/* liberim's signal relay (erim_sigrelay.c, 6.12+ without erim-tem) */
	{ "erim__sig_copy_out", 0, AUDIT_WRITE,
	  "signal relay: copies the kernel's frame to untrusted memory (destination checked "
	  "against every trusted range)" },
};
const unsigned audit_ncopy_rules = sizeof audit_copy_rules / sizeof audit_copy_rules[0];

const char *const audit_libc_copy_names[] = {
	"memcpy", "memmove", "mempcpy", "strlen", "strnlen", "memchr", NULL,
};

const struct audit_copy_rule *audit_copy_rule_for(const char *name)
{
	for (unsigned i = 0; i < audit_ncopy_rules; i++) {
		const struct audit_copy_rule *r = &audit_copy_rules[i];

		size_t nl = strlen(name), rl = strlen(r->name);

		if (r->prefix == 0 ? strcmp(name, r->name) == 0
		    : r->prefix == 1 ? strncmp(name, r->name, rl) == 0
		    : nl > rl && strcmp(name + nl - rl, r->name) == 0)
			return r;
	}
	return NULL;
}
