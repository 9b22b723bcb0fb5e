/* SPDX-License-Identifier: MIT */
/* tem_scm.h: one fd over a unix socket with SCM_RIGHTS, and a read of a
 * registered page through a memory file, for the tests of fds that reach a
 * registered program without an open erim-tem judged (tem_fd_carry.c,
 * tem_fd_odd.c, tem_storage_fd.c). */
#ifndef TEM_SCM_H
#define TEM_SCM_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* FD over SOCK with one data byte: 0 or -1 */
static inline int scm_send_fd(int sock, int fd)
{
	char data = 'm', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof mh);
	memset(cbuf, 0, sizeof cbuf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof cbuf;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/* Receive one fd on SOCK into MH (whose iov and control buffer the caller
 * set): the fd, or -1 */
static inline int scm_recv_into(int sock, struct msghdr *mh)
{
	struct cmsghdr *cm;
	int fd = -1;

	if (recvmsg(sock, mh, 0) != 1)
		return -1;
	if ((cm = CMSG_FIRSTHDR(mh)) != NULL && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

/* one fd from SOCK: the fd, or -1 */
static inline int scm_recv_fd(int sock)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr mh;

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof cbuf;
	return scm_recv_into(sock, &mh);
}

/* Untrusted code reads the page at PAGE through memory file FD (-1: it
 * has none) and compares it with WANT: 1 when it got WANT, else 2 */
static inline int scm_read_page(int fd, const char *page, const char *want)
{
	char got[64];
	size_t n = strlen(want) < sizeof got ? strlen(want) : sizeof got - 1;

	memset(got, 0, sizeof got);
	if (fd < 0 || pread(fd, got, n, (off_t)(uintptr_t)page) != (ssize_t)n) {
		printf("untrusted code has no fd that reads the page: %s\n", strerror(errno));
		return 2;
	}
	printf("untrusted code read the registered page through fd %d: \"%s\"\n", fd, got);
	return memcmp(got, want, n) == 0 ? 1 : 2;
}

#endif /* TEM_SCM_H */
