/* SPDX-License-Identifier: MIT */
/* atk_clone_trusted.c: a thread created while the creator runs trusted
 * inherits the trusted PKRU, so its start routine (chosen by whoever
 * controls the call) runs with trusted rights.  erim-tem refuses thread
 * creation from trusted code; threads then only start untrusted.  Needs
 * protection keys. */
#include <pthread.h>

#include "atk_common.h"

static volatile int got;

static void *reader(void *arg)
{
	(void)arg;
	got = atk_secret[0] == ATK_SECRET_BYTE;  /* faults unless trusted */
	return NULL;
}

static enum atk_result atk_attack(void)
{
	pthread_t th;
	int rc;

	atk_trusted();
	rc = pthread_create(&th, NULL, reader, NULL);
	atk_untrusted();
	if (rc != 0) {
		atk_say("pthread_create from trusted code: %s", strerror(rc));
		return ATK_REFUSED;
	}
	pthread_join(th, NULL);
	atk_say("a thread created from trusted code %s the secret", got ? "read" : "did not read");
	return got ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_clone_trusted";
static int atk_needs_pku = 1;
