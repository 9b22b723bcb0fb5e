/* SPDX-License-Identifier: MIT */
/* pj_app.c: the trusted component of the parser-jail example: an application
 * that keeps an API token in trusted memory and uses a third-party INI parser
 * (tinyini) to read its configuration.  The parser is called under its own
 * name; the link (-Wl,--wrap=ini_get) sends the call through erim's proxy,
 * which runs the parser in the untrusted domain, so a parser bug that turns
 * into an arbitrary read still cannot reach the token. */
#include <string.h>

#include "erim.h"
#include "pj_app.h"
#include "tinyini.h"

ERIM_TRUSTED char pj_token[64];

void pj_set_token(const char *token)
{
	size_t n = strlen(token);

	if (n >= sizeof pj_token)
		n = sizeof pj_token - 1;
	memcpy(pj_token, token, n);
	pj_token[n] = '\0';
}

int pj_run(const char *config, char *endpoint, size_t cap)
{
	char val[256];
	int n = ini_get(config, "server.endpoint", val, sizeof val);

	if (n < 0 || cap == 0 || pj_token[0] == '\0')
		return -1;
	/* the parser is untrusted: [out, count=cap] bounds what it writes, not
	 * what it means -- 256 bytes without a zero are a valid answer, and a
	 * string read of them would run on into this trusted stack frame
	 * (red team 37b, pj_leak) */
	val[sizeof val - 1] = '\0';
	/* A real client would now open a connection to val and send
	 * "Authorization: Bearer <pj_token>"; the token never leaves trusted
	 * memory except towards that endpoint. */
	strncpy(endpoint, val, cap - 1);
	endpoint[cap - 1] = '\0';
	return 0;
}
