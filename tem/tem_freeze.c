/* SPDX-License-Identifier: MIT */
/* tem_freeze.c: frozen memory.  Once a process registered, the code that
 * can run with trusted rights and the tables it jumps through must stay what
 * start-up left: otherwise untrusted code replaces a trusted function's page
 * (mmap(MAP_FIXED) of a patched copy, granted RX because it holds no WRPKRU)
 * or makes a GOT writable again and points it elsewhere.
 *
 * At registration every executable mapping (the program, every library,
 * liberim, the vDSO and its [vvar] data, anonymous code, anonymous read-only trusted ranges such as
 * liberim's PLT slot copies) is frozen, and so is every other mapping
 * of an object that has one (its RELRO/GOT, read-only data, liberim's sealed
 * page and data, and the anonymous .bss right after that data).  A FULL frozen range can no longer be replaced (mmap
 * MAP_FIXED, mremap onto it, shmat over it), moved or unmapped (munmap,
 * mremap from it), madvised (anything but harmless hints), re-keyed
 * (pkey_mprotect) or given permissions beyond those it had (its ceiling;
 * writable data keeps read+write, so the mprotect back end's gates still
 * work).  Tightening is always allowed.
 *
 * Objects dlopen'ed later: ld.so maps them, relocates, then mprotects the
 * RELRO read-only.  That tightening (no write, on a file of the exec-file
 * registry) makes the range LATE-frozen: it never becomes writable again.
 * dlclose must still unmap it, so a LATE range can be unmapped or replaced
 * (the entry goes with it); trusted code does not run through the GOT of an
 * object untrusted code loaded. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "tem.h"
#include "erim_procline.h"
#include "tem_table.h"

#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

struct fvma {
	uint64_t start, end, ino;
	unsigned maj, min;
	char perms[5];
	int special;     /* [vdso] and friends */
	int named;       /* a path or a [name] follows */
};

static int read_vma(const char *line, struct fvma *v)
{
	int n = 0;
	uint64_t off;

	memset(v, 0, sizeof *v);
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n", &v->start, &v->end,
	           v->perms, &off, &v->maj, &v->min, &v->ino, &n) < 7)
		return 0;
	v->special = n > 0 && line[n] == '[';
	v->named = n > 0 && line[n] != 0 && line[n] != '\n';
	return 1;
}

static int perms_prot(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
}

static int overlaps(uint64_t s, uint64_t e, uint64_t s2, uint64_t e2)
{
	return s < e2 && s2 < e;
}

static int in_trusted(const struct tem_proc *p, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < p->nranges; i++)
		if (overlaps(s, e, p->range[i].start, p->range[i].end))
			return 1;
	return 0;
}

static int frozen_add(struct tem_proc *p, uint64_t s, uint64_t e, int ceil, int late)
{
	struct tem_frozen *last = p->nfrozen ? &p->frozen[p->nfrozen - 1] : NULL;

	if (last && last->end == s && last->ceil == ceil && last->late == late) {
		last->end = e;
		return 0;
	}
	if (p->nfrozen == TEM_MAX_FROZEN)
		return -E2BIG;
	p->frozen[p->nfrozen].start = s;
	p->frozen[p->nfrozen].end = e;
	p->frozen[p->nfrozen].ceil = (uint8_t)ceil;
	p->frozen[p->nfrozen].late = (uint8_t)late;
	p->nfrozen++;
	return 0;
}

/* Remove [s, e) from P's LATE entries (splitting where needed). */
static void frozen_cut_late(struct tem_proc *p, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < p->nfrozen; i++) {
		struct tem_frozen *f = &p->frozen[i];

		if (!f->late || !overlaps(s, e, f->start, f->end))
			continue;
		if (f->start < s && f->end > e) {   /* a hole in the middle */
			struct tem_frozen tail = *f;

			tail.start = e;
			f->end = s;
			if (p->nfrozen < TEM_MAX_FROZEN)
				p->frozen[p->nfrozen++] = tail;
		} else if (f->start < s) {
			f->end = s;
		} else if (f->end > e) {
			f->start = e;
		} else {
			p->frozen[i--] = p->frozen[--p->nfrozen];
		}
	}
}

#define MAX_OBJ 512

int tem_freeze_register(struct tem_proc *p, pid_t tid)
{
	struct { unsigned maj, min; uint64_t ino; } obj[MAX_OBJ];
	size_t nobj = 0, i;
	char name[64], line[512];
	struct fvma v;
	FILE *f;
	int pass, rc = 0;
	uint64_t data_end = 0;   /* end of the last frozen writable file mapping */

	p->nfrozen = 0;
	snprintf(name, sizeof name, "/proc/%d/maps", (int)tid);
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		int lines = 0;

		if (!(f = tem_proc_fopen(name)))
			return -errno;
		while (rc == 0 && erim_proc_line(line, sizeof line, f)) {
			int freeze = 0, ceil;

			lines++;

			if (!read_vma(line, &v))
				continue;
			if (pass == 0) {   /* which objects have code */
				if (v.perms[2] == 'x' && v.ino && nobj < MAX_OBJ) {
					obj[nobj].maj = v.maj;
					obj[nobj].min = v.min;
					obj[nobj].ino = v.ino;
					nobj++;
				} else if (v.perms[2] == 'x' && v.ino) {
					rc = -E2BIG;
				}
				continue;
			}
			/* code, and the vDSO's data: trusted code calling
			 * clock_gettime must not read the attacker's page */
			if (v.perms[2] == 'x' || (v.special && strstr(line, "[vvar")))
				freeze = 1;
			for (i = 0; !freeze && v.ino && i < nobj; i++)
				freeze = obj[i].ino == v.ino && obj[i].maj == v.maj && obj[i].min == v.min;
			/* an object's .bss: the anonymous mapping ld.so (or the
			 * kernel) put right after its writable data */
			if (!freeze && !v.ino && !v.named && data_end && v.start == data_end)
				freeze = 1;
			/* anonymous read-only trusted ranges (liberim's PLT slot
			 * copies): never writable again, whatever the back end */
			if (!freeze && !v.ino && v.perms[0] == 'r' && v.perms[1] != 'w' &&
			    in_trusted(p, v.start, v.end))
				freeze = 1;
			data_end = freeze && v.ino && v.perms[1] == 'w' ? v.end : 0;
			if (!freeze)
				continue;
			ceil = perms_prot(v.perms);
			/* writable data stays writable; switched trusted ranges
			 * (mprotect back end: PROT_NONE outside the gate) too */
			if (ceil & PROT_WRITE || (!ceil && in_trusted(p, v.start, v.end)))
				ceil |= PROT_READ | PROT_WRITE;
			rc = frozen_add(p, v.start, v.end, ceil, 0);
		}
		/* a read error ends fgets as the end of the file would, and an
		 * empty map is that of a task without its memory: either way
		 * the map could not be read, and nothing may go unfrozen */
		if (rc == 0 && (ferror(f) || lines == 0))
			rc = ferror(f) ? -EIO : -ESRCH;
		fclose(f);
	}
	if (rc == 0)
		tem_log(2, "pid %d: %zu frozen range(s) (code, RELRO and data of %zu object(s))", (int)tid,
		        p->nfrozen, nobj);
	return rc;
}

static int harmless_advice(long adv)
{
	switch (adv) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
		return 1;
	default:
		return 0;
	}
}

static const char *op_name(enum tem_op op)
{
	switch (op) {
	case TEM_OP_PROTECT: return "loosens the protection of";
	case TEM_OP_REPLACE: return "replaces";
	case TEM_OP_UNMAP: return "moves or unmaps";
	default: return "madvises";
	}
}

/* Tightening a file mapping of an object with code to read-only: ld.so
 * applying a dlopen'ed object's RELRO.  (Requests with PROT_EXEC are not
 * RELRO; text made writable again loses execute and is inspected anew.) */
struct late { struct tem_proc *p; uint64_t s, e; int prot, rc; };

static int late_freeze_vma(const struct tem_mapent *m, void *arg)
{
	struct late *l = arg;
	struct tem_proc *p = l->p;
	uint64_t a, b;
	size_t i;
	int covered = 0;

	if (!m->ino || m->perms[3] != 'p' || !overlaps(l->s, l->e, m->start, m->end))
		return 0;
	if (!tem_execfile_known(makedev(m->maj, m->min), (ino_t)m->ino))
		return 0;
	a = m->start > l->s ? m->start : l->s;
	b = m->end < l->e ? m->end : l->e;
	for (i = 0; i < p->nfrozen; i++)
		if (p->frozen[i].start <= a && b <= p->frozen[i].end)
			covered = 1;
	if (!covered) {
		frozen_cut_late(p, a, b);
		l->rc = frozen_add(p, a, b, l->prot, 1);
	}
	return l->rc != 0;
}

/* 0, or -E2BIG (too many frozen ranges), or -errno (the map unreadable). */
static int late_freeze(struct tem_call *c, uint64_t s, uint64_t e, int prot)
{
	struct tem_proc *p = c->t->proc;
	struct late l = { p, s, e, prot, 0 };
	struct tem_maps_walk w;

	/* the common case, cheaply: a gate of the mprotect back end switching
	 * a trusted range, or memory that is frozen already */
	for (size_t i = 0; i < p->nranges; i++)
		if (p->range[i].start <= s && e <= p->range[i].end)
			return 0;
	for (size_t i = 0; i < p->nfrozen; i++)
		if (p->frozen[i].start <= s && e <= p->frozen[i].end)
			return 0;
	w = tem_maps_each(c->t->tid, s, e, 0, late_freeze_vma, &l);
	if (w.res == TEM_MAPS_UNREADABLE)
		return -(w.err ? w.err : EIO);
	return l.rc;
}

static void exit_held(struct tem_call *c, long ret)
{
	(void)c;
	(void)ret;
}

int tem_freeze_judge(struct tem_call *c)
{
	struct tem_proc *p = c->t->proc;
	struct tem_touch t;
	int k, rc;
	size_t i;

	tem_call_touches(c, &t);
	if (t.bad) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why, "refused (%s)", t.bad);
		return 1;
	}
	if (t.hold) {
		/* the others stay held until the call returned (tem_main.c);
		 * a row may replace the exit check with its own */
		c->needs_freeze = 1;
		c->on_exit = exit_held;
		tem_call_undo(c, TEM_UNDO_NONE);   /* judged whole at entry: nothing to undo at the exit */
	}
	for (k = 0; k < t.n; k++) {
		uint64_t s = t.s[k].start, e = t.s[k].end;
		enum tem_op op = t.s[k].op;

		if (op != TEM_OP_PROTECT && in_trusted(p, s, e)) {
			c->refuse_errno = EPERM;
			snprintf(c->why, sizeof c->why, "refused (%s trusted memory in [0x%" PRIx64 ", 0x%" PRIx64 ")%s)",
			         op_name(op), s, e, t.huge ? ": huge pages, judged whole" : "");
			return 1;
		}
		for (i = 0; i < p->nfrozen; i++) {
			const struct tem_frozen *f = &p->frozen[i];
			int bad;

			if (!overlaps(s, e, f->start, f->end))
				continue;
			if (op == TEM_OP_PROTECT)
				bad = (!f->late && c->nr == SYS_pkey_mprotect) || (t.prot & ~(uint64_t)f->ceil & RWX);
			else if (op == TEM_OP_ADVISE)
				bad = !f->late && !harmless_advice((long)(int)t.prot);
			else
				bad = !f->late;
			if (bad) {
				c->refuse_errno = EPERM;
				snprintf(c->why, sizeof c->why,
				         "refused (%s frozen %s at [0x%" PRIx64 ", 0x%" PRIx64 ")%s)", op_name(op),
				         f->late ? "RELRO of a later object" : "code/RELRO/data of start-up",
				         f->start, f->end, t.huge ? ": huge pages, judged whole" : "");
				return 1;
			}
		}
	}
	/* accepted as far as freezing goes: keep the LATE entries current */
	for (k = 0; k < t.n; k++) {
		if (t.s[k].op == TEM_OP_REPLACE || t.s[k].op == TEM_OP_UNMAP)
			frozen_cut_late(p, t.s[k].start, t.s[k].end);
		else if (t.s[k].op == TEM_OP_PROTECT && !(t.prot & (PROT_WRITE | PROT_EXEC)) &&
		         (rc = late_freeze(c, t.s[k].start, t.s[k].end, (int)(t.prot & RWX))) != 0) {
			c->refuse_errno = EPERM;
			if (rc == -E2BIG)
				snprintf(c->why, sizeof c->why, "refused (too many frozen ranges to freeze one more)");
			else
				snprintf(c->why, sizeof c->why, "refused (the memory map could not be read: %s)",
				         strerror(-rc));
			return 1;
		}
	}
	return 0;
}
