/* SPDX-License-Identifier: MIT */
/* tem_sigdefer.c: signals that arrive while erim-tem runs its own work in a
 * thread (between a judged call's entry and its exit check, or an injected
 * call) cannot be delivered there: the handler's frame would hold the
 * registers of the injection.  An injected call runs with every signal
 * blocked (tem_main.c inject()), so most stay queued in the kernel; what
 * still stops there (SIGSTOP, which cannot be blocked, or a signal at an
 * exit check's stop) is kept here, with its siginfo, and once
 * the thread runs its own code again erim-tem raises each one anew
 * (tgkill); at that signal's delivery stop the kept siginfo replaces the
 * one tgkill made, so the program sees the signal as its sender sent it
 * (a sigqueue value, the sender's pid, a timer's id) and every one of them.
 *
 * Before, the one kept signal number was injected at the next syscall-exit
 * stop, where the kernel re-sends it as SI_KERNEL: the siginfo was lost, a
 * second signal in the same window overwrote the first, and a SIGTRAP or
 * SIGSEGV some process had sent looked raised by the CPU -- "raised by
 * trusted code" when the thread had entered trusted code meanwhile.
 *
 * Only a signal tgkill'ed by erim-tem (SI_TKILL with erim-tem's pid) is ever
 * replaced, so no fault the CPU raises is ever taken for a sent signal. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem.h"

void tem_sigdefer_keep(struct tem_thread *t, const siginfo_t *si)
{
	if (t->ndefer == TEM_SIGHOLD_MAX) {
		tem_log(1, "pid %d: more than %d signals arrived during erim-tem's own work: signal %d dropped",
		        (int)t->tid, TEM_SIGHOLD_MAX, si->si_signo);
		return;
	}
	t->defer[t->ndefer].si = *si;
	t->defer[t->ndefer].raised = 0;
	t->ndefer++;
	tem_log(2, "pid %d: signal %d arrived during erim-tem's own work: delivered once it is done",
	        (int)t->tid, si->si_signo);
}

void tem_sigdefer_raise(struct tem_thread *t)
{
	size_t i;

	for (i = 0; i < t->ndefer; i++) {
		if (t->defer[i].raised)
			continue;
		if (syscall(SYS_tgkill, (pid_t)t->tgid, t->tid, t->defer[i].si.si_signo) != 0) {
			tem_log(1, "pid %d: cannot raise the kept signal %d again: %s", (int)t->tid,
			        t->defer[i].si.si_signo, strerror(errno));
			memmove(t->defer + i, t->defer + i + 1, (t->ndefer - i - 1) * sizeof t->defer[0]);
			t->ndefer--;
			i--;
			continue;
		}
		t->defer[i].raised = 1;
	}
}

int tem_sigdefer_match(struct tem_thread *t, int sig, siginfo_t *si)
{
	size_t i;

	if (si->si_code != SI_TKILL || si->si_pid != getpid())
		return 0;
	for (i = 0; i < t->ndefer; i++) {
		if (!t->defer[i].raised || t->defer[i].si.si_signo != sig)
			continue;
		*si = t->defer[i].si;
		memmove(t->defer + i, t->defer + i + 1, (t->ndefer - i - 1) * sizeof t->defer[0]);
		t->ndefer--;
		if (ptrace(PTRACE_SETSIGINFO, t->tid, 0, si) != 0)
			tem_log(1, "pid %d: cannot restore the kept signal's siginfo: %s", (int)t->tid, strerror(errno));
		return 1;
	}
	return 0;
}
