/* SPDX-License-Identifier: MIT */
/* erim_lock.h: a spin lock for trusted paths (the heap).  pthread_mutex_lock
 * would be a libc call through the GOT from code running with the trusted
 * PKRU; this lock is one word in trusted memory and two atomic instructions.
 * Trusted code holds it for a few hundred instructions at most (no system
 * call, no allocation under it); waiters PAUSE and then yield the CPU. */
#ifndef ERIM_LOCK_H
#define ERIM_LOCK_H

#include <stdint.h>

#include "erim_sys.h"

typedef struct { uint32_t v; } erim_lock_t;

static inline void erim_lock(erim_lock_t *l)
{
	unsigned spins = 0;

	while (__atomic_exchange_n(&l->v, 1u, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED) != 0) {
			if (++spins < 1000)
				__asm__ volatile("pause");
			else
				erim_sys1(SYS_sched_yield, 0);
		}
	}
}

static inline void erim_unlock(erim_lock_t *l)
{
	__atomic_store_n(&l->v, 0u, __ATOMIC_RELEASE);
}

#endif /* ERIM_LOCK_H */
