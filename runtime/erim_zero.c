/* SPDX-License-Identifier: MIT */
/* erim_zero.c: zeroing trusted memory with plain stores, for erim_fini's
 * trusted wipe (erim_wipe.c) and the heap's part of it (erim_heap.c).  Runs
 * with the trusted PKRU and calls nothing but inline code. */
#include "config.h"

#include <stdint.h>

#include "erim_internal.h"
#include "erim_sys.h"

/* Zero the pages of [start, end) that hold anything but zeros (a page never
 * touched reads as the shared zero page and stays untouched). */
void erim__zero_dirty(uintptr_t start, uintptr_t end)
{
	while (start < end) {
		uintptr_t e = (start | (ERIM_PAGE - 1)) + 1;
		uint64_t acc = 0;

		if (e > end)
			e = end;
		if (((start | e) & 7) == 0) {
			for (const uint64_t *w = (const uint64_t *)start; w < (const uint64_t *)e; w++)
				acc |= *w;
		} else {
			for (const unsigned char *b = (const unsigned char *)start;
			     b < (const unsigned char *)e; b++)
				acc |= *b;
		}
		if (acc)
			erim_fill((void *)start, 0, e - start);
		start = e;
	}
}
