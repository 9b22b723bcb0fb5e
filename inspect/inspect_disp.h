/* SPDX-License-Identifier: MIT */
/* inspect_disp.h: a WRPKRU/XRSTOR whose bytes lie inside the rel32 of a
 * direct branch (call/jmp rel32, jcc rel32) at a proven instruction boundary
 * is neutralised by retargeting the branch through a trampoline within
 * +-2 GiB (see inspect_disp.c). */
#ifndef ERIM_INSPECT_DISP_H
#define ERIM_INSPECT_DISP_H

#include <stddef.h>
#include <stdint.h>

#include "inspect_maps.h"

struct inspect_disp_plan {
	uint64_t insn;          /* the branch instruction */
	unsigned len;           /* its length */
	uint64_t disp;          /* address of its rel32 */
	int32_t val;            /* the new rel32 (to the trampoline) */
	uint64_t target;        /* where the branch went and still goes */
	uint64_t tramp;         /* the trampoline (already written, RX) */
	const char *kind;       /* "call", "jmp", "conditional jump" */
	const char *proof;      /* how the boundary was proven */
};

/* For an occurrence at HIT (3 bytes for WRPKRU, LEN bytes in general) inside
 * the readable mapping M: prove that it lies inside the rel32 of a direct
 * branch, write a trampoline to the branch's target near it and choose a new
 * rel32 that, written in place, leaves no WRPKRU/XRSTOR in the code around it.
 * Returns 1 with *P filled, 0 when no such branch can be proven (the caller
 * handles the occurrence as before), or -errno.  Nothing in M is written. */
int inspect_disp_plan(uint64_t hit, size_t len, const struct inspect_map *m,
                      struct inspect_disp_plan *p);

#endif /* ERIM_INSPECT_DISP_H */
