/* SPDX-License-Identifier: MIT */
/* tem_xfile_fd.c: a writer of executable bytes made by start-up code must
 * not outlive registration (tem_policy.c, exec_writer_exists), and after it
 * a memfd mapped executable cannot be reopened for writing through
 * /proc/self/fd (by identity).  Start-up maps a page of a memfd or a /tmp
 * file read+execute and keeps a way to write it:
 *   memfd-keep : the memfd's own read-write fd, MAP_PRIVATE r-x view
 *   file-keep  : a /tmp file kept open O_RDWR, MAP_PRIVATE r-x view (as ld.so maps)
 *   rwview     : a second, shared read-write view of the memfd (fd closed)
 *   shared-ro  : MAP_SHARED r-x view, no writable fd left (one could be in
 *                flight in SCM_RIGHTS): refused all the same
 *   inflight-priv : a /tmp file's MAP_PRIVATE r-x view, its writable fd in
 *                flight in SCM_RIGHTS across registration (accepted), then
 *                received and written: under erim-tem the view holds private
 *                copies made at registration, so the bytes do not change,
 *                and a shared writable mmap of the fd fails (EACCES)
 *   truncated  : as inflight-priv, but the file truncated below the view's
 *                second page before registration (no private copy can be
 *                made of it): registration refused; control: the file
 *                extended again and written shows in that page
 *   reopen     : MAP_PRIVATE r-x view, only a read-only fd; after
 *                registration, reopen it O_RDWR through /proc/self/fd
 * Second argument: "refused" (under erim-tem: the registration, or for
 * reopen the open, is refused with EPERM) or "changed" (without erim-tem:
 * registration answers ENOSYS, the write happens and the executable bytes
 * change -- the control that shows the hole is real).  Exit 0: as expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

static const unsigned char stub[] = { 0x0f, 0x01, 0xef, 0xc3 };   /* wrpkru; ret */

int main(int argc, char **argv)
{
	unsigned char page[4096], *rx, *rw = NULL;
	const char *mode = argc == 3 ? argv[1] : "";
	int want_refused = argc == 3 && strcmp(argv[2], "refused") == 0;
	int trunc = strcmp(mode, "truncated") == 0, inflight = strcmp(mode, "inflight-priv") == 0 || trunc;
	int file = strcmp(mode, "file-keep") == 0 || inflight;
	size_t at = trunc ? 4096 + 64 : 64;   /* where the stub goes in the view */
	int fd, fd2 = -1, wfd, insock = -1;
	char path[64];
	long rc;

	if (argc != 3 || (!want_refused && strcmp(argv[2], "changed") != 0)) {
		fprintf(stderr, "usage: %s memfd-keep|file-keep|rwview|shared-ro|inflight-priv|truncated|reopen refused|changed\n", argv[0]);
		return 2;
	}
	memset(page, 0xc3, sizeof page);
	snprintf(path, sizeof path, "/tmp/tem_xfile_fd.%d", (int)getpid());
	fd = file ? open(path, O_RDWR | O_CREAT | O_TRUNC, 0700) : memfd_create("tem_xfile_fd", 0);
	if (file)
		unlink(path);   /* the fd keeps it; nlink 0 changes nothing here */
	if (fd < 0 || pwrite(fd, page, sizeof page, 0) != (ssize_t)sizeof page) {
		perror("set-up");
		return 2;
	}
	/* a private view (as ld.so maps) but in shared-ro: an executable
	 * shared mapping alone refuses the registration, so the other modes
	 * would not reach their own rule with one */
	if (trunc && pwrite(fd, page, sizeof page, 4096) != (ssize_t)sizeof page)
		return 2;
	rx = mmap(NULL, trunc ? 8192 : 4096, PROT_READ | PROT_EXEC, strcmp(mode, "shared-ro") == 0 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (rx == MAP_FAILED) {
		perror("mmap r-x");
		return 2;
	}
	/* truncated: the second page of the view is beyond the end of the
	 * file, so no private copy of it can be made at registration */
	if (trunc && ftruncate(fd, 4096) != 0)
		return 2;
	if (strcmp(mode, "rwview") == 0) {
		rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (rw == MAP_FAILED) {
			perror("mmap rw");
			return 2;
		}
		close(fd);
	} else if (strcmp(mode, "reopen") == 0) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		fd2 = open(path, O_RDONLY);
		close(fd);
		if (fd2 < 0) {
			perror("reopen read-only");
			return 2;
		}
	} else if (strcmp(mode, "shared-ro") == 0 || inflight) {
		/* the writer: an fd in flight, received after registration */
		int sv[2];
		union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
		struct msghdr mh;
		struct iovec io;
		char byte = 'x';

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
			return 2;
		memset(&mh, 0, sizeof mh);
		io.iov_base = &byte;
		io.iov_len = 1;
		mh.msg_iov = &io;
		mh.msg_iovlen = 1;
		mh.msg_control = u.b;
		mh.msg_controllen = sizeof u.b;
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&u.h), &fd, sizeof fd);
		if (sendmsg(sv[0], &mh, 0) != 1)
			return 2;
		close(fd);
		close(sv[0]);
		insock = sv[1];
	} else if (strcmp(mode, "memfd-keep") != 0 && !file) {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	rc = tem_reg(-1, NULL, 0);
	printf("%s: registration %s\n", mode, rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (trunc && want_refused) {
		return rc == -1 && errno == EPERM ? 0 : 1;
	} else if (inflight) {
		/* accepted: the private view holds erim-tem's copies by now */
		if (want_refused && rc != TEM_REPLY)
			return 1;
	} else if (fd2 < 0) {
		if (want_refused)
			return rc == -1 && errno == EPERM ? 0 : 1;
	} else {
		if (want_refused && rc != TEM_REPLY)
			return 1;   /* a read-only fd is no writer: registration must pass */
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd2);
		wfd = open(path, O_RDWR);
		printf("reopen O_RDWR through %s after registration: %s\n", path, wfd >= 0 ? "accepted" : strerror(errno));
		if (want_refused)
			return wfd < 0 && errno == EPERM ? 0 : 1;
		fd = wfd;
	}
	if (rc == TEM_REPLY && !inflight)
		return 1;   /* the control must run without erim-tem */
	if (insock >= 0) {
		union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
		struct msghdr mh;
		struct iovec io;
		char byte;

		memset(&mh, 0, sizeof mh);
		io.iov_base = &byte;
		io.iov_len = 1;
		mh.msg_iov = &io;
		mh.msg_iovlen = 1;
		mh.msg_control = u.b;
		mh.msg_controllen = sizeof u.b;
		if (recvmsg(insock, &mh, 0) != 1 || !CMSG_FIRSTHDR(&mh))
			return 1;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof fd);
	}
	if (trunc && ftruncate(fd, 8192) != 0)
		return 1;
	if (inflight && !trunc) {
		/* the received writable fd: no shared writable view of a file
		 * whose bytes are executable (EACCES under erim-tem) */
		void *v = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		printf("mmap(MAP_SHARED, PROT_WRITE) of the received fd: %s\n", v != MAP_FAILED ? "accepted" : strerror(errno));
		if (want_refused ? v != MAP_FAILED || errno != EACCES : v == MAP_FAILED)
			return 1;
	}
	if (rw)
		memcpy(rw + 64, stub, sizeof stub);
	else if (fd < 0 || pwrite(fd, stub, sizeof stub, (off_t)at) != (ssize_t)sizeof stub)
		return 1;
	printf("executable bytes at +%zu now %02x %02x %02x %02x\n", at, rx[at], rx[at + 1], rx[at + 2], rx[at + 3]);
	if (inflight && want_refused)
		return rx[at] == 0xc3 && rx[at + 3] == 0xc3 ? 0 : 1;
	return memcmp(rx + at, stub, sizeof stub) == 0 ? 0 : 1;
}
