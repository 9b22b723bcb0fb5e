/* SPDX-License-Identifier: MIT */
/* erim_signal.c: liberim owns the delivery of every signal that has a handler.
 *
 * The class (red team 7: gate_trap, gate_fpe, sig_chain): a signal delivered
 * while the interrupted context holds trusted rights (mpk: its PKRU grants
 * the trusted key; mprotect: the trusted ranges are open) hands a frame with
 * those rights to a handler untrusted code influences, and rt_sigreturn
 * restores them -- at whatever RIP the handler wrote into the frame.  A trap
 * right after a WRPKRU (EFLAGS.TF, or #MF from the gate's first x87
 * instruction) comes before the check that follows the WRPKRU, so no check in
 * the gate can hold against it.
 *
 * So at erim_init (mpk and mprotect) every installed handler is replaced by
 * one trampoline (same mask and flags, plus SA_SIGINFO), and the original is
 * recorded in a page of its own that is sealed read-only; sigaction(),
 * signal(), bsd_signal(), sysv_signal() and sigset() are interposed so later
 * handlers are registered the same way.  The trampoline reads the
 * interrupted PKRU from the frame's XSAVE area (mpk) or looks at the
 * interrupted RIP and the mprotect switch state, and stops the process before
 * any untrusted handler runs if the interrupted context had trusted rights;
 * after the handler returns it checks the frame again (a handler that wrote a
 * trusted PKRU into the frame would get it back from rt_sigreturn).
 * liberim's own SIGSEGV handler is here too: erim_violation.c reports faults
 * on trusted memory, the rest is chained through the same check to the
 * handler recorded here (erim__violation_install/uninstall).
 *
 * Everything here runs untrusted and in signal context: raw system calls
 * (erim_sys.h), no libc call, no PLT; the fatal path is erim__fatal's.
 *
 * Limits (doc/runtime.md): a raw rt_sigaction system call is not seen (only
 * erim-tem filters system calls); in a static program the interposers
 * replace glibc's weak sigaction/signal only when the program's own objects
 * reference them before libc.a is searched; glibc installs its internal
 * SIGCANCEL/SIGSETXID handlers with its internal __libc_sigaction, not seen
 * after erim_init until the next pthread_create (erim__signal_adopt_glibc).
 *
 * Two sealed pages.  The table (the program's handlers, what liberim's
 * SIGSEGV handler chains to, where the relay continues) is opened for the
 * few stores of each sigaction() while other threads run, so it is
 * untrusted state: it holds only what the program may set through
 * sigaction() anyway, and the relay continues only at one of liberim's two
 * handlers whatever it finds there.  Everything that decides (is the
 * mechanism on, the entry, the PKRU offset in a frame, the gate's code, the
 * seal itself) is in the fixed page, written by erim_init while it is the
 * only thread and by erim_fini past its point of no return, never opened
 * for a program's request: red team 59 (sigtab) stored "sealed = 0,
 * active = 0" into the table from another thread while a sigaction() had
 * it open, and handlers went to the kernel unwrapped. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "erim_arch.h"
#include "erim_internal.h"
#include "erim_lock.h"
#include "erim_signal.h"
#include "erim_sys.h"

#define NSIG_K 65                  /* signals 1..64 */
#define K_SA_RESTORER 0x04000000UL
#define FP_XSTATE_MAGIC1 0x46505853U
#define SIGCANCEL_ 32              /* glibc's internal signals: sigaction refuses them */
#define SIGSETXID_ 33

/* the kernel's struct sigaction (x86-64) */
struct ksig {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

/* opened for a program's sigaction(): nothing here decides */
struct sigtab {
	struct ksig ent[NSIG_K];   /* the handler the trampoline calls, per signal */
	struct ksig segv_prev;     /* what erim_violation.c's on_segv chains to */
	/* where the relay continues, per signal: trampoline or segv_handler,
	 * checked (erim__signal_cont) */
	uintptr_t cont[NSIG_K];
};

/* written by erim_init (one thread) and erim_fini (past its point of no
 * return) only */
struct sigfix {
	uint32_t pkru_off;         /* CPUID.(EAX=0xD,ECX=9).EBX: PKRU in the XSAVE area */
	uint32_t active;           /* trampolines are installed (mpk, mprotect) */
	uint32_t sealed;           /* both pages read-only but for an update */
	uintptr_t gate_lo, gate_hi;  /* liberim's gate code (erim_gate.S) */
	int (*mp_is_open)(void);     /* the mprotect switch state (erim_entries.c) */
	/* liberim's signal stacks (erim_sigstack.c): the kernel enters every
	 * handler at ENTRY (erim_sigentry.S) on the thread's signal stack in
	 * trusted memory, with SA_ONSTACK and every signal blocked; the relay
	 * continues at cont[sig] on the frame's untrusted copy.  0: off. */
	uintptr_t entry;
};

union sigtab_page {
	struct sigtab t;
	char page[ERIM_PAGE];
};

union sigfix_page {
	struct sigfix f;
	char page[ERIM_PAGE];
};

static union sigtab_page tab_page __attribute__((aligned(4096)));
static union sigfix_page fix_page __attribute__((aligned(4096)));
#define tab (tab_page.t)
#define fix (fix_page.f)
static erim_lock_t tab_lock;

_Static_assert(sizeof(union sigtab_page) == ERIM_PAGE, "one page");
_Static_assert(sizeof(union sigfix_page) == ERIM_PAGE, "one page");

/* rt_sigreturn, with the byte pattern libgcc's unwinder knows (a frame of a
 * handler is recognised as a signal frame) */
__asm__(".text\n\t.p2align 4\n\t.type erim__sig_restorer, @function\n"
        "erim__sig_restorer:\n\tmovq $15, %rax\n\tsyscall\n\tud2\n"
        "\t.size erim__sig_restorer, .-erim__sig_restorer\n");
extern void erim__sig_restorer(void) ERIM_HIDDEN;

static long ksigaction(int sig, const struct ksig *n, struct ksig *o)
{
	return erim_sys4(SYS_rt_sigaction, sig, (long)n, (long)o, 8);
}

static void page_write(void *pg, int open)
{
	if (!fix.sealed)
		return;
	if (erim_sys3(SYS_mprotect, (long)pg, ERIM_PAGE, open ? PROT_READ | PROT_WRITE : PROT_READ) != 0)
		erim__fatal("erim: cannot %s liberim's signal table (mprotect failed)\n",
		            open ? "open" : "seal");
}

static void tab_write(int open)
{
	page_write(&tab_page, open);
}

/* erim_init and erim_fini only (see the top of this file) */
static void fix_write(int open)
{
	if (open) {
		page_write(&fix_page, 1);
		page_write(&tab_page, 1);
	} else {
		page_write(&tab_page, 0);
		page_write(&fix_page, 0);
	}
}

static void tab_seal(void)
{
	fix.sealed = 1;
	if (erim_sys3(SYS_mprotect, (long)&tab_page, ERIM_PAGE, PROT_READ) != 0 ||
	    erim_sys3(SYS_mprotect, (long)&fix_page, ERIM_PAGE, PROT_READ) != 0)
		erim__fatal("erim: cannot seal liberim's signal table (mprotect failed)\n");
}

/* ---- the check ---------------------------------------------------------------- */

/* The PKRU rt_sigreturn will load from this frame: the PKRU component of the
 * XSAVE area when XSTATE_BV bit 9 is set; with the bit clear XRSTOR loads the
 * component's initial value, 0 (every key open).  No XSAVE frame: unknown. */
static int frame_pkru(const ucontext_t *uc, uint32_t *pkru)
{
	const unsigned char *fp = (const unsigned char *)uc->uc_mcontext.fpregs;
	uint32_t magic, size;
	uint64_t bv;

	if (!fp || !fix.pkru_off)
		return -1;
	erim_copy(&magic, fp + 464, 4);          /* struct _fpx_sw_bytes in fxsave's sw area */
	erim_copy(&size, fp + 464 + 16, 4);      /* xstate_size */
	if (magic != FP_XSTATE_MAGIC1)
		return -1;
	erim_copy(&bv, fp + 512, 8);             /* XSAVE header: XSTATE_BV */
	if (!(bv & (1ull << 9))) {
		*pkru = 0;
		return 0;
	}
	if ((uint64_t)fix.pkru_off + 4 > size)
		return -1;
	erim_copy(pkru, fp + fix.pkru_off, 4);
	return 0;
}

static int in_gate_code(uintptr_t pc)
{
	return pc >= fix.gate_lo && pc < fix.gate_hi;
}

static int on_trusted_stack(uintptr_t sp)
{
	uintptr_t lo = (uintptr_t)erim__layout.stacks;

	return lo && sp >= lo && sp - lo < erim__layout.stacks_size;
}

void erim__signal_check(int sig, const void *ucv, const char *when)
{
	const ucontext_t *uc = ucv;
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	uint32_t pkru = 0;

	switch (erim__ro.mode) {
	case ERIM_MODE_MPK:
		if (frame_pkru(uc, &pkru) < 0)
			erim__fatal("erim: signal %d %s at pc=%p: the frame has no PKRU (no XSAVE "
			            "area); refusing to run an untrusted handler; process stopped\n",
			            sig, when, (void *)pc);
		if (!(pkru & ERIM_PKRU_AD((uint32_t)erim__ro.pkey)))
			erim__fatal("erim: signal %d %s at pc=%p with PKRU %#x in its frame: the "
			            "interrupted code had trusted rights (a trap or fault inside a "
			            "gate or trusted code) and rt_sigreturn would restore them; "
			            "process stopped\n", sig, when, (void *)pc, pkru);
		break;
	case ERIM_MODE_MPROTECT:
		/* the interrupted thread ran trusted code: inside the gate, or on a
		 * trusted stack (trusted code never runs on another) while the
		 * ranges are open.  Another thread inside a gate opens the ranges
		 * process-wide, a documented limit of this back end, not this
		 * thread's rights: its handlers run. */
		if (in_gate_code(pc) || (fix.mp_is_open && fix.mp_is_open() && on_trusted_stack(sp)))
			erim__fatal("erim: signal %d %s at pc=%p while the trusted ranges are open "
			            "(%s): an untrusted handler would run with trusted memory "
			            "accessible; process stopped\n", sig, when, (void *)pc,
			            in_gate_code(pc) ? "interrupted inside liberim's gate code"
			                             : "interrupted on a trusted stack");
		break;
	default:
		break;
	}
}

/* Call the handler recorded in *e as the kernel would; SIG_DFL: back to the
 * default action and the signal raised again (it stays blocked until the
 * handler returns); SIG_IGN: nothing. */
static void dispatch(int sig, siginfo_t *si, void *uc, const struct ksig *e)
{
	uintptr_t h = e->handler;

	if (h == (uintptr_t)SIG_IGN)
		return;
	if (h == (uintptr_t)SIG_DFL) {
		struct ksig dfl = { 0, 0, 0, 0 };

		ksigaction(sig, &dfl, NULL);
		if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE &&
		    sig != SIGTRAP)   /* a fault repeats by itself */
			erim_sys3(SYS_tgkill, erim_sys1(SYS_getpid, 0), erim_sys1(SYS_gettid, 0), sig);
		return;
	}
	if (e->flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))h)(sig, si, uc);
	else
		((void (*)(int))h)(sig);
}

/* With liberim's signal stacks the kernel ran the entry with every signal
 * blocked (nothing may interrupt the relay on the trusted stack): the mask the
 * handler asked for is set here, on the frame's untrusted copy.  The frame's
 * uc_stack names liberim's stack (rt_sigreturn loads it as the thread's
 * sigaltstack again): what a handler wrote there is undone. */
static void sigstack_enter(int sig, void *ucv, const struct ksig *e, stack_t *st)
{
	ucontext_t *uc = ucv;
	uint64_t m;

	if (!fix.entry)
		return;
	erim_copy(&m, &uc->uc_sigmask, sizeof m);
	m |= e->mask;
	if (!(e->flags & SA_NODEFER))
		m |= 1ull << (sig - 1);
	*st = uc->uc_stack;
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);
}

static void sigstack_leave(void *ucv, const stack_t *st)
{
	if (fix.entry)
		((ucontext_t *)ucv)->uc_stack = *st;
}

static void trampoline(int sig, siginfo_t *si, void *uc)
{
	struct ksig e;
	stack_t st;

	erim__signal_check(sig, uc, "delivered");
	if (sig <= 0 || sig >= NSIG_K)
		return;
	e = tab.ent[sig];
	sigstack_enter(sig, uc, &e, &st);
	dispatch(sig, si, uc, &e);
	sigstack_leave(uc, &st);
	erim__signal_check(sig, uc, "returned from its handler");
}

/* liberim's SIGSEGV handler: faults on trusted memory are reported by
 * erim_violation.c; the rest goes to the disposition before erim_init
 * (recorded in this sealed page, not in writable memory), after the check */
static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	struct ksig e;
	stack_t st;

	if (erim__segv_report(si, uc))
		return;                            /* not reached: reported, process ended */
	erim__signal_check(sig, uc, "delivered");
	e = tab.segv_prev;
	if (e.handler == (uintptr_t)SIG_IGN)
		e.handler = (uintptr_t)SIG_DFL;       /* an ignored fault would repeat forever */
	sigstack_enter(sig, uc, &e, &st);
	dispatch(sig, si, uc, &e);
	sigstack_leave(uc, &st);
	erim__signal_check(sig, uc, "returned from its handler");
}

/* ---- installation --------------------------------------------------------- */

static int liberims_own(uintptr_t h)
{
	return h == (uintptr_t)trampoline || h == (uintptr_t)segv_handler ||
	       (fix.entry && h == fix.entry);
}

/* what the kernel gets for a handler of liberim's (tab writable): with the
 * signal stacks, the entry on the trusted stack, every signal blocked */
static void kernel_handler(int sig, struct ksig *k, uintptr_t h)
{
	k->flags |= SA_SIGINFO | K_SA_RESTORER;
	k->restorer = (uintptr_t)erim__sig_restorer;
	if (fix.entry) {
		tab.cont[sig] = h;
		k->handler = fix.entry;
		k->flags |= SA_ONSTACK;
		k->mask = ~0ull;
	} else {
		k->handler = h;
	}
}

static void wrap(int sig, const struct ksig *orig)
{
	struct ksig k = *orig;

	kernel_handler(sig, &k, (uintptr_t)trampoline);
	tab.ent[sig] = *orig;
	ksigaction(sig, &k, NULL);
}

int erim__signal_init(int active, uintptr_t gate_lo, uintptr_t gate_hi, int (*mp_is_open)(void))
{
	uint32_t r[4];

	erim_lock(&tab_lock);
	fix_write(1);
	fix.gate_lo = gate_lo;
	fix.gate_hi = gate_hi;
	fix.mp_is_open = mp_is_open;
	erim_cpuid(0xd, 9, r);
	fix.pkru_off = r[0] >= 4 ? r[1] : 0;
	/* what on_segv chains to: the disposition before liberim's handler */
	{
		struct ksig k;

		if (ksigaction(SIGSEGV, NULL, &k) == 0 && !liberims_own(k.handler))
			tab.segv_prev = k;
	}
	if (active) {
		for (int sig = 1; sig < NSIG_K; sig++) {
			struct ksig k;

			if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV)
				continue;
			if (ksigaction(sig, NULL, &k) != 0)
				continue;
			if (k.handler == (uintptr_t)SIG_DFL || k.handler == (uintptr_t)SIG_IGN ||
			    liberims_own(k.handler))
				continue;
			wrap(sig, &k);
		}
	}
	fix.active = (uint32_t)active;
	tab_seal();
	erim_unlock(&tab_lock);
	return 0;
}

static int segv_installed;

int erim__violation_install(void)
{
	struct ksig k = { (uintptr_t)segv_handler, SA_SIGINFO | SA_ONSTACK | K_SA_RESTORER,
	                  (uintptr_t)erim__sig_restorer, 0 };

	if (segv_installed)
		return 0;
	if (ksigaction(SIGSEGV, &k, NULL) != 0)
		return -EINVAL;
	segv_installed = 1;
	return 0;
}

/* erim_sigstack.c, at erim_init: from now on the kernel enters every handler
 * of liberim's at ENTRY on the thread's signal stack (erim_sigentry.S); the
 * handlers installed so far move there.  ENTRY 0 (erim_fini): back to the
 * trampolines, as installed without the signal stacks. */
void erim__signal_use_entry(uintptr_t entry)
{
	uintptr_t old;

	erim_lock(&tab_lock);
	fix_write(1);
	old = fix.entry;
	for (int sig = 1; sig < NSIG_K; sig++) {
		struct ksig k;
		uintptr_t h;

		if (sig == SIGKILL || sig == SIGSTOP || ksigaction(sig, NULL, &k) != 0)
			continue;
		h = k.handler;
		if (old && h == old)
			h = tab.cont[sig];
		if (h == (uintptr_t)trampoline) {
			k = tab.ent[sig];
		} else if (h == (uintptr_t)segv_handler) {
			k.flags = SA_SIGINFO | SA_ONSTACK;
			k.mask = 0;
		} else {
			continue;
		}
		fix.entry = entry;
		kernel_handler(sig, &k, h);
		ksigaction(sig, &k, NULL);
	}
	fix.entry = entry;
	fix_write(0);
	erim_unlock(&tab_lock);
}

/* erim_sigstack.c's pthread_create, after the C library's: glibc installs
 * its SIGSETXID handler (SA_ONSTACK) at its first thread, and SIGCANCEL's at
 * the first pthread_cancel, with its internal __libc_sigaction, which no
 * interposer sees.  Found here unwrapped, each is wrapped as erim_init wraps
 * a handler it finds: otherwise on 6.12 SIGSETXID's frame went to the
 * thread's signal stack -- liberim's, in trusted memory -- and glibc's
 * handler ran there without the key, so every set*id() call of a threaded
 * program stopped the process. */
void erim__signal_adopt_glibc(void)
{
	static const int sigs[] = { SIGCANCEL_, SIGSETXID_ };

	if (!fix.active)
		return;
	erim_lock(&tab_lock);
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct ksig k;

		if (ksigaction(sigs[i], NULL, &k) != 0 || k.handler == (uintptr_t)SIG_DFL ||
		    k.handler == (uintptr_t)SIG_IGN || liberims_own(k.handler))
			continue;
		tab_write(1);
		wrap(sigs[i], &k);
		tab_write(0);
	}
	erim_unlock(&tab_lock);
}

int erim__signal_entry_active(void)
{
	return fix.entry != 0;
}

/* The relay (trusted, erim_sigstack.c): where the frame of SIG continues and
 * whether its handler asked for the program's sigaltstack.  Reads the sealed
 * page only. */
uintptr_t erim__signal_cont(int sig, int *onstack)
{
	uintptr_t h = tab.cont[sig];

	/* the table is untrusted state: only liberim's handlers continue */
	if (h != (uintptr_t)trampoline && h != (uintptr_t)segv_handler)
		erim__fatal("erim: signal %d: liberim's signal table names %p, not one of "
		            "liberim's handlers, as where its frame continues (the table was "
		            "written while a sigaction() had it open); process stopped\n", sig,
		            (void *)h);

	*onstack = h == (uintptr_t)segv_handler ? !!(tab.segv_prev.flags & SA_ONSTACK)
	                                       : !!(tab.ent[sig].flags & SA_ONSTACK);
	return h;
}

void erim__violation_uninstall(void)
{
	struct ksig k = tab.segv_prev;

	if (!segv_installed)
		return;
	if (k.handler != (uintptr_t)SIG_DFL && k.handler != (uintptr_t)SIG_IGN &&
	    !(k.flags & K_SA_RESTORER)) {
		k.flags |= K_SA_RESTORER;
		k.restorer = (uintptr_t)erim__sig_restorer;
	}
	ksigaction(SIGSEGV, &k, NULL);
	segv_installed = 0;
}

/* ---- the interposers ------------------------------------------------------ */

static int do_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct ksig cur, n;
	long r = 0;

	if (sig <= 0 || sig >= NSIG_K || sig == SIGCANCEL_ || sig == SIGSETXID_) {
		errno = EINVAL;
		return -1;
	}
	erim_lock(&tab_lock);
	if (ksigaction(sig, NULL, &cur) != 0) {
		erim_unlock(&tab_lock);
		errno = EINVAL;
		return -1;
	}
	if (act) {
		n.handler = (uintptr_t)act->sa_handler;
		n.flags = (unsigned long)act->sa_flags | K_SA_RESTORER;
		n.restorer = (uintptr_t)erim__sig_restorer;
		erim_copy(&n.mask, &act->sa_mask, sizeof n.mask);
		if (fix.active && n.handler != (uintptr_t)SIG_DFL && n.handler != (uintptr_t)SIG_IGN &&
		    !liberims_own(n.handler) && sig != SIGKILL && sig != SIGSTOP) {
			/* record first, then point the kernel at the trampoline */
			tab_write(1);
			wrap(sig, &n);
			tab_write(0);
			r = 0;
		} else if (fix.active && liberims_own(n.handler)) {
			/* one of liberim's own handlers (an old disposition put
			 * back, or an address read from a query or the symbol
			 * table) is installed as liberim installs it, never with
			 * the caller's flags: without SA_ONSTACK the kernel wrote
			 * the frame of a trap the caller armed below an %rsp it
			 * chose, into trusted memory (red team 50, ownentry) */
			uintptr_t h = n.handler;

			if (fix.entry && h == fix.entry)
				h = tab.cont[sig] == (uintptr_t)segv_handler ? (uintptr_t)segv_handler
				                                             : (uintptr_t)trampoline;
			if (h == (uintptr_t)segv_handler) {
				n.flags = SA_SIGINFO | SA_ONSTACK | K_SA_RESTORER;
				n.mask = 0;
			}
			tab_write(1);
			kernel_handler(sig, &n, h);
			tab_write(0);
			r = ksigaction(sig, &n, NULL);
		} else {
			r = ksigaction(sig, &n, NULL);
		}
	}
	erim_unlock(&tab_lock);
	if (r != 0) {
		errno = (int)-r;
		return -1;
	}
	if (old) {
		const struct ksig *o = cur.handler == (uintptr_t)trampoline ||
		                       (fix.entry && cur.handler == fix.entry &&
		                        tab.cont[sig] == (uintptr_t)trampoline) ? &tab.ent[sig] : &cur;

		erim_fill(old, 0, sizeof *old);
		old->sa_handler = (void (*)(int))o->handler;
		old->sa_flags = (int)o->flags;
		old->sa_restorer = (void (*)(void))o->restorer;
		erim_copy(&old->sa_mask, &o->mask, sizeof o->mask);
	}
	return 0;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return do_sigaction(sig, act, old);
}

static sighandler_t set_handler(int sig, sighandler_t h, int flags, int mask_self)
{
	struct sigaction sa, old;

	erim_fill(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = flags;
	if (mask_self && sig > 0 && sig < NSIG_K)
		((uint64_t *)(void *)&sa.sa_mask)[0] = 1ull << (sig - 1);
	if (do_sigaction(sig, &sa, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

sighandler_t signal(int sig, sighandler_t h)
{
	return set_handler(sig, h, SA_RESTART, 1);     /* glibc's BSD semantics */
}

sighandler_t bsd_signal(int sig, sighandler_t h); /* not declared under _GNU_SOURCE */
sighandler_t bsd_signal(int sig, sighandler_t h)
{
	return set_handler(sig, h, SA_RESTART, 1);
}

sighandler_t sysv_signal(int sig, sighandler_t h)
{
	return set_handler(sig, h, (int)(SA_RESETHAND | SA_NODEFER), 0);
}

sighandler_t sigset(int sig, sighandler_t h)
{
	uint64_t bit, was;
	struct sigaction old;

	if (sig <= 0 || sig >= NSIG_K) {
		errno = EINVAL;
		return SIG_ERR;
	}
	bit = 1ull << (sig - 1);
	if (erim_sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&was, 8) != 0)
		return SIG_ERR;
	if (h == SIG_HOLD) {
		if (do_sigaction(sig, NULL, &old) != 0 ||
		    erim_sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&bit, 0, 8) != 0)
			return SIG_ERR;
		return (was & bit) ? SIG_HOLD : old.sa_handler;
	}
	{
		struct sigaction sa;

		erim_fill(&sa, 0, sizeof sa);
		sa.sa_handler = h;
		if (do_sigaction(sig, &sa, &old) != 0 ||
		    erim_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&bit, 0, 8) != 0)
			return SIG_ERR;
	}
	return (was & bit) ? SIG_HOLD : old.sa_handler;
}

/* glibc's other public names for the same installers.  In libc.so one
 * address carries signal, bsd_signal and ssignal, another sysv_signal and
 * __sysv_signal, another sigaction and __sigaction: every name a program can
 * call reached the kernel unwrapped (red team 51, rt51_wrap: a SIGTRAP
 * handler installed with ssignal() had its frame written below an %rsp in
 * trusted globals, 6.1 and 6.12).  tests/harden/libc_sigroutes.sh keeps this
 * list complete against the C library the build links with.  Weak: a static
 * program may link libc's own object for another of its names. */
int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);
__attribute__((weak)) int __sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return sigaction(sig, act, old);
}

__attribute__((weak)) sighandler_t ssignal(int sig, sighandler_t h)
{
	return signal(sig, h);
}

__attribute__((weak)) sighandler_t __sysv_signal(int sig, sighandler_t h)
{
	return sysv_signal(sig, h);
}

/* sigvec (4.2BSD; glibc keeps it as a compatibility symbol, which an
 * unversioned definition here satisfies): converted as glibc converts it --
 * the first 32 signals' mask, SV_ONSTACK, SV_INTERRUPT (no SA_RESTART),
 * SV_RESETHAND -- and installed through do_sigaction. */
struct erim_sigvec {
	sighandler_t sv_handler;
	int sv_mask;
	int sv_flags;
};
#define SV_ONSTACK_ 1
#define SV_INTERRUPT_ 2
#define SV_RESETHAND_ 4
int sigvec(int sig, const struct erim_sigvec *vec, struct erim_sigvec *ovec);
int sigvec(int sig, const struct erim_sigvec *vec, struct erim_sigvec *ovec)
{
	struct sigaction sa, old;

	if (vec) {
		erim_fill(&sa, 0, sizeof sa);
		sa.sa_handler = vec->sv_handler;
		((uint64_t *)(void *)&sa.sa_mask)[0] = (uint32_t)vec->sv_mask;
		sa.sa_flags = (vec->sv_flags & SV_ONSTACK_ ? SA_ONSTACK : 0) |
		              (vec->sv_flags & SV_INTERRUPT_ ? 0 : SA_RESTART) |
		              (vec->sv_flags & SV_RESETHAND_ ? (int)SA_RESETHAND : 0);
	}
	if (do_sigaction(sig, vec ? &sa : NULL, &old) != 0)
		return -1;
	if (ovec) {
		ovec->sv_handler = old.sa_handler;
		ovec->sv_mask = (int)(uint32_t)((const uint64_t *)(const void *)&old.sa_mask)[0];
		ovec->sv_flags = (old.sa_flags & SA_ONSTACK ? SV_ONSTACK_ : 0) |
		                 (old.sa_flags & SA_RESTART ? 0 : SV_INTERRUPT_) |
		                 (old.sa_flags & (int)SA_RESETHAND ? SV_RESETHAND_ : 0);
	}
	return 0;
}
