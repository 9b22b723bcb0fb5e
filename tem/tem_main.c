/* SPDX-License-Identifier: MIT */
/* tem_main.c: erim-tem, the supervisor that enforces trusted-only execute
 * memory.  It runs PROGRAM under ptrace (PTRACE_SEIZE, so that other threads
 * can be interrupted) with a seccomp-BPF filter that traps
 * only the system calls of the policy table (tem_policy.c); everything else
 * runs at full speed without ever stopping here.
 *
 * The tracer is ONE loop in the proc/strace style: waitpid(-1, __WALL) (in
 * rounds, tem_round.c), decode the stop once (exit, syscall stop, ptrace
 * event, signal), dispatch, and restart the thread in exactly one place
 * (restart()).  Every thread,
 * fork and exec of the program is followed (TRACECLONE/FORK/VFORK/EXEC);
 * EXITKILL takes the program down if erim-tem dies.  A refused call is
 * skipped at its seccomp stop (orig_rax = -1, rax = -errno); a call that must
 * be judged on its result is resumed with PTRACE_SYSCALL and finished at its
 * exit stop, where TEM can also inject a system call (close of a refused fd,
 * the real mprotect after inspection) by re-running the `syscall`
 * instruction with other registers. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem.h"
#include "erim_procline.h"
#include "tem_table.h"

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	fputs("erim-tem: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (saved)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	va_end(ap);
	exit(125);
}

/* The child between fork and exec: report and leave without running exit
 * handlers (they belong to the parent, and a sanitizer's would trace). */
__attribute__((noreturn))
static void child_die(const char *what, const char *arg)
{
	int saved = errno;

	fprintf(stderr, "erim-tem: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(saved));
	fflush(stderr);
	_exit(125);
}

/* ---- tracee bookkeeping ------------------------------------------------------- */

static pid_t main_pid;
static int main_status = -1;


/* ---- decisions ----------------------------------------------------------------- */

static void format_call(const struct tem_call *c, char *buf, size_t len)
{
	const char *name = c->nr == TEM_NR_REGISTER ? "erim-tem-register" : c->rule ? c->rule->name : "?";
	long nr = c->nr;

	if (nr == SYS_mmap || nr == SYS_mprotect || nr == SYS_pkey_mprotect) {
		uint64_t prot = c->x[2] && c->on_exit ? c->x[2] : c->a[2];
		char p[8];

		snprintf(p, sizeof p, "%s%s%s", prot & PROT_READ ? "R" : "", prot & PROT_WRITE ? "W" : "",
		         prot & PROT_EXEC ? "X" : "");
		snprintf(buf, len, "%s(0x%" PRIx64 ", %" PRIu64 ", %s%s)", name, c->a[0], c->a[1],
		         p[0] ? p : "NONE", nr == SYS_mmap ? ((c->a[3] & MAP_ANONYMOUS) ? ", anon" : ", file") : "");
	} else {
		snprintf(buf, len, "%s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ")", name, c->a[0], c->a[1], c->a[2]);
	}
}

static void log_decision(const struct tem_call *c)
{
	char call[160];
	int refused = c->refuse_errno || c->kill;

	if ((refused ? 1 : 2) > tem_log_level)
		return;
	format_call(c, call, sizeof call);
	tem_log(refused ? 1 : 2, "pid %d: %s by %s code: %s", (int)c->t->tid, call,
	        c->domain ? c->domain : "start-up", c->why[0] ? c->why : "allowed");
}

/* What to do with a stopped thread: the loop's single restart point. */
enum tem_restart { TEM_R_NONE = 0, TEM_R_RESUME, TEM_R_HOLD };

static void kill_process(struct tem_call *c)
{
	char list[256];

	log_decision(c);
	/* "the process" is the address space: every task sharing it (a
	 * CLONE_VM clone, a vfork parent or child is not in the thread
	 * group), and the fd table too when the call's effect is there */
	tem_kill_sharers(c->t, TEM_UNDO_VM | (tem_call_undo_scope(c) & TEM_UNDO_FILES), list, sizeof list);
}

/* T died, or cannot be made to run what its exit check still had to do,
 * with that exit check pending (its call ran past the seccomp stop; the
 * correction -- the close of a refused open's fd, the munmap of a refused
 * mapping, execute taken back -- may never run): whatever the call left in
 * the fd table or address space it shares with others stays there.  Fail
 * closed: every task sharing what the call reaches (tem_call_undo_scope)
 * is SIGKILLed before anyone is released; they were held, so none of them
 * ran since the call began.  WHAT says what happened to T. */
static enum tem_restart lost_correction(struct tem_thread *t, const char *what)
{
	struct tem_call *c = &t->call;
	unsigned scope = tem_call_undo_scope(c);
	char call[160], list[256] = "";
	int others;

	format_call(c, call, sizeof call);
	if (!scope) {
		tem_log(2, "pid %d: %s: the task %s before its exit check was over (nothing beyond the caller to undo)",
		        (int)t->tid, call, what);
		return TEM_R_NONE;
	}
	others = tem_kill_sharers(t, scope, list, sizeof list);
	tem_log(others ? 1 : 2, "pid %d: %s by %s code: the task %s before its exit check was over%s%s%s; what the "
	        "call may have left in the %s it shares is not undone: SIGKILL to every task sharing it, before any "
	        "is released%s%s",
	        (int)t->tid, call, c->domain ? c->domain : "start-up", what, c->why[0] ? " (verdict: " : "", c->why,
	        c->why[0] ? ")" : "",
	        scope == TEM_UNDO_FILES ? "fd table" : scope == TEM_UNDO_VM ? "address space" : "fd table and address space",
	        list[0] ? ": " : "", list);
	return TEM_R_NONE;
}

/* 1 if erim-tem's filter is the only one its tracees carry: erim-tem
 * itself runs without a seccomp filter (filters are inherited, and the
 * program cannot add one: seccomp and PR_SET_SECCOMP are refused for every
 * caller).  Decided once, before the program starts. */
static int lone_filter;

static int no_own_filter(void)
{
	FILE *f = tem_proc_fopen("/proc/self/status");
	char line[128];
	int mode = -1;

	if (!f)
		return 0;
	while (erim_proc_line(line, sizeof line, f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode == 0;
}

/* Inject NR(ARGS) into T, stopped at a syscall-exit stop with registers CUR
 * (what the interrupted call returns with, restored when the injection is
 * over), at AT if not 0, else back on the interrupted `syscall`.  0, or -1
 * when T's registers cannot be set (the call will not run). */
static int inject(struct tem_thread *t, long nr, const uint64_t args[6], const struct user_regs_struct *cur,
                   uint64_t at)
{
	struct user_regs_struct r;
	int i;

	t->saved = *cur;
	r = t->saved;
	r.rip = at ? at : r.rip - 2;   /* back onto the 2-byte `syscall` instruction */
	if (at)
		r.eflags &= ~(uint64_t)0x100;   /* flags a frame restored: no single-step trap (TF) in TEM's call */
	r.rax = (uint64_t)nr;
	r.orig_rax = (uint64_t)-1;  /* no restart logic for the finished call */
	for (i = 0; i < 6; i++)
		tem_set_arg(&r, i, args[i]);
	if (tem_setregs(t->tid, &r) != 0)
		return -1;
	t->inj_nr = nr;
	t->inj_ip = r.rip + 2;
	for (i = 0; i < 6; i++)
		t->inj_args[i] = args[i];
	t->inj_seen = 0;
	/* Where the filter traps NR, the injected call is certain to stop at
	 * its seccomp stop (no other filter can answer it first: lone_filter;
	 * every signal is blocked below, and a stop on the way -- SIGSTOP, an
	 * interrupt -- resumes the same way), so it runs there under
	 * PTRACE_CONT instead of stopping at its syscall-entry stop too; from
	 * the seccomp stop PTRACE_SYSCALL leads to its exit stop as before.
	 * One stop fewer per injected call. */
	t->inject_cont = lone_filter && tem_filter_traps(nr);
	/* No signal is taken while TEM's own call runs: its frame would hold
	 * the injection's registers.  They stay queued in the kernel, siginfo
	 * and all, until the mask is restored when the injection is over. */
	if (t->state != TEM_T_INJECT && !t->mask_saved) {
		uint64_t all = ~(uint64_t)0;

		if (ptrace(PTRACE_GETSIGMASK, t->tid, (void *)sizeof t->saved_mask, &t->saved_mask) == 0 &&
		    ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof all, &all) == 0)
			t->mask_saved = 1;
	}
	t->state = TEM_T_INJECT;
	return 0;
}

static void unblock(struct tem_thread *t)
{
	if (t->mask_saved &&
	    ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof t->saved_mask, &t->saved_mask) != 0 && errno != ESRCH)
		tem_log(1, "pid %d: cannot restore the signal mask after an injected call: %s", (int)t->tid, strerror(errno));
	t->mask_saved = 0;
}

/* An injected call must run: the kernel can skip or divert one before
 * ptrace or seccomp sees it (Syscall User Dispatch -- refused, but not
 * taken for granted -- turns it into a SIGSYS; a page unmapped under the
 * `syscall` instruction into a SIGSEGV), and then the thread runs on with
 * TEM's registers and the next trapped call would be taken for TEM's own.
 * So the injected call counts only if its own entry or seccomp stop shows
 * the number, the arguments and the instruction TEM set, and its exit
 * only after that; any other stop (another call, a signal, a fork event)
 * stops the process: fail closed. */
static int inject_matches(const struct tem_thread *t, long nr, uint64_t ip, const uint64_t args[6])
{
	int i;

	if (nr != t->inj_nr || ip != t->inj_ip)
		return 0;
	for (i = 0; i < 6; i++)
		if (args[i] != t->inj_args[i])
			return 0;
	return 1;
}

static enum tem_restart inject_failed(struct tem_thread *t, const char *what)
{
	const struct tem_sysrow *row = tem_sysrow_for(t->inj_nr);

	char list[256];

	tem_log(1, "pid %d: the %s erim-tem injected did not run (%s came instead: the kernel skipped or "
	        "diverted it); process stopped", (int)t->tid, row ? row->name : "system call", what);
	/* the call may have been the correction of a refusal (a close, a
	 * munmap) or a step of a grant: everyone sharing what it was for */
	tem_kill_sharers(t, TEM_UNDO_VM | tem_call_undo_scope(&t->call), list, sizeof list);
	return TEM_R_NONE;
}

static void restart(struct tem_thread *t, int sig)
{
	long req;

	tem_maps_forget();   /* a tracee runs: maps read so far are stale (tem_maps.c) */
	req = t->state == TEM_T_INJECT && t->inject_cont ? PTRACE_CONT   /* to its seccomp stop (inject) */
	    : t->state != TEM_T_RUNNING ? PTRACE_SYSCALL : t->sig_stepping ? PTRACE_SINGLEBLOCK : PTRACE_CONT;

	if (req == PTRACE_SINGLEBLOCK && ptrace(req, t->tid, 0, (void *)(long)sig) == 0)
		return;   /* a held signal: to the next taken branch (tem_signal.c) */
	if (req == PTRACE_SINGLEBLOCK)
		req = PTRACE_SINGLESTEP;   /* no branch stepping here: every instruction */
	if (ptrace(req, t->tid, 0, (void *)(long)sig) != 0 && errno != ESRCH)
		tem_log(1, "pid %d: cannot restart: %s", (int)t->tid, strerror(errno));
}

static void finish_call(struct tem_thread *t, struct user_regs_struct *r)
{
	struct tem_call *c = &t->call;

	if (c->kill) {
		kill_process(c);
		return;
	}
	if (c->set_ret) {
		r->rax = (uint64_t)c->final_ret;
		tem_setregs(t->tid, r);
	}
	log_decision(c);
}

/* ---- holding the other tasks ---------------------------------------------------
 * A call whose check could be raced by another task (an fd that exists
 * before its exit check, a struct read from memory, a range on its way to
 * becoming executable) is judged with every other task of the caller's
 * group held stopped: every task sharing its address space, its fd table
 * or its signal handlers (struct tem_group, tem_clone.c), whatever made it
 * (thread, CLONE_VM clone, vfork child or parent, CLONE_FILES child).  They
 * are interrupted (PTRACE_INTERRUPT), each stop they report meanwhile is
 * kept (held_status) instead of handled, and the owner's call is judged
 * once all are stopped and finished before they are replayed through
 * dispatch() in thaw().  A thread blocked in vfork is not waited for: it
 * runs no user code until its child execs or exits, and then it stops at
 * PTRACE_EVENT_VFORK_DONE first, a stop that is held like any other. */

static enum tem_restart dispatch(struct tem_thread *t, int st, int *sig);
static void after_dispatch(struct tem_thread *t, enum tem_restart rs, int sig);

/* Start holding G's other tasks for OWNER.  1 if all are already held. */
static int freeze_begin(struct tem_group *g, struct tem_thread *owner)
{
	size_t i;

	size_t nthreads;
	struct tem_thread *const *threads = tem_all_threads(&nthreads);

	g->freeze_owner = owner->tid;
	g->freeze_pending = 0;
	for (i = 0; i < nthreads; i++) {
		struct tem_thread *o = threads[i];

		/* (a task erim-tem SIGKILLed is held like any other until it
		 * is seen stopped or dead: the signal is not taken at once) */
		if (o == owner || o->grp != g || o->held || o->freeze_wait)
			continue;
		/* a vfork parent sleeps (killable only) until its child execs
		 * or exits, and then stops at PTRACE_EVENT_VFORK_DONE before
		 * any instruction of its own: that stop is held like any
		 * other.  Set at its PTRACE_EVENT_VFORK stop, cleared at that
		 * one (or at exec), so the flag cannot outlive the wait. */
		if (o->in_vfork)
			continue;
		/* a leader that exited while other threads run stays a zombie
		 * (reported only when the group ends) and never stops: waiting
		 * for it would hold the group forever.  Only a leader lingers
		 * so; other threads are reported and dropped when they exit.
		 * Asked of the kernel at every hold, never remembered: the TID
		 * of a zombie leader is the exec'ing thread's after de_thread
		 * (red team 17, rt_leader_exec). */
		if (o->proc && o->tid == (o->tgid ? o->tgid : o->proc->tgid) && tem_thread_live(o->tid, o->tid) == 0) {
			tem_log(2, "pid %d: thread-group leader has exited; not held", (int)o->tid);
			continue;
		}
		if (ptrace(PTRACE_INTERRUPT, o->tid, 0, 0) == 0) {
			o->freeze_wait = 1;
			g->freeze_pending++;
		} else if (errno != ESRCH) {
			/* a task of ours that cannot be interrupted cannot be
			 * held: stop it, and wait for its death like a stop */
			tem_log(1, "pid %d: task %d cannot be held (%s): stopped", (int)owner->tid, (int)o->tid,
			        strerror(errno));
			tem_task_signal(o, SIGKILL);
			o->doomed = 1;
			o->freeze_wait = 1;
			g->freeze_pending++;
		}
	}
	if (g->freeze_pending)
		tem_log(2, "pid %d: holding %d other task(s) while its call is judged",
		        (int)owner->tid, g->freeze_pending);
	return g->freeze_pending == 0;
}

static struct tem_thread *held_thread(const struct tem_group *g)
{
	size_t i, nthreads;
	struct tem_thread *const *threads = tem_all_threads(&nthreads);

	for (i = 0; i < nthreads; i++)
		if (threads[i]->grp == g && threads[i]->held)
			return threads[i];
	return NULL;
}

/* The owner's call is done: let everyone else go on, in order. */
static void thaw(struct tem_group *g)
{
	struct tem_thread *o;

	g->freeze_owner = 0;
	g->refs++;   /* replays may drop tasks: keep G alive meanwhile */
	while (!g->freeze_owner && (o = held_thread(g)) != NULL) {
		int sig;
		enum tem_restart rs;

		o->held = 0;
		if (o->doomed)
			continue;   /* SIGKILLed while held: never released */
		rs = dispatch(o, o->held_status, &sig);
		after_dispatch(o, rs, sig);
	}
	tem_group_put(g);
}

/* A stop of a task of G while G's tasks are held. */
static void hold_stop(struct tem_thread *t, int st)
{
	struct tem_group *p = t->grp;
	struct tem_thread *owner;

	t->held = 1;
	t->held_status = st;
	if (!t->freeze_wait)
		return;
	t->freeze_wait = 0;
	if (--p->freeze_pending == 0 && (owner = tem_thread_find(p->freeze_owner)) != NULL && owner->held &&
	    !owner->doomed) {
		int sig;
		enum tem_restart rs;

		owner->held = 0;   /* everyone is stopped: judge the owner's call now */
		rs = dispatch(owner, owner->held_status, &sig);
		after_dispatch(owner, rs, sig);
	}
}

/* The filter's trap for a call through a foreign ABI (tem_filter.c): the
 * policy table is x86-64's, so the process is stopped (SIGKILL, no dump). */
static int foreign_abi(struct tem_thread *t, const struct user_regs_struct *r)
{
	unsigned long data = 0;
	char list[256];

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &data) != 0 || data != TEM_TRAP_FOREIGN_ABI)
		return 0;
	tem_kill_sharers(t, TEM_UNDO_VM, list, sizeof list);
	tem_log(1, "pid %d: system call %llu through a foreign ABI (int $0x80 or x32) at 0x%llx: the policy is for "
	        "x86-64 numbers; every task of the address space stopped (SIGKILL)%s%s", (int)t->tid,
	        (unsigned long long)r->orig_rax, (unsigned long long)r->rip, list[0] ? ": " : "", list);
	return 1;
}

/* A seccomp stop: a trapped call is about to run. */
static enum tem_restart on_seccomp(struct tem_thread *t)
{
	struct tem_call *c = &t->call;
	struct user_regs_struct r;
	int i;

	if (tem_getregs(t->tid, &r) != 0)
		return TEM_R_NONE;
	if (foreign_abi(t, &r))
		return TEM_R_NONE;
	if (t->state == TEM_T_INJECT) {
		uint64_t args[6];

		for (i = 0; i < 6; i++)
			args[i] = tem_arg(&r, i);
		if (!inject_matches(t, (long)r.orig_rax, r.rip, args)) {
			char what[96];

			snprintf(what, sizeof what, "a seccomp stop of system call %ld at 0x%" PRIx64, (long)r.orig_rax,
			         (uint64_t)r.rip);
			return inject_failed(t, what);
		}
		t->inj_seen = 1;
		t->inject_cont = 0;   /* on to its exit stop (PTRACE_SYSCALL) */
		return TEM_R_RESUME;  /* our own injected call */
	}
	memset(c, 0, sizeof *c);
	c->t = t;
	c->regs = r;
	c->nr = (long)r.orig_rax;   /* rax holds -ENOSYS at a syscall stop */
	for (i = 0; i < 6; i++)
		c->a[i] = tem_arg(&r, i);
	if (c->nr == TEM_NR_REGISTER) {
		c->domain = t->proc->registered ? "post-registration" : "start-up";
		tem_register(c);
		if (c->on_exit) {   /* more work at its exit (rseq unregistration) */
			t->state = TEM_T_AWAIT_EXIT;
			return TEM_R_RESUME;
		}
		r.orig_rax = (uint64_t)-1;
		r.rax = (uint64_t)c->final_ret;
		tem_setregs(t->tid, &r);
		log_decision(c);
		return TEM_R_RESUME;
	}
	if (!(c->rule = tem_rule_for(c->nr))) {
		/* the filter sends only numbers with rows here; anything else
		 * is refused as the filter refuses numbers without a row */
		r.orig_rax = (uint64_t)-1;
		r.rax = (uint64_t)-ENOSYS;
		tem_setregs(t->tid, &r);
		tem_log(1, "pid %d: system call %ld has no row in the policy: refused (ENOSYS)", (int)t->tid, c->nr);
		return TEM_R_RESUME;
	}
	tem_judge(c);
	if (c->needs_freeze && !c->kill && !c->refuse_errno && t->grp->freeze_owner != t->tid &&
	    !freeze_begin(t->grp, t)) {
		t->held = 1;          /* judged again once the others are stopped */
		t->held_status = t->cur_status;
		return TEM_R_HOLD;
	}
	if (c->kill) {
		kill_process(c);
		return TEM_R_NONE;
	}
	if (c->refuse_errno) {
		r.orig_rax = (uint64_t)-1;
		r.rax = (uint64_t)-(long)c->refuse_errno;
		tem_setregs(t->tid, &r);
		log_decision(c);
		return TEM_R_RESUME;
	}
	if (memcmp(&r, &c->regs, sizeof r) != 0)
		tem_setregs(t->tid, &c->regs);   /* a check rewrote an argument */
	if (c->on_exit)
		t->state = TEM_T_AWAIT_EXIT;
	else
		log_decision(c);
	return TEM_R_RESUME;
}

/* A syscall-entry or -exit stop (only while TEM waits for one). */
static enum tem_restart on_syscall_stop(struct tem_thread *t)
{
	struct __ptrace_syscall_info info;
	struct tem_call *c = &t->call;
	struct user_regs_struct r;
	tem_exit_fn fn;
	long ret;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof info, &info) <= 0) {
		if (t->state != TEM_T_RUNNING)   /* the exit check cannot run */
			return lost_correction(t, "could not be read at its stop");
		return TEM_R_RESUME;
	}
	if (t->state == TEM_T_INJECT && info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		uint64_t args[6];

		for (int i = 0; i < 6; i++)
			args[i] = info.entry.args[i];
		if (!inject_matches(t, (long)info.entry.nr, info.instruction_pointer, args)) {
			char what[96];

			snprintf(what, sizeof what, "the entry of system call %ld at 0x%" PRIx64, (long)info.entry.nr,
			         (uint64_t)info.instruction_pointer);
			return inject_failed(t, what);
		}
		t->inj_seen = 1;
		return TEM_R_RESUME;
	}
	if (info.op != PTRACE_SYSCALL_INFO_EXIT || t->state == TEM_T_RUNNING)
		return TEM_R_RESUME;   /* the entry of an injected call */
	if (t->state == TEM_T_INJECT && (!t->inj_seen || info.instruction_pointer != t->inj_ip)) {
		char what[96];

		snprintf(what, sizeof what, "the exit of a call at 0x%" PRIx64 " not seen entering",
		         (uint64_t)info.instruction_pointer);
		return inject_failed(t, what);
	}
	if (t->state == TEM_T_INJECT) {
		ret = (long)info.exit.rval;   /* the injected call's result (its rax) */
		r = t->saved;     /* the registers the interrupted call returned with */
		tem_setregs(t->tid, &r);
	} else {
		if (tem_getregs(t->tid, &r) != 0)
			return TEM_R_NONE;
		ret = (long)r.rax;
	}
	t->state = TEM_T_RUNNING;
	fn = c->on_exit;
	c->on_exit = NULL;
	c->set_ret = 0;
	c->inject = 0;
	if (fn)
		fn(c, ret);
	if (c->inject &&  /* the exit check's verdict: run one more call first
	                   * (the checks change no general register: R is current) */
	    inject(t, c->inject_nr, c->inject_args, &r, c->inject_at) != 0) {
		const struct tem_sysrow *row = tem_sysrow_for(c->inject_nr);
		char what[96];

		t->state = TEM_T_INJECT;   /* pending: the group stays held until T's end is seen */
		snprintf(what, sizeof what, "could not be made to run the %s its exit check injects",
		         row ? row->name : "system call");
		return lost_correction(t, what);
	}
	if (t->state == TEM_T_INJECT)
		return TEM_R_RESUME;   /* fn injected a call: its exit comes next */
	unblock(t);
	finish_call(t, &r);
	return c->kill ? TEM_R_NONE : TEM_R_RESUME;
}

/* A new tracee appeared through fork/vfork/clone of PARENT (stopped at
 * the event, so its registers hold the call's flags).  What the child
 * shares decides everything: the same address space means the same
 * registration (a thread, a CLONE_VM clone, a vfork child); sharing the
 * address space, the fd table or the signal handlers means the same group,
 * held together while any of them has a call judged.  A fork child gets a
 * copy of the registration and a group of its own. */
static void task_gone(struct tem_thread *t, const char *what);

/* T's TID no longer names T's task: the kernel freed it without a report
 * to erim-tem -- de_thread frees the TID of a thread other than the leader
 * that execs, and an exec that fails past its point of no return reports
 * no exec event, only the death of the leader's TID it had taken (red team
 * 37a) -- and may have given it to a task of another thread group.  The
 * entry goes as a task that is gone (its pending correction, if any,
 * carried out: task_gone); the TID's next entry is made anew. */
static void stale_entry(struct tem_thread *t)
{
	tem_log(2, "pid %d: no longer a thread of %d: a task gone without a report (a failed exec?); its entry "
	        "is dropped", (int)t->tid, (int)t->tgid);
	task_gone(t, "was gone without a report");
}

/* The leader of thread group TGID died: the kernel reports that only after
 * every other thread of the group was reaped, so an entry of the group
 * still here is stale -- unless tgkill still finds it (then it is kept). */
static void sweep_group(pid_t tgid)
{
	size_t i, n;
	struct tem_thread *const *all;

again:
	all = tem_all_threads(&n);
	for (i = 0; i < n; i++)
		if (all[i]->tgid == tgid && !all[i]->reaped && !tem_task_same(all[i])) {
			stale_entry(all[i]);
			goto again;   /* the table changed */
		}
}

/* A child died and was reaped before its creator's fork/clone event was
 * seen: it was never adopted, and its TID may be taken again -- by a task
 * of another process, or erim-tem's next tracee -- before that event comes
 * (red team 38: a thread killed the child it had just cloned; the event
 * then made an entry for a dead TID, which outlived it and lent its
 * process's rules to the next task at that pid).  Its creator stops at
 * its event right after the clone: when it is already stopped there (a
 * traced task in a fork, vfork or clone event stop whose message is X),
 * its event is marked as naming a dead child.  Otherwise (the creator is
 * still on its way, starved of CPU) X is remembered as dead and
 * unattributed: the next event naming X adopts no one, and if X is a new
 * tracee by then, which event names it cannot be told: it is SIGKILLed
 * (fail closed; only a child killed before its creator's event and a pid
 * reused at once get there). */
#define TEM_DEAD_MAX 256
static pid_t dead_unattributed[TEM_DEAD_MAX];
static unsigned ndead;

/* 1 if O is stopped at a fork, vfork or clone event whose child is X.  The
 * stop's status says so, never its siginfo: a thread can queue itself a
 * SIGTRAP whose si_code looks like a clone event (rt_tgsigqueueinfo to
 * itself may set any si_code), while GETEVENTMSG still gives its last real
 * child (red team 39's lead).  The status is the held stop's, or the one
 * read in this round and not yet handled, or the kernel's report not yet
 * read (waitid with WNOWAIT: si_status is the whole stop code, the event
 * included). */
static int event_names(const struct tem_thread *o, pid_t x)
{
	siginfo_t si;
	unsigned long msg = 0;
	int st, ev;

	if (o->reaped || o->doomed)
		return 0;
	if (o->held) {
		st = o->held_status;
	} else if (!tem_round_queued(o->tid, &st)) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)o->tid, &si, WSTOPPED | WNOHANG | WNOWAIT | __WALL) != 0 || si.si_pid != o->tid ||
		    si.si_code != CLD_TRAPPED)
			return 0;
		st = (si.si_status & 0xffff) << 8 | 0x7f;   /* waitpid's form */
	}
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP)
		return 0;
	ev = (unsigned)st >> 16;
	return (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE) &&
	       ptrace(PTRACE_GETEVENTMSG, o->tid, 0, &msg) == 0 && (pid_t)msg == x;
}

static void dead_before_adopted(pid_t x)
{
	size_t i, n;
	struct tem_thread *const *all = tem_all_threads(&n);

	for (i = 0; i < n; i++)
		if (event_names(all[i], x)) {
			all[i]->dead_child = x;
			tem_log(2, "pid %d: its new task %d died before erim-tem saw the clone: its event adopts no one",
			        (int)all[i]->tid, (int)x);
			return;
		}
	if (ndead == TEM_DEAD_MAX) {   /* the oldest goes: its event came long ago, or never will */
		memmove(dead_unattributed, dead_unattributed + 1, sizeof dead_unattributed - sizeof *dead_unattributed);
		ndead--;
	}
	dead_unattributed[ndead++] = x;
	tem_log(2, "task %d died before any task's clone event named it: the next event naming it adopts no one", (int)x);
}

/* 1 if X was remembered by dead_before_adopted (and is forgotten now). */
static int dead_taken(pid_t x)
{
	for (unsigned i = 0; i < ndead; i++)
		if (dead_unattributed[i] == x) {
			memmove(dead_unattributed + i, dead_unattributed + i + 1, (ndead - i - 1) * sizeof *dead_unattributed);
			ndead--;
			return 1;
		}
	return 0;
}

static void adopt(struct tem_thread *parent, pid_t child_tid)
{
	struct tem_thread *ch;
	struct user_regs_struct r;
	int shares;

	if (parent->dead_child == child_tid) {
		parent->dead_child = 0;
		return;   /* its child is gone; the TID may be someone else's now */
	}
	if ((ch = tem_thread_find(child_tid)) != NULL && ch->doomed)
		return;   /* killed below for an earlier event naming its TID */
	if (dead_taken(child_tid)) {
		if (!tem_task_ours(child_tid))
			return;   /* the event of the dead child: no one to adopt */
		ch = tem_thread_get(child_tid);
		ch->tgid = tem_proc_tgid(child_tid);
		if (ch->tgid < 0)
			ch->tgid = child_tid;
		tem_log(1, "pid %d: new task %d: a task of that TID died before its creator's event, which may be "
		        "this one: SIGKILLed (fail closed)", (int)parent->tid, (int)child_tid);
		if (tem_task_signal(ch, SIGKILL) == 0)
			ch->doomed = 1;
		else
			tem_thread_drop(ch);
		return;
	}
	if (!tem_task_ours(child_tid)) {
		/* gone and reaped already (its death was seen first): an entry
		 * now would outlive it and be the next task's at that pid */
		if ((ch = tem_thread_find(child_tid)) != NULL)
			stale_entry(ch);
		tem_log(2, "pid %d: new task %d is gone already: not adopted", (int)parent->tid, (int)child_tid);
		return;
	}
	ch = tem_thread_get(child_tid);
	if (ch->proc) {
		/* the kernel says CHILD_TID is a new task: an entry that is
		 * already some process's is a task gone without a report
		 * (stale_entry) and must not lend it that process's rules */
		stale_entry(ch);
		ch = tem_thread_get(child_tid);
	}
	ch->tgid = tem_proc_tgid(child_tid);
	if (ch->tgid < 0)
		ch->tgid = child_tid;
	if (tem_getregs(parent->tid, &r) != 0) {
		memset(&r, 0, sizeof r);
		r.orig_rax = (uint64_t)-1;   /* unknown call: kcmp decides, or everything is shared */
	}
	shares = tem_clone_shares(parent->tid, child_tid, &r);
	if (parent->proc && (shares & TEM_SHARE_VM)) {
		ch->proc = parent->proc;
		ch->proc->refs++;
	} else {
		ch->proc = tem_proc_new(ch->tgid, parent->proc);
		ch->rseq_registered = parent->rseq_registered;   /* the kernel copies it without CLONE_VM */
		ch->rseq = parent->rseq;
	}
	ch->files = (shares & TEM_SHARE_FILES) && parent->files ? parent->files : tem_files_new();
	if (parent->grp && shares) {
		ch->grp = parent->grp;
		ch->grp->refs++;
	} else {
		ch->grp = tem_group_new();
	}
	tem_log(2, "pid %d: new task %d shares%s%s%s%s with it", (int)parent->tid, (int)child_tid,
	        shares & TEM_SHARE_VM ? " memory" : "", shares & TEM_SHARE_FILES ? " fds" : "",
	        shares & TEM_SHARE_SIGHAND ? " handlers" : "", shares ? "" : " nothing");
	if (ch->attached == 2) {   /* its first stop came first and is held */
		ch->attached = 1;
		if (ch->grp->freeze_owner) {
			ch->held = 1;      /* born into a hold: wait with the others */
			ch->held_status = ch->cur_status;
		} else {
			restart(ch, 0);
		}
	}
}

static enum tem_restart dispatch(struct tem_thread *t, int st, int *sig)
{
	int s = WSTOPSIG(st), ev = (unsigned)st >> 16;
	unsigned long msg = 0;
	siginfo_t si;

	*sig = 0;
	tem_maps_forget();    /* a new stop: read the maps anew (tem_maps.c) */
	t->freeze_wait = 0;   /* any stop satisfies a pending interrupt */
	if (!t->attached) {
		/* An auto-attached thread/child: its first stop (PTRACE_EVENT_STOP
		 * under PTRACE_SEIZE) may come before the parent's clone event
		 * says which address space it is in; then it is held until then. */
		if (!t->proc) {
			t->attached = 2;
			return TEM_R_HOLD;
		}
		t->attached = 1;
		if (ev == PTRACE_EVENT_STOP || s == SIGSTOP)
			return TEM_R_RESUME;
	}
	if (s == (SIGTRAP | 0x80))
		return on_syscall_stop(t);
	if (s == SIGTRAP && ev && t->state == TEM_T_INJECT && ev != PTRACE_EVENT_SECCOMP && ev != PTRACE_EVENT_STOP) {
		char what[64];

		snprintf(what, sizeof what, "ptrace event %d", ev);
		return inject_failed(t, what);
	}
	if (s == SIGTRAP && ev) {
		switch (ev) {
		case PTRACE_EVENT_SECCOMP:
			return on_seccomp(t);
		case PTRACE_EVENT_CLONE:
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
			if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) == 0)
				adopt(t, (pid_t)msg);
			/* a vfork parent now sleeps until the child execs or
			 * exits, then reports VFORK_DONE: never waited for */
			if (ev == PTRACE_EVENT_VFORK)
				t->in_vfork = 1;
			return TEM_R_RESUME;
		case PTRACE_EVENT_VFORK_DONE:
			t->in_vfork = 0;
			return TEM_R_RESUME;
		case PTRACE_EVENT_STOP:
			return TEM_R_RESUME;   /* an interrupt whose hold is over, or a group-stop */
		case PTRACE_EVENT_EXEC:
			return TEM_R_RESUME;   /* the entry was made anew when the stop was seen (exec_takeover) */
		default:
			return TEM_R_RESUME;
		}
	}
	if (ev == PTRACE_EVENT_STOP || ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0)
		return TEM_R_RESUME;   /* group-stop: resume without a signal */
	if (t->state == TEM_T_INJECT && !t->inj_seen && s != SIGSTOP) {
		char what[64];

		snprintf(what, sizeof what, "signal %d (si_code %d)", s, si.si_code);
		return inject_failed(t, what);
	}
	if (t->state != TEM_T_RUNNING) {
		if (!tem_signal_hold(t, s, &si))
			tem_sigdefer_keep(t, &si);   /* raised again once TEM's own work is done */
		return TEM_R_RESUME;
	}
	tem_sigdefer_match(t, s, &si);   /* a kept one raised again: its own siginfo */
	if (tem_signal_stop(t, s, &si, sig))
		return TEM_R_RESUME;   /* held during trusted code, or a held one now */
	*sig = s;
	return TEM_R_RESUME;
}

/* Restart T as dispatch decided; if T's call held the others and is now
 * finished, let them go. */
static void after_dispatch(struct tem_thread *t, enum tem_restart rs, int sig)
{
	struct tem_group *g = t->grp;

	if (rs == TEM_R_RESUME) {
		if (t->ndefer && t->state == TEM_T_RUNNING)
			tem_sigdefer_raise(t);
		if (sig && (tem_sigframe_refused(t, sig) || tem_crash_signal(t, sig)))
			sig = 0;   /* killed: no frame written, no core dumped */
		restart(t, sig);
	}
	if (g && g->freeze_owner == t->tid && !t->held && t->state == TEM_T_RUNNING && rs != TEM_R_HOLD)
		thaw(g);
}

/* Task T no longer exists under its TID: it died (its exit was reported),
 * or de_thread released it (a leader whose TID an exec'ing thread took) or
 * gave it another TID (the exec'ing thread).  A correction its exit check
 * still had to make is lost: fail closed (lost_correction).  Its group stops
 * waiting for it; if it was the task whose call held the group, the others
 * are released. */
static void task_gone(struct tem_thread *t, const char *what)
{
	struct tem_group *p = t->grp;
	struct tem_thread *owner;
	pid_t pid = t->tid;
	int sig;
	enum tem_restart rs;

	if (t->state != TEM_T_RUNNING)
		lost_correction(t, what);
	t->held = 0;
	if (p && p->freeze_owner && t->freeze_wait) {
		t->freeze_wait = 0;   /* it will never stop now */
		p->freeze_pending--;
	}
	if (p)
		p->refs++;            /* its group outlives T for the checks below */
	tem_thread_drop(t);
	if (p && p->freeze_owner == pid) {
		thaw(p);              /* the owner is gone: release the others (the doomed stay) */
	} else if (p && p->freeze_owner && p->freeze_pending == 0 &&
	           (owner = tem_thread_find(p->freeze_owner)) != NULL && owner->held && !owner->doomed) {
		owner->held = 0;      /* the last one it waited for is gone */
		rs = dispatch(owner, owner->held_status, &sig);
		after_dispatch(owner, rs, sig);
	}
	tem_group_put(p);
}

/* PTRACE_EVENT_EXEC of TID, seen now (T: the entry of that TID).  A new
 * image: nothing registered, nothing trusted yet; exec unshared the fd
 * table and the handlers and replaced the mm, so the task shares nothing
 * with its former group and is not held with it.  When a thread other
 * than the leader exec'd, de_thread gave it the leader's TID and released
 * the leader without an exit report: T is then the entry of a task that
 * no longer exists, and the exec'ing task's own entry is under its former
 * TID (the event message).  Either way no field of an old entry may carry
 * over by accident (red team 17: a "leader has exited, do not hold it"
 * flag did, and the new image's main thread was never held again): both
 * old entries go as tasks that are gone, and the TID gets a new entry,
 * with an explicit carry-over of what belongs to the exec'ing task and
 * survives exec: whether its line of processes had registered (one trusted
 * start-up per line: tem_register) and the signals erim-tem re-raised for
 * it that are still pending in the kernel (tem_sigdefer.c). */
static struct tem_thread *exec_takeover(struct tem_thread *t)
{
	pid_t tid = t->tid, after;
	int st = t->cur_status;
	unsigned long msg = 0;
	struct tem_thread *from = t, *former, *nt;
	const struct tem_proc *fp;
	size_t ndefer;
	struct tem_defer defer[TEM_SIGHOLD_MAX];

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid &&
	    (former = tem_thread_find((pid_t)msg)) != NULL)
		from = former;
	fp = from->proc ? from->proc : t->proc;
	after = fp ? (fp->registered ? fp->tgid : fp->exec_after_reg) : 0;
	ndefer = from->ndefer;
	memcpy(defer, from->defer, sizeof defer);
	if (from != t)
		task_gone(t, "was released by de_thread (another thread exec'd)");
	task_gone(from, "exec'd");
	nt = tem_thread_get(tid);   /* new: both old entries are dropped */
	nt->proc = tem_proc_new(tid, NULL);
	nt->proc->exec_after_reg = after;
	nt->grp = tem_group_new();
	nt->files = tem_files_new();
	nt->tgid = tid;
	nt->attached = 1;
	nt->cur_status = st;
	nt->ndefer = ndefer;
	memcpy(nt->defer, defer, sizeof defer);
	if (after)
		tem_log(2, "pid %d: new image exec'd after process %d registered: it may run, "
		        "but it will not be allowed to register", (int)tid, (int)after);
	return nt;
}

/* A death report: the entry goes, and with it what waited for the task. */
static void on_death(pid_t pid, int st)
{
	struct tem_thread *t = tem_thread_get(pid);
	pid_t tgid = t->tgid;

	if (pid == main_pid)
		main_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	t->reaped = 1;
	if (!t->proc)
		dead_before_adopted(pid);   /* before task_gone: T may hold the creator's hold */
	tem_crash_died(t, st);
	task_gone(t, "died");
	if (tgid == pid)
		sweep_group(tgid);
}

static void on_stop(pid_t pid, int st)
{
	struct tem_thread *t = tem_thread_get(pid);
	enum tem_restart rs;
	int sig;

	tem_maps_forget();
	/* A new task's first stop (PTRACE_EVENT_STOP) under a TID whose
	 * entry is another group's: that entry is stale. */
	if (st >> 16 == PTRACE_EVENT_STOP && t->attached == 1 && !tem_task_same(t)) {
		stale_entry(t);
		t = tem_thread_get(pid);
	}
	t->cur_status = st;
	if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
		t = exec_takeover(t);   /* the task behind the TID changed: a new entry */
	if (t->doomed) {
		/* SIGKILLed by erim-tem: never resumed, it dies where it
		 * stopped; the stop still counts for a hold waiting for it */
		if (t->grp && t->grp->freeze_owner && t->grp->freeze_owner != pid) {
			hold_stop(t, st);
		} else {
			t->held = 1;
			t->held_status = st;
		}
		return;
	}
	if (t->grp && t->grp->freeze_owner && t->grp->freeze_owner != pid) {
		hold_stop(t, st);
		return;
	}
	rs = dispatch(t, st, &sig);
	after_dispatch(t, rs, sig);
}

static int trace(void)
{
	struct tem_report r;
	int got;

	while ((got = tem_round_read(on_death)) == 0)
		while (tem_round_next(&r))
			on_stop(r.pid, r.st);
	if (got == -2)
		die("waitpid");
	return main_status < 0 ? 125 : main_status;
}

/* ---- start-up ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f, "usage: erim-tem [--log | --quiet] [--policy[=man]] [--] PROGRAM [ARGS...]\n"
	           "Run PROGRAM under the erim TEM supervisor (trusted-only execute memory).\n"
	           "  --log           print every decision on trapped system calls\n"
	           "  --quiet         print nothing, not even refusals\n"
	           "  --policy        print the policy table (every system call) and exit\n"
	           "  --policy=man    the same as man-page table rows (doc/erim-tem.1)\n"
	           "  --test-unlist=NR  treat system call NR as having no row (tests)\n");
}

static void print_policy(int roff)
{
	tem_policy_print(stdout, roff);
	if (!roff)
		printf("byte check: %s\n", tem_inspect_impl());
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "policy", optional_argument, NULL, 'p' },
		{ "test-unlist", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct sock_fprog *prog;
	int o, go[2];
	char err[160];

	if (tem_table_check(err, sizeof err) != 0) {
		errno = 0;
		die("inconsistent policy table: %s", err);
	}
	while ((o = getopt_long(argc, argv, "+lqhV", opts, NULL)) != -1) {
		switch (o) {
		case 'l': tem_log_level = getenv("ERIM_TEM_DEBUG") ? 3 : 2; break;
		case 'q': tem_log_level = 0; break;
		case 'p':
			if (optarg && strcmp(optarg, "man") != 0) {
				usage(stderr);
				return 125;
			}
			print_policy(optarg != NULL);
			return 0;
		case 'U': tem_test_unlisted = strtol(optarg, NULL, 0); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("erim-tem %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 125;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 125;
	}
	tem_detach();        /* from here on the supervisor: no ancestor of the caller's line */
	tem_procfs_init();   /* before the program exists: nothing it mounts can reach it */
	{
		/* an fd the program would inherit from whoever started
		 * erim-tem that acts beside the policy (an io_uring, a
		 * userfaultfd, a perf event, BPF, fanotify): a fork child of
		 * start-up would keep it past the registration (red team 40) */
		char what[96];
		long fdno;
		int r = tem_dangerous_in_table(getpid(), &fdno, what, sizeof what);

		errno = 0;
		if (r < 0)
			die("cannot read its own fds: one the program would inherit may act on its memory");
		if (r > 0)
			die("fd %ld %s, inherited from whoever started erim-tem: it acts on memory or registers beside "
			    "the policy, in the program's hands; close it first", fdno, what);
	}
	lone_filter = no_own_filter();
	tem_log(2, "injected calls %s", lone_filter ? "run to their seccomp stop"
	                                           : "stop at syscall entry (erim-tem runs under a seccomp filter of its own)");
	tem_log(2, "procfs: %s", tem_procfs_how());
	if (!(prog = tem_filter_build())) {
		errno = 0;
		die("out of memory");
	}
	if (pipe(go) != 0)
		die("pipe");
	main_pid = fork();
	if (main_pid < 0)
		die("fork");
	if (main_pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)   /* wait until the tracer has seized us */
			_exit(125);
		close(go[0]);
		/* READ_IMPLIES_EXEC survives exec: never hand it to the program */
		{
			int per = personality(0xffffffff);

			if (per != -1 && (per & READ_IMPLIES_EXEC) && personality((unsigned long)per & ~(unsigned long)READ_IMPLIES_EXEC) == -1)
				child_die("clearing READ_IMPLIES_EXEC", NULL);
		}
		/* no Syscall User Dispatch inherited into the program: it
		 * would skip calls before seccomp sees them (prctl refuses
		 * turning it on; EINVAL: a kernel without it) */
		if (prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 0 /* PR_SYS_DISPATCH_OFF */, 0, 0, 0) != 0 &&
		    errno != EINVAL)
			child_die("turning Syscall User Dispatch off", NULL);
		/* no KSM merge-any inherited into the program: it survives
		 * exec and would make trusted mappings mergeable (prctl
		 * refuses turning it on; EINVAL: a kernel before 6.4) */
		if ((prctl(67 /* PR_SET_MEMORY_MERGE */, 0, 0, 0, 0) != 0 && errno != EINVAL) ||
		    prctl(68 /* PR_GET_MEMORY_MERGE */, 0, 0, 0, 0) > 0)
			child_die("turning KSM merge-any off", NULL);
		if (tem_rseq_env() != 0)
			child_die("setting GLIBC_TUNABLES=glibc.pthread.rseq=0", NULL);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			child_die("PR_SET_NO_NEW_PRIVS", NULL);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0)
			child_die("installing the seccomp filter (Hint: the kernel needs CONFIG_SECCOMP_FILTER)", NULL);
		execvp(argv[optind], argv + optind);
		child_die("cannot run", argv[optind]);
	}
	free(prog->filter);
	free(prog);
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, main_pid, 0, (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP |
	           PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACEEXEC |
	           PTRACE_O_EXITKILL)) != 0) {
		kill(main_pid, SIGKILL);
		die("PTRACE_SEIZE (is erim-tem itself being traced, or ptrace forbidden here?)");
	}
	{
		struct tem_thread *t = tem_thread_get(main_pid);

		t->proc = tem_proc_new(main_pid, NULL);
		t->grp = tem_group_new();
		t->files = tem_files_new();
		t->tgid = main_pid;
		t->attached = 1;
	}
	tem_detach_relay_to(main_pid);
	/* Same-user processes (the program included) may not ptrace erim-tem
	 * or open its memory: the rows refuse it, the kernel now as well. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		tem_log(1, "cannot make erim-tem non-dumpable: %s", strerror(errno));
	if (write(go[1], "g", 1) != 1)
		die("pipe");
	close(go[1]);
	return trace();
}
