/* SPDX-License-Identifier: MIT */
/* atk_prctl_mm.c: untrusted code uses prctl(PR_SET_MM), which rewrites the
 * kernel's view of the memory map (brk, stack, auxv, exe file). */
#include <sys/prctl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	unsigned int size = 0;

	if (prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0) == 0) {
		atk_say("prctl(PR_SET_MM) accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("prctl(PR_SET_MM): %s", strerror(errno));
	return errno == EINVAL ? ATK_NA : ATK_REFUSED;
}

static const char *atk_name = "atk_prctl_mm";
static int atk_needs_pku = 0;
