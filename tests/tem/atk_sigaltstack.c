/* SPDX-License-Identifier: MIT */
/* atk_sigaltstack.c: untrusted code points its signal stack into trusted
 * memory, so the kernel would write signal frames (attacker-chosen register
 * values) over the secret. */
#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	stack_t ss = { .ss_sp = atk_secret, .ss_size = ATK_SECRET_LEN > MINSIGSTKSZ ? ATK_SECRET_LEN : MINSIGSTKSZ, .ss_flags = 0 };

	if (sigaltstack(&ss, NULL) == 0) {
		atk_say("sigaltstack into the secret accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("sigaltstack into the secret: %s", strerror(errno));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_sigaltstack";
static int atk_needs_pku = 0;
