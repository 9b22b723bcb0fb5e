/* SPDX-License-Identifier: MIT */
/* erim_mp.c: the mprotect back end's switch hooks, called by the gate
 * (erim_gate.S, through erim__mp_open_regs/erim__mp_close_regs).
 * Process-wide: the trusted ranges are accessible while any thread is inside
 * a gate.  The counter lives in untrusted memory by necessity (it is read
 * while the ranges are closed); untrusted code can call mprotect itself
 * anyway, so this back end isolates only between switches. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "erim_internal.h"

static pthread_mutex_t mp_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long mp_open_count;

static void mp_set(int prot)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *r = &erim__ro.ranges[i];

		if (r->kind != ERIM_R_SWITCHED)
			continue;
		if (mprotect((void *)r->start, r->end - r->start, prot) != 0)
			erim__fatal("erim: mprotect back end: mprotect(%p, %zu) failed: %s\n",
			            (void *)r->start, (size_t)(r->end - r->start), strerror(errno));
	}
}

void erim__mp_open(void)
{
	pthread_mutex_lock(&mp_lock);
	if (mp_open_count++ == 0)
		mp_set(PROT_READ | PROT_WRITE);
	pthread_mutex_unlock(&mp_lock);
}

void erim__mp_close(void)
{
	pthread_mutex_lock(&mp_lock);
	if (mp_open_count > 0 && --mp_open_count == 0)
		mp_set(PROT_NONE);
	pthread_mutex_unlock(&mp_lock);
}

/* erim_fini's probe: re-apply the switched ranges' current protection under
 * the lock (no gate can switch meanwhile); -EPERM if the kernel refuses
 * (mseal(2)). */
int erim__mp_probe(void)
{
	int r = 0;

	pthread_mutex_lock(&mp_lock);
	for (uint32_t i = 0; i < erim__ro.nranges && r == 0; i++) {
		const struct erim_rrange *g = &erim__ro.ranges[i];

		if (g->kind == ERIM_R_SWITCHED &&
		    mprotect((void *)g->start, g->end - g->start,
		             mp_open_count ? PROT_READ | PROT_WRITE : PROT_NONE) != 0)
			r = -EPERM;
	}
	pthread_mutex_unlock(&mp_lock);
	return r;
}

int erim__mp_is_open(void)
{
	return __atomic_load_n(&mp_open_count, __ATOMIC_ACQUIRE) > 0;
}

void erim__mp_reset(void)
{
	mp_open_count = 0;
}
