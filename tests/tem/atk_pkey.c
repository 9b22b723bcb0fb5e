/* SPDX-License-Identifier: MIT */
/* atk_pkey.c: untrusted code re-keys the secret with pkey_mprotect to key
 * 0, or frees the trusted key and allocates it again with access rights,
 * then reads the secret.  Needs protection keys. */
#include "atk_common.h"

static volatile uint8_t sink;

static void read_secret(void *arg)
{
	(void)arg;
	sink = atk_secret[0];
}

static enum atk_result atk_attack(void)
{
	int won = 0, k;

	if (syscall(SYS_pkey_mprotect, atk_secret, ATK_SECRET_LEN, PROT_READ | PROT_WRITE, 0) == 0) {
		atk_say("pkey_mprotect(secret, key 0) accepted");
		won |= !atk_faults(read_secret, NULL);
	} else {
		atk_say("pkey_mprotect(secret, key 0): %s", strerror(errno));
	}
	if (syscall(SYS_pkey_free, atk_pkey) == 0) {
		atk_say("pkey_free(trusted key %d) accepted", atk_pkey);
		k = (int)syscall(SYS_pkey_alloc, 0UL, 0UL);  /* access rights: all */
		atk_say("pkey_alloc() gave key %d", k);
		won |= k == atk_pkey && !atk_faults(read_secret, NULL);
	} else {
		atk_say("pkey_free(trusted key): %s", strerror(errno));
	}
	if (won)
		atk_say("read the secret");
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_pkey";
static int atk_needs_pku = 1;
