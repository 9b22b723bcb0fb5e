/* SPDX-License-Identifier: MIT */
/* atk_personality.c: untrusted code sets READ_IMPLIES_EXEC, which makes
 * every later PROT_READ mapping executable without an inspection. */
#include <sys/personality.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	int old = personality(0xffffffff);

	if (personality((unsigned long)old | READ_IMPLIES_EXEC) != -1 &&
	    (personality(0xffffffff) & READ_IMPLIES_EXEC)) {
		atk_say("personality(READ_IMPLIES_EXEC) accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("personality(READ_IMPLIES_EXEC): %s", strerror(errno));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_personality";
static int atk_needs_pku = 0;
