/* SPDX-License-Identifier: MIT */
/* erim_ro.c: the runtime's sealed read-only page (struct erim_ro, see
 * erim_internal.h) and what only reads or edits it: the state queries and the
 * range registry.  Everything in liberim reads this page -- the gate, the slow
 * path, the heap, the violation handler, the TEM client -- so it sits below
 * them all and depends on none of them (it used to live in erim_init.c, which
 * made every reader depend on the initialisation code and back). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "erim_internal.h"

/* Untrusted code may read this page; after erim_init nobody writes it. */
union erim_ro_page erim__ro_page __attribute__((aligned(4096)));

/* The PKRU values every checked WRPKRU of liberim compares with, alone in a
 * page of the object's read-only segment (.rodata: ld.so and the kernel map
 * it read-only from the file, never writable on the way), holding
 * ERIM_PKRU_CLOSED until erim_init opens it for two stores (erim_init.c,
 * keys_set), as erim_fini and a failed erim_init do to close it again.  A
 * copy of liberim that erim_init never ran in -- a second liberim.so
 * dlopen'ed by untrusted code (red team 55) -- has gates that check against
 * its own copy of this page: they can load nothing that opens a key, and
 * none of its functions but its own erim_init opens that page.  (In RELRO
 * it was writable while ld.so loaded and relocated a copy: red team 56,
 * relrorace, wrote 0 into it from another thread.)  Defined in assembly: a
 * C definition that is written to cannot be placed in a read-only section,
 * and a const one could be folded by the compiler. */
__asm__(".section .rodata.erim_keys,\"a\",@progbits\n"
        ".p2align 12\n"
        ".globl erim__keys_page\n"
        ".hidden erim__keys_page\n"
        ".type erim__keys_page, @object\n"
        "erim__keys_page:\n"
        ".long 0xfffffffc, 0xfffffffc\n"       /* ERIM_PKRU_CLOSED, twice */
        ".zero 4096 - 8\n"
        ".size erim__keys_page, 4096\n"
        ".previous\n");

_Static_assert(sizeof(union erim_ro_page) == ERIM_PAGE, "erim_ro must be one page");
_Static_assert(sizeof(union erim_keys_page) == ERIM_PAGE && ERIM_PAGE == 4096,
               "the keys must be one page");
_Static_assert(ERIM_PKRU_CLOSED == 0xfffffffcu, "erim__keys_page's starting values");
_Static_assert(__builtin_offsetof(struct erim_keys, pkru_t) == ERIM_KEYS_PKRU_T, "keys");
_Static_assert(__builtin_offsetof(struct erim_keys, pkru_u) == ERIM_KEYS_PKRU_U, "keys");
_Static_assert(__builtin_offsetof(struct erim_ro, mode) == ERIM_RO_MODE, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, vec) == ERIM_RO_VEC, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, nslots) == ERIM_RO_NSLOTS, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, nentries) == ERIM_RO_NENTRIES, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, slots) == ERIM_RO_SLOTS, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, entries) == ERIM_RO_ENTRIES, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, sigstk_lo) == ERIM_RO_SIGSTK_LO, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, sigstk_n) == ERIM_RO_SIGSTK_N, "ro");
_Static_assert(__builtin_offsetof(struct erim_ro, sigstk_owner) == ERIM_RO_SIGSTK_OWNER, "ro");
_Static_assert(sizeof(struct erim_slot) == (1 << ERIM_SLOT_SIZE_SHIFT), "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, state) == ERIM_SLOT_STATE, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, release) == ERIM_SLOT_RELEASE, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, stack_top) == ERIM_SLOT_STACK, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, usp) == ERIM_SLOT_USP, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, cb_rsp) == ERIM_SLOT_CBRSP, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, depth) == ERIM_SLOT_DEPTH, "slot");
_Static_assert(sizeof(struct erim_ientry) == (1 << ERIM_IENTRY_SHIFT), "entry");
_Static_assert(__builtin_offsetof(struct erim_ientry, fn) == ERIM_IENTRY_FN, "entry");
_Static_assert(__builtin_offsetof(struct erim_ientry, flags) == ERIM_IENTRY_FLAGS, "entry");
_Static_assert(__builtin_offsetof(struct erim_slow_out, slot) == ERIM_SLOW_SLOT, "slow");
_Static_assert(__builtin_offsetof(struct erim_slow_out, rsp) == ERIM_SLOW_RSP, "slow");
_Static_assert(__builtin_offsetof(struct erim_slow_out, fn) == ERIM_SLOW_FN, "slow");
_Static_assert(__builtin_offsetof(struct erim_slow_out, exit_state) == ERIM_SLOW_EXIT, "slow");

int erim_initialized(void)
{
	return erim__ro.mode != ERIM_MODE_DIRECT;
}

int erim_pkey(void)
{
	return erim__ro.mode == ERIM_MODE_MPK ? erim__ro.pkey : -1;
}

/* ---- the range registry ------------------------------------------------------ */

int erim__ranges_add(uintptr_t start, uintptr_t end, const char *what, int kind)
{
	uint32_t i, n = erim__ro.nranges;

	if (n >= ERIM_MAX_RANGES)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		if (start < erim__ro.ranges[i].start)
			break;
	memmove(&erim__ro.ranges[i + 1], &erim__ro.ranges[i], (n - i) * sizeof erim__ro.ranges[0]);
	erim__ro.ranges[i] = (struct erim_rrange){ start, end, what, kind };
	erim__ro.nranges = n + 1;
	return 0;
}

int erim_overlaps_trusted(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, e;

	if (n == 0)
		n = 1;
	if (n - 1 > UINTPTR_MAX - a)
		return 1;    /* wraps around the address space */
	e = a + (n - 1); /* inclusive end: a range ending at the top is fine */
	if (e >> ERIM_ADDR_TAG_SHIFT)
		return 1;    /* bits 57-63: no user address has them; with LAM (x86 linear
		              * address masking) bits 57-62 are a tag the CPU ignores, so
		              * the number would not say what the access reaches (red team 31) */
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *r = &erim__ro.ranges[i];

		if (r->start > e)
			break;
		if (r->end > a)
			return 1;
	}
	return 0;
}

size_t erim__trusted_ranges(struct erim_range *out, size_t max)
{
	size_t n = erim__ro.nranges;

	for (size_t i = 0; i < n && i < max; i++) {
		out[i].start = erim__ro.ranges[i].start;
		out[i].end = erim__ro.ranges[i].end;
		out[i].what = erim__ro.ranges[i].what;
	}
	return n;
}
