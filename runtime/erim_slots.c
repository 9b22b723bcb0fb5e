/* SPDX-License-Identifier: MIT */
/* erim_slots.c: the per-thread trusted-stack slots and the gate's slow path.
 *
 * The slot table lives in the runtime region (trusted key); its base and
 * count are in the sealed read-only page.  The fast path (erim_gate.S)
 * claims an idle slot by CAS; whatever it does not handle (a thread's first
 * call, re-entry during a callback, anything that must be refused) arrives
 * in erim__gate_slow(), which runs in the trusted domain on the boot stack
 * while the gate holds the slow-path spin lock.  Below the gate: it calls
 * only the refusals (erim_gate_refuse.c) and the rseq check (erim_tcb.c). */
#include "config.h"

#include <string.h>

#include "erim_gate.h"
#include "erim_internal.h"

_Static_assert(__builtin_offsetof(struct erim_slow_out, tls) == ERIM_SLOW_TLS, "slow");

/* The index of this thread's trusted-stack slot (0: none yet).  Untrusted
 * code can write it, so it is only a hint: the gate reads and writes it with
 * untrusted rights only, checks it against the slot table and claims the slot
 * by CAS; trusted code finds its own slot from its stack pointer (erim__my_slot). */
__thread uint32_t erim__tls_slot __attribute__((tls_model("initial-exec")));

/* Slot 0's stack is the boot stack of the slow path; threads use 1..nslots. */
void erim__slots_init(void)
{
	struct erim_slot *s = erim__ro.slots;
	uintptr_t base = (uintptr_t)erim__layout.stacks;
	size_t stride = erim__layout.stack_size + ERIM_STACK_GAP;

	for (size_t i = 0; i <= erim__layout.max_threads; i++) {
		memset(&s[i], 0, sizeof s[i]);
		/* [guard gap][stack]: the 1 MiB PROT_NONE gap catches an overflow */
		s[i].stack_top = (base + i * stride + stride) & ~(uintptr_t)15;
	}
	erim__ro.nslots = (uint32_t)erim__layout.max_threads;
}

/* The slot whose trusted stack the caller runs on, found from the stack
 * pointer (a register untrusted code cannot set for trusted code) and the
 * slot table in trusted memory; NULL when not on a thread slot's stack. */
struct erim_slot *erim__my_slot(void)
{
	volatile char here;
	uintptr_t sp = (uintptr_t)&here, base, stride, idx;
	struct erim_slot *t = erim__ro.slots;

	if (!t || erim__ro.nslots == 0)
		return NULL;
	base = t[0].stack_top;           /* slot 1's stack starts where slot 0's ends */
	stride = t[1].stack_top - t[0].stack_top;
	if (sp < base || stride == 0)
		return NULL;
	idx = (sp - base) / stride + 1;
	if (idx > erim__ro.nslots || sp < t[idx - 1].stack_top || sp >= t[idx].stack_top)
		return NULL;
	return &t[idx];
}

/* Runs on the boot stack, trusted, under the slow-path lock, with HINT, the
 * slot index the gate read from TLS (with untrusted rights), and UFS, the
 * caller's fs base (the gate runs this on slot 0's trusted thread block).
 * Either fills
 * OUT with a claimed slot, or (a thread's first call) reserves a slot and
 * asks the gate to leave, store it in TLS and start over (OUT->fn NULL), or
 * stops the process. */
void erim__gate_slow(unsigned id, uint32_t hint, struct erim_slow_out *out, uintptr_t ufs)
{
	const struct erim_ientry *e = erim__entry_or_refuse(id);
	uint32_t idx = hint;
	struct erim_slot *s;
	uint32_t st;

	out->tls = (uint64_t)-1;
	if (erim__rt_dead)
		erim__gate_refuse(e, NULL, "erim_fini has wiped the trusted domain: "
		                  "no trusted code runs any more");
	if (idx == 0) {
		for (idx = 1; idx <= erim__ro.nslots; idx++)
			if (__atomic_load_n(&erim__ro.slots[idx].state, __ATOMIC_ACQUIRE) == ERIM_SLOT_FREE)
				break;
		if (idx > erim__ro.nslots)
			erim__gate_refuse(e, NULL, "no free trusted stack (%u threads "
			                  "already use one; raise max_threads)", erim__ro.nslots);
		s = &erim__ro.slots[idx];
		/* every thread passes here before its first trusted call: it must
		 * have no rseq area registered (erim_tcb.c) */
		const char *why = erim__rseq_close(s, ufs);
		if (why)
			erim__gate_refuse(e, NULL, "refused: %s", why);
		s->release = 0;
		s->depth = 0;
		s->allow = NULL;
		s->nallow = 0;
		s->cb_rsp = 0;
		s->used = 1;
		/* glibc's identity of this thread inside trusted code: the kernel
		 * tid (a system call, not memory), in the slot's trusted block
		 * (erim_tcb.c: recursive/error-checking mutexes and rwlocks key on it) */
		if (erim__ro.tid_off && s->tcb)
			*(volatile int32_t *)(s->tcb + erim__ro.tid_off) = (int32_t)erim__gettid();
		__atomic_store_n(&s->state, ERIM_SLOT_IDLE, __ATOMIC_RELEASE);
		out->slot = s;
		out->fn = NULL;
		out->tls = idx;
		return;
	}
	if (idx > erim__ro.nslots)
		erim__gate_refuse(e, NULL, "trusted stack index %u from thread-local "
		                  "storage is invalid (TLS tampered with?)", idx);
	s = &erim__ro.slots[idx];
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if (st == ERIM_SLOT_IDLE) {
		if (!(e->flags & ERIM_ENTRY_PUBLIC))
			erim__gate_refuse(e, NULL, "non-public entry called from "
			                  "untrusted code outside an allowing callback");
		if (!__atomic_compare_exchange_n(&s->state, &st, ERIM_SLOT_BUSY, 0,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			erim__gate_refuse(e, NULL, "trusted stack %u claimed by another "
			                  "thread (TLS tampered with?)", idx);
		out->rsp = s->stack_top;
		out->exit_state = ERIM_SLOT_IDLE;
	} else if (st == ERIM_SLOT_CALLBACK) {
		const struct erim_cbframe *f = (const struct erim_cbframe *)s->cb_rsp;

		/* only the thread the innermost callback frame left on may nest on it */
		if (!f || f->tid != erim__gettid())
			erim__gate_refuse(e, NULL, "trusted stack %u is waiting for a "
			                  "callback of another thread (TLS points at another "
			                  "thread's slot?)", idx);
		if (!(e->flags & ERIM_ENTRY_PUBLIC) && !erim__id_allowed(id, s->allow, s->nallow))
			erim__gate_refuse(e, NULL, "re-entry not allowed by the running "
			                  "callback");
		/* every level waits in one callback frame: count them (bounded) */
		unsigned levels = 0;
		for (uintptr_t p = s->cb_rsp; p && levels <= ERIM_MAX_NEST;
		     p = ((const struct erim_cbframe *)p)->prev)
			levels++;
		if (levels >= ERIM_MAX_NEST)
			erim__gate_refuse(e, NULL, "callback -> gate re-entry nested %u "
			                  "levels deep on trusted stack %u (limit %u): refused "
			                  "before the trusted stack overflows", levels, idx,
			                  (unsigned)ERIM_MAX_NEST);
		if (!__atomic_compare_exchange_n(&s->state, &st, ERIM_SLOT_BUSY, 0,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			erim__gate_refuse(e, NULL, "trusted stack %u claimed by another "
			                  "thread (TLS tampered with?)", idx);
		/* nest below the frame that is waiting for the callback */
		out->rsp = (s->cb_rsp - 128) & ~(uintptr_t)15;
		out->exit_state = ERIM_SLOT_CALLBACK;
	} else if (st == ERIM_SLOT_BUSY) {
		erim__gate_refuse(e, NULL, "trusted stack %u is in use by another "
		                  "thread (TLS points at another thread's slot?)", idx);
	} else {
		erim__gate_refuse(e, NULL, "trusted stack %u is not allocated "
		                  "(TLS tampered with?)", idx);
	}
	out->slot = s;
	out->fn = e->fn;
}

