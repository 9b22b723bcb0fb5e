/* SPDX-License-Identifier: MIT */
/* atk_jit_wrpkru.c: untrusted code JIT-compiles a WRPKRU and asks for
 * execute permission with mprotect and pkey_mprotect; a WRPKRU hidden inside
 * an immediate (mov eax, 0xef010f00 encodes 0F 01 EF) counts too.  A clean
 * page must still be granted and run, with and without erim-tem: TEM
 * inspects, it does not forbid JITs. */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	static const uint8_t clean[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };           /* mov eax,42; ret */
	static const uint8_t gadget[] = { 0x31, 0xc9, 0x31, 0xd2, 0x0f, 0x01, 0xef, 0xc3 }; /* wrpkru; ret */
	static const uint8_t hidden[] = { 0xb8, 0x00, 0x0f, 0x01, 0xef, 0xc3 };          /* mov eax,imm; ret */
	uint8_t *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int won = 0;

	if (p == MAP_FAILED)
		return ATK_ERROR;
	memcpy(p, clean, sizeof clean);
	memcpy(p + 4096, gadget, sizeof gadget);
	memcpy(p + 8192, hidden, sizeof hidden);
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0 || ((int (*)(void))(void *)p)() != 42) {
		atk_say("a clean JIT page was not granted: %s", strerror(errno));
		return ATK_ERROR;
	}
	atk_say("clean JIT page granted read+execute and ran");
	if (mprotect(p + 4096, 4096, PROT_READ | PROT_EXEC) == 0) {
		atk_say("mprotect(RX) of a page with WRPKRU accepted");
		won = 1;
	} else {
		atk_say("mprotect(RX) of a page with WRPKRU: %s", strerror(errno));
	}
	if (syscall(SYS_pkey_mprotect, p + 8192, 4096, PROT_READ | PROT_EXEC, -1) == 0) {
		atk_say("pkey_mprotect(RX) of a page with WRPKRU inside an immediate accepted");
		won = 1;
	} else {
		atk_say("pkey_mprotect(RX) of WRPKRU in an immediate: %s", strerror(errno));
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_jit_wrpkru";
static int atk_needs_pku = 0;
