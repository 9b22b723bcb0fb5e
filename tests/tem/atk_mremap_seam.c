/* SPDX-License-Identifier: MIT */
/* atk_mremap_seam.c: two clean executable pages, one ending in 0F 01 and
 * one starting with EF: each passes inspection alone.  Untrusted code moves
 * the second right behind the first with mremap, so a WRPKRU forms across
 * the seam. */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	uint8_t *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *b;

	if (a == MAP_FAILED)
		return ATK_ERROR;
	munmap(a + 4096, 4096);                /* a hole right behind A */
	b = a + 2 * 4096;
	memset(a, 0x90, 4096);
	a[4094] = 0x0f;
	a[4095] = 0x01;
	memset(b, 0x90, 4096);
	b[0] = 0xef;
	if (mprotect(a, 4096, PROT_READ | PROT_EXEC) != 0 || mprotect(b, 4096, PROT_READ | PROT_EXEC) != 0) {
		atk_say("clean pages were not granted: %s", strerror(errno));
		return ATK_ERROR;
	}
	if (mremap(b, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, a + 4096) != MAP_FAILED) {
		atk_say("mremap joined the pages: WRPKRU across the seam is executable");
		return ATK_SUCCEEDED;
	}
	atk_say("mremap of executable memory: %s", strerror(errno));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_mremap_seam";
static int atk_needs_pku = 0;
