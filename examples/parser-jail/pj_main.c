/* SPDX-License-Identifier: MIT */
/* pj_main.c: the untrusted start-up and I/O of the parser-jail example.  It
 * takes the token from the environment (PJ_TOKEN) into trusted memory during
 * start-up, initialises erim, reads the configuration from stdin and asks the
 * trusted application (pj_run, through its gate) for the endpoint.
 *
 *   parser-jail [--debug] < config.ini
 *
 * --debug prints the token's address first: the demo's attacker is given it,
 * because erim's protection does not rest on addresses being secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "pj_app.h"

#define PJ_CONFIG_MAX 65536

int main(int argc, char **argv)
{
	static char config[PJ_CONFIG_MAX + 1];
	char endpoint[256];
	char *tok = getenv("PJ_TOKEN");
	size_t n;
	int rc, debug = argc == 2 && strcmp(argv[1], "--debug") == 0;

	if (argc > 2 || (argc == 2 && !debug)) {
		fprintf(stderr, "usage: PJ_TOKEN=... parser-jail [--debug] < config.ini\n");
		return 2;
	}
	if (tok == NULL || *tok == '\0') {
		fprintf(stderr, "parser-jail: set PJ_TOKEN\n");
		return 2;
	}
	pj_set_token(tok);
	memset(tok, 0, strlen(tok));   /* the environment is untrusted memory */
	rc = erim_init(NULL);
	if (rc != 0) {
		fprintf(stderr, "parser-jail: erim_init: %s\n", erim_strerror());
		return 1;
	}
	if (debug) {
		printf("debug: token at %p\n", (void *)pj_token);
		fflush(stdout);
	}
	n = fread(config, 1, PJ_CONFIG_MAX, stdin);
	config[n] = '\0';
	if (pj_run(config, endpoint, sizeof endpoint) != 0) {
		fprintf(stderr, "parser-jail: no server.endpoint in the configuration\n");
		return 1;
	}
	printf("endpoint: %s\n", endpoint);
	return 0;
}
