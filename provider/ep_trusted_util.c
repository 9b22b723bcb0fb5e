/* SPDX-License-Identifier: MIT */
/* ep_trusted_util.c: what every trusted file of the provider calls --
 * wiping secrets and logging a line through the untrusted side (the
 * generated ep_log_ocall proxy).  Apart from ep_trusted.c, whose entries
 * call ep_keyfile.c and ep_pss.c, which call these: one file of helpers at
 * the bottom keeps the trusted side free of import circles. */
#include <stdarg.h>

#include <sodium.h>

#include "erim.h"
#include "ep_trusted.h"
#include "erimprov_trusted.h"

void ept_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

void ept_logf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	erim_vsnprintf(line, sizeof line, fmt, ap);   /* no locale, no stdio: doc/security.md */
	va_end(ap);
	ep_log_ocall(line);
}
