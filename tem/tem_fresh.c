/* SPDX-License-Identifier: MIT */
/* tem_fresh.c: executable bytes on pages nobody else holds.
 *
 * Making a range read-only does not make its pages read-only: a reference
 * taken before (an O_DIRECT AIO read that io_submit pinned for writing,
 * RDMA, AF_XDP, vmsplice, GPU userptr, io_uring fixed buffers, ...) keeps
 * writing the same physical page after mprotect took write away.  So
 * erim-tem never grants execute on the pages it inspected in place: it
 * copies the bytes out through the tracee's memory file, inspects its own
 * copy, replaces the range with new anonymous memory (an injected
 * MAP_FIXED mmap, while the caller's group is held) and writes its copy
 * into the new pages through the memory file.  Only then is execute
 * granted: the pages that become executable were created by erim-tem after
 * its inspection, and no reference from before the grant reaches them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tem.h"
#include "tem_table.h"

#define FRESH_PAGE 4096u

/* The memory file of a traced thread is opened once and kept with the
 * thread (struct tem_thread memfd): an open of /proc/TID/mem costs a path
 * walk and a ptrace access check, about as much as the copy it serves.
 * The fd is bound to the address space the thread had when it was opened
 * (procfs takes the mm at open), and a thread's address space changes only
 * at exec: the exec event drops the fd (tem_main.c), and so does the
 * thread's exit.  It is kept per thread, not per struct tem_proc, because a
 * thread's mm is a fact, where the tem_proc a task joins at clone is
 * inferred (and assumed shared where kcmp cannot tell, which is right for
 * holding tasks together and wrong for whose memory a file shows).
 * erim-tem is not dumpable and the tracees cannot ptrace it, so nobody can
 * borrow the fd. */
int tem_mem_fd(pid_t tid, int *owned)
{
	struct tem_thread *t = tem_thread_find(tid);
	char name[64];
	int fd;

	*owned = 0;
	if (t && t->memfd >= 0)
		return t->memfd;
	snprintf(name, sizeof name, "/proc/%d/mem", (int)tid);
	if ((fd = tem_proc_open(name, O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (t && tem_fd_keep())
		t->memfd = fd;
	else
		*owned = 1;
	return fd;
}

/* Copy [start, end) of TID's memory into a new buffer (*OUT, the caller
 * frees it).  Through the memory file, so pages without read permission
 * (an execute-only request runs as PROT_NONE first) are read too.
 * 0, or -errno. */
int tem_fresh_copy(pid_t tid, uint64_t start, uint64_t end, uint8_t **out)
{
	size_t len = (size_t)(end - start), got = 0;
	uint8_t *buf;
	int fd, rc = 0, owned;

	*out = NULL;
	if (end < start || !(buf = malloc(len ? len : 1)))
		return -ENOMEM;
	if ((fd = tem_mem_fd(tid, &owned)) < 0) {
		free(buf);
		return fd;
	}
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(start + got));

		if (n <= 0) {
			rc = n < 0 ? -errno : -EFAULT;
			break;
		}
		got += (size_t)n;
	}
	if (owned)
		close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Write BUF (LEN bytes, whole pages) at START of TID's memory, which is a
 * new anonymous mapping: pages that are all zero are left alone (they read
 * as zero already, and a large sparse JIT region stays unpopulated).
 * 0, or -errno. */
int tem_fresh_fill(pid_t tid, uint64_t start, const uint8_t *buf, size_t len)
{
	size_t at;
	int fd, rc = 0, owned;

	if ((fd = tem_mem_fd(tid, &owned)) < 0)
		return fd;
	for (at = 0; at < len; at += FRESH_PAGE) {
		size_t n = len - at < FRESH_PAGE ? len - at : FRESH_PAGE;

		if (all_zero(buf + at, n))
			continue;
		errno = 0;
		if (pwrite(fd, buf + at, n, (off_t)(start + at)) != (ssize_t)n) {
			rc = errno ? -errno : -EIO;
			break;
		}
	}
	if (owned)
		close(fd);
	return rc;
}
