/* SPDX-License-Identifier: MIT */
/* dlsecret.c: a module with trusted globals, loaded with dlopen by
 * rt_harden.c (twice, as two files: one before erim_init, one after). */
#include "erim.h"

long *dlsecret_addr(void);

static ERIM_TRUSTED long dl_secret[8];

long *dlsecret_addr(void)
{
	return dl_secret;
}
