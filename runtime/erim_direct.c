/* SPDX-License-Identifier: MIT */
/* erim_direct.c: the direct path -- gate calls and callbacks before erim_init
 * (and after erim_fini), when there is no trusted domain: the same refusals,
 * no isolation, no trusted stack.  The allow list of the running callback is
 * kept per thread here (there are no slots yet); this file owns that state.
 * erim_gate_call (erim_gate.S) dispatches here in direct mode, and
 * erim_callback_call (erim_callback.c) calls erim__callback_direct. */
#include "config.h"

#include "erim_internal.h"

static __thread const unsigned *direct_allow;
static __thread size_t direct_nallow;
static __thread int direct_in_callback;

long erim__gate_direct(unsigned id, void *args)
{
	const struct erim_ientry *e = erim__entry_or_refuse(id);
	int saved;
	long r;

	if (!(e->flags & ERIM_ENTRY_PUBLIC) &&
	    !(direct_in_callback && erim__id_allowed(id, direct_allow, direct_nallow)))
		erim_refuse(e->iface, e->name, "not callable from untrusted code here "
		            "(non-public, and no callback allows it)");
	saved = direct_in_callback;
	direct_in_callback = 0;
	r = e->fn(args);
	direct_in_callback = saved;
	return r;
}

/* Kept out of line so that erim_callback_call's trusted path has no TLS
 * (__tls_get_addr) call. */
__attribute__((noinline)) long erim__callback_direct(erim_entry_fn fn, void *args,
                                                     const unsigned *allow, size_t nallow)
{
	const unsigned *sa = direct_allow;
	size_t sn = direct_nallow;
	int sc = direct_in_callback;
	long r;

	direct_allow = allow;
	direct_nallow = allow ? nallow : 0;
	direct_in_callback = 1;
	r = fn(args);
	direct_allow = sa;
	direct_nallow = sn;
	direct_in_callback = sc;
	return r;
}
