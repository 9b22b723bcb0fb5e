/* SPDX-License-Identifier: MIT */
/* tem_ranges.c: the memory a call will really change, as the kernel applies
 * it rather than as the arguments read.  The kernel rounds lengths up to
 * whole pages (mmap(len=1) maps a whole page), extends mprotect with
 * PROT_GROWSDOWN down to the start of the mapping (and PROT_GROWSUP to its
 * end), attaches a whole System V segment whatever address it is given, and
 * mremap touches both the old and the new range.  Judging the arguments
 * instead lets one byte stand for a page or a segment.
 *
 * Huge pages: hugetlb memory is changed in whole huge pages (2 MiB or
 * 1 GiB), not 4 KiB ones.  mmap(MAP_HUGETLB) and mmap of a hugetlbfs file
 * (memfd_create(MFD_HUGETLB) included) round the length up to the huge
 * page, shmat of an SHM_HUGETLB segment attaches the segment's huge-page
 * size (IPC_STAT still says the size asked for), mremap of a hugetlb
 * mapping aligns both lengths, and madvise(MADV_DONTNEED) on one zaps to
 * the huge page's end.  So whenever a call may involve huge pages its
 * ranges are rounded out: to TEM_HUGE_MAX (1 GiB, the largest huge page
 * x86-64 has) where the page size is not read from the mapping itself
 * (MAP_HUGETLB, a hugetlbfs fd, any shmat at an address: no interface
 * tells an SHM_HUGETLB segment from another), and to the KernelPageSize
 * /proc/PID/smaps reports where the call works on existing mappings
 * (mremap, munmap, madvise, remap_file_pages; mprotect is exact: the
 * kernel refuses to split a hugetlb mapping off a huge page boundary).  What the page
 * size was judged on (the fd, the mappings) could be changed by another
 * task between the judgement and the kernel's work: such calls are judged
 * with the caller's group held until they returned (tem_freeze.c). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "tem.h"
#include "erim_procline.h"
#include "tem_table.h"

#define TEM_PG 4096ull
#define TEM_HUGE_MAX (1ull << 30)   /* the largest huge page of x86-64 */

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

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

/* Round every range of T out to PG (a power of two). */
static void widen(struct tem_touch *t, uint64_t pg)
{
	int k;

	for (k = 0; k < t->n; k++) {
		uint64_t s = t->s[k].start & ~(pg - 1), e = t->s[k].end + pg - 1;

		if (e < t->s[k].end) {
			t->bad = "a huge-page range that wraps around the address space";
			return;
		}
		t->s[k].start = s;
		t->s[k].end = e & ~(pg - 1);
	}
	t->huge = 1;
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
	/* an SHM_HUGETLB segment attaches in huge pages, and nothing erim-tem
	 * can ask (IPC_STAT, /proc/sysvipc/shm) tells such a segment apart */
	widen(t, TEM_HUGE_MAX);
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

/* 1 if fd FD of TID is a file on hugetlbfs, 0 if not (or no such fd: the
 * kernel fails the call then), -1 if it cannot be told. */
static int fd_on_hugetlbfs(pid_t tid, long fd)
{
	char name[64];
	struct statfs sfs;
	int pfd, rc;

	snprintf(name, sizeof name, "/proc/%d/fd/%ld", (int)tid, fd);
	if ((pfd = tem_proc_open(name, O_PATH | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	rc = fstatfs(pfd, &sfs) == 0 ? (long)sfs.f_type == (long)HUGETLBFS_MAGIC : -1;
	close(pfd);
	return rc;
}

/* The largest page size (KernelPageSize) of TID's mappings overlapping
 * [S, E); 0 if it cannot be read.  Only mappings of a file on an
 * anonymous device (major 0 with an inode or a path: hugetlbfs, also
 * tmpfs, shm, btrfs, ...; a System V segment shows its id as the inode,
 * 0 for the first one) can be hugetlb; others are never looked up in
 * smaps. */
static uint64_t vma_page_size(pid_t tid, uint64_t s, uint64_t e)
{
	char name[64], line[512];
	FILE *f;
	uint64_t pg = TEM_PG, vs = 0, ve = 0;
	int in = 0, candidate = 0;

	snprintf(name, sizeof name, "/proc/%d/maps", (int)tid);
	if (!(f = tem_proc_fopen(name)))
		return 0;
	while (erim_proc_line(line, sizeof line, f)) {
		unsigned maj, min;
		uint64_t off, ino;
		char p[5];
		int at = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 "%n", &vs, &ve, p, &off, &maj,
		           &min, &ino, &at) == 7 &&
		    vs < e && s < ve && maj == 0 && (ino != 0 || line[at + strspn(line + at, " ")] == '/'))
			candidate = 1;
	}
	fclose(f);
	if (!candidate)
		return TEM_PG;
	snprintf(name, sizeof name, "/proc/%d/smaps", (int)tid);
	if (!(f = tem_proc_fopen(name)))
		return 0;
	while (erim_proc_line(line, sizeof line, f)) {
		uint64_t a, b, kb;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = a < e && s < b;
			continue;
		}
		if (in && sscanf(line, "KernelPageSize: %" SCNu64 " kB", &kb) == 1 && kb * 1024 > pg)
			pg = kb * 1024;
	}
	fclose(f);
	return pg & (pg - 1) ? TEM_HUGE_MAX : pg;
}

/* Round T out to the huge page size of the mappings in [S, S+LEN).  HOLD:
 * the call's reach depends on what is mapped there at the kernel's time
 * (mremap moves a hugetlb mapping's whole huge pages to the new address),
 * so no other task may change the mappings until it returned. */
static void widen_by_vmas(struct tem_call *c, struct tem_touch *t, uint64_t s, uint64_t len, int hold)
{
	uint64_t a, b, pg;

	if (t->bad || !span(s, len ? len : 1, &a, &b))
		return;
	t->hold |= hold;
	if (!(pg = vma_page_size(c->t->tid, a, b)))
		t->bad = "cannot read the page size of the mappings the call changes";
	else if (pg > TEM_PG)
		widen(t, pg);
}

void tem_call_touches(struct tem_call *c, struct tem_touch *t)
{
	uint64_t flags;
	int huge;

	memset(t, 0, sizeof *t);
	switch (c->nr) {
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		/* exact on hugetlb mappings too: the kernel refuses (EINVAL)
		 * to split one off a huge page boundary, as munmap does */
		touches_mprotect(c, t);
		break;
	case SYS_mmap:
		if (c->a[1] + TEM_PG - 1 > c->a[1])
			c->a[1] = (c->a[1] + TEM_PG - 1) & ~(TEM_PG - 1);   /* the kernel maps whole pages */
		if (!(c->a[3] & MAP_FIXED))
			break;   /* the kernel picks free space: nothing is replaced */
		add(t, c->a[0], c->a[1], TEM_OP_REPLACE);
		huge = (c->a[3] & MAP_HUGETLB) != 0;
		if (!huge && !(c->a[3] & MAP_ANONYMOUS)) {
			/* the fd could be replaced (dup2) by a task sharing the
			 * fd table until the kernel maps it: hold them */
			t->hold = 1;
			if ((huge = fd_on_hugetlbfs(c->t->tid, (long)(int)c->a[4])) < 0)
				t->bad = "MAP_FIXED mmap of an fd whose file system erim-tem cannot read (huge pages?)";
		}
		if (huge > 0)
			widen(t, TEM_HUGE_MAX);
		break;
	case SYS_munmap:
		add(t, c->a[0], c->a[1], TEM_OP_UNMAP);
		widen_by_vmas(c, t, c->a[0], c->a[1], 0);
		break;
	case SYS_madvise:
		add(t, c->a[0], c->a[1], TEM_OP_ADVISE);
		t->prot = c->a[2];
		widen_by_vmas(c, t, c->a[0], c->a[1], 0);
		break;
	case SYS_mremap:
		flags = c->a[3];
		/* the old range moves away, shrinks, or (DONTUNMAP) is emptied */
		add(t, c->a[0], c->a[1] ? c->a[1] : 1, TEM_OP_UNMAP);
		if (flags & MREMAP_FIXED)
			add(t, c->a[4], c->a[2], TEM_OP_REPLACE);
		/* a hugetlb mapping moves in whole huge pages, both sides */
		widen_by_vmas(c, t, c->a[0], c->a[1], 1);
		break;
	case SYS_shmat:
		touches_shmat(c, t);
		break;
	case SYS_remap_file_pages:
		add(t, c->a[0], c->a[1], TEM_OP_REPLACE);
		widen_by_vmas(c, t, c->a[0], c->a[1], 0);
		break;
	default:
		break;
	}
}
