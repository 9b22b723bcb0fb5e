/* SPDX-License-Identifier: MIT */
/* erim_hooks.h: the internal contract between the runtime core (erim_*.c),
 * load-time inspection (inspect/, linked in as liberiminspect.la) and the TEM client
 * (tem_client.c), all linked into liberim.  Not installed. */
#ifndef ERIM_HOOKS_H
#define ERIM_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "erim.h"

/* ---- provided by the runtime core ---------------------------------------- */

/* Addresses of every WRPKRU instruction in the runtime's own gate code (the
 * only legitimate WRPKRU sites of a process).  *SITES points to a static table. */
size_t erim__gate_sites(const uintptr_t **sites);

/* A trusted region: [start, end), page aligned. */
struct erim_range {
	uintptr_t start, end;
	const char *what;            /* "heap", "stacks", "globals", "runtime" */
};

/* Copy up to MAX trusted regions into OUT; returns how many exist.  Fixed
 * after erim_init() (regions are reserved up front). */
size_t erim__trusted_ranges(struct erim_range *out, size_t max);

/* ---- called by erim_init() in trusted start-up, after the trusted regions
 * exist and before the first switch to the untrusted domain.  Each returns 0
 * or a negative errno, on which erim_init() fails closed. ------------------- */

/* Inspect all executable memory of the process and apply POLICY to unsafe
 * WRPKRU/XRSTOR occurrences (erim_inspect.c, on inspect/). */
int erim__inspect_process(enum erim_inspect_policy policy, int quiet);
/* The first occurrence the last inspection refused, described ("" when none). */
const char *erim__inspect_refusal(void);

/* Tell an erim-tem supervisor (if any) the trusted regions; REQUIRE: fail
 * with -ENOTSUP when not running under erim-tem (tem_client.c). */
/* 1: registered with erim-tem; 0: not under it (allowed); <0: refused */
int erim__tem_attach(int require, int quiet);

#endif /* ERIM_HOOKS_H */
