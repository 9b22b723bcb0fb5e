/* SPDX-License-Identifier: MIT */
/* atk_file_rewrite.c: untrusted code maps a clean file executable (granted:
 * root-owned, read-only, inspected), then opens the same file for writing
 * and puts a WRPKRU into it; a MAP_PRIVATE page not yet copied shows the new
 * bytes.  A file that already contains WRPKRU must not be mapped at all. */
#include <sys/stat.h>

#include "atk_common.h"
#include "atk_file_exec.h"

static enum atk_result atk_attack(void)
{
	static const uint8_t clean[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	static const uint8_t dirty[] = { 0x0f, 0x01, 0xef, 0xc3 };
	char path[64], path2[64];
	volatile uint8_t *p;
	int fd, won = 0;

	if (geteuid() != 0) {
		/* erim-tem grants executable file mappings of root-owned files only */
		atk_say("needs root: the clean file must be owned by root");
		return ATK_NA;
	}
	snprintf(path, sizeof path, "/tmp/atk_file_rewrite.%d", (int)getpid());
	snprintf(path2, sizeof path2, "/tmp/atk_file_dirty.%d", (int)getpid());
	if (atk_make_file(path, clean, sizeof clean) != 0 || atk_make_file(path2, dirty, sizeof dirty) != 0)
		return ATK_ERROR;
	fd = open(path2, O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p != MAP_FAILED) {
		atk_say("executable mapping of a file containing WRPKRU accepted");
		won = 1;
	} else {
		atk_say("executable mapping of a file containing WRPKRU: %s", strerror(errno));
	}
	fd = open(path, O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		atk_say("a clean root-owned file was not granted: %s", strerror(errno));
		unlink(path);
		unlink(path2);
		return ATK_ERROR;
	}
	atk_say("clean file mapped read+execute");
	fd = open(path, O_RDWR);
	if (fd >= 0) {
		if (pwrite(fd, dirty, sizeof dirty, 0) == (ssize_t)sizeof dirty && p[0] == 0x0f && p[2] == 0xef) {
			atk_say("rewrote the mapped code: WRPKRU is now executable");
			won = 1;
		}
		close(fd);
	} else {
		atk_say("open(O_RDWR) of the mapped file: %s", strerror(errno));
	}
	unlink(path);
	unlink(path2);
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_file_rewrite";
static int atk_needs_pku = 0;
