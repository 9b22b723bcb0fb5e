/* SPDX-License-Identifier: MIT */
/* sgx_trts.h: erim's stand-in for the SGX SDK header of this name (install
 * dir $(includedir)/erim/sgx, see erim_edl.h): the check an enclave makes
 * before it reads a [user_check] pointer, or a pointer an ocall returned,
 * in place.  Outside the enclave means: no byte of [addr, addr + size)
 * in erim's trusted memory (the registry erim_overlaps_trusted reads:
 * trusted heap, stacks, runtime state, every ERIM_TRUSTED section), and
 * the range does not wrap.  sgx_is_within_enclave is not provided: erim's
 * trusted memory is not one range, and nothing a port needs for safety
 * depends on it. */
#ifndef ERIM_SGX_TRTS_H
#define ERIM_SGX_TRTS_H

#include <stddef.h>

#include "erim.h"

static inline int sgx_is_outside_enclave(const void *addr, size_t size)
{
	return !erim_overlaps_trusted(addr, size);   /* size 0: addr alone */
}

#endif
