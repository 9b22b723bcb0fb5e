/* SPDX-License-Identifier: MIT */
/* atk_core_limit.c: make the kernel copy trusted memory out.  A core dump
 * holds every mapping (protection keys ignored) and the registers of every
 * thread, in a file or a core_pattern pipe that untrusted code's user can
 * read.  liberim's erim_init sets RLIMIT_CORE to 1/1, the one value that
 * stops both kinds of dump (start-up below does the same).  The attack
 * changes the limit after registration, by both calls and both ways:
 * raising it (soft or hard; the hard limit needs CAP_SYS_RESOURCE) and
 * lowering the soft limit 1 to 0 (0 does not stop a pipe; any user may).
 * erim-tem refuses every one of them; reading the limit stays allowed. */
#include <sys/resource.h>

#define ATK_STARTUP atk_core_startup
#include "atk_common.h"

static void atk_core_startup(void)
{
	struct rlimit one = { 1, 1 };

	setrlimit(RLIMIT_CORE, &one);   /* as liberim's erim_init */
}

static int core_set(int how, rlim_t soft, rlim_t hard)
{
	struct rlimit nw = { soft, hard };

	/* the system calls themselves: the C library's setrlimit is prlimit64 */
	return (int)(how ? syscall(SYS_prlimit64, 0, RLIMIT_CORE, &nw, NULL) : syscall(SYS_setrlimit, RLIMIT_CORE, &nw));
}

static enum atk_result atk_attack(void)
{
	static const struct { int prlimit; rlim_t soft, hard; const char *what; } tries[] = {
		{ 1, RLIM_INFINITY, RLIM_INFINITY, "prlimit64(0, RLIMIT_CORE, unlimited/unlimited)" },
		{ 0, 1, RLIM_INFINITY, "setrlimit(RLIMIT_CORE, 1/unlimited)" },
		{ 0, 0, 1, "setrlimit(RLIMIT_CORE, 0/1)" },
		{ 1, 0, 0, "prlimit64(0, RLIMIT_CORE, 0/0)" },
	};
	enum atk_result r = ATK_REFUSED;
	struct rlimit got, one = { 1, 1 };
	size_t i;

	for (i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (setrlimit(RLIMIT_CORE, &one) != 0 || syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &got) != 0 ||
		    got.rlim_cur != 1 || got.rlim_max != 1) {
			atk_say("cannot put RLIMIT_CORE back to 1/1 (or read it): %s", strerror(errno));
			return ATK_ERROR;
		}
		errno = 0;
		if (core_set(tries[i].prlimit, tries[i].soft, tries[i].hard) == 0 && getrlimit(RLIMIT_CORE, &got) == 0 &&
		    got.rlim_cur == tries[i].soft && got.rlim_max == tries[i].hard) {
			atk_say("%s: accepted, a crash would now dump core", tries[i].what);
			r = ATK_SUCCEEDED;
		} else {
			atk_say("%s: %s", tries[i].what, errno ? strerror(errno) : "not applied");
		}
	}
	return r;
}

static const char *atk_name = "atk_core_limit";
static int atk_needs_pku = 0;
