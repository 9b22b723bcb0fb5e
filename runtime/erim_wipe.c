/* erim_wipe.c: erim_fini never hands trusted data to untrusted code.
 *
 * erim_fini is called from the untrusted domain (tests, orderly exit) -- and
 * so can be called by an attacker who controls untrusted code.  Untagging
 * trusted memory as it is would publish the heap, the stacks' residue and the
 * ERIM_TRUSTED globals.  So before anything is untagged, every trusted range
 * that can hold trusted data is replaced by fresh zero pages: one
 * mmap(MAP_FIXED) per range, which the kernel performs atomically with
 * respect to every other thread, so no thread ever sees the old contents
 * without the key.  Wiped: the heap and its metadata, every trusted stack,
 * the trusted globals of every module.  Kept (and then untagged): the entry
 * table and the slot table, which hold code addresses, names and the slots'
 * bookkeeping, no data of the trusted component.
 *
 * Consequence for programs: after erim_fini the trusted heap is empty (its
 * old pointers are dangling) and ERIM_TRUSTED globals read as zero. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "erim_internal.h"
#include "erim_sys.h"

/* Replace [start, end) by zero pages, readable and writable, key 0. */
static int wipe(uintptr_t start, uintptr_t end)
{
	long r;

	if (end <= start)
		return 0;
	r = erim_sys6(SYS_mmap, (long)start, (long)(end - start), PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (r != (long)start)
		return r < 0 ? (int)r : -14;
	erim_sys3(SYS_madvise, (long)start, (long)(end - start), MADV_DONTDUMP);
	return 0;
}

/* Freeze the slot table before the wipe: its pages become read-only with
 * key 0 (they hold no trusted data), so untrusted erim_fini can read the
 * slot states, and no gate can claim or release a slot any more -- a thread
 * racing into a gate faults on the claim and the process stops.  If a thread
 * is inside trusted code (its slot busy or in a callback) the table is given
 * back to the gate and erim_fini fails with -EBUSY: wiping a stack under
 * running trusted code could make it spill secrets onto untagged pages.
 * MODE is the back end's mode; called with the read-only page writable. */
int erim__wipe_prepare(uint32_t mode)
{
	uintptr_t s = (uintptr_t)erim__ro.slots;
	size_t n = ((erim__ro.nslots + 1) * sizeof(struct erim_slot) + ERIM_PAGE - 1) &
	           ~(ERIM_PAGE - 1);
	long key = mode == ERIM_MODE_MPK ? erim__ro.pkey : 0;
	int busy = 0;

	if (!s)
		return 0;
	if (erim_sys4(SYS_pkey_mprotect, (long)s, (long)n, PROT_READ, 0) < 0 &&
	    erim_sys3(SYS_mprotect, (long)s, (long)n, PROT_READ) < 0)
		return -EPERM;
	for (uint32_t i = 1; i <= erim__ro.nslots; i++) {
		uint32_t st = __atomic_load_n(&erim__ro.slots[i].state, __ATOMIC_ACQUIRE);

		if (st == ERIM_SLOT_BUSY || st == ERIM_SLOT_CALLBACK)
			busy = 1;
	}
	if (!busy)
		return 0;
	if (mode == ERIM_MODE_MPK)
		erim_sys4(SYS_pkey_mprotect, (long)s, (long)n, PROT_READ | PROT_WRITE, key);
	else
		erim_sys3(SYS_mprotect, (long)s, (long)n,
		          mode == ERIM_MODE_MPROTECT && !erim__mp_is_open() ? PROT_NONE
		                                                            : PROT_READ | PROT_WRITE);
	return -EBUSY;
}

/* Wipe every trusted range that can hold trusted data; the read-only page
 * must be writable (the heap is set up again, empty).  0 or -errno. */
int erim__wipe_trusted(void)
{
	struct erim_layout *L = &erim__layout;
	uintptr_t meta = (uintptr_t)erim__ro.heap_meta;
	int r = 0;

	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];
		int e;

		if (rg->kind != ERIM_R_SWITCHED)
			continue;
		if (rg->start == (uintptr_t)L->rt)
			e = wipe(meta & ~(ERIM_PAGE - 1), rg->end);   /* keep entries and slots */
		else
			e = wipe(rg->start, rg->end);
		if (e < 0 && r == 0)
			r = e;
	}
	if (erim__ro.slots) {       /* unfreeze: plain memory from now on */
		uintptr_t s = (uintptr_t)erim__ro.slots;
		size_t n = ((erim__ro.nslots + 1) * sizeof(struct erim_slot) + ERIM_PAGE - 1) &
		           ~(ERIM_PAGE - 1);

		if (erim_sys4(SYS_pkey_mprotect, (long)s, (long)n, PROT_READ | PROT_WRITE, 0) < 0)
			erim_sys3(SYS_mprotect, (long)s, (long)n, PROT_READ | PROT_WRITE);
	}
	if (meta)
		erim__heap_setup((void *)meta, (uintptr_t)L->rt + L->rt_size - meta, L->heap,
		                 L->heap_size);
	return r;
}
