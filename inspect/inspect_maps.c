/* SPDX-License-Identifier: MIT */
/* inspect_maps.c: parse /proc/PID/maps into the executable mappings (see
 * inspect_maps.h).  The whole file is read with open/read into a growing
 * buffer first, then parsed, so a line is never split between reads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "inspect_maps.h"

static int inspect_proc_path(char *buf, size_t n, int pid, const char *what)
{
	int r = pid > 0 ? snprintf(buf, n, "/proc/%d/%s", pid, what)
	                : snprintf(buf, n, "/proc/self/%s", what);
	return r > 0 && (size_t)r < n ? 0 : -ENAMETOOLONG;
}

static int inspect_hex(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int n = 0;
	for (;; p++, n++) {
		int d;
		if (*p >= '0' && *p <= '9') d = *p - '0';
		else if (*p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
		else break;
		if (n >= 16)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	if (n == 0)
		return -1;
	*v = x;
	*pp = p;
	return 0;
}

/* One line: "start-end perms offset dev inode   path". */
static int inspect_parse_line(const char *p, const char *eol, struct inspect_map *m)
{
	uint64_t dummy;
	memset(m, 0, sizeof *m);
	if (inspect_hex(&p, &m->start) || *p++ != '-' || inspect_hex(&p, &m->end) || *p++ != ' ')
		return -1;
	if (eol - p < 5)
		return -1;
	m->prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
	          (p[2] == 'x' ? PROT_EXEC : 0);
	m->private_ = p[3] == 'p';
	p += 4;
	if (*p++ != ' ' || inspect_hex(&p, &m->offset) || *p++ != ' ')
		return -1;
	while (p < eol && *p != ' ') p++;          /* dev */
	while (p < eol && *p == ' ') p++;
	if (inspect_hex(&p, &dummy) && !(*p >= '0' && *p <= '9'))
		return -1;
	while (p < eol && *p != ' ') p++;          /* inode (decimal) */
	while (p < eol && *p == ' ') p++;
	size_t n = (size_t)(eol - p);
	if (n >= sizeof m->path)
		n = sizeof m->path - 1;
	memcpy(m->path, p, n);
	m->path[n] = '\0';
	return 0;
}

/* The whole of PATH into a malloc'ed, NUL-terminated *BUF of *LEN bytes. */
static int inspect_slurp(const char *path, char **out, size_t *outlen)
{
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			free(buf);
			close(fd);
			return rc;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

long inspect_maps_exec(int pid, struct inspect_map **out)
{
	char path[64], *buf;
	size_t len;
	int rc = inspect_proc_path(path, sizeof path, pid, "maps");
	if (rc || (rc = inspect_slurp(path, &buf, &len)) != 0)
		return rc;

	size_t n = 0, ncap = 16;
	struct inspect_map *v = malloc(ncap * sizeof *v);
	if (!v) {
		free(buf);
		return -ENOMEM;
	}
	for (const char *p = buf; p < buf + len;) {
		const char *eol = memchr(p, '\n', (size_t)(buf + len - p));
		if (!eol)
			eol = buf + len;
		struct inspect_map m;
		int bad = eol > p && inspect_parse_line(p, eol, &m) != 0;
		if (bad) {
			free(v);
			free(buf);
			return -EPROTO;     /* a line we cannot read: fail closed */
		}
		if (eol > p && (m.prot & PROT_EXEC)) {
			if (n == ncap) {
				struct inspect_map *nv = realloc(v, 2 * ncap * sizeof *v);
				if (!nv) {
					free(v);
					free(buf);
					return -ENOMEM;
				}
				v = nv;
				ncap *= 2;
			}
			v[n++] = m;
		}
		p = eol + 1;
	}
	free(buf);
	*out = v;
	return (long)n;
}

int inspect_map_pkey(uint64_t start)
{
	char *buf;
	size_t len;
	int rc = inspect_slurp("/proc/self/smaps", &buf, &len), key = -ENOENT;
	if (rc)
		return rc;
	uint64_t at = UINT64_MAX;
	for (const char *p = buf; p < buf + len;) {
		const char *eol = memchr(p, '\n', (size_t)(buf + len - p));
		if (!eol)
			eol = buf + len;
		struct inspect_map m;
		/* a mapping's header starts with a lower-case hex address, its
		 * fields with a capital ("Size:", "ProtectionKey:") */
		if (eol > p && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
			if (inspect_parse_line(p, eol, &m) != 0) {
				key = -EPROTO;
				break;
			}
			at = m.start;
		} else if (at == start && strncmp(p, "ProtectionKey:", 14) == 0) {
			const char *q = p + 14;
			while (q < eol && *q == ' ')
				q++;
			key = 0;
			while (q < eol && *q >= '0' && *q <= '9' && key < 1024)
				key = key * 10 + (*q++ - '0');
			if (q == p + 14 || (q < eol && *q != ' '))
				key = -EPROTO;
			break;
		}
		p = eol + 1;
	}
	free(buf);
	return key;
}

int inspect_mem_open(int pid)
{
	char path[64];
	int rc = inspect_proc_path(path, sizeof path, pid, "mem");
	if (rc)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int inspect_mem_read(int memfd, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(memfd, (char *)buf + done, len - done, (off_t)(addr + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}
