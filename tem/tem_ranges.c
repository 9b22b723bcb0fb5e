/* SPDX-License-Identifier: MIT */
/* tem_ranges.c: the memory a call will really change, as the kernel applies
 * it rather than as the arguments read.  The kernel rounds lengths up to
 * whole pages (mmap(len=1) maps a whole page), extends mprotect with
 * PROT_GROWSDOWN down to the start of the mapping (and PROT_GROWSUP to its
 * end), attaches a whole System V segment whatever address it is given, and
 * mremap touches both the old and the new range.  Judging the arguments
 * instead lets one byte stand for a page or a segment. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tem.h"
#include "tem_table.h"

#define TEM_PG 4096ull

struct vma_at { uint64_t addr, *start, *end; char *perms; };

static int vma_at_one(const struct tem_mapent *m, void *arg)
{
	struct vma_at *q = arg;

	if (q->addr < m->start || q->addr >= m->end)
		return 0;
	*q->start = m->start;
	*q->end = m->end;
	if (q->perms)
		memcpy(q->perms, m->perms, 5);
	return 1;
}

struct tem_maps_walk tem_vma_at(pid_t tid, uint64_t addr, uint64_t *start, uint64_t *end, char perms[5])
{
	struct vma_at q = { addr, start, end, perms };

	return tem_maps_each(tid, addr, addr + 1 > addr ? addr + 1 : addr, 0, vma_at_one, &q);
}

/* [addr, addr+len) rounded out to pages; 0 if it wraps. */
static int span(uint64_t addr, uint64_t len, uint64_t *s, uint64_t *e)
{
	uint64_t end = addr + len;

	if (end < addr)
		return 0;
	*s = addr & ~(TEM_PG - 1);
	*e = (end + TEM_PG - 1) & ~(TEM_PG - 1);
	return *e >= end || end == 0;
}

static void add(struct tem_touch *t, uint64_t addr, uint64_t len, enum tem_op op)
{
	uint64_t s, e;

	if (!span(addr, len, &s, &e)) {
		t->bad = "the range wraps around the address space";
		return;
	}
	if (s == e)
		return;
	t->s[t->n].start = s;
	t->s[t->n].end = e;
	t->s[t->n].op = op;
	t->n++;
}

/* Same IPC namespace as erim-tem, so shmctl here sees the tracee's segment. */
static int same_ipc_ns(pid_t tid)
{
	char name[64];
	struct stat a, b;

	snprintf(name, sizeof name, "/proc/%d/ns/ipc", (int)tid);
	return tem_proc_stat(name, &a) == 0 && tem_proc_stat("/proc/self/ns/ipc", &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

static void touches_shmat(struct tem_call *c, struct tem_touch *t)
{
	struct shmid_ds ds;
	uint64_t addr = c->a[1];

	if (!addr)
		return;   /* the kernel picks free space: nothing is replaced */
	if (!same_ipc_ns(c->t->tid)) {
		t->bad = "shmat at an address from another IPC namespace (segment size unknown)";
		return;
	}
	if (shmctl((int)c->a[0], IPC_STAT, &ds) != 0) {
		if (errno == EINVAL || errno == EIDRM)
			return;   /* no such segment: the kernel fails the call too */
		t->bad = "shmat of a segment whose size erim-tem cannot read";
		return;
	}
	if (c->a[2] & SHM_RND)
		addr &= ~(uint64_t)(SHMLBA - 1);
	add(t, addr, ds.shm_segsz ? ds.shm_segsz : 1, TEM_OP_REPLACE);
}

static void touches_mprotect(struct tem_call *c, struct tem_touch *t)
{
	uint64_t addr = c->a[0], len = c->a[1], prot = c->a[2], vs, ve, s, e;

	t->prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	if (!span(addr, len, &s, &e)) {
		t->bad = "the range wraps around the address space";
		return;
	}
	if (prot & (PROT_GROWSDOWN | PROT_GROWSUP)) {
		/* the kernel extends the change to the mapping's start (end) */
		struct tem_maps_walk w = tem_vma_at(c->t->tid, s, &vs, &ve, NULL);

		if (w.res == TEM_MAPS_UNREADABLE) {
			t->bad = "the memory map could not be read";
			return;
		}
		if (w.res == TEM_MAPS_NONE)
			return;   /* no mapping there: the kernel fails the call */
		if ((prot & PROT_GROWSDOWN) && vs < s)
			s = vs;
		if ((prot & PROT_GROWSUP) && ve > e)
			e = ve;
	}
	c->a[0] = s;   /* every later check judges the real range */
	c->a[1] = e - s;
	if (s != e)
		add(t, s, e - s, TEM_OP_PROTECT);
}

void tem_call_touches(struct tem_call *c, struct tem_touch *t)
{
	uint64_t flags;

	memset(t, 0, sizeof *t);
	switch (c->nr) {
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		touches_mprotect(c, t);
		break;
	case SYS_mmap:
		if (c->a[1] + TEM_PG - 1 > c->a[1])
			c->a[1] = (c->a[1] + TEM_PG - 1) & ~(TEM_PG - 1);   /* the kernel maps whole pages */
		if (c->a[3] & MAP_FIXED)
			add(t, c->a[0], c->a[1], TEM_OP_REPLACE);
		break;
	case SYS_munmap:
		add(t, c->a[0], c->a[1], TEM_OP_UNMAP);
		break;
	case SYS_madvise:
		add(t, c->a[0], c->a[1], TEM_OP_ADVISE);
		t->prot = c->a[2];
		break;
	case SYS_mremap:
		flags = c->a[3];
		/* the old range moves away, shrinks, or (DONTUNMAP) is emptied */
		add(t, c->a[0], c->a[1] ? c->a[1] : 1, TEM_OP_UNMAP);
		if (flags & MREMAP_FIXED)
			add(t, c->a[4], c->a[2], TEM_OP_REPLACE);
		break;
	case SYS_shmat:
		touches_shmat(c, t);
		break;
	case SYS_remap_file_pages:
		add(t, c->a[0], c->a[1], TEM_OP_REPLACE);
		break;
	default:
		break;
	}
}
