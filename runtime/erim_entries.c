/* SPDX-License-Identifier: MIT */
/* erim_entries.c: the entry table -- registration (before erim_init) and
 * liberim's internal entry 0 (a thread's slot release at exit, and erim_fini's
 * trusted wipe).
 *
 * The gate (erim_gate.S) reads the table; it calls nothing here.  The wipe
 * belongs to erim_wipe.c, above this file: entry 0 reaches it through the
 * hook erim_init stores in the sealed read-only page (erim__ro.fini_trusted),
 * never through memory untrusted code can write. */
#include "config.h"

#include <errno.h>
#include <pthread.h>

#include "erim_internal.h"

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

/* S into DST[CAP], NUL-terminated, cut to fit with "..." at the end; "?"
 * for NULL.  A name in trusted memory (checked at its first byte and at
 * every page it enters) is not copied: the name table is printed to stderr
 * by refusals. */
static void name_copy(char *dst, size_t cap, const char *s)
{
	static const char hidden[] = "<name in trusted memory>";
	size_t n;

	if (!s)
		s = "?";
	for (n = 0;; n++) {
		uintptr_t a = (uintptr_t)s + n;

		if (s != hidden && (n == 0 || (a & (ERIM_PAGE - 1)) == 0) &&
		    erim_overlaps_trusted((const void *)a, 1)) {
			s = hidden;
			n = (size_t)-1;
			continue;
		}
		if (!s[n])
			break;
		if (n == cap - 1) {
			dst[n - 3] = dst[n - 2] = dst[n - 1] = '.';
			break;
		}
		dst[n] = s[n];
	}
	dst[n] = '\0';
}

/* Called by erim_init once the trusted globals are in the range registry,
 * before the runtime region is protected: every entry's names into the name
 * table, which refusals print with trusted rights (erim_gate_refuse.c).
 * Entries registered later (a registration racing erim_init) keep an empty
 * record there and are printed as "?.?". */
void erim__entries_names(void)
{
	pthread_mutex_lock(&reg_lock);
	for (uint32_t id = 0; id < erim__ro.nentries; id++) {
		const struct erim_ientry *e = &erim__ro.entries[id];
		struct erim_iname *nm = erim__iname(id);

		name_copy(nm->iface, sizeof nm->iface, e->iface);
		name_copy(nm->name, sizeof nm->name, e->name);
	}
	pthread_mutex_unlock(&reg_lock);
}

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

/* Entry 0, liberim's internal entry.  With a NULL argument: a thread that
 * used a gate gives its slot back when it exits (the pthread key destructor
 * runs in the untrusted domain, so it asks through the gate).  With
 * ERIM_INTERNAL_FINI: erim_fini's wipe of the trusted domain, which must run
 * with trusted rights (erim_wipe.c), through the hook in the sealed page
 * (erim_init stores it before sealing; NULL: no wipe).  The argument is
 * compared, never read.  With ERIM_INTERNAL_SIGSTACK: the calling thread gets
 * its signal stack in trusted memory (erim_sigstack.c, through the hook
 * erim__ro.sigstack_claim; -ENOSYS when the mechanism is off). */
static long release_entry(void *args)
{
	struct erim_slot *s = erim__my_slot();

	if (args == ERIM_INTERNAL_FINI) {
		long (*wipe)(struct erim_slot *) = erim__ro.fini_trusted;

		return wipe ? wipe(s) : -EINVAL;
	}
	if (args == ERIM_INTERNAL_SIGSTACK) {
		/* the calling thread's signal stack (erim_sigstack.c), through the
		 * hook in the sealed page; it reads nothing of the caller's */
		long (*claim)(void) = erim__ro.sigstack_claim;

		return claim ? claim() : -ENOSYS;
	}
	if (s)
		s->release = 1;
	return 0;
}

static const struct erim_entry release_tab[] = {
	{ "erim", "internal", release_entry, ERIM_ENTRY_PUBLIC },
};
/* Entry 0 of every table (erim__entries_init).  A constant, not a variable:
 * liberim's .data is untrusted memory, and a release_id redirected to a
 * public entry of the program that returns 0 made erim_fini skip the
 * trusted wipe and its busy check (red team 63, finiskip).  Registered once
 * the table has an entry (erim__ro.nentries: the sealed page). */
#define RELEASE_ID 0u

static int release_ready(void)
{
	return erim__ro.nentries != 0;
}

void erim__slot_thread_exit(void *unused)
{
	(void)unused;
	if (erim__tls_slot != 0 && erim_initialized() && release_ready())
		erim_gate_call(RELEASE_ID, NULL);
}

long erim__sigstack_call(void)
{
	if (!release_ready())
		return -EINVAL;
	return erim_gate_call(RELEASE_ID, ERIM_INTERNAL_SIGSTACK);
}

long erim__fini_call(void)
{
	if (!release_ready())
		return -EINVAL;
	return erim_gate_call(RELEASE_ID, ERIM_INTERNAL_FINI);
}

/* Called with reg_lock held (or from erim_init): the entry table lives in the
 * runtime region, reserved on first need.  Entry 0 is the first entry of
 * every (new) table: also of one reserved again by erim_init with other
 * sizes. */
int erim__entries_init(void)
{
	int r = erim__reserve_default();

	if (r < 0)
		return r;
	if (erim__ro.nentries == 0) {
		/* entry 0: the internal stack release (ids start at 1 for users) */
		struct erim_ientry *e = &erim__ro.entries[0];

		e->fn = release_tab[0].fn;
		e->flags = release_tab[0].flags;
		e->iface = release_tab[0].iface;
		e->name = release_tab[0].name;
		erim__ro.nentries = RELEASE_ID + 1;
		erim__thread_exit_init(erim__slot_thread_exit);
	}
	return 0;
}
