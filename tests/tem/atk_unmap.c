/* SPDX-License-Identifier: MIT */
/* atk_unmap.c: untrusted code replaces the secret's pages: munmap and map
 * its own page there, mmap(MAP_FIXED) over it, madvise(MADV_DONTNEED) (the
 * page reads back as zeros), and mremap it away.  Each variant that is
 * accepted counts as success. */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	void *p;
	int won = 0;

	if (madvise(atk_secret, ATK_SECRET_LEN, MADV_DONTNEED) == 0) {
		atk_say("madvise(MADV_DONTNEED) on the secret accepted");
		won = 1;
	} else {
		atk_say("madvise(MADV_DONTNEED): %s", strerror(errno));
	}
	p = mmap(atk_secret, ATK_SECRET_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != MAP_FAILED) {
		atk_say("mmap(MAP_FIXED) over the secret accepted");
		won = 1;
	} else {
		atk_say("mmap(MAP_FIXED): %s", strerror(errno));
	}
	p = mremap(atk_secret, ATK_SECRET_LEN, ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED,
	           (uint8_t *)atk_secret + 64 * ATK_SECRET_LEN);
	if (p != MAP_FAILED) {
		atk_say("mremap of the secret accepted");
		won = 1;
		mremap(p, ATK_SECRET_LEN, ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, atk_secret);
	} else {
		atk_say("mremap: %s", strerror(errno));
	}
	if (munmap(atk_secret, ATK_SECRET_LEN) == 0) {
		atk_say("munmap of the secret accepted");
		won = 1;
		mmap(atk_secret, ATK_SECRET_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	} else {
		atk_say("munmap: %s", strerror(errno));
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_unmap";
static int atk_needs_pku = 0;
