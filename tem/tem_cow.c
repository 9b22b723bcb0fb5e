/* SPDX-License-Identifier: MIT */
/* tem_cow.c: executable bytes that no file can change.
 *
 * A MAP_PRIVATE file mapping shows the page cache until a page is first
 * written: a write to the file through ANY handle -- an fd opened before
 * the file became executable, one in flight in a unix socket, one in the fd
 * table of a task that does not share its files, a shared mapping made
 * writable later -- would change bytes erim-tem inspected and granted
 * execute.  Looking for such handles cannot be complete, so erim-tem takes
 * the file out of the picture: before it inspects a file mapping, it writes
 * each page's own bytes back through the tracee's memory file (as a
 * debugger sets a breakpoint), which makes the kernel give the mapping a
 * private copy of every page.  What is inspected and granted is that copy;
 * nothing written to the file afterwards reaches it (madvise that would
 * drop the copies is refused on executable memory, tem_policy.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "tem.h"
#include "tem_table.h"

#define COW_PAGE 4096u

/* Copy-on-write every page of [start, end) (page aligned) in TID's address
 * space.  0, or -errno (a page that cannot be read or written: the caller
 * fails closed). */
int tem_cow_break(pid_t tid, uint64_t start, uint64_t end)
{
	static uint8_t page[COW_PAGE];
	uint64_t at;
	int fd, rc = 0, owned;

	if ((fd = tem_mem_fd(tid, &owned)) < 0)   /* kept with the thread (tem_fresh.c) */
		return fd;
	for (at = start; at < end; at += COW_PAGE) {
		errno = 0;
		if (pread(fd, page, COW_PAGE, (off_t)at) != (ssize_t)COW_PAGE ||
		    pwrite(fd, page, COW_PAGE, (off_t)at) != (ssize_t)COW_PAGE) {
			rc = errno ? -errno : -EIO;
			break;
		}
	}
	if (owned)
		close(fd);
	return rc;
}
