/* SPDX-License-Identifier: MIT */
/* tem_rseq.c: restartable sequences are closed for every thread of a
 * registered process.  An rseq area is plain (untrusted) memory: a critical
 * section laid over trusted code makes the kernel "abort" a trusted thread
 * into the attacker's handler while it still holds the gate's PKRU.
 *
 *  - erim-tem starts the program with glibc.pthread.rseq=0 appended to
 *    GLIBC_TUNABLES, so glibc registers no area for any thread;
 *  - every rseq call is watched: before registration an area may be
 *    registered (start-up is trusted; a program exec'd without the tunable
 *    has glibc register one for its main thread), and erim-tem remembers it;
 *  - at registration the registering thread's area is unregistered (the
 *    registration call itself is turned into rseq(UNREGISTER)), and any
 *    other thread with an area fails the registration (fail closed);
 *  - afterwards registration is refused for everyone (glibc tolerates a
 *    failed rseq registration at thread start); unregistration only closes,
 *    so it stays allowed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "tem.h"

#ifndef RSEQ_FLAG_UNREGISTER
#define RSEQ_FLAG_UNREGISTER 1
#endif

#define TUNABLE "glibc.pthread.rseq=0"

int tem_rseq_env(void)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char *v;
	int rc;

	if (!old || !*old)
		return setenv("GLIBC_TUNABLES", TUNABLE, 1);
	/* the last assignment of a tunable wins */
	if (!(v = malloc(strlen(old) + sizeof TUNABLE + 1)))
		return -1;
	sprintf(v, "%s:%s", old, TUNABLE);
	rc = setenv("GLIBC_TUNABLES", v, 1);
	free(v);
	return rc;
}

void tem_chk_rseq(struct tem_call *c)
{
	struct tem_thread *t = c->t;
	int unreg = (c->a[2] & RSEQ_FLAG_UNREGISTER) != 0;

	if (!t->proc->registered) {
		/* trusted start-up: remember the area to close it later (the
		 * kernel checks the arguments, so a wrong call fails there) */
		if (unreg) {
			t->rseq_registered = 0;
		} else if (!t->rseq_registered) {
			t->rseq_registered = 1;
			t->rseq.ptr = c->a[0];
			t->rseq.len = (uint32_t)c->a[1];
			t->rseq.sig = (uint32_t)c->a[3];
		}
		return;
	}
	if (unreg) {
		t->rseq_registered = 0;   /* closing only: allowed */
		return;
	}
	c->refuse_errno = EPERM;
	snprintf(c->why, sizeof c->why, "refused (rseq registration after erim_init: an rseq abort could "
	         "leave trusted code for untrusted code with the trusted PKRU)");
}

static void exit_unregistered(struct tem_call *c, long ret)
{
	c->set_ret = 1;
	if (ret == 0) {
		c->t->rseq_registered = 0;
		c->final_ret = TEM_REPLY;
		return;
	}
	c->final_ret = -EPERM;   /* the process stays registered: liberim fails closed */
	c->refuse_errno = EPERM;
	snprintf(c->why, sizeof c->why, "refused (the registering thread's rseq area could not be unregistered: %ld)", ret);
}

static void exit_inject_unregister(struct tem_call *c, long ret)
{
	struct tem_thread *t = c->t;
	uint64_t args[6] = { t->rseq.ptr, t->rseq.len, RSEQ_FLAG_UNREGISTER, t->rseq.sig, 0, 0 };

	(void)ret;
	c->on_exit = exit_unregistered;
	tem_call_inject(c, SYS_rseq, args);
}

int tem_rseq_at_register(struct tem_call *c)
{
	struct tem_thread *t = c->t;
	size_t i, n;
	struct tem_thread *const *all = tem_all_threads(&n);

	for (i = 0; i < n; i++)
		if (all[i] != t && all[i]->proc == t->proc && all[i]->rseq_registered) {
			snprintf(c->why, sizeof c->why, "refused (thread %d has an rseq area; run under erim-tem, which "
			         "sets glibc.pthread.rseq=0, or call erim_init before starting threads)", (int)all[i]->tid);
			return -EBUSY;
		}
	if (!t->rseq_registered)
		return 0;
	/* let the registration call fail harmlessly in the kernel (an unknown
	 * number), then inject rseq(UNREGISTER) at its exit; the injection
	 * restores every register */
	c->on_exit = exit_inject_unregister;
	return 0;
}
