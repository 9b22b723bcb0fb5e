/* SPDX-License-Identifier: MIT */
/* ep_log.c: the untrusted side's reporting -- errors to OpenSSL's queue and
 * stderr, the trusted side's log lines (ep_log, the untrusted function of
 * erimprov.erim that the generated ep_log_ocall reaches), and the count of
 * signing gate calls.  Apart from ep_prov.c, whose algorithm tables name
 * the files that call these: one file at the bottom keeps the untrusted
 * side (and the generated ocall side that calls ep_log) free of import
 * circles. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>

#include "ep_prov.h"
#include "erimprov_erim.h"

unsigned long ep_gate_calls;

void ep_error(const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "erim-provider: %s\n", msg);
	ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "erim-provider: %s", msg);
}

/* The trusted side's log lines (refusal reasons; never key material). */
void ep_log(const char *line)
{
	fprintf(stderr, "erim-provider: %s\n", line);
}
