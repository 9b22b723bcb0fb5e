/* tem_signal.c: no signal is delivered while a thread holds trusted rights.
 * A handler entered from trusted code would find trusted registers (GPRs,
 * XMM) in its frame -- on an untrusted sigaltstack with SA_ONSTACK, in
 * untrusted memory -- and could edit that frame before rt_sigreturn.
 *
 * At a signal-delivery-stop of a registered, keyed process the thread's
 * PKRU is read: if it grants the trusted key anything (access-disable or
 * write-disable clear) the signal is held (its siginfo kept) and the thread
 * is single-stepped until its PKRU no longer grants, i.e. it left the gate;
 * then the held signals are delivered, with their original siginfo, one per
 * stop.  A blocking call inside trusted code is restarted by the kernel
 * (no handler ran), so the signal waits until the call returns.  A fault
 * the CPU raises in trusted code (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP,
 * SIGSYS from the kernel) cannot wait -- the instruction would fault again --
 * and its handler would see trusted state: the process is stopped.
 *
 * With no signal ever entering a handler from trusted code, rt_sigreturn has
 * no frame of trusted state to return to: a PKRU that grants the trusted key
 * after rt_sigreturn is always forged, and is forced back (tem_policy.c). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

#include "tem.h"

#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

int tem_pkru_grants(const struct tem_proc *p, uint32_t pkru)
{
	uint32_t bits = 3u << (2 * p->pkey);

	return p->pkey >= 1 && (pkru & bits) != bits;
}

static int thread_grants(struct tem_thread *t)
{
	uint32_t pkru;

	if (!t->proc || !t->proc->registered || t->proc->pkey < 1)
		return 0;
	if (tem_pkru_get(t->tid, &pkru) != 0)
		return 1;   /* cannot tell: keep holding (fail closed) */
	return tem_pkru_grants(t->proc, pkru);
}

static int cpu_fault(int sig, const siginfo_t *si)
{
	if (si->si_code <= 0)
		return 0;   /* sent by a process (kill, tgkill, sigqueue, timers) */
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
	       sig == SIGSYS;
}

int tem_signal_hold(struct tem_thread *t, int sig, const siginfo_t *si)
{
	if (!thread_grants(t))
		return 0;
	if (cpu_fault(sig, si)) {
		tem_log(1, "pid %d: signal %d (%s) raised by trusted code: its handler would see trusted "
		        "registers; process stopped", (int)t->tid, sig, strsignal(sig));
		kill(t->proc->tgid, SIGKILL);
		return 1;
	}
	if (sig < SIGRTMIN) {
		/* a standard signal pending twice is pending once */
		for (size_t i = 0; i < t->nheld; i++)
			if (t->held_si[i].si_signo == sig)
				return 1;
	}
	if (t->nheld == TEM_SIGHOLD_MAX) {
		tem_log(1, "pid %d: more than %d signals held during trusted code: signal %d dropped",
		        (int)t->tid, TEM_SIGHOLD_MAX, sig);
		return 1;
	}
	t->held_si[t->nheld++] = *si;
	t->sig_stepping = 1;
	tem_log(2, "pid %d: signal %d arrived during trusted code: held until the thread leaves it",
	        (int)t->tid, sig);
	return 1;
}

int tem_signal_stop(struct tem_thread *t, int sig, const siginfo_t *si, int *deliver)
{
	*deliver = 0;
	if (t->sig_stepping && sig == SIGTRAP && si->si_code == TRAP_TRACE) {
		siginfo_t first;

		if (t->nheld == 0) {
			t->sig_stepping = 0;
			return 1;
		}
		if (thread_grants(t))
			return 1;   /* still in trusted code: one more step */
		first = t->held_si[0];
		memmove(t->held_si, t->held_si + 1, --t->nheld * sizeof t->held_si[0]);
		t->sig_stepping = t->nheld > 0;
		if (ptrace(PTRACE_SETSIGINFO, t->tid, 0, &first) != 0)
			tem_log(1, "pid %d: cannot restore the held signal's siginfo: %s", (int)t->tid, strerror(errno));
		tem_log(2, "pid %d: left trusted code: delivering held signal %d", (int)t->tid, first.si_signo);
		*deliver = first.si_signo;
		return 1;
	}
	return tem_signal_hold(t, sig, si);
}

void tem_signal_reset(struct tem_thread *t)
{
	t->sig_stepping = 0;
	t->nheld = 0;
}
