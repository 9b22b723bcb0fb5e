/* SPDX-License-Identifier: MIT */
/* erim_reserve.c: the regions liberim reserves up front -- the runtime
 * region (entry table, slot table, heap metadata), the heap, the trusted
 * stacks -- their layout (erim__layout, in the sealed read-only page) and
 * their entries in the range registry.  Not yet protected: erim_init tags or
 * closes them.
 *
 * Below everything that uses the regions: the entry table and the heap
 * reserve them lazily when used before erim_init (erim__reserve_default),
 * erim_init with its configured sizes.  It lays out the slot table
 * (erim_slots.c) but leaves the heap to set itself up from the layout
 * (erim__heap_setup), since the heap calls down into this file. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "erim_internal.h"

void erim__unreserve(void)
{
	struct erim_layout *L = &erim__layout;

	if (L->rt)
		munmap((char *)L->rt - ERIM_REGION_GAP, L->rt_size + 2 * ERIM_REGION_GAP);
	if (L->heap)
		munmap((char *)L->heap - ERIM_REGION_GAP, L->heap_size + 2 * ERIM_REGION_GAP);
	if (L->stacks)
		munmap(L->stacks, L->stacks_size);
	memset(L, 0, sizeof *L);
	erim__ro.entries = NULL;
	erim__ro.slots = NULL;
	erim__ro.nslots = 0;
	erim__ro.nentries = 0;
	erim__ro.nranges = 0;
}

static void *reserve_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* N bytes between two PROT_NONE gaps of ERIM_REGION_GAP: the inside, or
 * NULL with errno set. */
static void *reserve_guarded(size_t n)
{
	char *p = reserve_map(n + 2 * ERIM_REGION_GAP);

	if (!p)
		return NULL;
	if (mprotect(p, ERIM_REGION_GAP, PROT_NONE) != 0 ||
	    mprotect(p + ERIM_REGION_GAP + n, ERIM_REGION_GAP, PROT_NONE) != 0) {
		int e = errno;

		munmap(p, n + 2 * ERIM_REGION_GAP);
		errno = e;
		return NULL;
	}
	return p + ERIM_REGION_GAP;
}

/* The registry's entries for a guarded region: its gaps and itself. */
static void ranges_add_guarded(void *p, size_t n, const char *what, const char *gap)
{
	uintptr_t a = (uintptr_t)p;

	erim__ranges_add(a - ERIM_REGION_GAP, a, gap, ERIM_R_GUARD);
	erim__ranges_add(a, a + n, what, ERIM_R_SWITCHED);
	erim__ranges_add(a + n, a + n + ERIM_REGION_GAP, gap, ERIM_R_GUARD);
}

/* Reserve the runtime region, the heap and the stacks: 0 or -errno. */
int erim__reserve(size_t heap_size, size_t stack_size, size_t max_threads)
{
	struct erim_layout *L = &erim__layout;
	size_t ent = erim__entry_tab_size() + erim__name_tab_size();   /* entries, then their names */
	size_t slots = erim_page_round((max_threads + 1) * sizeof(struct erim_slot));
	size_t meta = erim_heap_meta_size(heap_size);
	char *rt;

	L->rt_size = ent + slots + meta;
	L->heap_size = heap_size;
	L->stack_size = stack_size;
	L->max_threads = max_threads;
	/* slot k: [gap][stack] at k * stride; one more gap above the last
	 * stack, so a runaway write up from the top of the last trusted stack
	 * stops there instead of running into the next mapping (red team 16,
	 * prov_leak: into the trusted heap) */
	L->stacks_size = (max_threads + 1) * (stack_size + ERIM_STACK_GAP) + ERIM_STACK_GAP;
	L->rt = reserve_guarded(L->rt_size);
	L->heap = reserve_guarded(L->heap_size);
	L->stacks = reserve_map(L->stacks_size);
	if (!L->rt || !L->heap || !L->stacks) {
		int e = errno;

		erim__unreserve();
		return -e;
	}
	/* keep trusted memory out of core dumps (best effort) */
	madvise(L->rt, L->rt_size, MADV_DONTDUMP);
	madvise(L->heap, L->heap_size, MADV_DONTDUMP);
	madvise(L->stacks, L->stacks_size, MADV_DONTDUMP);
	rt = L->rt;
	erim__ro.entries = (struct erim_ientry *)rt;
	erim__ro.nentries = 0;
	erim__ro.slots = (struct erim_slot *)(rt + ent);
	L->meta = rt + ent + slots;
	L->meta_size = meta;
	erim__slots_init();
	erim__ro.nranges = 0;
	ranges_add_guarded(L->rt, L->rt_size, "runtime", "runtime guard");
	ranges_add_guarded(L->heap, L->heap_size, "heap", "heap guard");
	erim__ranges_add((uintptr_t)L->stacks, (uintptr_t)L->stacks + L->stacks_size, "stacks",
	                 ERIM_R_SWITCHED);
	erim__ranges_add((uintptr_t)&erim__ro_page, (uintptr_t)&erim__ro_page + ERIM_PAGE, "runtime",
	                 ERIM_R_READONLY);
	erim__ranges_add((uintptr_t)&erim__keys_page, (uintptr_t)&erim__keys_page + ERIM_PAGE,
	                 "PKRU values", ERIM_R_READONLY);
	return 0;
}

size_t erim__env_size(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return dflt;
	n = strtoull(v, &end, 0);
	if (*end == 'k' || *end == 'K')
		n <<= 10;
	else if (*end == 'm' || *end == 'M')
		n <<= 20;
	return n ? (size_t)n : dflt;
}

/* Reserve with default sizes when something needs the regions before
 * erim_init (entry registration, start-up allocations). */
int erim__reserve_default(void)
{
	if (erim__ro.fini_done)
		return -EPERM;   /* erim_fini is one way (erim_wipe.c) */
	if (erim__layout.rt)
		return 0;
	return erim__reserve(erim__env_size("ERIM_HEAP_SIZE", ERIM_DEFAULT_HEAP),
	                     erim_page_round(erim__env_size("ERIM_STACK_SIZE", ERIM_DEFAULT_STACK)),
	                     erim__env_size("ERIM_MAX_THREADS", ERIM_DEFAULT_THREADS));
}
