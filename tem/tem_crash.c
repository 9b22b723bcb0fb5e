/* SPDX-License-Identifier: MIT */
/* tem_crash.c: a crash ends the whole address space, and never dumps core.
 *
 * liberim ends every stop with a SIGSEGV no handler can take (runtime/
 * erim_abort.S), and untrusted code can raise core-dumping signals at will.
 * Two things must then hold for a registered process:
 *
 *  - nothing sharing its memory runs on.  Since Linux 5.16 a core-dumping
 *    signal ends its own thread group only: a task made with clone(CLONE_VM)
 *    without CLONE_THREAD (its own process, the same memory) ran on after
 *    liberim stopped its creator, and the creator after the task was stopped
 *    (red team 33a).  So when a task of a registered address space dies of a
 *    signal whose default action dumps core, every task of that address
 *    space is SIGKILLed (tem_crash_died, at the death report); and at the
 *    delivery of such a signal with the default action, before the kernel
 *    acts on it, the same is done in place of the delivery.
 *
 *  - no core dump.  A dump copies memory, keys ignored, and the registers of
 *    every thread (one may be inside trusted code) to a file or a
 *    core_pattern pipe that the program's user can read.  liberim's
 *    RLIMIT_CORE 1 stops both kinds, and erim-tem refuses the program's own
 *    changes (tem_dump.c), but any process of the same user may lower the
 *    limit from outside (prlimit(2) asks no more than matching ids) to 0,
 *    which does not stop a pipe (red team 33b).  So at the delivery of a
 *    core-dumping signal the limit is asked from the kernel: anything but 1
 *    and the address space is SIGKILLed (which dumps nothing) in place of
 *    the delivery, handler or not.  With the default action the kill comes
 *    whatever the limit, so a limit lowered after that look decides nothing.
 *    The seccomp filter's own kills (a foreign system call ABI) would dump
 *    without any stop erim-tem sees; the filter traps them instead
 *    (tem_filter.c) and erim-tem kills.
 *
 * A fault the CPU raised is looked at more closely: the kernel resets an
 * ignored fault to the default action, so "ignored" at the delivery means
 * another thread changed it since -- red team 35b (stop_ign) kept a
 * liberim stop's SIGSEGV ignored that way, round after round, and the
 * process ran on; and a fault with %rsp where no frame can be written (a
 * liberim stop makes it non-canonical) can never reach a handler.  Both
 * take the default action.
 *
 * Left: a handler installed when the signal is looked at, replaced by the
 * default action by another thread before the kernel delivers it, with the
 * limit lowered from outside in the same few microseconds (doc/tem.md). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "tem.h"
#include "tem_table.h"

/* Above the highest user address (57-bit linear addresses; a negative
 * %rsp is above it too): no frame can be written below such a %rsp. */
#define TEM_USER_TOP (1ull << 57)

int tem_crash_dumps(int sig)
{
	switch (sig) {   /* signal(7): the default action is "Core" */
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return 1;
	default:
		return 0;
	}
}

static int registered(const struct tem_thread *t)
{
	return t->proc && t->proc->registered;
}

static void end_address_space(struct tem_thread *t, int sig, const char *why)
{
	char list[256];
	int others = tem_kill_sharers(t, TEM_UNDO_VM, list, sizeof list);

	tem_log(others ? 1 : 2, "pid %d: signal %d (%s): %s: SIGKILL to every task of the address space%s%s",
	        (int)t->tid, sig, strsignal(sig), why, list[0] ? ": " : "", list);
}

/* 1 if SIG at T's delivery stop was raised by the CPU or the kernel for
 * the thread itself (a fault: si_code > 0), with *RSP its stack pointer. */
static int cpu_raised(const struct tem_thread *t, int sig, uint64_t *rsp)
{
	siginfo_t si;
	struct user_regs_struct r;

	*rsp = 0;
	if (sig == SIGQUIT || sig == SIGABRT || sig == SIGXCPU || sig == SIGXFSZ)
		return 0;   /* never a fault */
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0 || si.si_code <= 0 || tem_getregs(t->tid, &r) != 0)
		return 0;
	*rsp = r.rsp;
	return 1;
}

int tem_crash_signal(struct tem_thread *t, int sig)
{
	struct rlimit now;
	uint64_t ign = 0, cgt = 0, rsp = 0;
	char why[240];
	int fault;

	if (!registered(t) || !tem_crash_dumps(sig))
		return 0;
	fault = cpu_raised(t, sig, &rsp);
	if (prlimit(t->tid, RLIMIT_CORE, NULL, &now) != 0) {
		snprintf(why, sizeof why, "its RLIMIT_CORE cannot be read (%s), a core dump cannot be ruled out",
		         strerror(errno));
	} else if (now.rlim_cur != 1) {
		snprintf(why, sizeof why, "RLIMIT_CORE is %lld, not 1 (erim_init's value, the one that stops every "
		         "dump; changed from outside the program): a core dump would copy trusted memory and registers",
		         (long long)now.rlim_cur);
	} else if (fault && rsp >= TEM_USER_TOP) {
		snprintf(why, sizeof why, "raised by the CPU with %%rsp 0x%llx, below which no signal frame can be "
		         "written (a liberim stop): no handler can run, the action is the default one",
		         (unsigned long long)rsp);
	} else if (tem_proc_sigmask(t->tid, "SigIgn", &ign) != 0 || tem_proc_sigmask(t->tid, "SigCgt", &cgt) != 0) {
		snprintf(why, sizeof why, "its disposition cannot be read: taken as the default action");
	} else if (((ign >> (sig - 1)) & 1) && fault) {
		snprintf(why, sizeof why, "raised by the CPU, which the kernel never lets be ignored (it resets an "
		         "ignored fault to the default action): ignored now means another thread changed it since");
	} else if (((ign | cgt) >> (sig - 1)) & 1) {
		return 0;   /* a handler, or ignored: no dump, the process lives */
	} else {
		snprintf(why, sizeof why, "its default action ends the thread group only, and tasks sharing its "
		         "memory would run on");
	}
	end_address_space(t, sig, why);
	return 1;
}

void tem_crash_died(struct tem_thread *t, int st)
{
	if (!registered(t) || !WIFSIGNALED(st) || !tem_crash_dumps(WTERMSIG(st)) || t->doomed)
		return;
	end_address_space(t, WTERMSIG(st), "a task of the address space died of it, and tasks sharing its memory "
	                  "would run on");
}
