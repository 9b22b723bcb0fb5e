/* SPDX-License-Identifier: MIT */
/* inspect.h: the inspection component's interface (inspect/): the table of
 * known, deliberately handled WRPKRU/XRSTOR sites in system libraries
 * (inspect_known.c, shared by in-process inspection and erim-inspect) and the
 * in-process inspection liberim runs at erim_init (inspect_process.c). */
#ifndef ERIM_INSPECT_H
#define ERIM_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "erim_x86.h"

/* A WRPKRU that a system library contains on purpose, at a proven instruction
 * start: BYTES are the exact machine code from the symbol's start through the
 * WRPKRU (so the disassembly, and hence the instruction boundary, is known).
 * Such a site is neutralised by patching under every policy but OFF. */
struct inspect_known_site {
	const char *object;     /* basename of the object, e.g. "libc.so.6" */
	const char *symbol;     /* e.g. "pkey_set" */
	const char *why;        /* for messages */
	const uint8_t *bytes;   /* symbol start .. end of the WRPKRU */
	size_t len;
};

/* The known site matching a WRPKRU at SYM_OFF bytes into SYMBOL of OBJECT
 * (a path; only the basename counts) whose symbol code is SYM_CODE
 * (SYM_AVAIL readable bytes), or NULL. */
const struct inspect_known_site *inspect_known_site(const char *object, const char *symbol,
                                                    uint64_t sym_off, const uint8_t *sym_code,
                                                    size_t sym_avail);

/* An XRSTOR that system code contains on purpose but whose only guard is the
 * code before it (glibc's lazy-binding trampolines in ld.so and in static
 * glibc: `mov eax, 0xee; xor edx, edx; xrstor [rsp+0x40]`): a jump straight
 * onto the XRSTOR with EAX bit 9 set would load PKRU from attacker memory.
 * BEFORE (nbefore bytes, ending right at the XRSTOR) and AT (len bytes from
 * the XRSTOR through the end of the code it belongs to) are pinned exactly,
 * which proves the instruction boundaries; REPLACE (len bytes) is the same
 * code rewritten so the XRSTOR is followed by the check of scan.h
 * (SCAN_XRSTOR_CHECK_*).  erim_init writes REPLACE over AT under every policy
 * but OFF. */
struct inspect_known_xrstor {
	const char *why;              /* for messages */
	const uint8_t *before;
	size_t nbefore;
	const uint8_t *at, *replace;
	size_t len;
};

/* The known XRSTOR site whose XRSTOR starts at P (NBEFORE readable bytes
 * before P, NAFTER from P on), or NULL. */
const struct inspect_known_xrstor *inspect_known_xrstor(const uint8_t *p, size_t nbefore,
                                                        size_t nafter);

/* The trap written over a neutralised WRPKRU: ud2; nop. */
#define INSPECT_TRAP_BYTES { ERIM_X86_UD2_BYTES, 0x90 }

/* ---- in-process inspection (inspect_process.c) ------------------------------ */

#include "erim.h"

struct inspect_stats {
	size_t ranges;          /* executable mappings scanned */
	uint64_t bytes;         /* bytes scanned */
	size_t hits;            /* WRPKRU/XRSTOR occurrences found */
	size_t unsafe;          /* of which unsafe (before any action) */
	size_t patched, noexec; /* actions taken */
	uint64_t nsec;          /* time spent scanning and acting */
};

/* Tests and diagnostics: FN is called for every occurrence found by the
 * following runs (NULL to stop). */
typedef void (*inspect_observe_fn)(uint64_t addr, int kind, int cls, void *arg);
void inspect_process_observe(inspect_observe_fn fn, void *arg);

/* The work behind liberim's erim__inspect_process().  SITES (NSITES
 * entries, any order, may be NULL) are the host's own WRPKRU sites, accepted
 * as runtime gates by exact address (liberim passes erim__gate_sites(); with
 * none, every WRPKRU of the runtime is unsafe: fail closed).  DRY_RUN: scan
 * and report, act on nothing and never fail for unsafe hits (benchmark,
 * diagnostics).  ST may be NULL.  Returns 0 or -errno (-EPERM: unsafe code the policy could not
 * neutralise). */
int inspect_process_run(enum erim_inspect_policy policy, int quiet, int dry_run,
                        const uintptr_t *sites, size_t nsites, struct inspect_stats *st);
/* The first occurrence the last run refused, described ("" when none). */
const char *inspect_process_refusal(void);

#endif /* ERIM_INSPECT_H */
