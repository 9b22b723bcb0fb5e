/* SPDX-License-Identifier: MIT */
/* atk_file_exec.h: what the attacks on executable file mappings share
 * (atk_exec_truncate.c, atk_hidden_writer.c, atk_file_rewrite.c; include
 * after atk_common.h): a clean root-owned file to map, an fd passed through
 * a unix socket (SCM_RIGHTS: in no fd table while in flight), and the
 * WRPKRU gadget the attack tries to put behind the mapping, run from
 * untrusted code. */
#ifndef ATK_FILE_EXEC_H
#define ATK_FILE_EXEC_H

#include <fcntl.h>
#include <sys/socket.h>

/* mov eax,edi; xor ecx,ecx; xor edx,edx; wrpkru; ret */
__attribute__((unused)) static const uint8_t atk_gadget[] = { 0x89, 0xf8, 0x31, 0xc9, 0x31, 0xd2, 0x0f, 0x01, 0xef, 0xc3 };

/* A 4 KiB file at PATH (mode 0644) starting with the LEN bytes CLEAN. */
__attribute__((unused)) static int atk_make_file(const char *path, const uint8_t *clean, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && ftruncate(fd, 4096) == 0 && pwrite(fd, clean, len, 0) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* FD into the socket SOCK (SCM_RIGHTS, one data byte): 0, or -1. */
__attribute__((unused)) static int atk_send_fd(int sock, int fd)
{
	char data = 'f';
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &data, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The fd atk_send_fd put into the other end, SOCK: the fd, or -1. */
__attribute__((unused)) static int atk_recv_fd(int sock)
{
	char data;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &data, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	int fd;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	if (recvmsg(sock, &msg, 0) != 1 || !(cm = CMSG_FIRSTHDR(&msg)) || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

/* The executable mapping X now holds the gadget's WRPKRU: say so and, with
 * a key, let untrusted code run it and read and change the secret: 1.
 * X still holds other bytes: 0 (the caller says which). */
__attribute__((unused)) static int atk_gadget_won(const char *mode, volatile uint8_t *x)
{
	if (!(x[6] == 0x0f && x[7] == 0x01 && x[8] == 0xef))
		return 0;
	atk_say("%s: the read+execute mapping now holds WRPKRU", mode);
	if (atk_pkey > 0) {
		uint32_t (*fn)(uint32_t) = (uint32_t (*)(uint32_t))(uintptr_t)x;
		uint8_t got;

		fn(atk_pkru_t);   /* untrusted code executes WRPKRU */
		got = atk_secret[0];
		atk_secret[0] = (uint8_t)(got + 1);
		atk_untrusted();
		atk_say("%s: WRPKRU ran from untrusted code: secret byte 0x%02x read and changed", mode, got);
	}
	return 1;
}

#endif /* ATK_FILE_EXEC_H */
