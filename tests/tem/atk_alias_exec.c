/* SPDX-License-Identifier: MIT */
/* atk_alias_exec.c: untrusted code gets executable memory that has a
 * writable alias: a memfd (writable fd) mapped executable, and an
 * executable MAP_SHARED mapping.  Writes through the alias would change
 * code after any inspection. */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	static const uint8_t code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	int won = 0, fd = (int)syscall(SYS_memfd_create, "atk", 0u);
	void *p;

	if (fd < 0 || ftruncate(fd, 4096) != 0 || pwrite(fd, code, sizeof code, 0) != (ssize_t)sizeof code)
		return ATK_ERROR;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		atk_say("executable mapping of a memfd accepted");
		won = 1;
	} else {
		atk_say("executable mapping of a memfd: %s", strerror(errno));
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		atk_say("executable MAP_SHARED mapping accepted");
		won = 1;
	} else {
		atk_say("executable MAP_SHARED mapping: %s", strerror(errno));
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED && mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0) {
		atk_say("mprotect(RX) of a shared mapping accepted");
		won = 1;
	} else {
		atk_say("mprotect(RX) of a shared mapping: %s", strerror(errno));
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_alias_exec";
static int atk_needs_pku = 0;
