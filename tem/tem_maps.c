/* SPDX-License-Identifier: MIT */
/* tem_maps.c: /proc/PID/maps, read at most once per stop.
 *
 * One judgement used to read the caller's maps three to six times (the
 * mapping rule, the seams either side of the range, the shared-writable
 * scan, ...), each an open, four reads and a close, and the kernel formats
 * every line each time.  Now the text is read once (one large read: the
 * kernel builds it in one go under one mmap lock hold, where small reads
 * let the map change between chunks) and kept until the tracer handles its
 * next stop or resumes any tracee (tem_maps_forget, called by the loop in
 * tem_main.c at both places).
 *
 * Why that is safe: between two such points no tracee runs on erim-tem's
 * behalf, so the only thing that can change the map meanwhile is another
 * task that runs concurrently (a thread of the caller that is not held).
 * Where such a race matters the caller's whole group is held while it is
 * judged (needs_freeze, tem_main.c), and then every read of the same stop
 * returns the same text anyway; where the group is not held, several reads
 * microseconds apart are no more consistent than one.  erim-tem's own work
 * within a stop (writes through the memory file, tem_fresh.c)
 * changes page contents, never a line of the map.  Nothing is kept across
 * stops: a mapping changes without any system call (a stack growing on a
 * fault), so a later stop always reads the map anew.
 *
 * Callers walk a copy (tem_maps_copy): a walk's callback may read another
 * process's map (writable_somewhere in tem_policy.c), which replaces the
 * cached text. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <string.h>
#include <unistd.h>

#include "tem.h"
#include "tem_table.h"

static char *text;
static size_t cap, used;
static pid_t cached = -1;      /* the pid whose map TEXT holds, -1: none */
static unsigned long nreads;   /* reads of maps files (ERIM_TEM_DEBUG logging) */

void tem_maps_forget(void)
{
	cached = -1;
}

unsigned long tem_maps_reads(void)
{
	return nreads;
}

const char *tem_maps_text(pid_t pid, size_t *len)
{
	char name[64];
	int fd, saved;

	if (pid == cached && text) {
		*len = used;
		return text;
	}
	cached = -1;
	snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
	if ((fd = tem_proc_open(name, O_RDONLY)) < 0)
		return NULL;
	nreads++;
	used = 0;
	for (;;) {
		ssize_t n;

		if (cap - used < 4096 + 1) {
			size_t ncap = cap ? 2 * cap : 65536;
			char *nt = realloc(text, ncap);

			if (!nt) {
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			text = nt;
			cap = ncap;
		}
		n = read(fd, text + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	text[used] = 0;
	cached = pid;
	*len = used;
	return text;
}

static char *tem_maps_copy(pid_t pid, size_t *len)
{
	const char *t = tem_maps_text(pid, len);
	char *c;

	if (!t)
		return NULL;
	if (!(c = malloc(*len + 1))) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(c, t, *len + 1);
	return c;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* A number in BASE (16 or 10) at *P: one to 16 hex or 19 decimal digits
 * (always fits in 64 bits).  1 with *P past it, else 0. */
static int number(const char **p, int base, uint64_t *out)
{
	const char *q = *p;
	uint64_t v = 0;
	int d, n = 0;

	while ((d = hexval((unsigned char)*q)) >= 0 && d < base) {
		v = v * (uint64_t)base + (uint64_t)d;
		q++;
		n++;
	}
	if (!n || n > (base == 16 ? 16 : 19))
		return 0;
	*p = q;
	*out = v;
	return 1;
}

/* "start-end perms offset maj:min inode   path", as the kernel writes it
 * (show_map_vma); the same fields sscanf("%lx-%lx %4s %lx %x:%x %lu %n")
 * took, parsed without the C library's generic scanner (which was a tenth
 * of erim-tem's time per judged call). */
int tem_maps_parse(const char *line, struct tem_mapent *e)
{
	const char *p = line;
	uint64_t maj, min;
	int i;

	if (!number(&p, 16, &e->start) || *p++ != '-' || !number(&p, 16, &e->end) || *p++ != ' ')
		return 0;
	for (i = 0; i < 4; i++) {
		if (!p[i] || p[i] == ' ' || p[i] == '\n')
			return 0;
		e->perms[i] = p[i];
	}
	e->perms[4] = 0;
	p += 4;
	if (*p++ != ' ' || !number(&p, 16, &e->off) || *p++ != ' ' || !number(&p, 16, &maj) || *p++ != ':' ||
	    !number(&p, 16, &min) || *p++ != ' ' || !number(&p, 10, &e->ino) || maj > 0xffffffffu || min > 0xffffffffu)
		return 0;
	e->maj = (unsigned)maj;
	e->min = (unsigned)min;
	while (*p == ' ' || *p == '\t')
		p++;
	e->path = p;
	return 1;
}

const char *tem_maps_line(const char **pos, const char *end, char *line, size_t size)
{
	const char *p = *pos, *nl;
	size_t n;

	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	/* a whole line or its first SIZE-1 bytes: never a second "line" made
	 * of the tail of a long file name */
	n = (size_t)(nl - p) < size - 1 ? (size_t)(nl - p) : size - 1;
	memcpy(line, p, n);
	line[n] = 0;
	*pos = nl < end ? nl + 1 : end;
	return line;
}

/* ---- PROCMAP_QUERY (Linux 6.11+, include/uapi/linux/fs.h) ------------------------
 * A range question ("is a neighbour of this page executable?", "is any
 * mapping of this range shared?") is answered by one ioctl per mapping in
 * the range instead of formatting the whole map: the cost no longer grows
 * with the number of mappings the program has.  The fields are the ones
 * the text shows (vm_start, vm_end, VM_READ/WRITE/EXEC, VM_MAYSHARE as
 * 's', the page offset, the device and inode of the mapped file), read by
 * the kernel from the same VMA.  Each ioctl sees the map as it is then; as
 * for the text, where another task could change it meanwhile the caller's
 * group is held (tem_main.c).  The maps fd is bound to the mm at open, so
 * it is kept per traced thread and dropped with its memory file at exec
 * and exit (tem_mem_fd_drop).  Between an exec and the loop handling its
 * event another process's judgement may still ask the old fd about that
 * thread (the shared-writable scan covers every traced process): the new
 * image has not run an instruction then, so it has no mappings but the
 * loader's private ones, and the old fd only reports the former address
 * space's mappings in their place (or fails once that is gone: the text). */
struct tem_procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
#define TEM_PROCMAP_QUERY _IOWR('f', 17, struct tem_procmap_query)
#define TEM_PMQ_READ 0x01
#define TEM_PMQ_WRITE 0x02
#define TEM_PMQ_EXEC 0x04
#define TEM_PMQ_SHARED 0x08
#define TEM_PMQ_COVERING_OR_NEXT 0x10

static int no_query;   /* the kernel said ENOTTY once: text from now on */

/* FN's non-zero result, or 0; -ENOTTY where the query cannot answer (no
 * such ioctl, no traced thread TID, a failure): the caller then reads the
 * text.  FN returns 0 or 1 only. */
static int tem_maps_query(pid_t tid, uint64_t start, uint64_t end, unsigned want,
                          int (*fn)(const struct tem_mapent *e, void *arg), void *arg)
{
	struct tem_thread *t = tem_thread_find(tid);
	uint64_t at = start;
	int fd, rc = 0, owned = 0;

	if (no_query)
		return -ENOTTY;
	if (!t)
		return -ENOTTY;   /* not a traced thread: the text, read by pid */
	if (t->mapsfd < 0) {
		char name[64];

		snprintf(name, sizeof name, "/proc/%d/maps", (int)tid);
		if ((fd = tem_proc_open(name, O_RDONLY)) < 0)
			return -ENOTTY;
		if (tem_fd_keep())
			t->mapsfd = fd;
		else
			owned = 1;   /* the budget of kept fds is spent */
	} else {
		fd = t->mapsfd;
	}
	while (at < end && rc == 0) {
		struct tem_procmap_query q;
		struct tem_mapent e;

		memset(&q, 0, sizeof q);
		q.size = sizeof q;
		/* WANT: only mappings with all these of r/w/x/s (the kernel
		 * skips the others, VM_MAYSHARE for 's' as in the text) */
		q.query_flags = TEM_PMQ_COVERING_OR_NEXT |
		                (want & TEM_MAPS_R ? TEM_PMQ_READ : 0) | (want & TEM_MAPS_W ? TEM_PMQ_WRITE : 0) |
		                (want & TEM_MAPS_X ? TEM_PMQ_EXEC : 0) | (want & TEM_MAPS_S ? TEM_PMQ_SHARED : 0);
		q.query_addr = at;
		if (ioctl(fd, TEM_PROCMAP_QUERY, &q) != 0) {
			if (errno == ENOENT)
				break;   /* no mapping at or above AT */
			if (errno == ENOTTY)
				no_query = 1;
			/* any other failure: the caller reads the text (its
			 * callbacks only record, so seeing a mapping twice is
			 * harmless) */
			rc = -ENOTTY;
			break;
		}
		if (q.vma_start >= end || q.vma_end <= at)
			break;
		e.start = q.vma_start;
		e.end = q.vma_end;
		e.perms[0] = q.vma_flags & TEM_PMQ_READ ? 'r' : '-';
		e.perms[1] = q.vma_flags & TEM_PMQ_WRITE ? 'w' : '-';
		e.perms[2] = q.vma_flags & TEM_PMQ_EXEC ? 'x' : '-';
		e.perms[3] = q.vma_flags & TEM_PMQ_SHARED ? 's' : 'p';
		e.perms[4] = 0;
		e.off = q.vma_offset;
		e.ino = q.inode;
		e.maj = q.dev_major;
		e.min = q.dev_minor;
		e.path = "";
		rc = fn(&e, arg);
		at = q.vma_end;
	}
	if (owned)
		close(fd);
	return rc;
}

/* ---- the one way to walk a map: a failure is never "no mapping" ---------------- */

struct tem_maps_walk tem_maps_each(pid_t tid, uint64_t start, uint64_t end, unsigned want,
                                   int (*fn)(const struct tem_mapent *e, void *arg), void *arg)
{
	struct tem_maps_walk r = { TEM_MAPS_NONE, 0 };
	char line[512], *copy;
	const char *pos, *end_text;
	size_t len;
	int rc = 0;

	if (want || start != 0 || end != UINT64_MAX) {
		rc = tem_maps_query(tid, start, end, want, fn, arg);
		if (rc != -ENOTTY) {
			r.res = rc ? TEM_MAPS_HIT : TEM_MAPS_NONE;
			return r;
		}
		rc = 0;
	}
	/* the map as read once in this stop; a copy, since FN may read
	 * another process's map */
	if (!(copy = tem_maps_copy(tid, &len))) {
		r.res = TEM_MAPS_UNREADABLE;
		r.err = errno ? errno : EIO;
		return r;
	}
	if (len == 0) {
		/* a task running user code always has mappings (its stack, the
		 * vDSO): an empty map is that of a task without its memory (an
		 * exited thread-group leader, a process being torn down), not a
		 * map without the mapping asked about */
		free(copy);
		r.res = TEM_MAPS_UNREADABLE;
		r.err = ESRCH;
		return r;
	}
	pos = copy;
	end_text = copy + len;
	while (!rc && tem_maps_line(&pos, end_text, line, sizeof line)) {
		struct tem_mapent m;

		if (!tem_maps_parse(line, &m)) {
			free(copy);
			r.res = TEM_MAPS_UNREADABLE;
			r.err = EIO;   /* a line erim-tem cannot parse: it judges nothing blind */
			return r;
		}
		if (m.end <= start || m.start >= end)
			continue;
		if (want && (((want & TEM_MAPS_R) && m.perms[0] != 'r') || ((want & TEM_MAPS_W) && m.perms[1] != 'w') ||
		             ((want & TEM_MAPS_X) && m.perms[2] != 'x') || ((want & TEM_MAPS_S) && m.perms[3] != 's')))
			continue;
		rc = fn(&m, arg);
	}
	free(copy);
	r.res = rc ? TEM_MAPS_HIT : TEM_MAPS_NONE;
	return r;
}
