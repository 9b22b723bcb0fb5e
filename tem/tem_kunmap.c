/* SPDX-License-Identifier: MIT */
/* tem_kunmap.c: calls after which the kernel unmaps a range it remembered,
 * not one the call names.
 *
 *  - io_destroy unmaps an AIO context's ring at the address and size the
 *    kernel recorded at io_setup.  mremap carries the recorded address
 *    along with the ring but keeps the size: a ring shrunk and moved to end
 *    just below trusted memory took the trusted pages with it at
 *    io_destroy, and MAP_FIXED_NOREPLACE then filled the hole (red team
 *    34b, atk34b_aio_unmap: a secret page replaced by the attacker's;
 *    rt34b_aio_key: liberim's gate stack replaced by a memfd, then a
 *    forged return address run with trusted rights).
 *  - io_setup does the same when its write of the context id faults: the
 *    ring is unmapped at its recorded address and size, wherever another
 *    thread moved it meanwhile (red team 35a, atk35a_setup_unmap: blocked
 *    then only because every mremap holds the other threads).
 *  - brk below the current break unmaps everything in [new, old), whatever
 *    is mapped there now: a hole untrusted code made in its own heap may
 *    have been refilled since.
 *
 * No such range is in the call's arguments, so all three are judged on the
 * result: every other task of the address space is held from the seccomp
 * stop to the exit stop, the mappings that overlap trusted or frozen
 * memory are summed up (start, end, permissions, inode) before the call
 * and after it, and any difference stops the process (SIGKILL: no task of
 * it runs again, and what was unmapped was never refilled).  brk(0), the
 * query, changes nothing and is not held; nor is a brk that grows the heap
 * past erim-tem's upper bound of the break, with no other brk of the
 * address space in flight (growth never unmaps): the bound is raised, at
 * the exit stop or, for a task alone in its group, at once (no exit
 * stop).  Trusted callers' brk calls only move the bound. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "tem.h"
#include "tem_table.h"

struct digest {
	const struct tem_proc *p;
	uint64_t hash, n;
};

static int guarded(const struct tem_proc *p, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < p->nranges; i++)
		if (s < p->range[i].end && p->range[i].start < e)
			return 1;
	for (i = 0; i < p->nfrozen; i++)
		if (s < p->frozen[i].end && p->frozen[i].start < e)
			return 1;
	return 0;
}

static void mix(struct digest *d, uint64_t v)
{
	for (int i = 0; i < 8; i++) {   /* FNV-1a, byte by byte */
		d->hash ^= (v >> (8 * i)) & 0xff;
		d->hash *= 0x100000001b3ull;
	}
}

static int add_vma(const struct tem_mapent *m, void *arg)
{
	struct digest *d = arg;

	if (!guarded(d->p, m->start, m->end))
		return 0;
	mix(d, m->start);
	mix(d, m->end);
	mix(d, m->ino);
	mix(d, (uint64_t)(unsigned char)m->perms[0] | (uint64_t)(unsigned char)m->perms[1] << 8 |
	       (uint64_t)(unsigned char)m->perms[2] << 16 | (uint64_t)(unsigned char)m->perms[3] << 24);
	d->n++;
	return 0;
}

/* The digest of the guarded mappings of C's address space: 0, or -errno. */
static int digest_of(const struct tem_call *c, struct digest *d)
{
	struct tem_maps_walk w;

	d->p = c->t->proc;
	d->hash = 0xcbf29ce484222325ull;
	d->n = 0;
	w = tem_maps_each(c->t->tid, 0, UINT64_MAX, 0, add_vma, d);
	if (w.res == TEM_MAPS_UNREADABLE)
		return -(w.err ? w.err : EIO);
	return 0;
}

/* brk_known is an upper bound of the break (brk returns the break it
 * leaves, never an error number): exact after a judged call, raised to
 * what an unjudged one may have left. */
static void raise_known(struct tem_proc *p, uint64_t v)
{
	if (v > p->brk_known)
		p->brk_known = v;
}

static void exit_brk_record(struct tem_call *c, long ret)
{
	if (c->t->proc->brk_inflight > 0)
		c->t->proc->brk_inflight--;
	raise_known(c->t->proc, ret > 0 ? (uint64_t)ret : 0);
}

/* 1 if T is the only task of its group that can run (no other could make
 * a brk of the address space at the same time). */
static int alone(const struct tem_thread *t)
{
	size_t i, n;
	struct tem_thread *const *all = tem_all_threads(&n);

	for (i = 0; i < n; i++)
		if (all[i] != t && all[i]->grp == t->grp && !all[i]->doomed)
			return 0;
	return 1;
}

static void exit_kernel_unmap(struct tem_call *c, long ret)
{
	struct digest d;
	int rc = digest_of(c, &d);

	if (c->nr == SYS_brk)
		c->t->proc->brk_known = ret > 0 ? (uint64_t)ret : 0;   /* exact: every other task was held */
	if (rc != 0)
		snprintf(c->why, sizeof c->why, "refused (the memory map could not be read after the call: %s): "
		         "process stopped", strerror(-rc));
	else if (d.hash != c->x[0] || d.n != c->x[1])
		snprintf(c->why, sizeof c->why, "refused (the kernel unmapped or changed trusted or frozen memory "
		         "at a range it remembered, not one the call named: %" PRIu64 " guarded mapping(s) before, %"
		         PRIu64 " after): process stopped", c->x[1], d.n);
	else
		return;
	c->kill = 1;
}

void tem_chk_kernel_unmap(struct tem_call *c)
{
	struct tem_proc *p = c->t->proc;
	struct digest d;
	int rc;

	if (!p->registered || (c->nr == SYS_brk && c->a[0] == 0))
		return;   /* nothing guarded yet; or the query */
	if (c->nr == SYS_brk &&
	    (c->trusted || (p->brk_known && c->a[0] >= p->brk_known && p->brk_inflight == 0))) {
		if (alone(c->t)) {
			raise_known(p, c->a[0]);   /* no exit stop: the break is A0 or stays */
			return;
		}
		p->brk_inflight++;   /* a held (judged) brk is never in flight with another */
		c->on_exit = exit_brk_record;
		tem_call_undo(c, TEM_UNDO_NONE);
		return;
	}
	c->needs_freeze = 1;   /* no task of the address space runs until the result is judged */
	tem_call_undo(c, TEM_UNDO_VM);
	if ((rc = digest_of(c, &d)) != 0) {
		/* brk's failure is the old break, not -errno: no refusal fits */
		c->kill = 1;
		snprintf(c->why, sizeof c->why, "refused (the memory map could not be read: %s): process stopped",
		         strerror(-rc));
		return;
	}
	c->x[0] = d.hash;
	c->x[1] = d.n;
	c->on_exit = exit_kernel_unmap;
}
