/* SPDX-License-Identifier: MIT */
/* tem_policy.c: the TEM syscall policy.  tem_rules[] is the policy as data:
 * one row per trapped system call with who is judged, what is checked and
 * what happens; the seccomp filter (tem_filter.c) and the man page are
 * derived from it.  The checks below decide on register arguments (fetched
 * once, at the seccomp stop) or on the RESULT of a call at its exit stop
 * (opened fds, restored PKRU), and where a check could still be raced by another task sharing the
 * memory or the fds (an fd usable before its exit check, sigaltstack's
 * stack_t, a range on its way to becoming executable), the check sets
 * needs_freeze and the loop judges it with every other task of the caller's
 * group (all that share its memory, fd table or handlers) held stopped.
 *
 * Who is asking: before a process registers (erim_init) everything is
 * trusted start-up; afterwards a caller is trusted only if its PKRU (read
 * from its XSAVE area) grants full access to the trusted key, and under back
 * ends without a key every caller is untrusted. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "erim_x86.h"
#include "tem.h"
#include "erim_procline.h"
#include "tem_table.h"

#define TEM_CTX 16               /* bytes of neighbouring code inspected at a seam */

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef RSEQ_FLAG_UNREGISTER
#define RSEQ_FLAG_UNREGISTER 1
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef DEBUGFS_MAGIC
#define DEBUGFS_MAGIC 0x64626720
#endif
#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

/* ---- small helpers ------------------------------------------------------------ */

static void why(struct tem_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct tem_call *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
}

static void refuse(struct tem_call *c, int err, const char *reason)
{
	c->refuse_errno = err;
	snprintf(c->why, sizeof c->why, "%s", reason);
}

static uint64_t page_end(uint64_t addr, uint64_t len, int *wrap)
{
	uint64_t end = addr + len;

	*wrap = end < addr;
	if (!*wrap && (end & (TEM_PAGE - 1))) {
		uint64_t up = (end | (TEM_PAGE - 1)) + 1;

		*wrap = up < end;
		end = up;
	}
	return end;
}

/* Non-zero if [addr, addr+len) touches a trusted range (or wraps). */
static int hits_trusted(const struct tem_proc *p, uint64_t addr, uint64_t len)
{
	int wrap;
	uint64_t start = addr & ~(TEM_PAGE - 1), end = page_end(addr, len ? len : 1, &wrap);
	size_t i;

	if (wrap)
		return 1;
	for (i = 0; i < p->nranges; i++)
		if (start < p->range[i].end && p->range[i].start < end)
			return 1;
	return 0;
}

static int is_trusted_key(const struct tem_proc *p, long key)
{
	return p->pkey >= 1 && key == p->pkey;
}

/* ---- /proc helpers ---------------------------------------------------------- */

struct tem_vma {
	uint64_t start, end;
	char perms[5];
	uint64_t off;
	unsigned maj, min;
	uint64_t ino;
	char path[256];
};

struct vma_walk {
	int (*fn)(const struct tem_vma *v, void *arg);
	void *arg;
};

static int vma_from_ent(const struct tem_mapent *m, void *arg)
{
	const struct vma_walk *w = arg;
	struct tem_vma v;

	v.start = m->start;
	v.end = m->end;
	memcpy(v.perms, m->perms, sizeof v.perms);
	v.off = m->off;
	v.maj = m->maj;
	v.min = m->min;
	v.ino = m->ino;
	snprintf(v.path, sizeof v.path, "%s", m->path);
	return w->fn(&v, w->arg);
}

/* Call FN for each mapping of TID overlapping [start, end) (with every
 * permission of WANT, TEM_MAPS_*); stops at non-zero.  The result is
 * tem_maps_each's: TEM_MAPS_UNREADABLE must be refused by the caller. */
__attribute__((warn_unused_result))
static struct tem_maps_walk each_vma_want(pid_t tid, uint64_t start, uint64_t end, unsigned want,
                                          int (*fn)(const struct tem_vma *v, void *arg), void *arg)
{
	struct vma_walk w = { fn, arg };

	return tem_maps_each(tid, start, end, want, vma_from_ent, &w);
}

__attribute__((warn_unused_result))
static struct tem_maps_walk each_vma(pid_t tid, uint64_t start, uint64_t end,
                                     int (*fn)(const struct tem_vma *v, void *arg), void *arg)
{
	return each_vma_want(tid, start, end, 0, fn, arg);
}

/* The words every refusal for an unreadable map carries; inspect_memory
 * and inspect_copy point *WHAT at maps_unreadable when that is their
 * failure (not the bytes themselves). */
#define MAPS_UNREADABLE "the memory map could not be read"
static const char maps_unreadable[] = MAPS_UNREADABLE;


static int add_exec_vma(const struct tem_vma *v, void *arg)
{
	pid_t tid = *(pid_t *)arg;
	char name[128];
	struct stat st;

	if (v->perms[2] != 'x' || v->ino == 0)
		return 0;
	/* Both identities: the one the mapping holds and the one open() of
	 * the path yields (they differ on stacked file systems). */
	tem_execfile_add(makedev(v->maj, v->min), (ino_t)v->ino);
	snprintf(name, sizeof name, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)tid, v->start, v->end);
	if (tem_proc_stat(name, &st) == 0)
		tem_execfile_add(st.st_dev, st.st_ino);
	if (v->path[0] == '/' && stat(v->path, &st) == 0 && (uint64_t)st.st_ino == v->ino)
		tem_execfile_add(st.st_dev, st.st_ino);
	return 0;
}

struct tem_maps_walk tem_execfiles_add_maps(pid_t tid)
{
	return each_vma(tid, 0, UINT64_MAX, add_exec_vma, &tid);
}

/* Is DEV/INO open for writing, or mapped shared-writable, in any tracee? */
struct wcheck { dev_t dev; ino_t ino; int found; };

static int shared_writable_vma(const struct tem_vma *v, void *arg)
{
	struct wcheck *w = arg;

	if (v->perms[3] == 's' && v->perms[1] == 'w' && (ino_t)v->ino == w->ino)
		w->found = 1;
	return w->found;
}

static int writable_fd_table(pid_t tgid, pid_t r, void *arg)
{
	struct wcheck *w = arg;
	DIR *d;
	const char *fdname;

	(void)tgid;
	if (!(d = tem_proc_opendir(r, "fd")))
		return -(errno ? errno : EIO);
	while (!w->found && (fdname = tem_proc_next(d)) != NULL) {
		char p[128];
		struct stat st;
		long fd = strtol(fdname, NULL, 10);

		snprintf(p, sizeof p, "/proc/%d/fd/%ld", (int)r, fd);
		if (tem_proc_stat(p, &st) == 0 && st.st_dev == w->dev && st.st_ino == w->ino &&
		    tem_fd_accmode(r, fd) != O_RDONLY)
			w->found = 1;
	}
	closedir(d);
	return w->found;
}

/* 1 if so, 0 if not, -errno if a traced process's fds or map cannot be
 * read (no live thread, an unreadable map): the caller refuses.  Every fd
 * table of every traced process (tem_each_fd_table: a thread made without
 * CLONE_FILES has its own). */
static int writable_somewhere(dev_t dev, ino_t ino)
{
	pid_t tg[512];
	size_t n = tem_traced_tgids(tg, 512), i;
	struct wcheck w = { dev, ino, 0 };
	int tries = 0;

	for (i = 0; i < n && !w.found; i++) {
		/* the map through a live thread: a group whose leader exited
		 * shows an empty map under /proc/TGID */
		int rc = tem_each_fd_table(tg[i], writable_fd_table, &w);
		struct tem_maps_walk mw;
		pid_t r;

		if (rc < 0)
			return rc;
		if (w.found)
			break;
		if ((r = tem_group_reader(tg[i])) == 0)
			continue;   /* every thread has exited */
		if (r < 0)
			return r;
		mw = each_vma_want(r, 0, UINT64_MAX, TEM_MAPS_W | TEM_MAPS_S, shared_writable_vma, &w);
		if (mw.res == TEM_MAPS_UNREADABLE)
			return -(mw.err ? mw.err : EIO);
		if (!w.found && tem_thread_live(tg[i], r) != 1) {
			/* R began to exit during the scan: read the group again */
			if (++tries > 3)
				return -ESRCH;
			i--;
			continue;
		}
		tries = 0;
	}
	return w.found;
}

/* Registration: no writer of executable bytes may outlive start-up.  The
 * rules after registration judge a write to an executable file when it is
 * opened for writing (exit_fd_check), mapped shared-writable (chk_mmap) or
 * made writable (chk_mprotect); a descriptor opened before registration, a
 * memfd created and mapped executable by start-up code, or a shared writable
 * view made then, were never judged.  So: every identity (device + inode)
 * mapped executable in the registering process joins the exec-file registry,
 * and then no traced process may hold an fd open for writing on any
 * registered identity, nor a shared writable mapping of one.  Cheap: one
 * stat per fd, fdinfo read only for an fd whose identity matches. */
struct xwriter { char what[200]; };

static int xwriter_vma(const struct tem_vma *v, void *arg)
{
	struct xwriter *w = ((void **)arg)[0];
	pid_t pid = *(pid_t *)((void **)arg)[1];
	char name[128];
	struct stat st;

	if (v->perms[3] != 's' || v->perms[1] != 'w' || v->ino == 0)
		return 0;
	snprintf(name, sizeof name, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid, v->start, v->end);
	if (tem_execfile_known(makedev(v->maj, v->min), (ino_t)v->ino) ||
	    (tem_proc_stat(name, &st) == 0 && tem_execfile_known(st.st_dev, st.st_ino))) {
		snprintf(w->what, sizeof w->what, "process %d maps %.100s shared-writable at 0x%" PRIx64 " (%s)", (int)pid,
		         v->path[0] ? v->path : "a file", v->start, v->perms);
		return 1;
	}
	return 0;
}

/* An executable shared mapping follows its file: a writer erim-tem cannot
 * see (an fd in flight in SCM_RIGHTS) would change the executable bytes
 * themselves, so none may exist at registration, as none is granted after. */
static int shared_exec_vma(const struct tem_vma *v, void *arg)
{
	struct xwriter *w = arg;

	if (v->perms[2] != 'x' || v->perms[3] != 's')
		return 0;
	snprintf(w->what, sizeof w->what, "executable shared mapping of %.100s at 0x%" PRIx64 " (%s): a writable alias may exist",
	         v->path[0] ? v->path : "a file", v->start, v->perms);
	return 1;
}

static int xwriter_fd_table(pid_t tgid, pid_t r, void *arg)
{
	struct xwriter *w = arg;
	DIR *d;
	const char *fdname;
	int found = 0;

	if (!(d = tem_proc_opendir(r, "fd"))) {
		snprintf(w->what, sizeof w->what, "the fds of process %d (thread %d) could not be read (%s)", (int)tgid,
		         (int)r, strerror(errno));
		return 1;
	}
	while (!found && (fdname = tem_proc_next(d)) != NULL) {
		char p[128], link[120];
		struct stat st;
		long fd = strtol(fdname, NULL, 10);
		ssize_t k;

		snprintf(p, sizeof p, "/proc/%d/fd/%ld", (int)r, fd);
		if (tem_proc_stat(p, &st) != 0 || !tem_execfile_known(st.st_dev, st.st_ino) ||
		    tem_fd_accmode(r, fd) == O_RDONLY)
			continue;
		k = readlinkat(tem_procfd(), p + 6, link, sizeof link - 1);
		link[k > 0 ? k : 0] = 0;
		if (r == tgid)
			snprintf(w->what, sizeof w->what, "process %d holds fd %ld = %s open for writing", (int)tgid, fd, link);
		else
			snprintf(w->what, sizeof w->what, "process %d (thread %d, an fd table of its own) holds fd %ld = %s "
			         "open for writing", (int)tgid, (int)r, fd, link);
		found = 1;
	}
	closedir(d);
	return found;
}

/* 1 (with W->what) if a writer exists or cannot be ruled out (a traced
 * process whose fds or map cannot be read), else 0.  Every fd table of
 * every traced process (tem_each_fd_table). */
static int exec_writer_exists(pid_t tid, struct xwriter *w)
{
	pid_t tg[512];
	size_t n = tem_traced_tgids(tg, 512), i;
	struct tem_maps_walk mw = each_vma(tid, 0, UINT64_MAX, shared_exec_vma, w);
	int tries = 0;

	if (mw.res == TEM_MAPS_HIT)
		return 1;
	if (mw.res == TEM_MAPS_UNREADABLE) {
		snprintf(w->what, sizeof w->what, MAPS_UNREADABLE " (%s)", strerror(mw.err));
		return 1;
	}

	for (i = 0; i < n; i++) {
		/* the map through a live thread: a group whose leader exited
		 * shows an empty map under /proc/TGID */
		int rc = tem_each_fd_table(tg[i], xwriter_fd_table, w);
		pid_t r;
		void *arg[2] = { w, &r };

		if (rc > 0)
			return 1;
		if (rc < 0) {
			snprintf(w->what, sizeof w->what, "the fd tables of process %d could not be read (%s)", (int)tg[i],
			         strerror(-rc));
			return 1;
		}
		if ((r = tem_group_reader(tg[i])) == 0)
			continue;   /* every thread has exited */
		if (r < 0) {
			snprintf(w->what, sizeof w->what, "cannot find a live thread of process %d to read its map (%s)",
			         (int)tg[i], strerror(-r));
			return 1;
		}
		mw = each_vma(r, 0, UINT64_MAX, xwriter_vma, arg);
		if (mw.res == TEM_MAPS_HIT)
			return 1;
		if (mw.res == TEM_MAPS_UNREADABLE) {
			snprintf(w->what, sizeof w->what, "process %d: " MAPS_UNREADABLE " (%s)", (int)tg[i],
			         strerror(mw.err));
			return 1;
		}
		if (tem_thread_live(tg[i], r) != 1) {
			/* R began to exit during the scan: read the group again */
			if (++tries > 3) {
				snprintf(w->what, sizeof w->what,
				         "the threads of process %d exit while its fds are read", (int)tg[i]);
				return 1;
			}
			i--;
			continue;
		}
		tries = 0;
	}
	return 0;
}

/* The rule for executable bytes that come from a file: a regular file owned
 * by root and writable by nobody else, mapped privately, open read-only and
 * open for writing (or mapped shared-writable) by no tracee.  The file then
 * joins the exec-file registry, so no tracee can open it for writing later. */
static const char *file_exec_rule(pid_t tid, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "executable mapping of something that is not a regular file (memfd, device, ...)";
	if (st->st_uid != 0 || (st->st_mode & (S_IWGRP | S_IWOTH)))
		return "executable file not owned by root or writable by group/others";
	if (st->st_nlink == 0)
		return "executable mapping of a deleted file";
	switch (writable_somewhere(st->st_dev, st->st_ino)) {
	case 0:
		break;
	case 1:
		return "executable file is open for writing (or mapped shared-writable) by a tracee";
	default:
		return "cannot rule out a writer of the executable file: the fds or " MAPS_UNREADABLE " of a tracee";
	}
	(void)tid;
	return NULL;
}

static int vma_is_exec(const struct tem_vma *v, void *arg)
{
	(void)arg;
	return v->perms[2] == 'x';
}

/* Is a neighbour of [START, END) executable?  *LO = START - TEM_CTX if the
 * one below is, *HI = END + TEM_CTX if the one above is; 0, or -errno if
 * the map cannot be read (the caller refuses: a seam would go unseen). */
static int exec_neighbour(pid_t tid, uint64_t start, uint64_t end, uint64_t *lo, uint64_t *hi)
{
	struct tem_maps_walk w;

	if (start >= TEM_CTX) {
		w = each_vma(tid, start - TEM_CTX, start, vma_is_exec, NULL);
		if (w.res == TEM_MAPS_UNREADABLE)
			return -(w.err ? w.err : EIO);
		if (w.res == TEM_MAPS_HIT)
			*lo = start - TEM_CTX;
	}
	if (end + TEM_CTX > end) {
		w = each_vma(tid, end, end + TEM_CTX, vma_is_exec, NULL);
		if (w.res == TEM_MAPS_UNREADABLE)
			return -(w.err ? w.err : EIO);
		if (w.res == TEM_MAPS_HIT)
			*hi = end + TEM_CTX;
	}
	return 0;
}

/* Inspect the tracee's bytes [start, end) plus TEM_CTX bytes on each side
 * where the neighbour is executable (a sequence across the seam would run).
 * 0 clean, 1 hit, -errno when the bytes cannot be read. */
static int inspect_memory(pid_t tid, uint64_t start, uint64_t end, uint64_t *hit, const char **what)
{
	static uint8_t buf[TEM_CTX + 65536];
	uint64_t lo = start, hi = end, at;
	size_t keep = 0;
	int rc;

	if ((rc = exec_neighbour(tid, start, end, &lo, &hi)) < 0) {
		*what = maps_unreadable;
		return rc;
	}
	for (at = lo; at < hi;) {
		size_t want = hi - at > 65536 ? 65536 : (size_t)(hi - at), nkeep;
		ssize_t n = tem_mem_read(tid, at, buf + keep, want);

		if (n <= 0)
			return n < 0 ? (int)n : -EFAULT;
		if (tem_inspect(buf, keep + (size_t)n, at - keep, hit, what))
			return 1;
		at += (uint64_t)n;
		nkeep = keep + (size_t)n < TEM_CTX ? keep + (size_t)n : TEM_CTX;
		memmove(buf, buf + keep + (size_t)n - nkeep, nkeep);
		keep = nkeep;
	}
	return 0;
}

/* ---- executable memory --------------------------------------------------------
 * A grant is four steps: the call runs without execute; the exit stop
 * copies the bytes out and inspects erim-tem's copy; an injected MAP_FIXED
 * mmap replaces the range with new anonymous pages, into which the copy is
 * written through the memory file (tem_fresh.c); then the real call is
 * injected.  What becomes executable are pages erim-tem created after its
 * inspection, holding its own inspected bytes: a reference to the old pages
 * taken before the grant (an O_DIRECT AIO read pinned at io_submit, RDMA,
 * vmsplice, io_uring fixed buffers, ...) keeps writing pages that are no
 * longer mapped.  The range granted is the range inspected because the
 * caller's whole group (every task sharing its memory, fds or handlers,
 * tem_main.c) is held from before the first step until the injected call
 * returned: nobody can mremap, mmap or write over the range in between.
 * The bytes are inspected once more after the grant, before the caller runs
 * again (range no longer writable, group still held): if anything changed
 * them (a kernel path nobody thought of), execute is taken away again and
 * the call refused.  The second look costs one more read of the range. */

/* After the injected grant: 0 if [S, E) is still clean, else refuse C with
 * the reason (the caller takes execute back). */
static int regrant_dirty(struct tem_call *c, uint64_t s, uint64_t e)
{
	uint64_t hit = 0;
	const char *what = "";
	int rc = inspect_memory(c->t->tid, s, e, &hit, &what);

	if (rc == 0)
		return 0;
	c->refuse_errno = EPERM;
	if (rc > 0)
		why(c, "refused (%s at 0x%" PRIx64 " after the grant: the range changed since its inspection; "
		    "execute taken back)", what, hit);
	else if (what == maps_unreadable)
		why(c, "refused (" MAPS_UNREADABLE ": %s; execute taken back)", strerror(-rc));
	else
		why(c, "refused (cannot read the granted bytes again: %s; execute taken back)", strerror(-rc));
	return 1;
}

static void exit_grant_revoked(struct tem_call *c, long ret)
{
	c->final_ret = -EPERM;
	c->set_ret = 1;
	if (ret != 0)   /* execute could not be taken back: stop the process */
		c->kill = 1;
}

static void exit_grant_done(struct tem_call *c, long ret)
{
	int wrap;
	uint64_t s = c->x[0] & ~(TEM_PAGE - 1), e = page_end(c->x[0], c->x[1], &wrap), args[6] = { 0 };

	c->final_ret = c->nr == SYS_mmap && ret == 0 ? (long)s : ret;   /* mmap answers the address */
	c->set_ret = 1;
	if (ret != 0) {
		why(c, "inspection clean, but the grant failed (%ld)", ret);
		return;
	}
	if (regrant_dirty(c, s, e)) {
		args[0] = s;
		args[1] = e - s;
		args[2] = c->x[2] & ~(uint64_t)PROT_EXEC;
		c->on_exit = exit_grant_revoked;
		tem_call_inject(c, SYS_mprotect, args);
		return;
	}
	why(c, "granted read+execute after inspection, on fresh pages");
}

/* Inspect erim-tem's copy BUF of [S, E), and the seams with executable
 * neighbours (TEM_CTX bytes of theirs either side: a sequence across a seam
 * would run).  0 clean, 1 hit, -errno when a neighbour cannot be read. */
static int inspect_copy(pid_t tid, uint64_t s, uint64_t e, const uint8_t *buf, uint64_t *hit, const char **what)
{
	uint8_t seam[2 * TEM_CTX];
	size_t n = (size_t)(e - s), k = n < TEM_CTX ? n : TEM_CTX;
	uint64_t lo = s, hi = e;
	int rc;

	if (tem_inspect(buf, n, s, hit, what))
		return 1;
	if ((rc = exec_neighbour(tid, s, e, &lo, &hi)) < 0) {
		*what = maps_unreadable;
		return rc;
	}
	if (lo != s) {
		if (tem_mem_read(tid, s - TEM_CTX, seam, TEM_CTX) != TEM_CTX)
			return -EFAULT;
		memcpy(seam + TEM_CTX, buf, k);
		if (tem_inspect(seam, TEM_CTX + k, s - TEM_CTX, hit, what))
			return 1;
	}
	if (hi != e) {
		memcpy(seam, buf + n - k, k);
		if (tem_mem_read(tid, e, seam + k, TEM_CTX) != TEM_CTX)
			return -EFAULT;
		if (tem_inspect(seam, k + TEM_CTX, e - k, hit, what))
			return 1;
	}
	return 0;
}

/* The protection key every mapping of [S, E) carries (a plain mprotect
 * keeps it; the fresh pages are made with key 0 and get it back by an
 * injected pkey_mprotect).  The key, -1 if the mappings differ, -errno. */
static int range_pkey(pid_t tid, uint64_t s, uint64_t e)
{
	char name[64], line[512];
	FILE *f;
	int key = -2, in = 0, k;
	uint64_t vs, ve;

	snprintf(name, sizeof name, "/proc/%d/smaps", (int)tid);
	if (!(f = tem_proc_fopen(name)))
		return -errno;
	while (erim_proc_line(line, sizeof line, f)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &vs, &ve) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = ve > s && vs < e;
		else if (in && sscanf(line, "ProtectionKey: %d", &k) == 1) {
			if (key != -2 && key != k)
				key = -1;
			else if (key == -2)
				key = k;
		}
	}
	fclose(f);
	return key == -2 ? 0 : key;   /* no ProtectionKey lines: the kernel has no keys */
}

/* The range is fresh anonymous memory now: write the inspected copy into
 * it, then grant. */
static void exit_grant_fresh(struct tem_call *c, long ret)
{
	int wrap, rc;
	uint64_t s = c->x[0] & ~(TEM_PAGE - 1), e = page_end(c->x[0], c->x[1], &wrap), args[6];
	uint8_t *copy = (uint8_t *)(uintptr_t)c->x[3];
	long nr = c->nr;

	c->x[3] = 0;
	if ((uint64_t)ret != s) {
		free(copy);
		c->final_ret = ret < 0 && ret > -4096 ? ret : -EPERM;
		c->set_ret = 1;
		c->refuse_errno = EPERM;
		why(c, "refused (cannot replace the range with fresh pages: %ld; range left without execute)", ret);
		return;
	}
	rc = tem_fresh_fill(c->t->tid, s, copy, (size_t)(e - s));
	free(copy);
	if (rc) {
		c->final_ret = -EPERM;
		c->set_ret = 1;
		c->refuse_errno = EPERM;
		c->kill = 1;   /* the range lost its bytes: the process cannot go on */
		why(c, "refused (cannot write the inspected bytes into the fresh pages: %s; process stopped)", strerror(-rc));
		return;
	}
	memcpy(args, c->a, sizeof args);
	if (nr == SYS_mmap) {   /* a file mapping's grant (exit_mmap_judge) */
		nr = SYS_mprotect;
		memset(args, 0, sizeof args);
	}
	args[0] = s;
	args[1] = e - s;
	args[2] = c->x[2];
	if (c->nr == SYS_mprotect && c->a[3] != 0) {   /* the range's own key (exit_grant) */
		nr = SYS_pkey_mprotect;
		args[3] = c->a[3];
	}
	c->on_exit = exit_grant_done;
	tem_call_inject(c, nr, args);
}

/* The range is now without write and without execute: copy its bytes out,
 * inspect the copy, then replace the range with fresh anonymous memory. */
static void exit_grant(struct tem_call *c, long ret)
{
	int wrap, rc, key = 0;
	uint64_t s = c->x[0] & ~(TEM_PAGE - 1), e = page_end(c->x[0], c->x[1], &wrap), hit = 0, args[6] = { 0 };
	const char *what = "";
	uint8_t *copy = NULL;

	if (ret != 0)
		return;   /* the kernel refused the downgraded call: pass that on */
	rc = tem_fresh_copy(c->t->tid, s, e, &copy);
	if (rc == 0)
		rc = inspect_copy(c->t->tid, s, e, copy, &hit, &what);
	if (rc == 0 && c->nr == SYS_mprotect && c->t->proc->pkey >= 1 && (key = range_pkey(c->t->tid, s, e)) < 0) {
		rc = key == -1 ? -EXDEV : key;
		key = 0;
	}
	if (rc != 0) {
		free(copy);
		c->final_ret = -EPERM;
		c->set_ret = 1;
		c->refuse_errno = EPERM;
		if (rc > 0)
			why(c, "refused (%s at 0x%" PRIx64 "; range left without execute)", what, hit);
		else if (rc == -EXDEV)
			why(c, "refused (the range spans memory of different protection keys; left without execute)");
		else if (what == maps_unreadable)
			why(c, "refused (" MAPS_UNREADABLE ": %s; range left without execute)", strerror(-rc));
		else
			why(c, "refused (cannot read the bytes to inspect: %s)", strerror(-rc));
		return;
	}
	if (c->nr == SYS_mprotect)
		c->a[3] = (uint64_t)key;   /* unused by mprotect: the key for exit_grant_fresh */
	/* the fresh pages are an ordinary mapping: no PROT_GROWSDOWN/UP any more
	 * (tem_ranges.c already widened the range to what the flag covers) */
	c->x[2] &= ~(uint64_t)(PROT_GROWSDOWN | PROT_GROWSUP);
	c->x[3] = (uint64_t)(uintptr_t)copy;
	args[0] = s;
	args[1] = e - s;
	args[2] = PROT_READ;
	args[3] = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	args[4] = (uint64_t)-1;
	c->on_exit = exit_grant_fresh;
	tem_call_inject(c, SYS_mmap, args);
}

/* mprotect / pkey_mprotect with PROT_EXEC: the range must be private and,
 * where file-backed, obey the file rule.  The call runs first WITHOUT
 * execute (so no byte can be written while we look and none runs before we
 * looked); the exit stop inspects, then injects the real call. */
struct xcheck { const char *bad; pid_t tid; };

static int exec_vma_ok(const struct tem_vma *v, void *arg)
{
	struct xcheck *x = arg;
	struct stat st;
	char name[128];

	if (v->perms[3] == 's') {
		x->bad = "execute on a shared mapping (a writable alias may exist)";
		return 1;
	}
	if (v->ino == 0)
		return 0;
	snprintf(name, sizeof name, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)x->tid, v->start, v->end);
	if (tem_proc_stat(name, &st) != 0) {
		x->bad = "cannot identify the file behind the mapping";
		return 1;
	}
	if ((x->bad = file_exec_rule(x->tid, &st)) != NULL)
		return 1;
	tem_execfile_add(st.st_dev, st.st_ino);
	tem_execfile_add(makedev(v->maj, v->min), (ino_t)v->ino);
	return 0;
}

static void check_prot_exec(struct tem_call *c, uint64_t addr, uint64_t len, uint64_t prot)
{
	struct xcheck x = { NULL, c->t->tid };
	struct tem_maps_walk w;
	int wrap;
	uint64_t end = page_end(addr, len, &wrap);

	if (prot & PROT_WRITE) {
		refuse(c, EPERM, "refused (W+X)");
		return;
	}
	if (wrap) {
		refuse(c, EINVAL, "refused (range wraps)");
		return;
	}
	w = each_vma(c->t->tid, addr & ~(TEM_PAGE - 1), end, exec_vma_ok, &x);
	if (w.res == TEM_MAPS_UNREADABLE) {
		why(c, "refused (" MAPS_UNREADABLE ": %s)", strerror(w.err));
		c->refuse_errno = EPERM;
		return;
	}
	if (x.bad) {
		why(c, "refused (%s)", x.bad);
		c->refuse_errno = EPERM;
		return;
	}
	c->x[0] = addr;
	c->x[1] = len;
	c->x[2] = prot;
	tem_set_arg(&c->regs, 2, prot & ~(uint64_t)PROT_EXEC);
	c->on_exit = exit_grant;
	c->needs_freeze = 1;   /* no task sharing the memory may change the range until granted */
	tem_call_undo(c, TEM_UNDO_VM);   /* execute taken back, fresh pages: in the shared mm */
	why(c, "inspecting (runs without execute first)");
}

/* A shared mapping of a file in the exec-file registry (by the identity
 * the mapping holds, and by its map_files identity). */
static int shared_xfile_vma(const struct tem_vma *v, void *arg)
{
	struct xcheck *x = arg;
	char name[128];
	struct stat st;

	if (v->perms[3] != 's' || v->ino == 0)
		return 0;
	snprintf(name, sizeof name, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)x->tid, v->start, v->end);
	if (tem_execfile_known(makedev(v->maj, v->min), (ino_t)v->ino) ||
	    (tem_proc_stat(name, &st) == 0 && tem_execfile_known(st.st_dev, st.st_ino))) {
		x->bad = "write to a shared mapping of a file whose bytes are executable";
		return 1;
	}
	return 0;
}

static void chk_mprotect(struct tem_call *c)
{
	/* Without a key there is no hardware domain, and the mprotect back
	 * end's own gates mprotect the trusted ranges: TEM cannot tell them
	 * from an attacker's call, so only keyed processes get this row. */
	if (c->t->proc->pkey >= 1 && hits_trusted(c->t->proc, c->a[0], c->a[1])) {
		refuse(c, EPERM, "refused (touches trusted memory)");
		return;
	}
	if (c->nr == SYS_pkey_mprotect && is_trusted_key(c->t->proc, (long)(int)c->a[3])) {
		refuse(c, EPERM, "refused (re-keys memory with the trusted key)");
		return;
	}
	if (c->a[2] & PROT_WRITE) {
		struct xcheck x = { NULL, c->t->tid };
		struct tem_maps_walk w;
		int wrap;

		w = each_vma(c->t->tid, c->a[0] & ~(TEM_PAGE - 1), page_end(c->a[0], c->a[1], &wrap), shared_xfile_vma,
		             &x);
		if (w.res == TEM_MAPS_UNREADABLE) {
			why(c, "refused (" MAPS_UNREADABLE ": %s)", strerror(w.err));
			c->refuse_errno = EPERM;
			return;
		}
		if (x.bad) {
			why(c, "refused (%s)", x.bad);
			c->refuse_errno = EPERM;
			return;
		}
	}
	if (c->a[2] & PROT_EXEC)
		check_prot_exec(c, c->a[0], c->a[1], c->a[2]);
}

static void exit_mmap_refused(struct tem_call *c, long ret)
{
	c->final_ret = -EPERM;
	c->set_ret = 1;
	if (ret != 0) {   /* the refused mapping stays in the address space: stop every task sharing it */
		c->kill = 1;
		why(c, "refused (the munmap of the refused mapping failed: %ld; process stopped)", ret);
	}
}

/* After an executable file mmap ran without execute: the mapping the kernel
 * made (its real file, by map_files) is judged; then the grant goes the way
 * of mprotect's (exit_grant): the bytes are copied out and inspected, the
 * range is replaced by fresh anonymous pages holding the copy, and execute
 * is granted on those.  No executable byte stays backed by the file: a
 * private copy-on-write page would not do, since truncating the file
 * (truncate, ftruncate, fallocate(PUNCH_HOLE), open(O_TRUNC)) unmaps even
 * private copies and the next fault reads the file again.  Refused, the
 * mapping is removed again. */
static void exit_mmap_judge(struct tem_call *c, long ret)
{
	struct xcheck x = { NULL, c->t->tid };
	uint64_t addr = (uint64_t)ret, len = (c->x[1] + TEM_PAGE - 1) & ~(TEM_PAGE - 1), args[6] = { 0 };
	char bad[128];
	struct tem_maps_walk w;

	if (ret < 0 && ret > -4096)
		return;   /* the kernel refused the call: pass that on */
	c->x[0] = addr;
	w = each_vma(c->t->tid, addr, addr + len, exec_vma_ok, &x);
	if (w.res == TEM_MAPS_UNREADABLE) {
		snprintf(bad, sizeof bad, MAPS_UNREADABLE ": %s", strerror(w.err));
		x.bad = bad;
	}
	if (x.bad) {
		c->refuse_errno = EPERM;
		why(c, "refused (%s; mapping removed)", x.bad);
		args[0] = addr;
		args[1] = len;
		c->on_exit = exit_mmap_refused;
		tem_call_inject(c, SYS_munmap, args);
		return;
	}
	c->x[1] = len;
	exit_grant(c, 0);   /* copy, inspect, fresh pages, grant (mprotect) */
}

static void exit_mmap_eacces(struct tem_call *c, long ret)
{
	c->final_ret = -EACCES;
	c->set_ret = 1;
	if (ret != 0) {   /* the writable view of an executable file stays: stop every task sharing the mm */
		c->kill = 1;
		why(c, "refused (the munmap of the refused shared writable mapping failed: %ld; process stopped)", ret);
	}
}

/* After a shared writable file mmap: the file the kernel really mapped (the
 * fd may have been replaced since the early answer) must not be one whose
 * bytes are executable in a traced process. */
static void exit_mmap_shared_w(struct tem_call *c, long ret)
{
	struct xcheck x = { NULL, c->t->tid };
	struct tem_maps_walk w;
	uint64_t len = (c->x[1] + TEM_PAGE - 1) & ~(TEM_PAGE - 1), args[6] = { 0 };

	if (ret < 0 && ret > -4096)
		return;
	w = each_vma(c->t->tid, (uint64_t)ret, (uint64_t)ret + len, shared_xfile_vma, &x);
	if (w.res == TEM_MAPS_NONE)
		return;
	c->refuse_errno = EACCES;
	if (w.res == TEM_MAPS_UNREADABLE)
		why(c, "refused (" MAPS_UNREADABLE ": %s; mapping removed)", strerror(w.err));
	else
		why(c, "refused (shared writable mapping of a file whose bytes are executable; mapping removed)");
	args[0] = (uint64_t)ret;
	args[1] = len;
	c->on_exit = exit_mmap_eacces;
	tem_call_inject(c, SYS_munmap, args);
}

static void chk_mmap(struct tem_call *c)
{
	uint64_t addr = c->a[0], len = c->a[1], prot = c->a[2], flags = c->a[3];
	long fd = (long)(int)c->a[4];
	char name[64];
	struct stat st;

	if ((flags & MAP_FIXED) && hits_trusted(c->t->proc, addr, len)) {
		refuse(c, EPERM, "refused (MAP_FIXED over trusted memory)");
		return;
	}
	if (!(prot & PROT_EXEC)) {
		if ((prot & PROT_WRITE) && !(flags & MAP_ANONYMOUS) && (flags & MAP_SHARED_VALIDATE) != MAP_PRIVATE) {
			/* a shared writable view: refused early by the fd's
			 * identity, and again on what the kernel really mapped */
			snprintf(name, sizeof name, "/proc/%d/fd/%ld", (int)c->t->tid, fd);
			if (tem_proc_stat(name, &st) == 0 && tem_execfile_known(st.st_dev, st.st_ino)) {
				refuse(c, EACCES, "refused (shared writable mapping of a file whose bytes are executable)");
				return;
			}
			c->x[1] = len;
			c->on_exit = exit_mmap_shared_w;
			c->needs_freeze = 1;
			tem_call_undo(c, TEM_UNDO_VM);   /* a refused view is unmapped at the exit */
		}
		return;
	}
	if (prot & PROT_WRITE) {
		refuse(c, EPERM, "refused (W+X)");
		return;
	}
	if ((flags & MAP_SHARED_VALIDATE) != MAP_PRIVATE) {
		refuse(c, EPERM, "refused (executable shared mapping: a writable alias may exist)");
		return;
	}
	if (flags & MAP_ANONYMOUS) {
		why(c, "granted read+execute (anonymous memory starts zero-filled)");
		return;
	}
	/* a cheap early answer on the fd as it is now; the verdict on the
	 * file (file_exec_rule) is given on what the kernel really mapped */
	snprintf(name, sizeof name, "/proc/%d/fd/%ld", (int)c->t->tid, fd);
	if (tem_proc_stat(name, &st) == 0 && tem_fd_accmode(c->t->tid, fd) != O_RDONLY) {
		refuse(c, EPERM, "refused (executable mapping of a file opened for writing)");
		return;
	}
	/* No verdict on the fd: another thread or process sharing the fd
	 * table could dup2 another file onto it before the kernel maps it.
	 * Map without execute (readable, so the bytes can be read), then judge
	 * the file the kernel really mapped and the bytes really there. */
	c->x[0] = 0;
	c->x[1] = len;
	c->x[2] = prot;
	tem_set_arg(&c->regs, 2, (prot & ~(uint64_t)PROT_EXEC) | PROT_READ);
	c->on_exit = exit_mmap_judge;
	c->needs_freeze = 1;
	tem_call_undo(c, TEM_UNDO_VM);   /* a refused mapping is unmapped at the exit, a granted one made fresh */
	why(c, "inspecting (mapped without execute first)");
}

static void chk_range(struct tem_call *c)
{
	if (hits_trusted(c->t->proc, c->a[0], c->a[1]))
		refuse(c, EPERM, "refused (touches trusted memory)");
}

/* madvise: besides trusted ranges, advice that throws page contents away
 * must not touch executable memory: a private file page that start-up
 * patched (glibc's pkey_set WRPKRU neutralised by liberim) would come back
 * from the file with its original bytes. */
static void chk_madvise(struct tem_call *c)
{
	int wrap;
	uint64_t end;
	struct tem_maps_walk w;

	chk_range(c);
	if (c->refuse_errno)
		return;
	switch ((int)c->a[2]) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
#ifdef MADV_DONTNEED_LOCKED
	case MADV_DONTNEED_LOCKED:
#endif
	case 102:   /* MADV_GUARD_INSTALL (6.13): the pages' contents go too (red team 47) */
		end = page_end(c->a[0], c->a[1], &wrap);
		if (wrap) {
			refuse(c, EPERM, "refused (would reload executable pages from their file, undoing inspection patches)");
			break;
		}
		w = each_vma(c->t->tid, c->a[0] & ~(TEM_PAGE - 1), end, vma_is_exec, NULL);
		if (w.res == TEM_MAPS_UNREADABLE)
			refuse(c, EPERM, "refused (" MAPS_UNREADABLE ")");
		else if (w.res == TEM_MAPS_HIT)
			refuse(c, EPERM, "refused (would reload executable pages from their file, undoing inspection patches)");
		break;
	default:
		break;
	}
}

static int vma_any(const struct tem_vma *v, void *arg)
{
	(void)v;
	(void)arg;
	return 1;
}

static void chk_mremap(struct tem_call *c)
{
	uint64_t old = c->a[0], olen = c->a[1], nlen = c->a[2], flags = c->a[3], naddr = c->a[4];
	struct tem_maps_walk w;
	int wrap;

	if (hits_trusted(c->t->proc, old, olen ? olen : 1)) {
		refuse(c, EPERM, "refused (touches trusted memory)");
		return;
	}
	if ((flags & MREMAP_FIXED) && hits_trusted(c->t->proc, naddr, nlen)) {
		refuse(c, EPERM, "refused (moves memory over trusted memory)");
		return;
	}
	if (olen == 0) {
		refuse(c, EPERM, "refused (old_size 0 would create an alias)");
		return;
	}
	w = each_vma(c->t->tid, old & ~(TEM_PAGE - 1), page_end(old, olen, &wrap), vma_is_exec, NULL);
	if (w.res == TEM_MAPS_UNREADABLE) {
		refuse(c, EPERM, "refused (" MAPS_UNREADABLE ")");
		return;
	}
	if (w.res == TEM_MAPS_HIT) {
		refuse(c, EPERM, "refused (moving or resizing executable memory could join uninspected bytes)");
		return;
	}
	(void)vma_any;
}

/* SHM_REMAP is refused outright: the segment's size is known only by its id,
 * which any process of the user can bind to a new segment between erim-tem's
 * IPC_STAT and the kernel's look-up (red team 62, shmrace: a segment created
 * by a forked child at the predicted id replaced the trusted stacks and the
 * gates' PKRU page).  Without SHM_REMAP the kernel itself refuses to attach
 * over any mapping, with the check and the attach under one lock. */
static void chk_shmat(struct tem_call *c)
{
	if (c->a[2] & SHM_EXEC)
		refuse(c, EPERM, "refused (executable shared memory)");
	else if (c->a[1] && (c->a[2] & SHM_REMAP))
		refuse(c, EPERM, "refused (SHM_REMAP: the segment's size, read by its id before the "
		                 "kernel looks the id up again, decides what is replaced)");
	else if (c->a[1] && hits_trusted(c->t->proc, c->a[1], 1))
		refuse(c, EPERM, "refused (attaches over trusted memory)");
}

static void chk_pkey_free(struct tem_call *c)
{
	if (is_trusted_key(c->t->proc, (long)(int)c->a[0]))
		refuse(c, EPERM, "refused (frees the trusted key)");
}

static void chk_personality(struct tem_call *c)
{
	if ((uint32_t)c->a[0] != 0xffffffffu && (c->a[0] & READ_IMPLIES_EXEC))
		refuse(c, EPERM, "refused (READ_IMPLIES_EXEC would make readable memory executable)");
}

#define TEM_PR_SET_SYSCALL_USER_DISPATCH 59   /* <linux/prctl.h>, Linux 5.11 */
#define TEM_PR_SET_MEMORY_MERGE 67            /* <linux/prctl.h>, Linux 6.4 */

static void chk_prctl(struct tem_call *c)
{
	switch ((int)c->a[0]) {
	case PR_SET_SECCOMP:
		refuse(c, EPERM, "refused (no seccomp filter besides erim-tem's)");
		break;
	case PR_SET_MM:
		/* everyone, start-up code too (red team 42): the argument and
		 * environment bounds it sets are what /proc/PID/cmdline and
		 * /proc/PID/environ read, through the kernel's remote access
		 * that no protection key stops -- bounds laid over a range
		 * registered later read trusted memory, through files that are
		 * not memory files.  Left alone they stay on the initial stack
		 * that exec laid out. */
		refuse(c, EPERM, "refused (PR_SET_MM rewrites the memory map's metadata: the argument and environment "
		       "bounds are what /proc/PID/cmdline and environ read, keys ignored)");
		break;
	case TEM_PR_SET_MEMORY_MERGE:
		/* everyone (red team 44): it makes every mapping mergeable,
		 * trusted ones included, and KSM compares pages with no key:
		 * a guess page that merges with a trusted page says so in
		 * /proc/self/pagemap -- a trusted byte read by trying its 256
		 * values.  Turning it off is harmless. */
		if (c->a[1] != 0)
			refuse(c, EPERM, "refused (PR_SET_MEMORY_MERGE makes trusted memory mergeable: KSM compares pages "
			       "with no key, and a merged guess shows in pagemap)");
		break;
	case TEM_PR_SET_SYSCALL_USER_DISPATCH:
		/* turning it off is harmless; on, the kernel diverts the
		 * thread's system calls (erim-tem's injected ones too) to a
		 * SIGSYS before seccomp or ptrace sees them, as a byte in user
		 * memory that any process sharing the page can flip decides */
		if (c->a[1] != 0)
			refuse(c, EPERM, "refused (Syscall User Dispatch would let the kernel skip system calls "
			       "erim-tem injects and sees)");
		break;
	default:
		break;
	}
}

static void chk_seccomp(struct tem_call *c)
{
	/* 0 SET_MODE_STRICT, 1 SET_MODE_FILTER; GET_ACTION_AVAIL (2) and
	 * GET_NOTIF_SIZES (3) only ask questions */
	if (c->a[0] <= 1)
		refuse(c, EPERM, "refused (no seccomp filter besides erim-tem's)");
}

/* ---- the kernel as confused deputy ----------------------------------------------- */

static void exit_refused_fd(struct tem_call *c, long ret)
{
	c->final_ret = -EPERM;
	c->set_ret = 1;
	if (ret != 0) {   /* the refused fd stays in a table others may share: stop them (TEM_UNDO_FILES) */
		c->kill = 1;
		why(c, "refused (the close of the refused fd %" PRIu64 " failed: %ld; every task sharing the fd table "
		    "stopped)", c->x[0], ret);
	}
}

/* After open*: judge the file actually opened (no path race is possible: the
 * fd is what it is), and close it again (injected close) when refused. */
static void exit_fd_check(struct tem_call *c, long ret)
{
	char name[64], link[256] = "";
	struct stat st;
	struct statfs sfs;
	ssize_t n;
	int acc, fd;
	pid_t owner = 0;
	const char *bad = NULL;
	uint64_t args[6] = { 0 };

	if (ret < 0)
		return;
	snprintf(name, sizeof name, "/proc/%d/fd/%ld", (int)c->t->tid, ret);
	if ((fd = tem_proc_open(name, O_PATH)) < 0 || fstat(fd, &st) != 0 || fstatfs(fd, &sfs) != 0) {
		bad = "cannot identify the opened file";
	} else if (tem_procfile_refused(&st, (long)sfs.f_type, &bad, &owner)) {
		/* by identity, for every caller, start-up code included, and
		 * whoever owns it (tem_target.c): an fd outlives the code that
		 * opened it -- sent into a socket queue, kept by a thread with
		 * a table of its own, by a CLONE_VM twin, ... (red teams 40,
		 * 41).  liberim reads execute-only code by making it readable
		 * for a moment (inspect_process.c), not through this file. */
		;
	} else if (((long)sfs.f_type == DEBUGFS_MAGIC || (long)sfs.f_type == TRACEFS_MAGIC) &&
	           tem_fd_accmode(c->t->tid, ret) != O_RDONLY) {
		/* kernel knobs below every protection key (x86/init_pkru is
		 * the PKRU every signal handler starts with): by the file
		 * system the fd really is on, whatever path led there */
		bad = (long)sfs.f_type == DEBUGFS_MAGIC ? "a debugfs file for writing (kernel knobs such as init_pkru)"
		                                        : "a tracefs file for writing (kernel tracing control)";
	} else if (tem_is_uffd_dev(&st)) {
		/* for every caller: its ioctl(USERFAULTFD_IOC_NEW) makes a
		 * userfaultfd on the mm of whoever issues it, so an fd opened
		 * anywhere (a helper, a process forked at start-up) and passed
		 * over a socket would give untrusted code one */
		bad = "/dev/userfaultfd (a userfaultfd for whichever process uses the fd)";
	} else if (!c->trusted || c->domain[0] == 's') {
		/* untrusted code, and start-up code of processes that never
		 * registered (an exec'd helper): the bytes behind another
		 * traced process's executable mappings are its memory too */
		acc = tem_fd_accmode(c->t->tid, ret);
		if (acc != O_RDONLY) {   /* the name, for procfs (tem_kconf.c) */
			n = readlinkat(tem_procfd(), name + 6, link, sizeof link - 1);
			link[n > 0 ? n : 0] = 0;
		}
		if (tem_storage_refused(&st, (long)sfs.f_type, acc, &bad))
			;   /* swap, disks, hibernation: page contents of trusted memory (tem_target.c) */
		else if (tem_kconf_refused((long)sfs.f_type, acc, link, &bad))
			;   /* kernel knobs that start untraced helpers (tem_kconf.c) */
		else if (acc != O_RDONLY && tem_execfile_known(st.st_dev, st.st_ino))
			bad = "a file whose bytes are executable, for writing";
	}
	if (fd >= 0)
		close(fd);
	if (bad && !link[0]) {   /* the name, for the message only */
		n = readlinkat(tem_procfd(), name + 6, link, sizeof link - 1);
		link[n > 0 ? n : 0] = 0;
	}
	if (!bad)
		return;
	c->refuse_errno = EPERM;
	why(c, "refused (opened %s%s%s%s; fd closed again)", bad, link[0] ? " = " : "", link[0] ? link : "", "");
	/* ("closed again" by the close injected below; if the caller dies
	 * first, every task sharing the table is stopped: TEM_UNDO_FILES) */
	args[0] = (uint64_t)ret;
	c->x[0] = (uint64_t)ret;
	c->on_exit = exit_refused_fd;
	tem_call_inject(c, SYS_close, args);
}

/* truncate, ftruncate, fallocate of a file whose bytes are executable in a
 * tracee.  Defence in depth: erim-tem keeps no executable byte backed by a
 * file (exit_mmap_judge, exit_reg_fresh), but truncation would unmap even
 * private copies of the file's pages (start-up's data and RELRO of the same
 * objects included) and the next fault would read new bytes.  By the fd's
 * identity; truncate by the path as the caller's root and cwd resolve it
 * now (a path swapped afterwards is not seen: hence "in depth"). */
static void chk_truncate(struct tem_call *c)
{
	char name[64 + 4096], path[4096];
	struct stat st;
	ssize_t n;

	if (c->nr == SYS_truncate) {
		/* read as the kernel reads it (tem_arg_read): a path that
		 * reaches trusted memory before its NUL is left to the
		 * kernel's EFAULT, whatever its bytes */
		if ((n = tem_arg_read(c, c->a[0], path, sizeof path - 1)) <= 0 ||
		    !memchr(path, 0, (size_t)n))
			return;   /* unreadable: the kernel fails the call (EFAULT) */
		path[n] = 0;
		snprintf(name, sizeof name, "/proc/%d/%s/%s", (int)c->t->tid, path[0] == '/' ? "root" : "cwd", path);
	} else {
		snprintf(name, sizeof name, "/proc/%d/fd/%ld", (int)c->t->tid, (long)(int)c->a[0]);
	}
	if (stat(name, &st) == 0 && S_ISREG(st.st_mode) && tem_execfile_known(st.st_dev, st.st_ino)) {
		why(c, "refused (%s of a file whose bytes are executable in a traced process: would drop the "
		    "private copies of its pages)", c->nr == SYS_fallocate ? "fallocate" : "truncation");
		c->refuse_errno = EPERM;
	}
}

/* After recvmsg/recvmmsg: an SCM_RIGHTS message installs fds no open
 * made (an untraced sender: a service that hands out device fds, a root
 * process).  The fd numbers the kernel wrote into the control buffer are
 * user memory another thread may rewrite before this stop, so the caller's
 * whole fd table is judged, in one walk (tem_recv_in_table), whatever the
 * call returned but EAGAIN: storage that
 * receives page contents, a memory or registers file (no open of a traced
 * process makes one, but an untraced process may send it), an fd of a kind
 * registration refuses -- or a table that cannot be read -- stops the
 * process: the fd existed from the kernel's install to this stop, and
 * untrusted code may have used it meanwhile. */
static void exit_recv_check(struct tem_call *c, long ret)
{
	char link[256];
	const char *bad;
	long fdno;
	int r;

	/* a failed call too (red team 43): the kernel installs the fds, then
	 * fails writing msg_flags or recvmmsg's msg_len back (EFAULT) -- the
	 * fds stay.  Only EAGAIN (nothing was there to receive: the common
	 * answer to a non-blocking server) skips the walk. */
	if (ret == -EAGAIN || (r = tem_recv_in_table(c->t->tid, &fdno, link, sizeof link, &bad)) == 0)
		return;
	c->kill = 1;
	if (r < 0)
		why(c, "process stopped (after %s: %s)", c->rule->name, bad);
	else
		why(c, "process stopped (fd %ld = %s in the caller's table after %s, held without a judged open "
		    "-- received with SCM_RIGHTS: %s)", fdno, link, c->rule->name, bad);
}

static void chk_recv(struct tem_call *c)
{
	/* judged for the callers whose opens of storage are refused:
	 * untrusted code and start-up code (exit_fd_check) */
	if (c->trusted && c->domain[0] != 's')
		return;
	c->on_exit = exit_recv_check;
}

static void chk_open(struct tem_call *c)
{
	/* Judged by its result (/proc/PID/mem, a file of code opened for
	 * writing): the new fd is in the fd table from the moment the kernel
	 * installs it until the exit check (and the injected close of a
	 * refused one).  Every task that shares that fd table -- threads,
	 * CLONE_VM clones, clone(CLONE_FILES) children without CLONE_VM --
	 * is in the caller's group and held from before the call until after
	 * that close (tem_main.c), so no other task can use the fd before
	 * the verdict; other processes reach it only through calls of a task
	 * of the group (SCM_RIGHTS) or judged opens of /proc/PID/fd. */
	c->needs_freeze = 1;
	c->on_exit = exit_fd_check;
	/* the fd is in the table from its install until the exit check's
	 * close: if the caller dies first (a SIGKILL from outside the group,
	 * red team 17 rt_owner_death), every task sharing the table is
	 * stopped before any is released (tem_main.c lost_correction) */
	tem_call_undo(c, TEM_UNDO_FILES);
}

/* rt_sigreturn restores kernel state from user memory: the registers
 * (CS and SS among them), PKRU (in the XSAVE image) and the signal stack
 * (uc_stack, through restore_altstack, with no sigaltstack call).  Every
 * part is judged.
 *
 * At the seccomp stop, with every other task of the caller's group held
 * until the call's exit (so none of them can rewrite the frame between this
 * read and the kernel's): the frame's uc_stack must pass the sigaltstack
 * rule (not in trusted memory), and its CS and SS must be the 64-bit user
 * selectors -- CS 0x23 would run the rest of the program in 32-bit
 * compatibility mode, where code inspected and audited as 64-bit code
 * decodes differently (a gate's RIP-relative check becomes an absolute
 * load).  A frame that fails is forged: the process is stopped.
 *
 * At the exit stop the restored state itself is judged, whatever the frame
 * memory held (a writer outside the group -- AIO queued earlier, another
 * process's shared mapping -- could have changed the frame after the read
 * above): CS and SS in the thread's registers, the signal stack as the
 * kernel now has it (altstack_query), and PKRU: if it grants the trusted key, it
 * must equal the PKRU (and rip, rsp) that a signal interrupted in trusted
 * code; otherwise the frame was forged or edited, and PKRU is forced back
 * to the untrusted value before the thread runs another instruction. */
#define TEM_USER_CS 0x33u   /* __USER_CS: 64-bit user code */
#define TEM_USER_DS 0x2bu   /* __USER_DS: user data and stack */

static uint32_t key_bits(int k)
{
	return ERIM_PKRU_KEY_BITS(k);
}

static void stop_process(struct tem_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stop_process(struct tem_call *c, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	c->kill = 1;
	why(c, "refused (%s): process stopped", buf);
}

/* The signal stack the kernel really has now, learnt from the kernel:
 * sigaltstack(NULL, page) injected into the thread (at the `syscall`
 * instruction the judged call was made with), PAGE a fresh anonymous page
 * erim-tem maps for it with the group still held -- no task, no earlier
 * pin (AIO) and no other process can write a page that did not exist
 * before -- and unmaps again.  x[0]: that instruction, x[1]: the page.
 * Asked after every rt_sigreturn (the frame's uc_stack, restored by the
 * kernel's restore_altstack) and every sigaltstack that names a new stack
 * (its stack_t): both were judged in memory that a writer outside the
 * group (another process sharing the page: MAP_SHARED, memfd, shm; an
 * O_DIRECT AIO read queued earlier) can rewrite between erim-tem's read and
 * the kernel's, so the verdict that counts is on what the kernel installed.
 * A stack in trusted memory stops the process: the call has run, and there
 * is nothing sane to return to (a signal frame would be written there; on
 * Linux 6.12 with every key enabled). */
static void exit_alt_done(struct tem_call *c, long ret)
{
	(void)c;
	(void)ret;
}

static void exit_alt_query(struct tem_call *c, long ret)
{
	uint64_t args[6] = { c->x[1], TEM_PAGE };
	struct { uint64_t sp; int32_t flags, pad; uint64_t size; } ss;

	if (ret != 0 || tem_mem_read(c->t->tid, c->x[1], &ss, sizeof ss) != (ssize_t)sizeof ss) {
		stop_process(c, "cannot learn the signal stack the kernel installed: %s",
		              strerror(ret < 0 ? (int)-ret : EIO));
		return;
	}
	if (!(ss.flags & SS_DISABLE) && hits_trusted(c->t->proc, ss.sp, ss.size)) {
		if (c->nr == SYS_rt_sigreturn)
			stop_process(c, "restored signal stack [0x%" PRIx64 ", +0x%" PRIx64 ") in trusted memory "
			              "(the frame changed after it was judged)", ss.sp, ss.size);
		else
			stop_process(c, "installed signal stack [0x%" PRIx64 ", +0x%" PRIx64 ") in trusted memory "
			              "(the stack_t changed after it was judged)", ss.sp, ss.size);
		return;
	}
	c->on_exit = exit_alt_done;
	tem_call_inject_at(c, c->x[0], SYS_munmap, args);
}

static void exit_alt_page(struct tem_call *c, long ret)
{
	uint64_t args[6] = { 0, 0 };

	if (ret < 0 && ret > -4096) {
		stop_process(c, "cannot map a page to learn the signal stack the kernel installed: %s",
		              strerror((int)-ret));
		return;
	}
	c->x[1] = (uint64_t)ret;
	args[1] = c->x[1];
	c->on_exit = exit_alt_query;
	tem_call_inject_at(c, c->x[0], SYS_sigaltstack, args);
}

/* At the exit stop of C (rt_sigreturn, sigaltstack), with the caller's
 * group held since its seccomp stop: ask the kernel for the signal stack. */
static void altstack_query(struct tem_call *c)
{
	uint64_t args[6] = { 0, TEM_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0 };

	if (c->t->proc->nranges == 0)
		return;   /* no trusted memory: nothing the signal stack could reach */
	c->x[0] = c->regs.rip - 2;
	c->on_exit = exit_alt_page;
	tem_call_inject_at(c, c->x[0], SYS_mmap, args);
}

static void exit_sigreturn(struct tem_call *c, long ret)
{
	struct tem_thread *t = c->t;
	struct tem_proc *p = t->proc;
	struct user_regs_struct r;
	uint32_t pkru;
	size_t i;

	(void)ret;
	if (tem_getregs(t->tid, &r) != 0)
		return;
	if ((r.cs | 3) != TEM_USER_CS || (r.ss | 3) != TEM_USER_DS) {
		stop_process(c, "restored CS 0x%llx, SS 0x%llx: not 64-bit user mode (0x33/0x2b)",
		               (unsigned long long)r.cs, (unsigned long long)r.ss);
		return;
	}
	if (p->pkey < 1 || tem_pkru_get(t->tid, &pkru) != 0 || !tem_pkru_grants(p, pkru)) {
		altstack_query(c);   /* returns to the untrusted domain */
		return;
	}
	for (i = t->nsig; i-- > 0;) {
		if (t->sig[i].pkru == pkru && t->sig[i].rip == r.rip && t->sig[i].rsp == r.rsp) {
			t->nsig = i;
			why(c, "allowed (returns to the trusted code a signal interrupted)");
			altstack_query(c);
			return;
		}
	}
	c->refuse_errno = EPERM;
	if (tem_pkru_set(t->tid, pkru | key_bits(p->pkey)) != 0) {
		c->kill = 1;
		why(c, "forged frame with PKRU 0x%08x and PKRU cannot be reset: process stopped", pkru);
	} else {
		why(c, "refused (forged frame with PKRU 0x%08x: forced to 0x%08x)", pkru, pkru | key_bits(p->pkey));
		altstack_query(c);
	}
}

/* The head of the frame rt_sigreturn reads (x86-64): the return address
 * the handler's `ret` popped, then struct ucontext -- uc_flags, uc_link,
 * uc_stack (stack_t), uc_mcontext (struct sigcontext: r8..r15, rdi, rsi,
 * rbp, rbx, rdx, rax, rcx, rsp, rip, eflags, then cs, gs, fs, ss as 16-bit
 * fields).  At the system call %rsp points at the ucontext. */
struct tem_uc_head {
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	uint64_t gregs[18];     /* r8 .. eflags */
	uint16_t cs, gs, fs, ss;
};
_Static_assert(sizeof(struct tem_uc_head) == 40 + 18 * 8 + 8, "ucontext head layout");

static void chk_sigreturn(struct tem_call *c)
{
	struct tem_uc_head h;
	uint64_t uc = c->regs.rsp;

	/* no task of the group may rewrite the frame between this read and
	 * the kernel's: they stay held until the exit stop */
	c->needs_freeze = 1;
	c->on_exit = exit_sigreturn;
	if (tem_arg_read(c, uc, &h, sizeof h) != (ssize_t)sizeof h)
		return;   /* the kernel cannot read it either: SIGSEGV, nothing restored */
	if ((h.cs | 3u) != TEM_USER_CS || (h.ss | 3u) != TEM_USER_DS) {
		stop_process(c, "frame restores CS 0x%x, SS 0x%x: not 64-bit user mode (0x33/0x2b)",
		               (unsigned)h.cs, (unsigned)h.ss);
		return;
	}
	if (!(h.ss_flags & SS_DISABLE) && hits_trusted(c->t->proc, h.ss_sp, h.ss_size)) {
		stop_process(c, "frame restores the signal stack [0x%" PRIx64 ", +0x%" PRIx64 ") in trusted memory",
		               h.ss_sp, h.ss_size);
		return;
	}
}

void tem_note_signal(struct tem_thread *t, int sig)
{
	struct tem_proc *p = t->proc;
	struct user_regs_struct r;
	uint32_t pkru;

	(void)sig;
	if (!p || !p->registered || p->pkey < 1 || tem_pkru_get(t->tid, &pkru) != 0 ||
	    (pkru & key_bits(p->pkey)) || tem_getregs(t->tid, &r) != 0)
		return;
	if (t->nsig == TEM_SIGSTACK_MAX)
		memmove(t->sig, t->sig + 1, sizeof t->sig[0] * (TEM_SIGSTACK_MAX - 1)), t->nsig--;
	t->sig[t->nsig].pkru = pkru;
	t->sig[t->nsig].rip = r.rip;
	t->sig[t->nsig].rsp = r.rsp;
	t->nsig++;
}

/* Addresses the kernel writes at task exit (clear_child_tid, the robust
 * futex list) or at clone (the tids, the pidfd) -- possibly with the PKRU of
 * a task killed inside trusted code, or on 6.12 kernels with every key --
 * must not be trusted memory.  Judged by target, in untrusted callers
 * (glibc passes addresses in its TLS, which is untrusted memory). */
static void chk_set_tid_address(struct tem_call *c)
{
	if (c->a[0] && hits_trusted(c->t->proc, c->a[0], sizeof(uint32_t)))
		refuse(c, EPERM, "refused (clear_child_tid in trusted memory: the kernel zeroes it at exit)");
}

static void chk_set_robust_list(struct tem_call *c)
{
	if (c->a[0] && hits_trusted(c->t->proc, c->a[0], c->a[1] ? c->a[1] : 1))
		refuse(c, EPERM, "refused (robust futex list head in trusted memory: the kernel walks it at exit)");
}

/* After registration no task of the process has a robust futex list: the
 * registering thread's is cleared at registration (exit_reg_robust), new
 * tasks start without one, and none may be set.  The kernel walks the list
 * -- entries in untrusted memory, chosen by untrusted code -- when the task
 * dies, with the PKRU it died with: trusted, if it was killed inside a gate,
 * and then FUTEX_OWNER_DIED lands in any trusted word that holds its TID.
 * ENOSYS: glibc ignores the failure (robust mutexes lose owner-died
 * recovery). */
static void chk_set_robust_list_registered(struct tem_call *c)
{
	if (!c->a[0])
		return;
	if (hits_trusted(c->t->proc, c->a[0], c->a[1] ? c->a[1] : 1)) {
		refuse(c, EPERM, "refused (robust futex list head in trusted memory: the kernel walks it at exit)");
		return;
	}
	/* glibc sets one in every new thread and fork child and ignores
	 * the result: the call runs with no list (head NULL), so nothing is
	 * refused (and logged) at every pthread_create and fork */
	c->regs.rdi = 0;
	why(c, "head replaced by NULL (no robust futex list after registration: the kernel would follow its "
	    "untrusted entries at exit with the PKRU the task dies with)");
}

static void tem_chk_clone_tids(struct tem_call *c)
{
	uint64_t flags = c->a[0];

	/* x86-64 clone(flags, stack, parent_tid, child_tid, tls) */
	if ((flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) && hits_trusted(c->t->proc, c->a[2], sizeof(uint32_t)))
		refuse(c, EPERM, "refused (parent_tid/pidfd written into trusted memory)");
	else if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) &&
	         hits_trusted(c->t->proc, c->a[3], sizeof(uint32_t)))
		refuse(c, EPERM, "refused (child_tid in trusted memory: written at start, zeroed at exit)");
}

/* sigaltstack(ss, old): the stack_t is read here, with the caller's group
 * held, and a stack in trusted memory refused (EPERM).  That read is not
 * what the kernel reads: another process can share the page (MAP_SHARED
 * anonymous memory or a memfd mapped before a fork, shm) and rewrite ss_sp
 * between the two reads (red team 17), so the verdict that counts is the
 * one on the result: at the exit stop the kernel is asked which signal
 * stack it installed (altstack_query: an injected sigaltstack(NULL, page)
 * into a fresh page), and one in trusted memory stops the process.  The
 * group stays held until then (no task may replace the fresh page). */
static void exit_sigaltstack(struct tem_call *c, long ret)
{
	(void)ret;   /* even a failed call (EFAULT writing OLD) may have installed SS */
	altstack_query(c);
}

static void chk_sigaltstack(struct tem_call *c)
{
	stack_t ss;

	if (!c->a[0])
		return;   /* only a read of the current stack */
	c->needs_freeze = 1;   /* held until the exit query is over */
	c->on_exit = exit_sigaltstack;
	if (tem_arg_read(c, c->a[0], &ss, sizeof ss) != (ssize_t)sizeof ss)
		return;  /* the kernel will fail it with EFAULT (and the exit asks all the same) */
	if (!(ss.ss_flags & SS_DISABLE) && hits_trusted(c->t->proc, (uint64_t)(uintptr_t)ss.ss_sp, ss.ss_size))
		refuse(c, EPERM, "refused (signal stack in trusted memory)");
}

/* ---- registration --------------------------------------------------------------- */

/* Every private file mapping becomes fresh anonymous memory holding the
 * same bytes at registration: code (liberim's patches included), read-only
 * data, RELRO, data, trusted globals in an object's .data/.bss, a file the
 * start-up mapped for trusted code to read.  The class: bytes trusted code
 * reads must not come from a file untrusted code can change.  A private
 * page that was never written is the file's page-cache page (a write to
 * the file, through any fd or a shared mapping, shows in it at once), and
 * even a written private copy is not enough: truncating the file unmaps
 * private copies too (the kernel's unmap_mapping_range with even_cows, by
 * truncate, O_TRUNC, fallocate PUNCH_HOLE ...) and the next fault reads
 * whatever the file holds then.  So no syscall list is judged for them:
 * after registration the registered process has no private page backed by
 * a file at all (mappings without any permission hold no bytes anyone
 * reads and are left; MAP_SHARED ones follow their file by definition, and
 * a trusted range may not be one, tem_register).  The list is made while
 * the registration is judged; the work is done at its exit stop: one
 * injected MAP_FIXED mmap per mapping (with the mapping's own permissions,
 * so the `syscall` instruction the injections use stays executable), each
 * filled with erim-tem's copy through the memory file before the thread
 * runs again, then the mapping's protection key (pkey_mprotect), its
 * MADV_DONTDUMP (madvise) and its lock in RAM (mlock2, MLOCK_ONFAULT when
 * it was so: liberim locks trusted ranges) given back, as smaps showed
 * them. */
struct reg_fresh {
	size_t n, i, cap;
	int step;                /* of v[i]: 0 none yet, 1 mmap, 2 pkey_mprotect, 3 madvise, 4 mlock2 injected */
	tem_exit_fn next;        /* rseq's exit work (tem_rseq.c), after ours */
	uint64_t bytes;          /* copied, for the log */
	struct { uint64_t start, end, prot; int key, dontdump, sealed, locked; uint8_t *copy; char path[256]; } v[];
};

static void reg_fresh_free(struct reg_fresh *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		free(r->v[i].copy);
	free(r);
}

static int collect_file_vma(const struct tem_vma *v, void *arg)
{
	struct reg_fresh **rp = arg, *r = *rp;

	if (v->perms[3] != 'p' || v->ino == 0 || !strncmp(v->perms, "---", 3))
		return 0;
	if (r->n == r->cap) {
		size_t ncap = r->cap * 2;
		struct reg_fresh *nr = realloc(r, sizeof *r + ncap * sizeof r->v[0]);

		if (!nr)
			return 1;
		*rp = r = nr;
		r->cap = ncap;
	}
	r->v[r->n].start = v->start;
	r->v[r->n].end = v->end;
	r->v[r->n].prot = (v->perms[0] == 'r' ? PROT_READ : 0) | (v->perms[1] == 'w' ? PROT_WRITE : 0) |
	                  (v->perms[2] == 'x' ? PROT_EXEC : 0);
	r->v[r->n].key = 0;
	r->v[r->n].dontdump = 0;
	r->v[r->n].sealed = 0;
	r->v[r->n].locked = 0;
	r->v[r->n].copy = NULL;
	snprintf(r->v[r->n].path, sizeof r->v[r->n].path, "%s", v->path[0] ? v->path : "a file");
	r->n++;
	return 0;
}

/* The protection key and MADV_DONTDUMP of every collected mapping, from one
 * read of smaps (the fresh pages are made with key 0 and without the
 * flag), and whether it is sealed (mseal(2): it cannot be replaced, and
 * the registration is refused before anything was changed).  0, or
 * -errno. */
static int reg_fresh_attrs(pid_t tid, struct reg_fresh *r)
{
	char name[64], line[512];
	FILE *f;
	size_t j = 0;
	long cur = -1;
	uint64_t vs, ve;
	int k, seen = 0;

	snprintf(name, sizeof name, "/proc/%d/smaps", (int)tid);
	if (!(f = tem_proc_fopen(name)))
		return -errno;
	while (erim_proc_line(line, sizeof line, f)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &vs, &ve) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			seen = 1;
			cur = -1;
			while (j < r->n && r->v[j].start < vs)
				j++;
			if (j < r->n && r->v[j].start == vs && r->v[j].end == ve)
				cur = (long)j;
		} else if (cur >= 0 && sscanf(line, "ProtectionKey: %d", &k) == 1) {
			r->v[cur].key = k;
		} else if (cur >= 0 && !strncmp(line, "VmFlags:", 8)) {
			r->v[cur].dontdump = strstr(line, " dd") != NULL;
			r->v[cur].sealed = strstr(line, " sl") != NULL;   /* mseal(2): MAP_FIXED over it fails */
			/* mlock'ed (liberim locks trusted ranges: swap), on fault or not */
			r->v[cur].locked = !strstr(line, " lo") ? 0 : strstr(line, " lf") ? 2 : 1;
		}
	}
	fclose(f);
	return seen ? 0 : -EIO;
}

static void exit_reg_fresh(struct tem_call *c, long ret)
{
	struct reg_fresh *r = (struct reg_fresh *)(uintptr_t)c->x[3];
	uint64_t args[6] = { 0 };
	int rc = 0;

	if (r->step) {
		uint64_t s = r->v[r->i].start, len = r->v[r->i].end - s;

		/* the injected call for v[i] returned RET */
		if (r->step == 1)
			rc = (uint64_t)ret == s ? tem_fresh_fill(c->t->tid, s, r->v[r->i].copy, (size_t)len)
			                        : (ret < 0 && ret > -4096 ? (int)ret : -EFAULT);
		else if (ret != 0)
			rc = ret < 0 && ret > -4096 ? (int)ret : -EFAULT;
		if (rc) {
			/* the mapping may have lost its bytes or its key: the process cannot go on */
			c->kill = 1;
			c->set_ret = 1;
			c->final_ret = -EPERM;
			c->refuse_errno = EPERM;
			why(c, "refused (cannot give %s at 0x%" PRIx64 " fresh pages holding its bytes%s: %s; process stopped)",
			    r->v[r->i].path, s, r->step == 1 ? "" : r->step == 2 ? " and its protection key"
			    : r->step == 3 ? " and MADV_DONTDUMP" : " and its lock in RAM (mlock2)",
			    strerror(-rc));
			reg_fresh_free(r);
			c->x[3] = 0;
			return;
		}
		args[0] = s;
		args[1] = len;
		c->on_exit = exit_reg_fresh;
		if (r->step == 1 && r->v[r->i].key > 0) {
			args[2] = r->v[r->i].prot;
			args[3] = (uint64_t)r->v[r->i].key;
			r->step = 2;
			tem_call_inject(c, SYS_pkey_mprotect, args);
			return;
		}
		if (r->step < 3 && r->v[r->i].dontdump) {
			args[2] = MADV_DONTDUMP;
			r->step = 3;
			tem_call_inject(c, SYS_madvise, args);
			return;
		}
		if (r->step < 4 && r->v[r->i].locked) {
			args[2] = r->v[r->i].locked == 2 ? 1 /* MLOCK_ONFAULT */ : 0;
			r->step = 4;
			tem_call_inject(c, SYS_mlock2, args);
			return;
		}
		r->i++;
	}
	if (r->i < r->n) {
		args[0] = r->v[r->i].start;
		args[1] = r->v[r->i].end - r->v[r->i].start;
		args[2] = r->v[r->i].prot;
		args[3] = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
		args[4] = (uint64_t)-1;
		r->step = 1;
		c->on_exit = exit_reg_fresh;
		tem_call_inject(c, SYS_mmap, args);
		return;
	}
	{
		tem_exit_fn next = r->next;

		tem_log(2, "pid %d: %zu private file mapping(s), %" PRIu64 " KiB, now fresh anonymous pages holding their bytes",
		        (int)c->t->tid, r->n, r->bytes >> 10);
		reg_fresh_free(r);
		c->x[3] = 0;
		c->set_ret = 1;
		c->final_ret = TEM_REPLY;
		if (next)
			next(c, ret);
	}
}

/* Registration, at the call's exit: the robust futex list of the
 * registering thread is dropped (set_robust_list(NULL, 24) injected; the
 * kernel accepts any head), then whatever else the registration chained
 * (in c->x[2]: rseq unregistration).  Only the registering thread's:
 * another task of the address space existing at registration keeps its
 * list (liberim's erim_init refuses to start with one; doc/tem.md). */
static void exit_reg_robust_done(struct tem_call *c, long ret)
{
	tem_exit_fn next = (tem_exit_fn)(uintptr_t)c->x[2];

	c->x[2] = 0;
	c->set_ret = 1;
	if (ret != 0) {
		c->kill = 1;   /* registered, but a list untrusted code edits stays: stop */
		c->final_ret = -EPERM;
		c->refuse_errno = EPERM;
		why(c, "refused (the registering thread's robust futex list could not be cleared: %ld; process stopped)", ret);
		return;
	}
	tem_log(2, "pid %d: robust futex list cleared at registration", (int)c->t->tid);
	c->final_ret = TEM_REPLY;
	if (next)
		next(c, ret);
}

static void exit_reg_robust(struct tem_call *c, long ret)
{
	uint64_t args[6] = { 0, 24 /* sizeof (struct robust_list_head) */, 0, 0, 0, 0 };

	(void)ret;
	c->on_exit = exit_reg_robust_done;
	tem_call_inject(c, SYS_set_robust_list, args);
}

/* A trusted range on a shared mapping follows its file or segment (any
 * writer of it changes trusted memory under its key): refused. */
struct shared_hit { char what[200]; };

static int shared_trusted_vma(const struct tem_vma *v, void *arg)
{
	struct shared_hit *h = arg;

	if (v->perms[3] != 's')
		return 0;
	snprintf(h->what, sizeof h->what, "trusted range on the shared mapping of %.100s at 0x%" PRIx64 " (%s)",
	         v->path[0] ? v->path : "a file or segment", v->start, v->perms);
	return 1;
}

/* A trusted range KSM may merge (VmFlags "mg": start-up's MADV_MERGEABLE
 * on a range it then registers): KSM compares its pages with any other
 * mergeable page, no key checked, and a merge shows in pagemap -- an oracle
 * on trusted bytes (red team 44).  One read of smaps: 1 with WHAT when a
 * registered range lies on such a mapping, 0, -errno. */
static int mergeable_trusted(pid_t tid, const struct tem_proc *p, char *what, size_t len)
{
	char name[64], line[512];
	uint64_t vs, ve, cs = 0, ce = 0;
	size_t i;
	int seen = 0, hit = 0;
	FILE *f;

	snprintf(name, sizeof name, "/proc/%d/smaps", (int)tid);
	if (!(f = tem_proc_fopen(name)))
		return -errno;
	while (!hit && erim_proc_line(line, sizeof line, f)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &vs, &ve) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			seen = 1;
			cs = vs;
			ce = ve;
		} else if (!strncmp(line, "VmFlags:", 8) && strstr(line, " mg")) {
			for (i = 0; i < p->nranges && !hit; i++)
				if (p->range[i].start < ce && cs < p->range[i].end) {
					snprintf(what, len, "trusted range [0x%" PRIx64 ", 0x%" PRIx64 ") lies on a mergeable "
					         "mapping at 0x%" PRIx64 " (MADV_MERGEABLE)", p->range[i].start, p->range[i].end, cs);
					hit = 1;
				}
		}
	}
	fclose(f);
	return hit ? 1 : seen ? 0 : -EIO;
}

/* A registration refused after it was recorded: undone (fail closed:
 * liberim refuses to start), the call answers -ERR. */
static void reg_undo(struct tem_call *c, struct tem_proc *p, int err)
{
	p->registered = 0;
	p->nranges = 0;
	p->pkey = -1;
	c->final_ret = -err;
	c->refuse_errno = err;
}

void tem_register(struct tem_call *c)
{
	struct tem_proc *p = c->t->proc;
	struct reg_fresh *fresh = NULL;
	struct tem_registration reg;
	struct tem_maps_walk cw;
	int frc;
	size_t i;

	c->set_ret = 1;
	if (c->a[0] != TEM_MAGIC || c->a[2] != sizeof reg) {
		c->final_ret = -EINVAL;
		why(c, "refused (malformed registration)");
		return;
	}
	if (p->registered) {
		c->final_ret = -EPERM;
		c->refuse_errno = EPERM;
		why(c, "refused (a registration exists: the first one wins)");
		return;
	}
	if (p->exec_after_reg) {
		/* execve/execveat after registration: the new image's start-up
		 * (pre-main code, LD_PRELOAD constructors, ...) was chosen by
		 * the caller of execve, possibly untrusted code, and could
		 * leave W+X code or a thread with PKRU 0 behind; a process tree
		 * line gets one trusted start-up, before its first registration */
		c->final_ret = -EPERM;
		c->refuse_errno = EPERM;
		why(c, "refused (image exec'd after process %d registered: its start-up ran what the execve "
		    "caller chose; no second trusted start-up)", (int)p->exec_after_reg);
		return;
	}
	{
		const char *w = tem_detach_exposed(c->t, 0);

		if (w) {
			c->final_ret = -EPERM;
			c->refuse_errno = EPERM;
			why(c, "refused (its memory is open to processes the program may drive: %s)", w);
			return;
		}
	}
	{
		/* Every later judgement reads the process's maps and fds; a
		 * process erim-tem cannot read (not dumpable: an unreadable
		 * executable, changed credentials) would be judged blind. */
		char maps[64];
		int fd;

		snprintf(maps, sizeof maps, "/proc/%d/maps", (int)c->t->tid);
		if ((fd = tem_proc_open(maps, O_RDONLY)) < 0) {
			c->final_ret = -EACCES;
			c->refuse_errno = EACCES;
			why(c, "refused (erim-tem cannot read %s: %s; it would judge blind)", maps, strerror(errno));
			return;
		}
		close(fd);
	}
	{
		pid_t holder;
		long fdno;

		int held = tem_memfd_held(p->tgid, &holder, &fdno);

		if (held < 0) {
			c->final_ret = -EACCES;
			c->refuse_errno = EACCES;
			why(c, "refused (the fds of process %d could not be read: it may hold this process's memory file)",
			    (int)holder);
			return;
		}
		if (held) {
			c->final_ret = -EPERM;
			c->refuse_errno = EPERM;
			why(c, "refused (process %d holds fd %ld to this process's memory file: it would outlive start-up)",
			    (int)holder, fdno);
			return;
		}
	}
	{
		/* fds made at start-up that act on this process's memory or
		 * registers after registration (tem_regfds.c) */
		char what[96];
		long fdno;
		int r = tem_dangerous_fd(p->tgid, &fdno, what, sizeof what);

		if (r != 0) {
			c->final_ret = r < 0 ? -EACCES : -EPERM;
			c->refuse_errno = r < 0 ? EACCES : EPERM;
			if (r < 0)
				why(c, "refused (the fds %s could not be read: one may act on its memory after start-up)", what);
			else
				why(c, "refused (fd %ld %s, made before registration: it would act on trusted memory or "
				    "registers from untrusted hands)", fdno, what);
			return;
		}
	}
	{
		/* storage that receives page contents (swap, disks,
		 * hibernation) held without an open erim-tem judged: inherited
		 * from whoever started erim-tem, received with SCM_RIGHTS
		 * (tem_regfds.c); every traced process, every fd table */
		char link[256];
		const char *bad;
		pid_t holder, thread;
		long fdno;
		int r = tem_storage_held(&holder, &thread, &fdno, link, sizeof link, &bad);

		if (r != 0) {
			c->final_ret = r < 0 ? -EACCES : -EPERM;
			c->refuse_errno = r < 0 ? EACCES : EPERM;
			if (r < 0)
				why(c, "refused (process %d: %s; one may be storage holding trusted pages)", (int)holder, bad);
			else
				why(c, "refused (fd %ld = %s of process %d, thread %d, held without a judged open -- "
				    "inherited or received: %s)", fdno, link, (int)holder, (int)thread, bad);
			return;
		}
	}
	if (tem_arg_read(c, c->a[1], &reg, sizeof reg) != (ssize_t)sizeof reg ||
	    reg.version != TEM_VERSION || reg.nranges > TEM_MAX_RANGES) {
		c->final_ret = -EINVAL;
		why(c, "refused (unreadable or malformed registration)");
		return;
	}
	p->registered = 1;
	p->pkey = reg.pkey >= 1 && reg.pkey < 16 ? reg.pkey : -1;
	p->nranges = reg.nranges;
	for (i = 0; i < reg.nranges; i++) {
		p->range[i].start = reg.range[i].start & ~(TEM_PAGE - 1);
		p->range[i].end = reg.range[i].end;
	}
	{
		struct tem_maps_walk mw = tem_execfiles_add_maps(c->t->tid);

		if (mw.res == TEM_MAPS_UNREADABLE) {
			reg_undo(c, p, EACCES);
			why(c, "refused (" MAPS_UNREADABLE ": %s; it would judge blind)", strerror(mw.err));
			return;
		}
	}
	{
		struct xwriter w = { "" };

		if (exec_writer_exists(c->t->tid, &w)) {
			reg_undo(c, p, EPERM);
			why(c, "refused (%s: executable bytes of this process would stay writable after registration)",
			    w.what);
			return;
		}
	}
	for (i = 0; i < p->nranges; i++) {
		struct shared_hit h = { "" };
		struct tem_maps_walk sw = each_vma(c->t->tid, p->range[i].start, p->range[i].end, shared_trusted_vma, &h);

		if (sw.res == TEM_MAPS_NONE)
			continue;
		reg_undo(c, p, sw.res == TEM_MAPS_HIT ? EPERM : EACCES);
		if (sw.res == TEM_MAPS_HIT)
			why(c, "refused (%s: any writer of what it maps would change trusted memory)", h.what);
		else
			why(c, "refused (" MAPS_UNREADABLE ": %s; it would judge blind)", strerror(sw.err));
		return;
	}
	{
		char what[200];
		int mr = mergeable_trusted(c->t->tid, p, what, sizeof what);

		if (mr != 0) {
			reg_undo(c, p, mr > 0 ? EPERM : EACCES);
			if (mr > 0)
				why(c, "refused (%s: KSM would compare trusted pages with guesses, no key checked)", what);
			else
				why(c, "refused (cannot read smaps for mergeable trusted ranges: %s; it would judge blind)",
				    strerror(-mr));
			return;
		}
	}
	/* every file mapped privately (code, read-only data, RELRO, data):
	 * fresh anonymous pages from now on (at the exit stop), so no writer
	 * of the file, and no truncation of it, reaches what trusted code
	 * reads there */
	if ((fresh = malloc(sizeof *fresh + 16 * sizeof fresh->v[0])) != NULL) {
		memset(fresh, 0, sizeof *fresh);
		fresh->cap = 16;
		cw = each_vma(c->t->tid, 0, UINT64_MAX, collect_file_vma, &fresh);
		if (cw.res == TEM_MAPS_NONE && fresh && fresh->n && (frc = reg_fresh_attrs(c->t->tid, fresh)) != 0) {
			reg_fresh_free(fresh);
			reg_undo(c, p, EACCES);
			why(c, "refused (cannot read the protection keys of the file mappings in smaps: %s)", strerror(-frc));
			return;
		}
		if (cw.res == TEM_MAPS_UNREADABLE) {
			reg_fresh_free(fresh);
			reg_undo(c, p, EACCES);
			why(c, "refused (" MAPS_UNREADABLE ": %s; it would judge blind)", strerror(cw.err));
			return;
		}
	}
	if (!fresh || cw.res != TEM_MAPS_NONE) {
		reg_fresh_free(fresh);
		reg_undo(c, p, EPERM);
		why(c, "refused (cannot list the private file mappings to give them fresh pages)");
		return;
	}
	for (i = 0; i < fresh->n; i++) {
		if (!fresh->v[i].sealed)
			continue;
		reg_undo(c, p, EPERM);
		why(c, "refused (%s at 0x%" PRIx64 " is sealed (mseal): it cannot be given fresh pages, and its bytes "
		    "would stay backed by the file)", fresh->v[i].path, fresh->v[i].start);
		reg_fresh_free(fresh);
		return;
	}
	for (i = 0; i < fresh->n; i++) {
		int rc = tem_fresh_copy(c->t->tid, fresh->v[i].start, fresh->v[i].end, &fresh->v[i].copy);

		if (rc == 0) {
			fresh->bytes += fresh->v[i].end - fresh->v[i].start;
			continue;
		}
		/* fail closed: a page that cannot be read (one beyond the end
		 * of a truncated file) would show what a writer puts there */
		reg_undo(c, p, EPERM);
		why(c, "refused (cannot copy %s at 0x%" PRIx64 " to give it fresh pages: %s)", fresh->v[i].path,
		    fresh->v[i].start, strerror(-rc));
		reg_fresh_free(fresh);
		return;
	}
	tem_signal_register(p, c->t->tid);
	if ((frc = tem_freeze_register(p, c->t->tid)) != 0) {
		reg_fresh_free(fresh);
		p->registered = 0;   /* fail closed: liberim refuses to start */
		p->nranges = 0;
		if (frc == -E2BIG) {
			c->final_ret = -E2BIG;
			c->refuse_errno = E2BIG;
			why(c, "refused (cannot freeze the code and RELRO of every loaded object: too many mappings)");
		} else {
			c->final_ret = -EACCES;
			c->refuse_errno = EACCES;
			why(c, "refused (" MAPS_UNREADABLE ": %s; cannot freeze the loaded objects)", strerror(-frc));
		}
		return;
	}
	c->final_ret = TEM_REPLY;
	if (tem_rseq_at_register(c) != 0) {
		reg_fresh_free(fresh);
		c->final_ret = -EBUSY;   /* stays registered: no second try, liberim fails closed */
		c->refuse_errno = EBUSY;
		return;
	}
	/* the registering thread's robust futex list (glibc's, in untrusted
	 * memory) is cleared by an injected set_robust_list(NULL) before
	 * anything else at the call's exit (chk_set_robust_list_registered) */
	c->x[2] = (uint64_t)(uintptr_t)c->on_exit;
	c->on_exit = exit_reg_robust;
	if (fresh->n == 0) {
		reg_fresh_free(fresh);
	} else {
		/* let the registration call fail harmlessly in the kernel (an
		 * unknown number), then replace the mappings at its exit */
		fresh->next = c->on_exit;   /* exit_reg_robust, then the rest */
		c->x[3] = (uint64_t)(uintptr_t)fresh;
		c->on_exit = exit_reg_fresh;
	}
	why(c, "registered: trusted key %d, %zu trusted range(s); from now on %s",
	    p->pkey, p->nranges,
	    p->pkey >= 1 && tem_pkru_supported() ? "callers are judged by their PKRU" : "every caller is untrusted");
}

/* ---- the table ---------------------------------------------------------------------- */

#define U TEM_W_UNTRUSTED
#define A TEM_W_ALWAYS
#define T TEM_W_TRUSTED
#define R TEM_W_EVERYONE_REGISTERED
const struct tem_rule tem_rules[] = {
	/* executable memory */
	{ SYS_mmap, "mmap", U, chk_mmap, "whole pages (huge pages: MAP_HUGETLB or an fd on hugetlbfs judged at 1 GiB); MAP_FIXED over trusted or frozen memory; PROT_EXEC: no W+X, private only; file: mapped without execute first, then the file really mapped (root-owned, not group/other-writable, not open for writing by any tracee), its bytes copied out and inspected, the range replaced by fresh anonymous pages holding the copy (no executable byte stays backed by the file), execute granted by an injected mprotect; MAP_SHARED + PROT_WRITE of a file executable in a traced process (by the fd, then by the mapping the kernel made, removed again)", "EPERM; shared writable: EACCES" },
	{ SYS_mprotect, "mprotect", U, chk_mprotect, "the real range (page-rounded, PROT_GROWSDOWN to the mapping's start); touching trusted memory; frozen memory beyond its permissions; PROT_WRITE on a shared mapping of an executable file; PROT_EXEC: no W+X, private only, applied without execute, the bytes copied out and the copy inspected, the range replaced by fresh anonymous pages holding the copy (no reference taken before the grant reaches them), then granted", "EPERM" },
	{ SYS_pkey_mprotect, "pkey_mprotect", U, chk_mprotect, "as mprotect; never the trusted key; never on frozen memory", "EPERM" },
	{ SYS_mremap, "mremap", U, chk_mremap, "old or new range trusted or frozen (a hugetlb mapping: both rounded to its huge page size); old_size 0 (alias); any executable memory", "EPERM" },
	{ SYS_remap_file_pages, "remap_file_pages", U, NULL, "rearranges file pages behind a mapping", "EPERM" },
	{ SYS_shmat, "shmat", U, chk_shmat, "SHM_EXEC; SHM_REMAP at an address; the whole segment (size by IPC_STAT, rounded to 1 GiB: an SHM_HUGETLB segment cannot be told apart; another IPC namespace refused) over trusted or frozen memory", "EPERM" },
	{ SYS_personality, "personality", U, chk_personality, "READ_IMPLIES_EXEC", "EPERM" },
	{ SYS_modify_ldt, "modify_ldt", U, NULL, "code segments of its own", "EPERM" },
	/* memory map of trusted regions */
	{ SYS_munmap, "munmap", U, chk_range, "touching trusted or frozen memory (a hugetlb mapping: rounded to its huge page size)", "EPERM" },
	{ SYS_brk, "brk", A, tem_chk_kernel_unmap, "untrusted caller, registered process: below the current break the kernel unmaps all of [new, old), whatever is mapped there now; judged on the result: the other tasks held, the mappings overlapping trusted or frozen memory compared before and after; any change stops the process (not held: the query brk(0), and growth past the break erim-tem saw the last brk leave with no other brk in flight; every result recorded)", "process stopped" },
	{ SYS_io_setup, "io_setup", U, tem_chk_kernel_unmap, "when its write of the context id faults, the kernel unmaps the new ring at the address and size it recorded, wherever mremap moved it meanwhile (red team 35a); judged on the result as brk", "process stopped" },
	{ SYS_io_destroy, "io_destroy", U, tem_chk_kernel_unmap, "the kernel unmaps the ring at the address and size it recorded at io_setup (mremap moves the address, keeps the size: a ring shrunk and moved below trusted memory takes it along); judged on the result as brk", "process stopped" },
	{ SYS_munlock, "munlock", U, chk_range, "touching trusted memory (liberim locks it in RAM: unlocked, the kernel may write it to swap)", "EPERM" },
	{ SYS_munlockall, "munlockall", U, NULL, "unlocks trusted memory too (swap)", "EPERM" },
	{ SYS_madvise, "madvise", U, chk_madvise, "touching trusted memory (any advice); frozen memory (all but NORMAL/RANDOM/SEQUENTIAL/WILLNEED/DONTDUMP/DODUMP); DONTNEED/FREE/REMOVE on executable memory", "EPERM" },
	{ SYS_process_madvise, "process_madvise", U, NULL, "advice on any process's memory", "EPERM" },
	{ SYS_pkey_free, "pkey_free", U, chk_pkey_free, "the trusted key", "EPERM" },
	{ SYS_truncate, "truncate", U, chk_truncate, "a file whose bytes are executable in a traced process (by the path as resolved at the call)", "EPERM" },
	{ SYS_ftruncate, "ftruncate", U, chk_truncate, "a file whose bytes are executable in a traced process (by the fd's identity)", "EPERM" },
	{ SYS_fallocate, "fallocate", U, chk_truncate, "as ftruncate (PUNCH_HOLE, COLLAPSE_RANGE, ... would drop private copies too)", "EPERM" },
	/* the kernel as confused deputy */
	{ SYS_open, "open", A, chk_open, "result, by identity: memory file of a traced process or erim-tem, or the system-call registers file (/proc/PID/syscall) of a traced thread (everyone, start-up code included, its own file too); any debugfs/tracefs file for writing (everyone); exec file for writing, any block device, an active swap file (/proc/swaps; fail closed), a disk's command interface (SCSI generic, bsg, NVMe, MTD character devices), /dev/snapshot, a /sys/power file for writing (untrusted, and start-up code of unregistered processes: swap and disks hold page contents of trusted memory); a kernel configuration file for writing -- any file on sysfs, cgroup, configfs, securityfs, binfmt_misc, bpffs, pstore or efivarfs, or on procfs outside /proc/PID (untrusted, and start-up code of unregistered processes: /proc/sys/kernel/modprobe, core_pattern, uevent_helper, a release_agent start programs as root outside the trace); /dev/userfaultfd (everyone: its fd makes a userfaultfd for whoever uses it)", "close, EPERM" },
	{ SYS_openat, "openat", A, chk_open, "as open", "close, EPERM" },
	{ SYS_openat2, "openat2", A, chk_open, "as open", "close, EPERM" },
	{ SYS_creat, "creat", A, chk_open, "as open", "close, EPERM" },
	{ SYS_open_by_handle_at, "open_by_handle_at", A, chk_open, "as open", "close, EPERM" },
	{ SYS_process_vm_readv, "process_vm_readv", U, NULL, "reads any process's memory, pkeys ignored", "EPERM" },
	{ SYS_process_vm_writev, "process_vm_writev", U, NULL, "writes any process's memory, pkeys ignored", "EPERM" },
	{ SYS_ptrace, "ptrace", U, NULL, "debugger access to memory and registers", "EPERM" },
	{ SYS_pidfd_getfd, "pidfd_getfd", U, NULL, "fds of another process", "EPERM" },
	{ SYS_recvmsg, "recvmsg", A, chk_recv, "result: fds received with SCM_RIGHTS (an untraced sender) -- the caller's whole fd table is judged as open judges its result for storage (any block device, an active swap file, a disk's command interface, /dev/snapshot, a /sys/power file for writing; untrusted, and start-up code; an fd that cannot be identified counts as one)", "process stopped" },
	{ SYS_recvmmsg, "recvmmsg", A, chk_recv, "as recvmsg", "process stopped" },
	{ SYS_seccomp, "seccomp", A, chk_seccomp, "installing a filter (could fake TEM's answers)", "EPERM" },
	{ SYS_prctl, "prctl", A, chk_prctl, "PR_SET_SECCOMP (everyone), PR_SET_SYSCALL_USER_DISPATCH other than off (everyone: the kernel would skip calls erim-tem injects), PR_SET_MM (everyone: /proc/PID/cmdline and environ read the argument and environment bounds it sets, keys ignored), PR_SET_MEMORY_MERGE other than off (everyone: KSM compares trusted pages with a guess, keys ignored)", "EPERM" },
	{ SYS_io_uring_setup, "io_uring_setup", U, NULL, "asynchronous I/O outside the syscall policy", "EPERM" },
	/* signals, threads */
	{ SYS_rt_sigreturn, "rt_sigreturn", R, chk_sigreturn, "the frame, read with the caller's group held until the exit: a signal stack (uc_stack) in trusted memory, CS other than 0x33 or SS other than 0x2b (32-bit compatibility mode), all of them stop the process; result: CS/SS restored other than 0x33/0x2b, or a restored signal stack in trusted memory (asked from the kernel: sigaltstack injected into a fresh page) stop the process, a restored PKRU granting the trusted key any access is forced back (signals are held during trusted code, so no frame of trusted state exists)", "process stopped; PKRU forced untrusted" },
	{ SYS_sigaltstack, "sigaltstack", U, chk_sigaltstack, "signal stack in trusted memory (the stack_t, read with the caller's group held); result: the stack the kernel installed, asked from the kernel (sigaltstack injected into a fresh page), in trusted memory stops the process (the stack_t changed after it was judged: another process sharing its page)", "EPERM; process stopped" },
	{ SYS_rseq, "rseq", A, tem_chk_rseq, "registration after erim_init (any caller; glibc.pthread.rseq=0 is set, the registering thread's area is unregistered)", "EPERM" },
	{ SYS_clone, "clone", A, tem_chk_clone, "CLONE_UNTRACED (everyone); CLONE_VM from trusted code", "EPERM" },
	{ SYS_clone, "clone", U, tem_chk_clone_tids, "CLONE_PARENT_SETTID/CLONE_PIDFD or CLONE_CHILD_SETTID/CLONE_CHILD_CLEARTID addresses in trusted memory", "EPERM" },
	{ SYS_set_tid_address, "set_tid_address", U, chk_set_tid_address, "address in trusted memory (the kernel zeroes it at exit, with the dying task's PKRU)", "EPERM" },
	{ SYS_set_robust_list, "set_robust_list", R, chk_set_robust_list_registered, "any list after registration (the registering thread's is cleared then: the kernel walks the untrusted entries at exit with the dying task's PKRU, trusted inside a gate); a head in trusted memory", "head replaced by NULL (runs without a list); in trusted memory: EPERM" },
	{ SYS_set_robust_list, "set_robust_list", U, chk_set_robust_list, "list head in trusted memory (entries are user memory: the kernel only changes a futex word equal to the dying TID)", "EPERM" },
	{ SYS_clone3, "clone3", A, tem_chk_clone3, "any clone3 (flags in racy memory; glibc falls back to clone)", "ENOSYS" },
};
#undef U
#undef A
#undef T
#undef R
const size_t tem_nrules = sizeof tem_rules / sizeof tem_rules[0];
