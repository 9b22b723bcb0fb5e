/* SPDX-License-Identifier: MIT */
/* tem_signal.c: no signal is delivered while a thread holds trusted rights.
 * A handler entered from trusted code would find trusted registers (GPRs,
 * XMM) in its frame -- on an untrusted sigaltstack with SA_ONSTACK, in
 * untrusted memory -- and could edit that frame before rt_sigreturn.
 *
 * At a signal-delivery-stop of a registered, keyed process the thread's
 * PKRU is read: if it grants the trusted key anything (access-disable or
 * write-disable clear) the signal is held (its siginfo kept) and the thread
 * stopped again where it may have left (breakpoints after the WRPKRU sites,
 * or branch stepping) until its PKRU no longer grants, i.e. it left the gate;
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
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "erim_x86.h"
#include "tem.h"
#include "erim_procline.h"
#include "tem_table.h"

#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif

#define DR_OFF(i) offsetof(struct user, u_debugreg[i])

/* ---- where PKRU can change ------------------------------------------------------
 * Only a WRPKRU (or an XRSTOR whose mask includes PKRU, which start-up code
 * does not use for PKRU and granted code cannot hold) changes PKRU in user
 * space.  Every executable byte at registration is frozen and every later
 * one was inspected free of WRPKRU, so the WRPKRU byte sequences found now
 * are all there will ever be.  With at most four, an execute breakpoint
 * after each (debug registers, per thread, armed only while a signal is
 * held) stops the thread exactly where it may have left trusted code; with
 * more, the thread is stepped from branch to branch (PTRACE_SINGLEBLOCK,
 * or instruction by instruction where the CPU cannot) and the signal is
 * delivered at the first taken branch after it left. */

static int scan_vma(pid_t tid, uint64_t s, uint64_t e, struct tem_proc *p)
{
	static uint8_t buf[65536 + 2];
	size_t keep = 0;
	uint64_t at = s;

	while (at < e) {
		size_t want = e - at > 65536 ? 65536 : (size_t)(e - at), i, n;
		ssize_t got = tem_mem_read(tid, at, buf + keep, want);

		if (got <= 0)
			return 0;   /* unreadable ([vsyscall]): nothing to run there */
		n = keep + (size_t)got;
		for (i = 0; i + 3 <= n; i++) {
			if (buf[i] != ERIM_X86_WRPKRU_0 || buf[i + 1] != ERIM_X86_WRPKRU_1 ||
			    buf[i + 2] != ERIM_X86_WRPKRU_2)
				continue;
			if (p->nwrsites >= 4)
				return -1;
			p->wrsite[p->nwrsites++] = at - keep + i + 3;
		}
		keep = n < 2 ? n : 2;
		memmove(buf, buf + n - keep, keep);
		at += (uint64_t)got;
	}
	return 0;
}

void tem_signal_register(struct tem_proc *p, pid_t tid)
{
	char name[64], line[512];
	FILE *f;

	p->nwrsites = 0;
	snprintf(name, sizeof name, "/proc/%d/maps", (int)tid);
	if (!(f = tem_proc_fopen(name))) {
		p->nwrsites = -1;
		return;
	}
	while (p->nwrsites >= 0 && erim_proc_line(line, sizeof line, f)) {
		uint64_t s, e;
		char perms[5];

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s", &s, &e, perms) == 3 && perms[2] == 'x' &&
		    scan_vma(tid, s, e, p) < 0)
			p->nwrsites = -1;
	}
	if (ferror(f))
		p->nwrsites = -1;   /* the map could not be read: single-step (the safe way) */
	fclose(f);
	tem_log(2, "pid %d: signals during trusted code are held %s", (int)tid,
	        p->nwrsites >= 0 ? "until a breakpoint after a WRPKRU site" : "by single-stepping (more than 4 WRPKRU sites)");
}

static int dr_arm(struct tem_thread *t)
{
	const struct tem_proc *p = t->proc;
	unsigned long dr7 = 0;
	int i;

	if (p->nwrsites < 0)
		return -1;
	for (i = 0; i < p->nwrsites; i++) {
		if (ptrace(PTRACE_POKEUSER, t->tid, (void *)DR_OFF(i), (void *)(uintptr_t)p->wrsite[i]) != 0)
			return -1;
		dr7 |= 1ul << (2 * i);   /* local enable; R/W 00 = execute, LEN 00 */
	}
	if (dr7 && ptrace(PTRACE_POKEUSER, t->tid, (void *)DR_OFF(7), (void *)dr7) != 0)
		return -1;
	t->sig_dr = 1;
	return 0;
}

static void dr_disarm(struct tem_thread *t)
{
	if (t->sig_dr && ptrace(PTRACE_POKEUSER, t->tid, (void *)DR_OFF(7), (void *)0) != 0)
		tem_log(1, "pid %d: cannot clear the debug registers: %s", (int)t->tid, strerror(errno));
	t->sig_dr = 0;
}

int tem_pkru_grants(const struct tem_proc *p, uint32_t pkru)
{
	uint32_t bits = ERIM_PKRU_KEY_BITS(p->pkey);

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
	if (!thread_grants(t)) {
		if (tem_log_level >= 3) {
			uint32_t pk = 0;
			struct user_regs_struct r;

			tem_pkru_get(t->tid, &pk);
			tem_getregs(t->tid, &r);
			tem_log(3, "pid %d: signal %d at rip 0x%llx with PKRU 0x%08x: delivered", (int)t->tid, sig,
			        (unsigned long long)r.rip, pk);
		}
		return 0;
	}
	if (cpu_fault(sig, si)) {
		uint32_t pk = 0;

		tem_pkru_get(t->tid, &pk);
		/* PKRU grants the key: trusted code ran, or (6.12, red team 54)
		 * the kernel enabled every key to write a frame, failed, and
		 * forced this SIGSEGV without disabling them again */
		tem_log(1, "pid %d: signal %d (%s, si_code %d, at %p, PKRU 0x%08x) raised while PKRU grants the "
		        "trusted key (by trusted code, or by a kernel that failed to write a frame and left every "
		        "key enabled): its handler would run with trusted rights; every task of the address space "
		        "stopped", (int)t->tid, sig, strsignal(sig), si->si_code, si->si_addr, pk);
		tem_kill_sharers(t, TEM_UNDO_VM, NULL, 0);
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
	if (!t->sig_dr && !t->sig_stepping && dr_arm(t) != 0)
		t->sig_stepping = 1;
	tem_log(2, "pid %d: signal %d arrived during trusted code: held until the thread leaves it",
	        (int)t->tid, sig);
	return 1;
}

/* T stopped where it may have left trusted code: deliver the first held
 * signal if it did.  The rest follow one per single-step (the handler's
 * first instruction is the next stop). */
static int release(struct tem_thread *t, int *deliver)
{
	siginfo_t first;

	if (t->nheld == 0) {
		dr_disarm(t);
		t->sig_stepping = 0;
		return 1;
	}
	if (thread_grants(t))
		return 1;   /* still trusted: go on to the next stop */
	first = t->held_si[0];
	memmove(t->held_si, t->held_si + 1, --t->nheld * sizeof t->held_si[0]);
	dr_disarm(t);
	t->sig_stepping = t->nheld > 0;
	if (ptrace(PTRACE_SETSIGINFO, t->tid, 0, &first) != 0)
		tem_log(1, "pid %d: cannot restore the held signal's siginfo: %s", (int)t->tid, strerror(errno));
	tem_log(2, "pid %d: left trusted code: delivering held signal %d", (int)t->tid, first.si_signo);
	*deliver = first.si_signo;
	return 1;
}

/* A stop of a stepped thread that is one of its steps.  The CPU reports an
 * executed instruction or taken branch as TRAP_TRACE; a system call that was
 * stepped into returns with the kernel's own report of the step,
 * SIGTRAP/TRAP_BRKPT at the instruction after the `syscall` (x86's
 * user_single_step_report), whether the call was trapped by the filter or
 * not.  Neither is a trap raised by the program (a stepped trusted gate
 * making a system call was stopped as "signal 5 raised by trusted code", and
 * the same report after it left was delivered to the program).  A real
 * TRAP_BRKPT (INT1) follows a 0xf1 byte, never the 0f 05 of `syscall`. */
static int is_step(struct tem_thread *t, const siginfo_t *si)
{
	uint8_t insn[2];

	if (si->si_code == TRAP_TRACE)
		return 1;
	/* a held signal delivered while stepping: the kernel reports the step
	 * into its handler with ptrace_notify (si_code SIGTRAP, the thread's
	 * own tid); the handler starts with the kernel's default PKRU, which
	 * leaves write-disable clear and so counts as granting here */
	if (si->si_code == SIGTRAP && si->si_pid == t->tid)
		return 1;
	if (si->si_code != TRAP_BRKPT || (uint64_t)(uintptr_t)si->si_addr < 2)
		return 0;
	/* si_addr can be the program's own (rt_tgsigqueueinfo): read as an
	 * untrusted caller would, so no verdict depends on trusted bytes */
	return tem_user_read(t->proc, 0, t->tid, (uint64_t)(uintptr_t)si->si_addr - 2, insn, 2) == 2 &&
	       insn[0] == 0x0f &&
	       insn[1] == 0x05;
}

int tem_signal_stop(struct tem_thread *t, int sig, const siginfo_t *si, int *deliver)
{
	*deliver = 0;
	if (sig == SIGTRAP && ((t->sig_stepping && is_step(t, si)) ||
	                       (t->sig_dr && si->si_code == TRAP_HWBKPT)))
		return release(t, deliver);
	return tem_signal_hold(t, sig, si);
}

void tem_signal_reset(struct tem_thread *t)
{
	t->sig_stepping = 0;
	t->sig_dr = 0;   /* exec cleared the debug registers */
	t->nheld = 0;
}
