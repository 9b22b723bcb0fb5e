/* SPDX-License-Identifier: MIT */
/* erim_thread.c: the thread-exit hook's pthread key.  The gate calls
 * erim__note_thread with untrusted rights after a thread's first call got it
 * a trusted-stack slot; the key's destructor then runs when the thread
 * exits.  Which destructor is the caller's business: erim_entries.c passes
 * its slot release (a gate call) to erim__thread_exit_init, so this file
 * depends on nothing above it (it used to live with the entry table, which
 * made the gate and the entry table call each other). */
#include "config.h"

#include <pthread.h>

#include "erim_internal.h"

static pthread_key_t exit_key;
static int exit_key_ok;

/* Once, before erim_init (the caller holds its lock). */
void erim__thread_exit_init(void (*dtor)(void *))
{
	if (!exit_key_ok && pthread_key_create(&exit_key, dtor) == 0)
		exit_key_ok = 1;
}

/* Make sure the thread-exit hook runs for this thread. */
void erim__note_thread(void)
{
	if (exit_key_ok && !pthread_getspecific(exit_key))
		pthread_setspecific(exit_key, (void *)1);
}
