/* SPDX-License-Identifier: MIT */
/* erim_callback.c: erim_callback_call -- trusted code calling back into
 * untrusted code through the callback gates erim__cb_KIND (erim_gate.S) --
 * and erim_in_trusted.  Above the gate: it finds its slot from its own stack
 * pointer (erim_slots.c), refuses through erim_gate_refuse.c and runs
 * callbacks directly before erim_init (erim_direct.c). */
#include "config.h"

#include <errno.h>

#include "erim_arch.h"
#include "erim_gate.h"
#include "erim_internal.h"

/* Non-zero if [a, e) overlaps a trusted range (a < e).  The registry is in
 * the read-only page: no call through anything untrusted code can redirect. */
static int range_trusted(uintptr_t a, uintptr_t e)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *r = &erim__ro.ranges[i];

		if (r->start >= e)
			break;
		if (r->end > a)
			return 1;
	}
	return 0;
}

long erim_callback_call(erim_entry_fn fn, void *args, size_t args_size,
                        const unsigned *allow, size_t nallow)
{
	uint32_t mode = erim__ro.mode;
	struct erim_slot *s;
	const unsigned *oallow;
	size_t onallow;
	uintptr_t usp, dest;
	long r;

	if (!fn)
		return -EINVAL;
	if (mode == ERIM_MODE_DIRECT)
		return erim__callback_direct(fn, args, allow, nallow);
	/* the slot from our own stack pointer, never from TLS */
	s = erim__my_slot();
	if (!s || __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != ERIM_SLOT_BUSY)
		erim__gate_refuse(NULL, "callback", "erim_callback_call outside trusted code "
		                  "entered through a gate");
	if (args_size > (erim__ro.slots[1].stack_top - erim__ro.slots[0].stack_top) / 4)
		erim__gate_refuse(NULL, "callback", "callback arguments of %zu bytes do not "
		                  "fit on the untrusted stack", args_size);
	/* The copy goes below the untrusted stack pointer of the innermost gate
	 * entry -- a value untrusted code chose -- and is written with trusted
	 * rights: everything from the copy up to that stack pointer must lie
	 * outside trusted memory, without wrapping. */
	usp = s->usp;
	if (usp < 4096 + 256 + args_size + 64)
		erim__gate_refuse(NULL, "callback", "the untrusted stack pointer %#lx leaves no "
		                  "room for %zu bytes of callback arguments", (unsigned long)usp,
		                  args_size);
	dest = (usp - 256 - args_size) & ~(uintptr_t)63;
	if (range_trusted(dest, usp))
		erim__gate_refuse(NULL, "callback", "the callback's argument copy at %#lx "
		                  "(untrusted stack pointer %#lx) would overlap trusted memory",
		                  (unsigned long)dest, (unsigned long)usp);
	oallow = s->allow;
	onallow = s->nallow;
	s->allow = allow;
	s->nallow = allow ? nallow : 0;
	if (mode == ERIM_MODE_MPK)
		r = erim__cb_mpk(fn, args, args_size, s, (void *)dest, erim__gettid());
	else if (mode == ERIM_MODE_MPROTECT)
		r = erim__cb_mprot(fn, args, args_size, s, (void *)dest, erim__gettid());
	else
		r = erim__cb_none(fn, args, args_size, s, (void *)dest, erim__gettid());
	/* the gate resumed exactly this frame, on this thread, on slot s */
	s->allow = oallow;
	s->nallow = onallow;
	return r;
}

int erim_in_trusted(void)
{
	struct erim_slot *s;

	switch (erim__ro.mode) {
	case ERIM_MODE_DIRECT:
		return 1;      /* start-up (before erim_init) is trusted */
	case ERIM_MODE_MPK:
		return (erim_rdpkru() & ERIM_PKRU_AD(erim__ro.pkey)) == 0;
	default:
		if (erim__ro.mode == ERIM_MODE_MPROTECT && !erim__mp_is_open())
			return 0;
		s = erim__my_slot();
		return s && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == ERIM_SLOT_BUSY;
	}
}

