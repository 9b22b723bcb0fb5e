/* SPDX-License-Identifier: MIT */
/* atk_dumpable.c: blind the supervisor.  A process that makes itself
 * non-dumpable (prctl(PR_SET_DUMPABLE, 0)) locks every process without
 * CAP_SYS_PTRACE, its tracer included, out of /proc/PID/maps, mem and fd:
 * erim-tem would judge the next mmap or open without seeing the memory map
 * or the file.  The door is the prctl accepted; erim-tem refuses it for
 * every caller. */
#include <sys/prctl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0) {
		atk_say("prctl(PR_SET_DUMPABLE, 0): accepted, the process is not dumpable");
		return ATK_SUCCEEDED;
	}
	atk_say("prctl(PR_SET_DUMPABLE, 0): %s", strerror(errno));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_dumpable";
static int atk_needs_pku = 0;
