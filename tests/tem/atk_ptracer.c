/* SPDX-License-Identifier: MIT */
/* atk_ptracer.c: doc/tem.md names kernel.yama.ptrace_scope >= 1 as what keeps
 * an untraced process of the same user from opening the program's memory
 * file.  Untrusted code switches that off for itself with
 * prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) (or names one process); red team
 * 23 (rt_ptracer_any) then wrote the secret from an untraced sibling through
 * /proc/PID/mem.  The attack here is the loosening itself (the prctl taking
 * effect; the rest needs a second user and Yama, which the red team's program
 * shows); erim-tem refuses every PR_SET_PTRACER but clearing it (0). */
#include <sys/prctl.h>

#include "atk_common.h"

#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif
#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY ((unsigned long)-1)
#endif

static enum atk_result atk_attack(void)
{
	static const struct { unsigned long arg; const char *what; } tries[] = {
		{ PR_SET_PTRACER_ANY, "PR_SET_PTRACER_ANY" },
		{ 1, "PR_SET_PTRACER 1 (init, a process outside the trace)" },
	};
	enum atk_result r = ATK_REFUSED;
	size_t i;

	for (i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		errno = 0;
		if (prctl(PR_SET_PTRACER, tries[i].arg, 0, 0, 0) == 0) {
			atk_say("prctl(%s): accepted, a process outside erim-tem's view may ptrace this one", tries[i].what);
			r = ATK_SUCCEEDED;
		} else if (errno == EINVAL) {
			atk_say("prctl(%s): EINVAL (a kernel without Yama)", tries[i].what);
			return ATK_NA;
		} else {
			atk_say("prctl(%s): %s", tries[i].what, strerror(errno));
		}
	}
	if (prctl(PR_SET_PTRACER, 0, 0, 0, 0) != 0)
		atk_say("clearing PR_SET_PTRACER: %s", strerror(errno));
	return r;
}

static const char *atk_name = "atk_ptracer";
static int atk_needs_pku = 0;
