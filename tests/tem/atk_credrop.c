/* SPDX-License-Identifier: MIT */
/* atk_credrop.c: a program started as root drops to a user and makes itself
 * dumpable again.  The kernel makes a process that changes its credentials
 * non-dumpable (only root may open its memory); PR_SET_DUMPABLE 1 opens it
 * to every process of that user where Yama is off or ptrace_scope is 0
 * (Debian's default) -- red team 29 (rt29_dropdeputy) then had an untraced
 * process of uid 1000 read and write the secret, because erim-tem judged
 * its own credentials (root) once at start.  erim-tem now judges the
 * program's credentials when it asks to be dumpable (tem_detach.c
 * tem_detach_exposed).  SUCCEEDED when the prctl is accepted and the process
 * is dumpable as uid 1000.  Needs root, and Yama off or scope 0 (else not
 * applicable: scope 1 keeps non-ancestors out, and dumpable is harmless).
 *
 * With ATK_CREDROP_THREAD (atk_thread_cred.c): credentials are per thread,
 * dumpability per address space.  A second thread drops with the raw
 * setresgid/setresuid system calls (no C library broadcast to the other
 * threads) and the main thread, still root, asks (red team 30,
 * rt30_thread_cred: erim-tem judged the calling thread only); erim-tem now
 * judges every task of the address space, the others held until the call
 * has run.
 *
 * With ATK_CREDROP_SAVED (atk_credrop_saved.c): the drop keeps the saved
 * uid 0, so the uids are not yet all the user's when the prctl is judged;
 * then the saved uid alone changes, which the kernel does not count as a
 * credential change for dumpability (red team 31, rt31_nonplain).  erim-tem
 * judges a process whose euid is a user's as that user's. */
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "atk_common.h"

#ifdef ATK_CREDROP_THREAD
static volatile int dropped, done;

static void *dropper(void *unused)
{
	(void)unused;
	if (syscall(SYS_setresgid, 1000, 1000, 1000) == 0 && syscall(SYS_setresuid, 1000, 1000, 1000) == 0)
		dropped = 1;
	else
		dropped = -1;
	while (!done)
		usleep(1000);
	return NULL;
}

/* the second thread drops; 0, or -1 */
static int drop(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, dropper, NULL) != 0)
		return -1;
	while (!dropped)
		usleep(1000);
	return dropped < 0 ? -1 : 0;
}

static void drop_done(void)
{
	done = 1;
}
#define WHO "the root thread, another one uid 1000"
#elif defined(ATK_CREDROP_SAVED)
/* uids 1000/1000/0: not yet open to user 1000; after the prctl, the saved
 * uid alone becomes 1000, which leaves the process dumpable */
static int drop(void)
{
	return setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 0) != 0 ? -1 : 0;
}

static void drop_done(void)
{
	if (setresuid((uid_t)-1, (uid_t)-1, 1000) != 0)
		atk_say("setresuid(-1, -1, 1000): %s", strerror(errno));
}
#define WHO "saved uid 0"
#else
static int drop(void)
{
	return setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0 ? -1 : 0;
}

static void drop_done(void)
{
}
#define WHO "uid 1000"
#endif

static enum atk_result atk_attack(void)
{
	int r, e;

	if (!atk_root_scope0())
		return ATK_NA;
	if (drop() != 0) {
		atk_say("dropping to uid 1000: %s", strerror(errno));
		return ATK_ERROR;
	}
	atk_say("caller uid %d (%s), dumpable %d after the drop", (int)getuid(), WHO,
	        prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	errno = 0;
	r = prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	e = errno;
	drop_done();
	if (r != 0) {
		atk_say("prctl(PR_SET_DUMPABLE, 1): %s", strerror(e));
		return ATK_REFUSED;
	}
	atk_say("prctl(PR_SET_DUMPABLE, 1) accepted: dumpable %d (uid %d), every process of uid 1000 may "
	        "open this memory", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), (int)getuid());
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? ATK_SUCCEEDED : ATK_REFUSED;
}

#ifdef ATK_CREDROP_THREAD
static const char *atk_name = "atk_thread_cred";
#elif defined(ATK_CREDROP_SAVED)
static const char *atk_name = "atk_credrop_saved";
#else
static const char *atk_name = "atk_credrop";
#endif
static int atk_needs_pku = 0;
