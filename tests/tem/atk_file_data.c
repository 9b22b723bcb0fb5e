/* SPDX-License-Identifier: MIT */
/* atk_file_data.c: bytes trusted code reads come back from their file.
 * Start-up maps files privately, read-only or read-write but never written
 * (as ld.so maps an object's .rodata, RELRO and .data, or trusted globals
 * in a file-backed section), and trusted code reads them.  A private page
 * not yet written is the file's page: every way untrusted code has to
 * change the file shows through it, and truncation unmaps even written
 * private copies.  The ways (the attack succeeds if any works; the control
 * run requires every way the kernel supports here to work):
 *
 *   pwrite      another fd, O_RDWR, pwrite over the bytes
 *   O_TRUNC     open(O_WRONLY|O_TRUNC), then write
 *   ftruncate   ftruncate(fd, 0), then write
 *   shared      a MAP_SHARED writable mapping of the same file, stored to
 *   punch       fallocate(PUNCH_HOLE): the pages read as zeros
 *   copy        copy_file_range from another file
 *   splice      splice from a pipe into the file
 *
 * Each mapping is checked by trusted code (trusted PKRU) after the change.
 * With a key, the "pwrite" file's mapping carries the trusted key (trusted
 * globals in a file-backed section): untrusted code must fault reading it
 * before and after the attack (erim-tem gives its fresh pages the key
 * back). */
#include <fcntl.h>
#include <sys/stat.h>

#define ATK_STARTUP data_startup
#include "atk_common.h"

#define FPAGES 2
#define FLEN (FPAGES * 4096)
#define FBYTE 0x54   /* 'T': what the file held when start-up mapped it */
#define ABYTE 0x41   /* 'A': what untrusted code writes */

static const char *const ways[] = { "pwrite", "O_TRUNC", "ftruncate", "shared", "punch", "copy", "splice" };
#define NWAYS (sizeof ways / sizeof ways[0])

static volatile uint8_t *maps[NWAYS];
static char paths[NWAYS][96];
static int keyed = -1;   /* the way whose mapping carries the trusted key */

static void data_startup(void)
{
	uint8_t buf[FLEN];
	size_t i;

	memset(buf, FBYTE, sizeof buf);
	for (i = 0; i < NWAYS; i++) {
		int fd, prot = i % 2 ? PROT_READ : PROT_READ | PROT_WRITE;
		void *m;

		snprintf(paths[i], sizeof paths[i], "/tmp/atk_file_data.%d.%zu", (int)getpid(), i);
		fd = open(paths[i], O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		m = mmap(NULL, FLEN, prot, MAP_PRIVATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			continue;
		if (i == 0 && atk_pkey > 0 && syscall(SYS_pkey_mprotect, m, FLEN, prot, atk_pkey) == 0)
			keyed = 0;
		maps[i] = m;
		(void)maps[i][0];   /* trusted start-up reads it: the page is mapped */
	}
}

static void touch(void *p)
{
	(void)*(volatile uint8_t *)p;
}

/* Change the file of way I as the way says: 1 done, 0 the kernel here
 * cannot (printed), -1 error. */
static int change(size_t i)
{
	const char *w = ways[i];
	uint8_t buf[FLEN];
	int fd, rc = 1;

	memset(buf, ABYTE, sizeof buf);
	if (!strcmp(w, "O_TRUNC")) {
		if ((fd = open(paths[i], O_WRONLY | O_TRUNC)) < 0)
			return -1;
	} else if ((fd = open(paths[i], O_RDWR)) < 0) {
		return -1;
	}
	if (!strcmp(w, "pwrite") || !strcmp(w, "O_TRUNC")) {
		rc = pwrite(fd, buf, sizeof buf, 0) == (ssize_t)sizeof buf ? 1 : -1;
	} else if (!strcmp(w, "ftruncate")) {
		rc = ftruncate(fd, 0) == 0 && pwrite(fd, buf, sizeof buf, 0) == (ssize_t)sizeof buf ? 1 : -1;
	} else if (!strcmp(w, "shared")) {
		void *m = mmap(NULL, FLEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (m == MAP_FAILED) {
			rc = -1;
		} else {
			memset(m, ABYTE, FLEN);
			munmap(m, FLEN);
		}
	} else if (!strcmp(w, "punch")) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, FLEN) != 0)
			rc = errno == EOPNOTSUPP || errno == ENOSYS ? 0 : -1;
	} else if (!strcmp(w, "copy")) {
		char src[112];
		int s;
		loff_t in = 0, out = 0;

		snprintf(src, sizeof src, "%s.src", paths[i]);
		s = open(src, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (s < 0 || pwrite(s, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
			rc = -1;
		else if (copy_file_range(s, &in, fd, &out, FLEN, 0) != FLEN)
			rc = errno == EOPNOTSUPP || errno == ENOSYS || errno == EXDEV ? 0 : -1;
		if (s >= 0)
			close(s);
		unlink(src);
	} else if (!strcmp(w, "splice")) {
		int p[2];
		loff_t out = 0;

		if (pipe(p) != 0) {
			rc = -1;
		} else {
			if (write(p[1], buf, 4096) != 4096 || splice(p[0], NULL, fd, &out, 4096, 0) != 4096)
				rc = errno == EINVAL || errno == ENOSYS ? 0 : -1;
			close(p[0]);
			close(p[1]);
		}
	}
	if (rc < 0)
		atk_say("%s: changing the file: %s", w, strerror(errno));
	else if (rc == 0)
		atk_say("%s: not supported here (%s)", w, strerror(errno));
	close(fd);
	return rc;
}

/* What trusted code reads at way I's mapping: 1 it changed, 0 intact. */
static int trusted_sees_change(size_t i)
{
	size_t k, diff = 0;
	uint8_t first = 0;

	atk_trusted();
	for (k = 0; k < FLEN; k++)
		if (maps[i][k] != FBYTE && diff++ == 0)
			first = maps[i][k];
	atk_untrusted();
	if (diff)
		atk_say("%s: trusted code now reads %zu changed byte(s) (0x%02x) in its private mapping (%s)", ways[i], diff,
		        first, i % 2 ? "read-only" : "read-write, never written");
	else
		atk_say("%s: trusted code reads the bytes start-up mapped", ways[i]);
	return diff != 0;
}

static enum atk_result atk_attack(void)
{
	size_t i, ran = 0;
	int won = 0, err = 0;

	for (i = 0; i < NWAYS; i++)
		if (!maps[i]) {
			atk_say("%s: start-up could not map its file", ways[i]);
			err = 1;
		}
	if (!err && keyed == 0 && !atk_faults(touch, (void *)maps[0])) {
		atk_say("the keyed file mapping reads from untrusted code: its protection key was lost");
		err = 1;
	}
	for (i = 0; i < NWAYS && !err; i++) {
		int rc = change(i), w;

		if (rc < 0) {
			err = 1;
			break;
		}
		if (rc == 0)
			continue;
		ran++;
		w = trusted_sees_change(i);
		won |= w;
		if (atk_expect == ATK_SUCCEEDED && !w)
			err = 1;   /* the control run shows every way works */
	}
	if (!err && keyed == 0 && !atk_faults(touch, (void *)maps[0])) {
		atk_say("the keyed file mapping reads from untrusted code after the attack");
		err = 1;
	}
	for (i = 0; i < NWAYS; i++)
		unlink(paths[i]);
	if (err || ran == 0)
		return ATK_ERROR;
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_file_data";
static int atk_needs_pku = 0;
