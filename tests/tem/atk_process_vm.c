/* SPDX-License-Identifier: MIT */
/* atk_process_vm.c: untrusted code writes the secret with
 * process_vm_writev on its own pid (the kernel does not check protection
 * keys for remote access). */
#include <sys/uio.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	char evil[8] = "EVILEVIL";
	struct iovec l = { evil, sizeof evil }, r = { atk_secret, sizeof evil };
	ssize_t n = process_vm_writev(getpid(), &l, 1, &r, 1, 0);

	if (n < 0)
		atk_say("process_vm_writev: %s", strerror(errno));
	return n == (ssize_t)sizeof evil ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_process_vm";
static int atk_needs_pku = 0;
