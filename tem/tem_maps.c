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
 * within a stop (writes through the memory file, tem_cow.c, tem_fresh.c)
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
#include <stdio.h>
#include <stdlib.h>
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

char *tem_maps_copy(pid_t pid, size_t *len)
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
