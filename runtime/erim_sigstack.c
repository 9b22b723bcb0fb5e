/* SPDX-License-Identifier: MIT */
/* erim_sigstack.c: no signal frame of untrusted code is written at an
 * address untrusted code chose, on kernels that write frames with every
 * protection key enabled.
 *
 * Since Linux 6.12 ("x86/pkeys: Update PKRU to enable all pkeys before
 * XSAVE") the kernel writes a signal frame with PKRU 0, below the
 * interrupted %rsp -- an ordinary register of untrusted code, which can
 * point it into trusted memory and fault (red team 15: sigframe_write,
 * sigframe_exec).  On such kernels, without erim-tem (which stops those
 * frames itself, tem_sigframe.c), under mpk:
 *
 *  - every thread has a signal stack of liberim's in TRUSTED memory (the
 *    kernel writes it: every key is enabled), and every handler of liberim's
 *    is installed with SA_ONSTACK and every signal blocked, so the kernel
 *    never writes below the interrupted %rsp, and the frame of a signal that
 *    interrupted trusted code never reaches untrusted memory;
 *  - the kernel enters the handler at erim__sig_entry (erim_sigentry.S): a
 *    checked WRPKRU to the trusted PKRU, then a check that %rsp lies inside
 *    the stack this file gave the calling thread (its kernel thread id, not
 *    %fs); then the relay (erim_sigrelay.c): a frame whose interrupted PKRU grants the
 *    trusted key stops the process; any other is copied to untrusted memory
 *    (below the interrupted %rsp and its red zone, or the program's own
 *    sigaltstack for a handler with SA_ONSTACK) -- unless that range
 *    overlaps trusted memory: then the process stops, before anything was
 *    written there; the trusted stack is wiped, and the entry continues on
 *    the copy with the untrusted PKRU in erim_signal.c's trampoline, which
 *    returns through rt_sigreturn on the copy;
 *  - new threads get their stack from their first instruction of user code
 *    (the pthread_create interposer below: signals blocked until the stack
 *    is in place); sigaltstack() is interposed: the program's request is
 *    recorded, per stack, for the relay.
 *
 * The probe (a forked child: a sigaltstack page under a key the child's
 * PKRU denies, a handler, a signal) tells whether this kernel writes frames
 * with every key enabled.  On older kernels (6.1) the kernel writes a frame
 * with the interrupted PKRU, so the hardware refuses a frame in trusted
 * memory -- unless the interrupted PKRU is one a jump onto a gate's WRPKRU
 * has just loaded, trapped (single step) before the check: that frame went
 * below an attacker-set %rsp into trusted globals (red team 49, gatewin).
 * There the same stacks are mapped in untrusted memory (no key, not in the
 * registry: a frame of untrusted code must be writable with its PKRU), and
 * the kernel enters every handler of liberim's at erim__sig_entry_u
 * (untrusted: no WRPKRU, no owner check), whose relay (erim__sig_relay_u,
 * the same checks and copy) runs untrusted; the threads, fork children and
 * sigaltstack() are handled as above, a thread claims its stack itself.  The
 * frame of a signal that interrupts trusted code is written there, in
 * untrusted memory, until the relay wipes it and stops the process, as it
 * was with a program's own sigaltstack (doc/security.md).
 *
 * Stacks are claimed by trusted code (internal entry 0, erim_entries.c, or
 * erim_init for its caller): the calling thread's id is recorded as the
 * owner; a stack whose owner thread is gone is reused. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <threads.h>
#include <ucontext.h>

#include "erim_arch.h"
#include "erim_gate.h"
#include "erim_internal.h"
#include "erim_signal.h"
#include "erim_sys.h"

#define K_SA_RESTORER 0x04000000UL
#define OWNER_HDR 64
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define MIN_ALTSTACK 2048UL    /* the kernel's MINSIGSTKSZ */           /* the owner page: word 0 "active", owners after it */

void erim__sig_entry(void) ERIM_HIDDEN;      /* erim_sigentry.S */
void erim__sig_entry_u(void) ERIM_HIDDEN;    /* erim_sigentry.S: 6.1, untrusted stacks */

static void *region;            /* owners, then the stacks */
static size_t region_size;
static struct erim_prog_ss *prog;

/* ---- the probe --------------------------------------------------------------- */

/* the child's handler: on the keyed stack with PKRU's init value; it touches
 * no memory */
__asm__(".text\n\t.p2align 4\n\t.type erim__probe_handler, @function\n"
        "erim__probe_handler:\n\tmovl $231, %eax\n\tmovl $42, %edi\n\tsyscall\n\tud2\n"
        "\t.size erim__probe_handler, .-erim__probe_handler\n"
        "\t.p2align 4\n\t.type erim__probe_restorer, @function\n"
        "erim__probe_restorer:\n\tud2\n\t.size erim__probe_restorer, .-erim__probe_restorer\n");
extern void erim__probe_handler(void) ERIM_HIDDEN;
extern void erim__probe_restorer(void) ERIM_HIDDEN;

/* 1: frames are written with every key enabled; 0: the key is honoured;
 * -errno: the probe could not tell (no key left for the child, no fork) */
int erim__sigstack_probe(void)
{
	long pid, r;
	int st = 0;

	/* clone with no exit signal: no SIGCHLD for the program's handler, and a
	 * waitpid(-1) of the program's does not reap it (only __WALL does) */
	pid = erim_sys6(SYS_clone, 0, 0, 0, 0, 0, 0);
	if (pid < 0)
		return (int)pid;
	if (pid == 0) {
		/* raw system calls only: a key the child's PKRU denies (pkey_alloc
		 * with PKEY_DISABLE_ACCESS sets it), a stack under it */
		long key = erim_sys3(SYS_pkey_alloc, 0, 1 /* PKEY_DISABLE_ACCESS */, 0);
		long p = erim_sys6(SYS_mmap, 0, 65536, PROT_READ | PROT_WRITE,
		                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct { uintptr_t h; unsigned long f; uintptr_t rs; uint64_t m; } k = {
			(uintptr_t)erim__probe_handler, SA_ONSTACK | K_SA_RESTORER,
			(uintptr_t)erim__probe_restorer, ~0ull };
		stack_t ss = { (void *)p, 0, 65536 };

		if (key < 0 || p < 0 || erim_sys4(SYS_pkey_mprotect, p, 65536,
		                                  PROT_READ | PROT_WRITE, key) != 0 ||
		    erim_sys3(SYS_sigaltstack, (long)&ss, 0, 0) != 0 ||
		    erim_sys4(SYS_rt_sigaction, SIGUSR1, (long)&k, 0, 8) != 0)
			erim_sys1(SYS_exit_group, 43);
		erim_sys3(SYS_tgkill, erim_sys1(SYS_getpid, 0), erim_sys1(SYS_gettid, 0), SIGUSR1);
		erim_sys1(SYS_exit_group, 44);
	}
	do
		r = erim_sys4(SYS_wait4, pid, (long)&st, __WALL, 0);
	while (r == -EINTR);
	if (r < 0)
		return (int)r;
	if ((st & 0x7f) == 0 && ((st >> 8) & 0xff) == 42)
		return 1;            /* the handler ran: the frame was written */
	if ((st & 0x7f) == SIGSEGV)
		return 0;            /* the kernel could not write it */
	return -EPROTO;
}

/* ---- the stacks -------------------------------------------------------------- */

/* word 0 of the owner page, found from the sealed read-only page: `region`
 * is in liberim's .bss, untrusted memory, and the claim (trusted) read
 * through it tested any word untrusted code pointed it at (red team 63,
 * regionoracle) */
static uint32_t *owner_active(void)
{
	return (uint32_t *)((char *)erim__ro.sigstk_owner - OWNER_HDR);
}

/* Map the stacks (once) and the record of the program's requests: the size
 * of the owner header, or 0 with ERR set. */
static size_t map_stacks(size_t n, char *err, size_t errlen)
{
	size_t hdr = erim_page_round(OWNER_HDR + n * sizeof(uint32_t));

	if (!region) {
		region_size = hdr + n * ERIM_SIGSTK_STRIDE;
		region = mmap(NULL, region_size, PROT_READ | PROT_WRITE,
		              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (region == MAP_FAILED) {
			region = NULL;
			erim_snprintf(err, errlen, "cannot map liberim's signal stacks (%zu bytes)",
			              region_size);
			return 0;
		}
		prog = mmap(NULL, erim_page_round(n * sizeof *prog), PROT_READ | PROT_WRITE,
		            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (prog == MAP_FAILED) {
			munmap(region, region_size);
			region = NULL;
			prog = NULL;
			erim_snprintf(err, errlen, "cannot map the record of sigaltstack requests");
			return 0;
		}
	}
	return hdr;
}

/* What both kinds of stacks record in the read-only page (the owner table
 * and the program's requests in the region's header, PKRU's offset in an
 * XSAVE area, the relay's way back), and their guard pages made
 * inaccessible: with KEY, or keeping the pages' key (-1).  0, or -errno
 * with ERR set. */
static int stacks_finish(uintptr_t lo, size_t n, long key, char *err, size_t errlen)
{
	uint32_t r[4];

	erim__ro.sigstk_owner = (uint32_t *)((char *)region + OWNER_HDR);
	erim__ro.sigstk_prog = prog;
	erim_cpuid(0xd, 9, r);
	erim__ro.sigstk_pkru_off = r[0] >= 4 ? r[1] : 0;
	erim__ro.signal_cont = erim__signal_cont;
	for (uint64_t i = 0; i < n; i++)
		if (erim_sys4(SYS_pkey_mprotect, (long)(lo + i * ERIM_SIGSTK_STRIDE), ERIM_SIGSTK_GUARD,
		              PROT_NONE, key) != 0) {
			erim_snprintf(err, errlen, "cannot make the guard pages of liberim's signal "
			              "stacks inaccessible");
			return -EPERM;
		}
	return 0;
}

/* erim_init, after the erim-tem hand-shake found none, with the read-only page
 * open: map the stacks, enter them in the registry, key them (the guard page
 * at the bottom of each inaccessible), keep them out of core dumps. */
int erim__sigstack_setup(size_t n, int key, char *err, size_t errlen)
{
	size_t hdr = map_stacks(n, err, errlen);

	if (!hdr)
		return -ENOMEM;
	if (erim_sys4(SYS_pkey_mprotect, (long)region, (long)region_size, PROT_READ | PROT_WRITE,
	              key) != 0 ||
	    erim_sys3(SYS_madvise, (long)region, (long)region_size, MADV_DONTDUMP) != 0) {
		erim_snprintf(err, errlen, "cannot key liberim's signal stacks");
		return -EPERM;
	}
	if (erim__ranges_add((uintptr_t)region, (uintptr_t)region + region_size, "signal stacks",
	                     ERIM_R_SWITCHED) < 0) {
		erim_snprintf(err, errlen, "too many trusted ranges");
		return -ENOSPC;
	}
	erim__ro.sigstk_lo = (uintptr_t)region + hdr;
	erim__ro.sigstk_n = n;
	erim__ro.sigstack_claim = erim__sigstack_claim;
	return stacks_finish(erim__ro.sigstk_lo, n, key, err, errlen);
}

/* The same, on kernels that write a frame with the interrupted PKRU (6.1):
 * there a frame of untrusted code can only go to memory untrusted code may
 * write, so the stacks are untrusted memory (no key, not in the registry),
 * and they are what keeps the kernel from writing below an attacker-set
 * %rsp with the PKRU of a jump onto a gate's WRPKRU (red team 49, gatewin:
 * single-stepped, the trap after the WRPKRU wrote its frame into trusted
 * globals).  sigstk_lo/sigstk_n stay 0: erim__sig_entry accepts no stack. */
int erim__altstack_setup(size_t n, char *err, size_t errlen)
{
	size_t hdr = map_stacks(n, err, errlen);

	if (!hdr)
		return -ENOMEM;
	erim__ro.altstk_lo = (uintptr_t)region + hdr;
	erim__ro.altstk_n = n;
	return stacks_finish(erim__ro.altstk_lo, n, -1, err, errlen);
}

/* which stacks are on: trusted ones (6.12+) or untrusted ones (6.1) */
static uintptr_t stacks_lo(uint64_t *n)
{
	*n = erim__ro.sigstk_lo ? erim__ro.sigstk_n : erim__ro.altstk_n;
	return erim__ro.sigstk_lo ? erim__ro.sigstk_lo : erim__ro.altstk_lo;
}

/* Trusted: the calling thread's stack -- the one it owns already, else a free
 * one or one whose owner thread is gone -- made its sigaltstack.  The index,
 * or -errno. */
long erim__sigstack_claim(void)
{
	uint32_t *own = erim__ro.sigstk_owner, tid;
	uint64_t n, idx;
	uintptr_t lo = stacks_lo(&n);
	stack_t ss;
	long r;
	int fresh = 0;

	if (!own || !lo || !*owner_active())
		return -ENOSYS;
	idx = n;
	tid = erim__gettid();
	for (uint64_t i = 0; i < n && idx == n; i++)
		if (__atomic_load_n(&own[i], __ATOMIC_ACQUIRE) == tid)
			idx = i;
	for (uint64_t i = 0; i < n && idx == n; i++) {
		uint32_t o = __atomic_load_n(&own[i], __ATOMIC_ACQUIRE);

		/* is the owner gone?  Asked of its thread id alone (tkill): a
		 * vfork child's getpid() is its own, so tgkill(getpid(), o)
		 * called every live owner dead there (red team 25, livesteal);
		 * an id reused by another task keeps the stack taken: safe */
		if (o != 0 && erim_sys3(SYS_tkill, o, 0, 0) != -ESRCH)
			continue;
		if (__atomic_compare_exchange_n(&own[i], &o, tid, 0, __ATOMIC_ACQ_REL,
		                                __ATOMIC_ACQUIRE)) {
			idx = i;
			fresh = 1;
		}
	}
	if (idx == n)
		return -EAGAIN;
	/* a stack that changes owner is wiped first: nothing a previous owner's
	 * frames left (a trusted frame the relay refused, with the process
	 * stopped but a CLONE_VM task of it alive) reaches the next one (red
	 * team 25, sigsteal) */
	if (fresh)
		erim_fill((void *)(lo + idx * ERIM_SIGSTK_STRIDE + ERIM_SIGSTK_GUARD), 0,
		          ERIM_SIGSTK_STRIDE - ERIM_SIGSTK_GUARD);
	ss.ss_sp = (void *)(lo + idx * ERIM_SIGSTK_STRIDE + ERIM_SIGSTK_GUARD);
	ss.ss_size = ERIM_SIGSTK_STRIDE - ERIM_SIGSTK_GUARD;
	ss.ss_flags = 0;
	r = erim_sys3(SYS_sigaltstack, (long)&ss, 0, 0);
	if (r < 0)
		return r;
	return (long)idx;
}

/* A child after fork inherits its parent's sigaltstack, whose owner is the
 * parent's thread: before it returns from fork (pthread_atfork's child
 * handlers run first; the child has no other thread yet) it claims a stack of
 * its own through the gate.  Until then a signal to it stops it. */
static int atfork_done;

/* The calling thread's stack: trusted ones are claimed by trusted code
 * (through the gate), untrusted ones here. */
static long claim_mine(void)
{
	return erim__ro.altstk_n ? erim__sigstack_claim() : erim__sigstack_call();
}

static void after_fork(void)
{
	long r;

	if (!erim__signal_entry_active())
		return;
	r = claim_mine();
	if (r < 0)
		erim__fatal("erim: the child after fork got no signal stack of liberim's (%ld); "
		            "process stopped\n", r);
}

/* erim_init, still trusted, not under erim-tem: on from here; the caller gets
 * its stack, and every handler moves to the entry. */
int erim__sigstack_activate(void)
{
	long r;

	*owner_active() = 1;
	r = erim__sigstack_claim();
	if (r < 0) {
		*owner_active() = 0;
		return (int)r;
	}
	if (!atfork_done && pthread_atfork(NULL, NULL, after_fork) != 0) {
		*owner_active() = 0;
		return -ENOMEM;
	}
	atfork_done = 1;
	erim__signal_use_entry(erim__ro.altstk_n ? (uintptr_t)erim__sig_entry_u : (uintptr_t)erim__sig_entry);
	return 0;
}

/* erim_fini, after the trusted ranges were replaced by fresh memory: the
 * handlers go back to the trampolines, the calling thread's sigaltstack to
 * none (other threads' point at the fresh, untagged memory, which their
 * handlers, without SA_ONSTACK now, no longer use). */
void erim__sigstack_off(void)
{
	stack_t ss = { NULL, SS_DISABLE, 0 };

	if (!erim__signal_entry_active())
		return;
	erim__signal_use_entry(0);
	erim_sys3(SYS_sigaltstack, (long)&ss, 0, 0);
}

/* ---- the interposers (untrusted) -------------------------------------------- */

/* The calling thread's stack of liberim's + 1, from the kernel's own record of
 * its signal stack (nothing untrusted code can write without a system call:
 * red team 58's alttls zeroed a TLS "hint" this read before and had its
 * request passed to the kernel, which then wrote a frame into trusted
 * globals); 0 when the thread has none (the mechanism is off, or a run-time
 * such as a sanitizer's sets a stack before start_wrap has claimed one). */
static uint32_t stack_of_caller(void)
{
	uint64_t n;
	uintptr_t lo = stacks_lo(&n), sp;
	stack_t cur;

	if (!erim__signal_entry_active() || !lo ||
	    erim_sys3(SYS_sigaltstack, 0, (long)&cur, 0) < 0 || (cur.ss_flags & SS_DISABLE))
		return 0;
	sp = (uintptr_t)cur.ss_sp;
	if (sp < lo || sp - lo >= n * ERIM_SIGSTK_STRIDE)
		return 0;
	return (uint32_t)((sp - lo) / ERIM_SIGSTK_STRIDE) + 1;
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	uint32_t i = stack_of_caller();
	struct erim_prog_ss *p;
	int on;

	if (i == 0) {
		stack_t req;
		long r;

		/* no stack of liberim's here: the request goes to the kernel, but
		 * never one that puts frames into trusted memory (checked on a
		 * copy, the one the kernel reads) */
		if (ss) {
			req = *ss;
			if (!(req.ss_flags & SS_DISABLE) && erim__signal_entry_active() &&
			    erim_overlaps_trusted(req.ss_sp, req.ss_size)) {
				errno = EPERM;
				return -1;
			}
		}
		r = erim_sys3(SYS_sigaltstack, ss ? (long)&req : 0, (long)old, 0);
		if (r < 0) {
			errno = (int)-r;
			return -1;
		}
		return 0;
	}
	p = &erim__ro.sigstk_prog[i - 1];
	on = p->size && here > p->sp && here - p->sp <= p->size;
	if (ss) {
		if (on) {
			errno = EPERM;
			return -1;
		}
		if ((unsigned)ss->ss_flags & ~(unsigned)(SS_DISABLE | SS_AUTODISARM)) {
			errno = EINVAL;
			return -1;
		}
		if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size < MIN_ALTSTACK) {
			errno = ENOMEM;
			return -1;
		}
	}
	if (old) {
		old->ss_sp = (void *)p->sp;
		old->ss_size = p->size;
		old->ss_flags = p->size == 0 ? SS_DISABLE : on ? SS_ONSTACK : 0;
	}
	if (ss) {
		if (ss->ss_flags & SS_DISABLE) {
			p->size = 0;
			p->sp = 0;
		} else {
			p->size = 0;
			p->sp = (uintptr_t)ss->ss_sp;
			p->size = ss->ss_size;
		}
	}
	return 0;
}

/* glibc's sigstack() (BSD): in libc.so it calls glibc's own sigaltstack,
 * not the one above, so it moved the kernel's signal stack -- the one every
 * handler of liberim's is entered on -- anywhere, trusted globals included
 * (red team 51, rt51_sigstack: 6.12 then wrote a SIGSEGV frame there with
 * every key enabled).  Here it is the same request through the interposer
 * above, converted as glibc converts it (the size unknown: the pointer is
 * taken for it; ss_onstack means nothing to the kernel). */
int sigstack(struct sigstack *ss, struct sigstack *oss)
{
	stack_t n, o;

	if (ss) {
		n.ss_sp = ss->ss_sp;
		n.ss_size = (size_t)(uintptr_t)ss->ss_sp;
		n.ss_flags = 0;
	}
	if (sigaltstack(ss ? &n : NULL, &o) != 0)
		return -1;
	if (oss) {
		oss->ss_sp = o.ss_sp;
		oss->ss_onstack = !!(o.ss_flags & SS_ONSTACK);
	}
	return 0;
}

struct start {
	void *(*fn)(void *);
	void *arg;
	uint64_t mask;
};

/* The C library's pthread_create.  In a static link: glibc's own
 * __pthread_create_2_1 (pthread_create is its weak alias in libc.a; this
 * strong reference links its object in).  The shared C library does not
 * export that name: liberim.so's link defines it as erim__pthread_create_dyn
 * (erim_pthread_dyn.c, --defsym in runtime/local.am), the C library's own
 * pthread_create. */
extern int __pthread_create_2_1(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
/* The new thread's first instruction of user code: its signal stack, then the
 * creator's signal mask (every signal was blocked until here). */
static void *start_wrap(void *v)
{
	struct start s = *(struct start *)v;
	long r;

	free(v);
	r = claim_mine();
	if (r < 0)
		erim__fatal("erim: a new thread got no signal stack of liberim's (%ld): at most "
		            "ERIM_MAX_THREADS threads under mpk without erim-tem; process "
		            "stopped\n", r);
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&s.mask, 0, 8);
	return s.fn(s.arg);
}

/* A signal mask in the attribute (pthread_attr_setsigmask_np, glibc 2.32+)
 * is installed by the C library in the new thread before its start routine
 * runs -- before start_wrap has its stack (red team 19, attr_sigmask: a fault
 * there wrote its frame below an attacker-chosen %rsp, into trusted
 * globals).  So the attribute carries "every signal blocked" through the C
 * library's pthread_create, and its own mask reaches the thread the way the
 * creator's does: by start_wrap, once the stack is in place.  The caller's
 * attribute gets its mask back afterwards. */
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	struct start *s;
	uint64_t all = ~0ull, was;
	sigset_t amask, fullset;
	int r, has_mask = 0;

	if (!erim__signal_entry_active()) {
		r = __pthread_create_2_1(t, a, fn, arg);
		erim__signal_adopt_glibc();
		return r;
	}
	s = malloc(sizeof *s);
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	if (a && pthread_attr_getsigmask_np(a, &amask) == 0) {
		sigfillset(&fullset);
		if (pthread_attr_setsigmask_np((pthread_attr_t *)a, &fullset) != 0) {
			free(s);
			return EINVAL;
		}
		has_mask = 1;
	}
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&was, 8);
	s->mask = was;
	if (has_mask)
		memcpy(&s->mask, &amask, sizeof s->mask);
	r = __pthread_create_2_1(t, a, start_wrap, s);
	erim__signal_adopt_glibc();   /* SIGSETXID's handler, installed at the first thread */
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&was, 0, 8);
	if (has_mask)
		pthread_attr_setsigmask_np((pthread_attr_t *)a, &amask);
	if (r != 0)
		free(s);
	return r;
}

/* C11 threads (red team 18, thrd_sigframe): glibc's thrd_create calls
 * __pthread_create_2_1 directly, in libc.so and libc.a, so a thread it made
 * passed no interposer, had no signal stack of liberim's, and on a kernel
 * that writes frames with every key enabled the frame of its first signal
 * landed below an attacker-set %rsp in trusted memory.  So thrd_create is
 * interposed too and goes through pthread_create above.  The thread's int
 * result travels as the pointer-sized result, as glibc's own thrd_create
 * does it (thrd_join reads it back the same way); errors map as glibc maps
 * them (ENOMEM: thrd_nomem, anything else: thrd_error). */
struct c11_start {
	thrd_start_t fn;
	void *arg;
};

static void *c11_start(void *v)
{
	struct c11_start s = *(struct c11_start *)v;

	free(v);
	return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
	struct c11_start *s = malloc(sizeof *s);
	int r;

	if (!s)
		return thrd_nomem;
	s->fn = fn;
	s->arg = arg;
	r = pthread_create((pthread_t *)thr, NULL, c11_start, s);
	if (r != 0) {
		free(s);
		return r == ENOMEM ? thrd_nomem : thrd_error;
	}
	return thrd_success;
}
