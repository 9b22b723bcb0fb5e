/* SPDX-License-Identifier: MIT */
/* erim_entries.c: the C half of the call gates -- the entry table, the
 * per-thread trusted-stack slots, the gate's slow path, callbacks, the
 * mprotect back end's switch hooks and the direct path used before erim_init.
 *
 * The fast path lives in erim_gate.S; whatever it does not handle (a thread's
 * first call, re-entry during a callback, anything that must be refused)
 * arrives in erim__gate_slow(), which runs in the trusted domain on the boot
 * stack while the gate holds the slow-path spin lock. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "erim_arch.h"
#include "erim_gate.h"
#include "erim_internal.h"

_Static_assert(__builtin_offsetof(struct erim_slow_out, tls) == ERIM_SLOW_TLS, "slow");

/* The index of this thread's trusted-stack slot (0: none yet).  Untrusted
 * code can write it, so it is only a hint: the gate reads and writes it with
 * untrusted rights only, checks it against the slot table and claims the slot
 * by CAS; trusted code finds its own slot from its stack pointer (my_slot). */
__thread uint32_t erim__tls_slot __attribute__((tls_model("initial-exec")));

/* Before erim_init (direct mode) callbacks have no slot; the allow list of the
 * running callback is kept per thread here instead. */
static __thread const unsigned *direct_allow;
static __thread size_t direct_nallow;
static __thread int direct_in_callback;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

int erim_register_entries(const struct erim_entry *tab, size_t n, unsigned *first_id)
{
	struct erim_ientry *e;
	int r = 0;

	if (!tab || !first_id)
		return -EINVAL;
	pthread_mutex_lock(&reg_lock);
	if (erim_initialized()) {
		r = -EPERM;
		goto out;
	}
	r = erim__entries_init();
	if (r < 0)
		goto out;
	if (n > ERIM_MAX_ENTRIES - erim__ro.nentries) {
		r = -ENOSPC;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!tab[i].fn) {
			r = -EINVAL;
			goto out;
		}
	e = erim__ro.entries + erim__ro.nentries;
	for (size_t i = 0; i < n; i++) {
		e[i].fn = tab[i].fn;
		e[i].flags = tab[i].flags;
		e[i].iface = tab[i].iface ? tab[i].iface : "?";
		e[i].name = tab[i].name ? tab[i].name : "?";
	}
	*first_id = erim__ro.nentries;
	erim__ro.nentries += (uint32_t)n;
out:
	pthread_mutex_unlock(&reg_lock);
	return r;
}

/* ---- refusals by trusted gate code ------------------------------------------
 * The slow path and erim_callback_call run with trusted rights, and a thread
 * reaching them controls its own %fs: libc's printf and write would read
 * locale data and write errno through it.  So they format here, with no libc
 * (only %s, %u, %zu, %lx and %#lx), and erim__die_msg writes the line with a
 * raw system call, drops to the untrusted PKRU and kills the process. */
__attribute__((noreturn)) void erim__die_msg(const char *msg, size_t len) ERIM_HIDDEN;

struct rbuf { char b[320]; size_t n; };

static void r_put(struct rbuf *r, const char *s)
{
	while (*s && r->n < sizeof r->b - 1)
		r->b[r->n++] = *s++;
}

static void r_num(struct rbuf *r, unsigned long v, unsigned base, int alt)
{
	char t[24];
	int i = 0;

	if (alt && base == 16)
		r_put(r, "0x");
	do {
		t[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i > 0 && r->n < sizeof r->b - 1)
		r->b[r->n++] = t[--i];
}

__attribute__((noreturn, format(printf, 3, 4)))
static void gate_refuse(const char *iface, const char *name, const char *fmt, ...)
{
	/* only n is set: an initialiser for the whole buffer is a memset call
	 * through the PLT under clang (-fno-builtin does not stop it; rt_noplt);
	 * the message is r.b[0..n) */
	struct rbuf r;
	va_list ap;

	r.n = 0;

	r_put(&r, "erim: ");
	r_put(&r, iface ? iface : "?");
	r_put(&r, ".");
	r_put(&r, name ? name : "?");
	r_put(&r, ": ");
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		int alt = 0;

		if (*p != '%') {
			if (r.n < sizeof r.b - 1)
				r.b[r.n++] = *p;
			continue;
		}
		p++;
		if (*p == '#') {
			alt = 1;
			p++;
		}
		if (*p == 's') {
			r_put(&r, va_arg(ap, const char *));
		} else if (*p == 'u') {
			r_num(&r, va_arg(ap, unsigned), 10, 0);
		} else if (p[0] == 'z' && p[1] == 'u') {
			r_num(&r, va_arg(ap, size_t), 10, 0);
			p++;
		} else if (p[0] == 'l' && p[1] == 'x') {
			r_num(&r, va_arg(ap, unsigned long), 16, alt);
			p++;
		} else {
			r_put(&r, "?");
			if (!*p)
				break;
		}
	}
	va_end(ap);
	r.b[r.n++] = '\n';
	erim__die_msg(r.b, r.n);
}

static int id_allowed(unsigned id, const unsigned *allow, size_t nallow)
{
	for (size_t i = 0; i < nallow; i++)
		if (allow[i] == id)
			return 1;
	return 0;
}

static const struct erim_ientry *entry_or_refuse(unsigned id)
{
	if (id >= erim__ro.nentries)
		gate_refuse("erim", "gate", "unknown entry id %u (%u registered)", id,
		            erim__ro.nentries);
	return &erim__ro.entries[id];
}

/* Before erim_init: same refusals, no isolation, no trusted stack. */
long erim__gate_direct(unsigned id, void *args)
{
	const struct erim_ientry *e = entry_or_refuse(id);
	int saved;
	long r;

	if (!(e->flags & ERIM_ENTRY_PUBLIC) &&
	    !(direct_in_callback && id_allowed(id, direct_allow, direct_nallow)))
		erim_refuse(e->iface, e->name, "not callable from untrusted code here "
		            "(non-public, and no callback allows it)");
	saved = direct_in_callback;
	direct_in_callback = 0;
	r = e->fn(args);
	direct_in_callback = saved;
	return r;
}

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
static struct erim_slot *my_slot(void)
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
	const struct erim_ientry *e = entry_or_refuse(id);
	uint32_t idx = hint;
	struct erim_slot *s;
	uint32_t st;

	out->tls = (uint64_t)-1;
	if (erim__rt_dead)
		gate_refuse(e->iface, e->name, "erim_fini has wiped the trusted domain: "
		            "no trusted code runs any more");
	if (idx == 0) {
		for (idx = 1; idx <= erim__ro.nslots; idx++)
			if (__atomic_load_n(&erim__ro.slots[idx].state, __ATOMIC_ACQUIRE) == ERIM_SLOT_FREE)
				break;
		if (idx > erim__ro.nslots)
			gate_refuse(e->iface, e->name, "no free trusted stack (%u threads "
			            "already use one; raise max_threads)", erim__ro.nslots);
		s = &erim__ro.slots[idx];
		/* every thread passes here before its first trusted call: it must
		 * have no rseq area registered (erim_tcb.c) */
		const char *why = erim__rseq_close(s, ufs);
		if (why)
			gate_refuse(e->iface, e->name, "refused: %s", why);
		s->release = 0;
		s->depth = 0;
		s->allow = NULL;
		s->nallow = 0;
		s->cb_rsp = 0;
		s->used = 1;
		__atomic_store_n(&s->state, ERIM_SLOT_IDLE, __ATOMIC_RELEASE);
		out->slot = s;
		out->fn = NULL;
		out->tls = idx;
		return;
	}
	if (idx > erim__ro.nslots)
		gate_refuse(e->iface, e->name, "trusted stack index %u from thread-local "
		            "storage is invalid (TLS tampered with?)", idx);
	s = &erim__ro.slots[idx];
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if (st == ERIM_SLOT_IDLE) {
		if (!(e->flags & ERIM_ENTRY_PUBLIC))
			gate_refuse(e->iface, e->name, "non-public entry called from "
			            "untrusted code outside an allowing callback");
		if (!__atomic_compare_exchange_n(&s->state, &st, ERIM_SLOT_BUSY, 0,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			gate_refuse(e->iface, e->name, "trusted stack %u claimed by another "
			            "thread (TLS tampered with?)", idx);
		out->rsp = s->stack_top;
		out->exit_state = ERIM_SLOT_IDLE;
	} else if (st == ERIM_SLOT_CALLBACK) {
		const struct erim_cbframe *f = (const struct erim_cbframe *)s->cb_rsp;

		/* only the thread the innermost callback frame left on may nest on it */
		if (!f || f->tid != erim__gettid())
			gate_refuse(e->iface, e->name, "trusted stack %u is waiting for a "
			            "callback of another thread (TLS points at another "
			            "thread's slot?)", idx);
		if (!(e->flags & ERIM_ENTRY_PUBLIC) && !id_allowed(id, s->allow, s->nallow))
			gate_refuse(e->iface, e->name, "re-entry not allowed by the running "
			            "callback");
		/* every level waits in one callback frame: count them (bounded) */
		unsigned levels = 0;
		for (uintptr_t p = s->cb_rsp; p && levels <= ERIM_MAX_NEST;
		     p = ((const struct erim_cbframe *)p)->prev)
			levels++;
		if (levels >= ERIM_MAX_NEST)
			gate_refuse(e->iface, e->name, "callback -> gate re-entry nested %u "
			            "levels deep on trusted stack %u (limit %u): refused "
			            "before the trusted stack overflows", levels, idx,
			            (unsigned)ERIM_MAX_NEST);
		if (!__atomic_compare_exchange_n(&s->state, &st, ERIM_SLOT_BUSY, 0,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			gate_refuse(e->iface, e->name, "trusted stack %u claimed by another "
			            "thread (TLS tampered with?)", idx);
		/* nest below the frame that is waiting for the callback */
		out->rsp = (s->cb_rsp - 128) & ~(uintptr_t)15;
		out->exit_state = ERIM_SLOT_CALLBACK;
	} else if (st == ERIM_SLOT_BUSY) {
		gate_refuse(e->iface, e->name, "trusted stack %u is in use by another "
		            "thread (TLS points at another thread's slot?)", idx);
	} else {
		gate_refuse(e->iface, e->name, "trusted stack %u is not allocated "
		            "(TLS tampered with?)", idx);
	}
	out->slot = s;
	out->fn = e->fn;
}

/* Entry 0, liberim's internal entry.  With a NULL argument: a thread that
 * used a gate gives its slot back when it exits (the pthread key destructor
 * runs in the untrusted domain, so it asks through the gate).  With
 * ERIM_INTERNAL_FINI: erim_fini's wipe of the trusted domain, which must run
 * with trusted rights (erim_wipe.c).  The argument is compared, never read. */
static long release_entry(void *args)
{
	struct erim_slot *s = my_slot();

	if (args == ERIM_INTERNAL_FINI)
		return erim__fini_trusted(s);
	if (s)
		s->release = 1;
	return 0;
}

static const struct erim_entry release_tab[] = {
	{ "erim", "internal", release_entry, ERIM_ENTRY_PUBLIC },
};
static unsigned release_id = ~0u;
static pthread_key_t exit_key;
static int exit_key_ok;

void erim__slot_thread_exit(void *unused)
{
	(void)unused;
	if (erim__tls_slot != 0 && erim_initialized() && release_id != ~0u)
		erim_gate_call(release_id, NULL);
}

long erim__fini_call(void)
{
	if (release_id == ~0u)
		return -EINVAL;
	return erim_gate_call(release_id, ERIM_INTERNAL_FINI);
}

/* Called with reg_lock held (or from erim_init): the entry table lives in the
 * runtime region, reserved on first need. */
int erim__entries_init(void)
{
	int r = erim__reserve_default();

	if (r < 0)
		return r;
	if (release_id == ~0u) {
		/* entry 0: the internal stack release (ids start at 1 for users) */
		struct erim_ientry *e = &erim__ro.entries[erim__ro.nentries];

		e->fn = release_tab[0].fn;
		e->flags = release_tab[0].flags;
		e->iface = release_tab[0].iface;
		e->name = release_tab[0].name;
		release_id = erim__ro.nentries++;
		if (pthread_key_create(&exit_key, erim__slot_thread_exit) == 0)
			exit_key_ok = 1;
	}
	return 0;
}

/* Make sure the thread-exit hook runs for this thread.  Called by the gate
 * with untrusted rights, after a thread's first call got it a slot. */
void erim__note_thread(void)
{
	if (exit_key_ok && !pthread_getspecific(exit_key))
		pthread_setspecific(exit_key, (void *)1);
}

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

/* Before erim_init (and after erim_fini) there is no trusted domain: the
 * callback runs directly and the allow list lives in TLS.  Kept out of line so
 * that erim_callback_call's trusted path has no TLS (__tls_get_addr) call. */
static __attribute__((noinline)) long callback_direct(erim_entry_fn fn, void *args,
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
		return callback_direct(fn, args, allow, nallow);
	/* the slot from our own stack pointer, never from TLS */
	s = my_slot();
	if (!s || __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != ERIM_SLOT_BUSY)
		gate_refuse("erim", "callback", "erim_callback_call outside trusted code "
		            "entered through a gate");
	if (args_size > (erim__ro.slots[1].stack_top - erim__ro.slots[0].stack_top) / 4)
		gate_refuse("erim", "callback", "callback arguments of %zu bytes do not "
		            "fit on the untrusted stack", args_size);
	/* The copy goes below the untrusted stack pointer of the innermost gate
	 * entry -- a value untrusted code chose -- and is written with trusted
	 * rights: everything from the copy up to that stack pointer must lie
	 * outside trusted memory, without wrapping. */
	usp = s->usp;
	if (usp < 4096 + 256 + args_size + 64)
		gate_refuse("erim", "callback", "the untrusted stack pointer %#lx leaves no "
		            "room for %zu bytes of callback arguments", (unsigned long)usp,
		            args_size);
	dest = (usp - 256 - args_size) & ~(uintptr_t)63;
	if (range_trusted(dest, usp))
		gate_refuse("erim", "callback", "the callback's argument copy at %#lx "
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
		s = my_slot();
		return s && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == ERIM_SLOT_BUSY;
	}
}

/* ---- mprotect back end ------------------------------------------------------
 * Process-wide: the trusted ranges are accessible while any thread is inside
 * a gate.  The counter lives in untrusted memory by necessity (it is read
 * while the ranges are closed); untrusted code can call mprotect itself
 * anyway, so this back end isolates only between switches. */
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
