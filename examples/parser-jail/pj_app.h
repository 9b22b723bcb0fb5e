/* SPDX-License-Identifier: MIT */
/* pj_app.h: the trusted half of the parser-jail application, as seen by its
 * untrusted start-up code (pj_main.c). */
#ifndef PJ_APP_H
#define PJ_APP_H

#include <stddef.h>

/* The API token, in trusted memory.  Its address is no secret (pj_main
 * prints it with --debug, standing in for any info leak); its contents are. */
extern char pj_token[64];

/* Store TOKEN; only during start-up, before erim_init (trusted memory is not
 * writable from untrusted code afterwards). */
void pj_set_token(const char *token);

/* Reached through the gate __wrap_pj_run (see parserjail.erim). */
int pj_run(const char *config, char *endpoint, size_t cap);

#endif
