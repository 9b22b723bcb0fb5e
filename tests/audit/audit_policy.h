/* SPDX-License-Identifier: MIT */
/* audit_policy.h: the one table of named copy routines -- the only code that
 * may touch untrusted writable memory while PKRU grants the trusted key (reads
 * of argument and callback blocks; writes of results into untrusted output
 * buffers).  Everything else executed with the trusted PKRU must touch only
 * trusted memory (the trusted key) or sealed read-only memory. */
#ifndef AUDIT_POLICY_H
#define AUDIT_POLICY_H

#define AUDIT_READ  1u
#define AUDIT_WRITE 2u

struct audit_copy_rule {
	const char *name;
	int prefix;           /* 0: exact name; 1: NAME is a prefix; 2: NAME is a suffix */
	unsigned access;      /* AUDIT_READ | AUDIT_WRITE allowed to untrusted memory */
	const char *why;
};

extern const struct audit_copy_rule audit_copy_rules[];
extern const unsigned audit_ncopy_rules;
/* libc copy routines whose IFUNC-selected implementation has no symbol in a
 * stripped libc.so: the tracer resolves them in itself (same libc, same CPU)
 * and recognises the call by its entry address; NULL-terminated. */
extern const char *const audit_libc_copy_names[];

/* The rule for symbol NAME, or NULL. */
const struct audit_copy_rule *audit_copy_rule_for(const char *name);

#endif
