/* SPDX-License-Identifier: MIT */
/* atk_wx.c: untrusted code asks for writable and executable memory at once
 * (mmap RWX, and mprotect of a writable page to RWX). */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	int won = 0;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED) {
		atk_say("mmap(RWX) accepted");
		won = 1;
	} else {
		atk_say("mmap(RWX): %s", strerror(errno));
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED && mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0) {
		atk_say("mprotect(RW -> RWX) accepted");
		won = 1;
	} else {
		atk_say("mprotect(RWX): %s", strerror(errno));
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_wx";
static int atk_needs_pku = 0;
