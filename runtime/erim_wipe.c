/* SPDX-License-Identifier: MIT */
/* erim_wipe.c: erim_fini, all or nothing, never handing trusted data or
 * trust to untrusted code.
 *
 * erim_fini is called from the untrusted domain (tests, orderly exit) -- and
 * so can be called by an attacker who controls untrusted code, from any
 * thread, while other threads do anything.  Two rules follow:
 *
 *  1. Nothing untrusted code can write is ever trusted again.  The sealed
 *     read-only page (PKRU constants, table pointers, the range registry) is
 *     made writable only after trusted data is gone and no trusted code can
 *     run any more; there is no way back to isolation after that point.
 *  2. Trusted data is destroyed by trusted code, with plain stores, which
 *     cannot fail: no system call an attacker can make fail (mseal(2), a
 *     seccomp filter, a full address space) stands between a decision and
 *     its completion.
 *
 * So erim_fini runs in three steps:
 *
 *  - probe (untrusted, nothing changed): the read-only page and the switched
 *    ranges (under every back end) must still accept a protection change
 *    (erim-tem refuses one on trusted memory, mseal(2) on sealed memory);
 *    else -EPERM;
 *  - the trusted wipe (erim__fini_trusted, through internal gate entry 0, which
 *    reaches it through the hook erim_init stores in the sealed page):
 *    under the slow path's lock, claim every other thread's idle slot
 *    (idle -> dead, by CAS); if a slot is busy or in a callback, or the lock
 *    is held, or the caller itself is inside a callback, put the claimed ones
 *    back and return -EBUSY with nothing changed.  Otherwise mark the runtime
 *    dead (the gate's slow path stops every call from then on, before it
 *    moves to the boot stack, which the remap below makes plain memory: red
 *    team 61, finislow; and a dead slot fails the fast path's idle -> busy
 *    CAS), free the caller's own slot at
 *    the gate exit, and zero the heap, every trusted stack and every other
 *    range with trusted data;
 *  - the point of no return (untrusted): replace every switched range by
 *    fresh anonymous memory (erim__fini_remap: the kernel's zero pages,
 *    pkey 0, read-write) instead of untagging the old pages, so no byte the
 *    wipe missed -- the top of the caller's own trusted stack, a thread
 *    block, a slot borrowed through a forged TLS hint -- can reach untrusted
 *    code; free the key; only then unseal (the remap reads the sealed
 *    page's registry, gates its PKRU values: red team 21, fini_window) and
 *    switch to direct mode; reset the tables; set the one-way latch
 *    (erim_ro.fini_done) and seal the read-only page again, PROT_READ (and
 *    mseal(2) where the kernel has it).  A failure here stops the process
 *    (erim__fini_halfway): the data is gone, but isolation cannot be
 *    restored either.
 *
 * erim_fini is one way.  After it the entry table, the slot table and the
 * heap metadata are plain memory that untrusted code may have rewritten
 * (red-team round 7, fini_reinit), so erim_init refuses for the rest of the
 * process (ERIM_FINI_REFUSAL), as does erim_register_entries; a program that
 * wants isolation again starts a new process.
 *
 * Consequence for programs: after erim_fini the trusted heap is empty (its
 * old pointers are dangling), ERIM_TRUSTED globals and the trusted stacks
 * read as zero, and gates are direct calls. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim_internal.h"
#include "erim_sys.h"

/* ---- trusted: runs with the trusted PKRU, calls nothing but inline code ---- */

/* The wipe backs off: the slots 1..END-1 it claimed (idle -> dead) are idle
 * again, the slow path's lock is released, nothing else changed. */
static inline __attribute__((always_inline)) long give_back(struct erim_slot *t, uint32_t end,
                                                            const struct erim_slot *self)
{
	for (uint32_t i = 1; i < end; i++)
		if (&t[i] != self && __atomic_load_n(&t[i].state, __ATOMIC_ACQUIRE) == ERIM_SLOT_DEAD)
			__atomic_store_n(&t[i].state, ERIM_SLOT_IDLE, __ATOMIC_RELEASE);
	__atomic_store_n(&t[0].state, 0, __ATOMIC_RELEASE);
	return -EBUSY;
}

/* Zero the caller's own trusted stack below the live frames (what earlier
 * entries left there).  The frames above, and the thread block, are not
 * zeroed here: erim__fini_remap replaces the whole stack area afterwards. */
static __attribute__((noinline)) void zero_own_stack(uintptr_t lo)
{
	volatile char here;
	uintptr_t hi = ((uintptr_t)&here - 1024) & ~(uintptr_t)15;

	if (hi > lo)
		erim_fill((void *)lo, 0, hi - lo);
}

long erim__fini_trusted(struct erim_slot *self)
{
	struct erim_slot *t = erim__ro.slots;
	const struct erim_layout *L = &erim__layout;
	uint32_t n = erim__ro.nslots, unlocked = 0, i;

	if (!t || !self || self->cb_rsp != 0)
		return -EBUSY;           /* the caller's own trusted frame waits for a callback */
	if (!__atomic_compare_exchange_n(&t[0].state, &unlocked, 1, 0, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return -EBUSY;           /* a thread is in the slow path, on the boot stack */
	if (erim__rt_dead) {             /* already wiped (entry 0 called directly) */
		__atomic_store_n(&t[0].state, 0, __ATOMIC_RELEASE);
		return 0;
	}
	for (i = 1; i <= n; i++) {
		uint32_t st = ERIM_SLOT_IDLE;

		if (&t[i] == self)
			continue;
		if (__atomic_compare_exchange_n(&t[i].state, &st, ERIM_SLOT_DEAD, 0,
		                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		if (st == ERIM_SLOT_FREE)
			continue;        /* only the slow path (we hold its lock) allocates */
		/* busy or in a callback: a thread is inside trusted code */
		return give_back(t, i, self);
	}
	/* No other thread runs trusted code, and none can start: the fast path
	 * fails on a dead slot, the slow path on the flag, the caller's own slot
	 * is freed when this entry returns (TLS := 0: its next call is a first
	 * call, refused). */
	__atomic_store_n(&erim__rt_dead, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&erim__rt_inrelay, __ATOMIC_SEQ_CST) != 0) {
		/* a thread is in the trusted signal entry, on a signal stack
		 * erim_fini would replace under it (red team 62, sigfini); it
		 * waits for this decision under the lock (erim_sigentry.S) */
		__atomic_store_n(&erim__rt_dead, 0, __ATOMIC_SEQ_CST);
		return give_back(t, n + 1, self);
	}
	self->release = 1;
	erim__heap_wipe();
	for (i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind != ERIM_R_SWITCHED || rg->start == (uintptr_t)L->rt ||
		    rg->start == (uintptr_t)L->heap || rg->start == (uintptr_t)L->stacks)
			continue;    /* the entry/slot tables: code addresses and bookkeeping */
		/* liberim's signal stacks (erim_sigstack.c): PROT_NONE guard pages;
		 * the entry wipes each frame and the relay's stack after use, and
		 * the owner record holds thread ids only */
		if (erim__ro.sigstk_lo && rg->start < erim__ro.sigstk_lo &&
		    erim__ro.sigstk_lo < rg->end)
			continue;
		erim__zero_dirty(rg->start, rg->end);
	}
	for (i = 0; i <= n; i++) {
		/* the whole stack area, with the trusted thread block at its top
		 * (erim_tcb.c) -- except the running slot's block, still in use */
		uintptr_t lo = (uintptr_t)L->stacks + i * (L->stack_size + ERIM_STACK_GAP) +
		               ERIM_STACK_GAP;

		if (&t[i] == self)
			zero_own_stack(lo);
		else if (i == 0 || t[i].used)
			erim__zero_dirty(lo, lo + L->stack_size);
	}
	__atomic_store_n(&t[0].state, 0, __ATOMIC_RELEASE);
	return 0;
}

/* ---- untrusted: erim_fini's other steps ------------------------------------- */

/* Nothing changed yet: will the kernel let erim_fini untag and unseal?  A
 * no-op protection change on the read-only page (erim-tem refuses any change
 * to trusted memory when a key exists; mseal(2) refuses it on sealed memory),
 * and on every switched range with its current protection (key and guard
 * pages under mpk; under the mprotect back end with its switch lock held). */
int erim__fini_probe(uint32_t mode)
{
	const struct erim_layout *L = &erim__layout;
	long key = erim__ro.pkey;
	size_t stride = L->stack_size + ERIM_STACK_GAP;

	if (erim_sys3(SYS_mprotect, (long)&erim__ro_page, (long)ERIM_PAGE, PROT_READ) < 0 ||
	    erim_sys3(SYS_mprotect, (long)&erim__keys_page, (long)ERIM_PAGE, PROT_READ) < 0)
		return -EPERM;
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind == ERIM_R_GUARD &&
		    erim_sys4(SYS_pkey_mprotect, (long)rg->start, (long)(rg->end - rg->start), PROT_NONE,
		              mode == ERIM_MODE_MPK ? key : -1L) < 0)
			return -EPERM;   /* erim__fini_remap replaces the guards too */
	}
	if (mode == ERIM_MODE_MPROTECT)
		return erim__mp_probe();
	if (mode != ERIM_MODE_MPK) {
		/* none: plain read-write memory, but erim__fini_remap must be able
		 * to replace it (mseal(2) refuses that as it refuses mprotect) */
		for (uint32_t i = 0; i < erim__ro.nranges; i++) {
			const struct erim_rrange *rg = &erim__ro.ranges[i];

			if (rg->kind == ERIM_R_SWITCHED &&
			    erim_sys3(SYS_mprotect, (long)rg->start, (long)(rg->end - rg->start),
			              PROT_READ | PROT_WRITE) < 0)
				return -EPERM;
		}
		return 0;
	}
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind != ERIM_R_SWITCHED || rg->start == (uintptr_t)L->stacks)
			continue;
		if (erim_sys4(SYS_pkey_mprotect, (long)rg->start, (long)(rg->end - rg->start),
		              PROT_READ | PROT_WRITE, key) < 0)
			return -EPERM;
	}
	/* the signal stacks' range holds their guard pages: inaccessible again
	 * (the probe changes nothing, and erim_fini may still refuse; red team
	 * 60 noticed the guards left read-write after an -EBUSY) */
	for (uint64_t i = 0; i < erim__ro.sigstk_n; i++)
		if (erim_sys4(SYS_pkey_mprotect,
		              (long)(erim__ro.sigstk_lo + i * ERIM_SIGSTK_STRIDE),
		              ERIM_SIGSTK_GUARD, PROT_NONE, key) < 0)
			return -EPERM;
	for (size_t i = 0; i <= L->max_threads && L->stacks; i++) {
		uintptr_t g = (uintptr_t)L->stacks + i * stride;

		if (erim_sys4(SYS_pkey_mprotect, (long)g, (long)ERIM_STACK_GAP, PROT_NONE, key) < 0 ||
		    erim_sys4(SYS_pkey_mprotect, (long)(g + ERIM_STACK_GAP), (long)L->stack_size,
		              PROT_READ | PROT_WRITE, key) < 0)
			return -EPERM;
	}
	if (L->stacks &&
	    erim_sys4(SYS_pkey_mprotect, (long)((uintptr_t)L->stacks + (L->max_threads + 1) * stride),
	              (long)ERIM_STACK_GAP, PROT_NONE, key) < 0)
		return -EPERM;   /* the gap above the last stack */
	return 0;
}

/* The trusted wipe through the gate: 0, or -EBUSY with nothing changed. */
int erim__fini_wipe(void)
{
	long r = erim__fini_call();

	return r < 0 ? (int)r : 0;
}

/* After the untag (plain memory): the claimed slots go back to their threads,
 * the dead flag is cleared, the heap is set up again, empty. */
void erim__fini_reset(void)
{
	struct erim_slot *t = erim__ro.slots;

	if (t) {
		for (uint32_t i = 1; i <= erim__ro.nslots; i++)
			if (t[i].state == ERIM_SLOT_DEAD)
				t[i].state = ERIM_SLOT_IDLE;
		erim__rt_dead = 0;
	}
	if (erim__heap_ready())
		erim__heap_setup();
}

/* The point of no return, after the trusted wipe: every switched range
 * becomes fresh anonymous memory (MAP_FIXED: the old pages and whatever the
 * wipe missed are gone; the new ones are the kernel's zero pages, pkey 0,
 * read-write, which the program's trusted globals need).  The one exception
 * is the entry table at the start of the runtime region: it holds only what
 * erim_register_entries copied from untrusted code (code addresses, flags,
 * names), which gates need after erim_fini as direct calls; its pages are
 * untagged (mpk) or opened (mprotect) instead.  Guards become fresh
 * PROT_NONE memory (pkey 0).  In two steps: RUNTIME 0, every range but the
 * runtime region (the data: stacks, heap, globals -- while the gates still
 * load the trusted PKRU, nothing of the tables a gate trusts is writable);
 * RUNTIME 1, the runtime region (entry and slot tables, the heap's
 * metadata), after erim_init.c has closed the gates' PKRU values: red team
 * 60b (finiforge) forged an entry and its slot in the untagged tables and
 * ran its own function with the trusted key open.  0 or -errno. */
int erim__fini_remap(uint32_t mode, int runtime)
{
	const struct erim_layout *L = &erim__layout;
	uintptr_t tab_end = (uintptr_t)erim__ro.slots;   /* the slot table follows the entries */

	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];
		uintptr_t s = rg->start;
		long r = 0;

		if ((s == (uintptr_t)L->rt) != !!runtime)
			continue;
		if (rg->kind == ERIM_R_GUARD &&
		    mmap((void *)s, rg->end - s, PROT_NONE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			return -errno;
		if (rg->kind != ERIM_R_SWITCHED)
			continue;
		if (s == (uintptr_t)L->rt && tab_end > s && tab_end <= rg->end) {
			if (mode == ERIM_MODE_MPK)
				r = syscall(SYS_pkey_mprotect, s, tab_end - s,
				            (unsigned long)(PROT_READ | PROT_WRITE), 0L);
			else
				r = mprotect((void *)s, tab_end - s, PROT_READ | PROT_WRITE);
			if (r != 0)
				return -errno;
			s = tab_end;
		}
		if (s < rg->end &&
		    mmap((void *)s, rg->end - s, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			return -errno;
	}
	return 0;
}

#ifndef SYS_mseal
#define SYS_mseal 462   /* x86-64, Linux >= 6.10 */
#endif

/* The one-way latch: set it, seal the read-only page (and the page of PKRU
 * values, erim_init.c) again (PROT_READ) and,
 * where the kernel has mseal(2), make that permanent, so that not even a
 * system call of untrusted code can clear the latch.  0 or -errno. */
int erim__fini_latch(void)
{
	erim__ro.fini_done = 1;
	if (mprotect(&erim__ro_page, ERIM_PAGE, PROT_READ) != 0)
		return -errno;
	(void)syscall(SYS_mseal, (long)&erim__ro_page, (long)ERIM_PAGE, 0L);  /* best effort */
	(void)syscall(SYS_mseal, (long)&erim__keys_page, (long)ERIM_PAGE, 0L);
	return 0;
}

void erim__fini_halfway(const char *step, int err)
{
	erim__fatal("erim: erim_fini failed half-way (%s: error %d) after the trusted data "
	            "was wiped; isolation cannot be restored: process stopped\n", step, -err);
}
