/* SPDX-License-Identifier: MIT */
/* rt_fini.c: erim_fini is all or nothing and never lets untrusted code write
 * what trusted code trusts later (red-team round 1: fini_race, fini_mseal).
 * One program for every back end (ERIM_BACKEND or --backend=: mpk in the PKU
 * guest, mprotect and none natively), linked dynamically and statically.
 * Each attack runs in a forked child; the child reports on stderr.
 *
 *  - race: a thread is inside trusted code -- parked in a callback, running
 *    a long entry, or stopped inside a short entry by a signal whose handler
 *    (on an untrusted sigaltstack) never returns -- while another untrusted
 *    thread keeps writing PKRU_U := PKRU_T into the sealed page of PKRU values and
 *    the main thread calls erim_fini again and again.  (Under mpk and
 *    mprotect the signal case now ends earlier: a handler never gets a frame
 *    of trusted code, runtime/erim_signal.c, so the process is stopped.)  Every call must fail
 *    with -EBUSY, no write may ever land, the gate must still drop to the
 *    real PKRU_U, and the trusted secret must stay unreadable.  The control,
 *    in every back end: the busy thread really is inside trusted code
 *    (erim_in_trusted, or a trusted stack pointer in the signal frame) and
 *    the writer really tried (its writes faulted); under `none` the same
 *    untrusted read finds the secret (the read works).  Once the thread
 *    leaves, erim_fini succeeds and the secrets are gone.
 *  - mseal: a trusted range (the heap, as the red team did; a trusted
 *    stack region; the read-only page) sealed with mseal(2) so that a
 *    protection change fails: erim_fini must fail with -EPERM and change
 *    nothing (still initialised, secrets intact and unreadable, gates work).
 *    Control: the seal really refuses mprotect.  Under `none` as well:
 *    erim_fini replaces every trusted range with fresh memory, which a seal
 *    refuses, so it refuses first.  mseal(2) exists from Linux 6.10: where it is
 *    missing the test is skipped with that reason.
 *  - entry 0 called directly with the wipe argument (erim_fini's trusted half
 *    without its untrusted half): the trusted data is wiped, memory stays
 *    protected, and the next gate call stops the process with a message.
 *  - stale stack (red-team round 7, fini_stale_stack): a trusted entry leaves
 *    a marker in a large local buffer at the top of its trusted stack, then
 *    erim_fini; every readable mapping of the process is scanned for the
 *    marker.  Own slot, and "borrow": a worker thread leaves the marker, the
 *    calling thread points its TLS slot hint at the worker's idle slot so the
 *    wipe takes that slot for the caller's own.  After erim_fini nothing is
 *    found in any back end (the trusted ranges are fresh memory).  Control:
 *    under `none` the same scan finds the marker before erim_fini.
 *  - re-init (red-team round 7, fini_reinit): after erim_fini untrusted code
 *    rewrites an entry of the entry table (plain memory now) and calls
 *    erim_init again: refused with -EPERM and its message, the read-only
 *    page stays read-only (a write faults; where mseal(2) exists mprotect
 *    cannot open it either), the rewritten entry runs only as
 *    a direct call with untrusted rights.  Control: the rewrite lands (the
 *    direct gate call runs the attacker's function).
 *
 * Usage: rt_fini [--backend=mpk|mprotect|none] */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim.h"
#include "erim_hooks.h"
#include "erim_check.h"

#define SECRET 0x5ec7e75ec7e7L
/* built with AddressSanitizer (the dynamic build under --enable-asan; the static
 * programs link liberim without it) */
#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#ifndef RT_ASAN
#define RT_ASAN 0
#endif
#define NR_MSEAL 462

static ERIM_TRUSTED volatile long secret_global[8];
static volatile long *secret_heap;
static unsigned id_setup, id_get, id_cb, id_long, id_add, id_spin, id_stale;
static int backend_none, backend_mpk, backend_mprotect, is_static, ready;

/* ---- the trusted component ---------------------------------------------------- */

static volatile int parked, stop, inside_trusted;

static long e_setup(void *p)
{
	(void)p;
	secret_heap = erim_malloc(64);
	if (!secret_heap)
		return -1;
	secret_heap[0] = SECRET;
	secret_global[0] = SECRET;
	return 0;
}

/* 1 if both secrets are intact (read by trusted code) */
static long e_get(void *p)
{
	(void)p;
	return secret_global[0] == SECRET && secret_heap[0] == SECRET;
}

static long park(void *p)
{
	(void)p;
	parked = 1;
	while (!stop)
		__asm__ volatile("pause");
	return 0;
}

/* a trusted API that calls back into untrusted code */
static long e_cb(void *p)
{
	(void)p;
	inside_trusted = erim_in_trusted();
	return erim_callback_call(park, NULL, 0, NULL, 0);
}

/* a long trusted computation */
static long e_long(void *p)
{
	(void)p;
	inside_trusted = erim_in_trusted();
	parked = 1;
	while (!stop)
		__asm__ volatile("pause");
	return 0;
}

static long e_add(void *p)
{
	const long *a = p;

	return a[0] + a[1];
}

/* a short entry; in_spin tells this thread's own signal handler that it
 * interrupted the entry's body (its slot is busy), not the gate around it */
static volatile int in_spin;

static long e_spin(void *p)
{
	(void)p;
	in_spin = 1;
	for (int i = 0; i < 2000; i++)
		__asm__ volatile("pause");
	in_spin = 0;
	return 0;
}

/* a marker, made at run time (never a constant in the binary) */
#define MLEN 48
static volatile unsigned char marker_seed = 0xa5;

static unsigned char marker_byte(size_t i)
{
	return (unsigned char)(marker_seed ^ (i * 29 + 7));
}

/* a typical trusted routine: key schedule in a large local buffer, at the
 * top of the slot's trusted stack */
static __attribute__((noinline)) long e_stale(void *p)
{
	volatile unsigned char ks[1536];
	long acc = 0;

	(void)p;
	for (size_t i = 0; i < sizeof ks; i++)
		ks[i] = marker_byte(i % MLEN);
	for (size_t i = 0; i < sizeof ks; i++)
		acc += ks[i];
	return acc;
}

static const struct erim_entry entries[] = {
	{ "fini", "stale", e_stale, ERIM_ENTRY_PUBLIC },
	{ "fini", "setup", e_setup, ERIM_ENTRY_PUBLIC },
	{ "fini", "get", e_get, ERIM_ENTRY_PUBLIC },
	{ "fini", "cb", e_cb, ERIM_ENTRY_PUBLIC },
	{ "fini", "long", e_long, ERIM_ENTRY_PUBLIC },
	{ "fini", "add", e_add, ERIM_ENTRY_PUBLIC },
	{ "fini", "spin", e_spin, ERIM_ENTRY_PUBLIC },
};

/* ---- helpers -------------------------------------------------------------------- */

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	if (!backend_mpk)
		return 0;
	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static int find_range(const char *what, int one_page, uintptr_t *s, uintptr_t *e)
{
	struct erim_range r[64];
	size_t n = erim__trusted_ranges(r, 64);

	for (size_t i = 0; i < n && i < 64; i++)
		if (strcmp(r[i].what, what) == 0 && (r[i].end - r[i].start == 4096) == one_page) {
			*s = r[i].start;
			*e = r[i].end;
			return 1;
		}
	return 0;
}

/* In a grandchild (one thread, this thread's PKRU): read the trusted global
 * with untrusted rights.  'S' it read the secret, 'z' it read zero, 'F' it
 * faulted, '?' anything else. */
static char untrusted_read(void)
{
	int st;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		_exit(secret_global[0] == SECRET ? 10 : secret_global[0] == 0 ? 11 : 12);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		return 'F';
	if (WIFEXITED(st))
		return WEXITSTATUS(st) == 10 ? 'S' : WEXITSTATUS(st) == 11 ? 'z' : '?';
	return '?';
}

/* what an untrusted read must find while isolation stands; OPEN: a thread
 * is inside trusted code (the mprotect back end opens the trusted ranges
 * process-wide then: it isolates between switches only) */
static char protected_read(int open)
{
	return backend_none || (backend_mprotect && open) ? 'S' : 'F';
}

#define FAIL_CHILD(...)                                                       \
	do {                                                                  \
		fprintf(stderr, __VA_ARGS__);                                 \
		fputc('\n', stderr);                                          \
		_exit(1);                                                     \
	} while (0)

/* ---- race: erim_fini while a thread is inside trusted code ------------------------ */

enum { RACE_CALLBACK, RACE_LONG, RACE_SIGNAL };

static volatile uint32_t *ro, *kp;   /* the read-only page; the page of PKRU values */
static uint32_t want_u;
static volatile int wstop;
static volatile unsigned long attempts, faults, landed;
static sigjmp_buf wjb;
static pthread_t writer_tid;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	if (pthread_equal(pthread_self(), writer_tid) &&
	    ((uintptr_t)si->si_addr - (uintptr_t)ro < 4096 ||
	     (uintptr_t)si->si_addr - (uintptr_t)kp < 4096)) {
		faults++;
		if (wstop)
			siglongjmp(wjb, 1);
		return;                  /* retry the same store at once */
	}
	signal(SIGSEGV, SIG_DFL);        /* anything else: die by the fault */
}

static void *writer(void *p)
{
	(void)p;
	if (sigsetjmp(wjb, 1) != 0)
		return NULL;                     /* told to stop while a store faulted */
	while (!wstop) {
		attempts++;
		ro[1020] = 0xfeedface;           /* the page's unused tail */
		kp[1] = want_u;                  /* PKRU_U := PKRU_T */
		landed++;
	}
	return NULL;
}

static void *parker_cb(void *p)
{
	(void)p;
	erim_gate_call(id_cb, NULL);
	return NULL;
}

static void *parker_long(void *p)
{
	(void)p;
	erim_gate_call(id_long, NULL);
	return NULL;
}

static char altstk[65536];
static volatile int sp_ready;

static void park_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig; (void)si;
	if (!in_spin || !erim_overlaps_trusted((void *)uc->uc_mcontext.gregs[REG_RSP], 1))
		return;                  /* not inside the entry's body: try again */
	inside_trusted = 1;
	parked = 1;
	for (;;)                 /* never resume the trusted code; raw pause: */
		__asm__ volatile("syscall" : : "a"((long)SYS_pause) : "rcx", "r11", "memory");
	/* (this handler interrupted trusted code, so %fs names the trusted thread
	 * block: glibc's pause() -- a cancellation point -- would fault on it) */
}

static void *parker_signal(void *p)
{
	stack_t ss = { .ss_sp = altstk, .ss_size = sizeof altstk };
	(void)p;
	sigaltstack(&ss, NULL);
	sp_ready = 1;
	for (;;)
		erim_gate_call(id_spin, NULL);
	return NULL;
}

static void child_race(void *mode_arg)
{
	uintptr_t mode = (uintptr_t)mode_arg;
	uintptr_t s, e;
	pthread_t tp;
	struct sigaction sa;
	uint32_t pkru_t, pkru_u, pk;
	long a[2] = { 2, 3 };
	int r = 0, tries;
	struct timespec t0, t1;
	char rd;

	if (!find_range("runtime", 1, &s, &e))
		FAIL_CHILD("no read-only page in the registry");
	ro = (volatile uint32_t *)s;
	if (!find_range("PKRU values", 1, &s, &e))
		FAIL_CHILD("no page of PKRU values in the registry");
	kp = (volatile uint32_t *)s;
	pkru_t = kp[0];
	pkru_u = kp[1];
	want_u = pkru_t;
	if (mode == RACE_SIGNAL) {
		/* bind erim_overlaps_trusted now: the handler may first call it while
		 * it interrupts trusted code, with %fs on the trusted thread block,
		 * and ld.so's lazy binding would touch that block (a fault under
		 * mpk, the documented fail-closed end of a handler in trusted code) */
		(void)erim_overlaps_trusted(&sa, 1);
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = park_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigaction(SIGUSR1, &sa, NULL);
	}
	pthread_create(&tp, NULL, mode == RACE_CALLBACK ? parker_cb
	               : mode == RACE_LONG ? parker_long : parker_signal, NULL);
	if (mode == RACE_SIGNAL) {
		while (!sp_ready)
			usleep(1000);
		for (int i = 0; i < 5000 && !parked; i++) {
			pthread_kill(tp, SIGUSR1);
			usleep(2000);
		}
	}
	for (int i = 0; i < 10000 && !parked; i++)
		usleep(1000);
	if (!parked)
		FAIL_CHILD("the thread never got inside trusted code");
	if (!inside_trusted)
		FAIL_CHILD("control: the parked thread is not inside trusted code");

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	pthread_create(&writer_tid, NULL, writer, NULL);
	while (faults == 0 && landed == 0)
		usleep(1000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (tries = 0; tries < 100000; tries++) {
		r = erim_fini();
		if (r != -EBUSY || landed)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (tries >= 50 && t1.tv_sec - t0.tv_sec >= 2)
			break;
	}
	wstop = 1;
	pthread_join(writer_tid, NULL);
	if (r != -EBUSY)
		FAIL_CHILD("erim_fini returned %d after %d tries (want -EBUSY every time)", r, tries);
	if (landed || ro[1020] == 0xfeedface || kp[0] != pkru_t || kp[1] != pkru_u)
		FAIL_CHILD("a write reached the read-only pages: %lu landed, pkru_u %#x (was %#x)",
		           landed, kp[1], pkru_u);
	if (faults == 0)
		FAIL_CHILD("control: the writer never tried");
	if (!erim_initialized())
		FAIL_CHILD("erim_fini failed but the runtime is no longer initialised");
	if (erim_gate_call(id_add, a) != 5)
		FAIL_CHILD("a gate call after the refused erim_fini failed");
	pk = rdpkru();
	if (backend_mpk && pk != pkru_u)
		FAIL_CHILD("PKRU after a gate call is %#x, not PKRU_U %#x", pk, pkru_u);
	if (erim_gate_call(id_get, NULL) != 1)
		FAIL_CHILD("the secrets changed under a refused erim_fini");
	rd = untrusted_read();
	if (rd != protected_read(mode != RACE_CALLBACK))
		FAIL_CHILD("untrusted read of the trusted global after the refused erim_fini: "
		           "'%c' (want '%c')", rd, protected_read(mode != RACE_CALLBACK));
	fprintf(stderr, "%d refused erim_fini calls, %lu writes all faulted, PKRU %#x, read '%c'\n",
	        tries, faults, pk, rd);
	if (mode == RACE_SIGNAL)
		_exit(0);                /* that thread never leaves trusted code */
	stop = 1;
	pthread_join(tp, NULL);
	r = erim_fini();
	if (r != 0)
		FAIL_CHILD("erim_fini once the thread left trusted code: %d (%s)", r, erim_strerror());
	if (secret_global[0] != 0 || secret_heap[0] != 0)
		FAIL_CHILD("a secret survived erim_fini: global %#lx heap %#lx", secret_global[0],
		           secret_heap[0]);
	_exit(0);
}

static void race(int mode, const char *what)
{
	char out[2048];
	int st;

	st = check_child(child_race, (void *)(uintptr_t)mode, out, sizeof out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %#x: %s", what, st, out);
	printf("  %s: %s", what, out);
}

TEST(fini_refused_while_a_callback_waits_in_trusted_code)
{
	if (!ready)
		SKIP("erim_init failed");
	race(RACE_CALLBACK, "callback");
}

TEST(fini_refused_while_a_long_entry_runs)
{
	if (!ready)
		SKIP("erim_init failed");
	race(RACE_LONG, "long entry");
}

TEST(fini_refused_while_a_signal_holds_a_thread_in_trusted_code)
{
	if (!ready)
		SKIP("erim_init failed");
	if (backend_mpk || backend_mprotect) {
		/* a handler never gets a frame of trusted code (runtime/erim_signal.c,
		 * red team 7): the signal that would park the thread stops the process */
		CHECK_DIES("signal into a thread inside trusted code", child_race,
		           (void *)(uintptr_t)RACE_SIGNAL, SIGSEGV, "erim: signal 10 delivered");
		return;
	}
	race(RACE_SIGNAL, "signal");
}

/* ---- mseal: a protection change that the kernel refuses ---------------------------- */

enum { SEAL_HEAP, SEAL_STACKS, SEAL_RO };
static const char *const seal_what[] = { "heap", "stacks", "runtime" };

static void child_mseal(void *which_arg)
{
	uintptr_t which = (uintptr_t)which_arg;
	uintptr_t s, e;
	long r;
	char rd;
	int want;

	if (!find_range(seal_what[which], which == SEAL_RO, &s, &e))
		FAIL_CHILD("no %s range in the registry", seal_what[which]);
	r = syscall(NR_MSEAL, s, e - s, 0);
	if (r != 0) {
		struct utsname u;

		uname(&u);
		fprintf(stderr, "mseal(2) unavailable on Linux %s: %s (it exists from 6.10)\n",
		        u.release, strerror(errno));
		_exit(77);
	}
	/* control: the seal refuses a protection change */
	if (syscall(SYS_mprotect, s, e - s, PROT_READ) == 0 || errno != EPERM)
		FAIL_CHILD("control: mprotect of the sealed %s was not refused", seal_what[which]);
	r = erim_fini();
	want = -EPERM;   /* every back end: a sealed range cannot be replaced */
	if (r != want)
		FAIL_CHILD("erim_fini with the %s sealed: %ld (want %d) %s", seal_what[which], r,
		           want, erim_strerror());
	if (!erim_initialized())
		FAIL_CHILD("refused erim_fini left the runtime uninitialised");
	rd = untrusted_read();
	if (rd != protected_read(0))
		FAIL_CHILD("untrusted read after the refused erim_fini: '%c' (want '%c')", rd,
		           protected_read(0));
	/* (the mprotect back end's own gates cannot open a sealed range: its
	 * next gate call stops the process, erim_fini or not) */
	if (!(backend_mprotect && which != SEAL_RO) && erim_gate_call(id_get, NULL) != 1)
		FAIL_CHILD("the secrets changed under a refused erim_fini");
	if (!backend_none && !erim_overlaps_trusted((const void *)secret_heap, 8))
		FAIL_CHILD("the heap left the registry");
	fprintf(stderr, "erim_fini refused (-EPERM), nothing changed, read '%c'\n", rd);
	_exit(0);
}

static void sealed(int which)
{
	char out[1024];
	int st = check_child(child_mseal, (void *)(uintptr_t)which, out, sizeof out);

	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		SKIP("%s", out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sealed %s: status %#x: %s",
	      seal_what[which], st, out);
	printf("  sealed %s: %s", seal_what[which], out);
}

TEST(fini_with_sealed_heap_changes_nothing)
{
	if (!ready)
		SKIP("erim_init failed");
	sealed(SEAL_HEAP);
}

TEST(fini_with_sealed_stacks_changes_nothing)
{
	if (!ready)
		SKIP("erim_init failed");
	sealed(SEAL_STACKS);
}

TEST(fini_with_sealed_read_only_page_changes_nothing)
{
	if (!ready)
		SKIP("erim_init failed");
	sealed(SEAL_RO);
}

/* ---- erim_fini's trusted half alone ------------------------------------------------- */

static void child_entry0(void *unused)
{
	char rd;

	(void)unused;
	if (erim_gate_call(0, (void *)1) != 0)
		FAIL_CHILD("internal entry 0 (wipe) did not return 0");
	rd = untrusted_read();
	if (rd != (backend_none ? 'z' : 'F'))
		FAIL_CHILD("untrusted read after the trusted wipe: '%c' (want '%c')", rd,
		           backend_none ? 'z' : 'F');
	fprintf(stderr, "read '%c'; ", rd);
	erim_gate_call(id_get, NULL);
	FAIL_CHILD("a gate call after the trusted wipe was not refused");
}

TEST(trusted_wipe_alone_leaves_memory_protected_and_refuses_gates)
{
	char out[1024];
	int st;

	if (!ready)
		SKIP("erim_init failed");
	st = check_child(child_entry0, NULL, out, sizeof out);
	printf("  %s%s", out, out[0] && out[strlen(out) - 1] != '\n' ? "\n" : "");
#if RT_ASAN
	/* liberim built with AddressSanitizer: its checks call ASan's run-time on
	 * the refusal path, and that run-time finds its per-thread state through
	 * %fs -- in trusted code erim's trusted thread block (erim_tcb.c), which
	 * the wipe has just cleared.  The refusal still stops the process with
	 * SIGSEGV (checked), but dies before it prints its message. */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "status %#x: %s", st, out);
	if (!strstr(out, "erim_fini has wiped the trusted domain"))
		SKIP("liberim built with AddressSanitizer (--enable-asan): the refusal after the "
		     "wipe stops the process (SIGSEGV, checked) before its message: ASan's "
		     "run-time reads its thread state through %%fs, the wiped trusted thread block");
#else
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV &&
	      strstr(out, "erim_fini has wiped the trusted domain"),
	      "status %#x: %s", st, out);
#endif
}

/* ---- stale trusted stack data after erim_fini (red team 7) -------------------------- */

/* readable with this thread's rights?  (the kernel's user copy honours PKRU
 * and page protection) */
static int readable(uintptr_t a)
{
	static int pfd[2] = { -1, -1 };
	char c;

	if (pfd[0] < 0 && pipe(pfd) != 0)
		return 0;
	if (write(pfd[1], (void *)a, 1) != 1)
		return 0;
	return read(pfd[0], &c, 1) == 1;
}

/* Is the page at A in memory or swap (/proc/self/pagemap bits 63, 62)?  A
 * page never touched holds zeros only: skipping it keeps the scan of the
 * large reserved regions fast in the guest.  Unknown: scan it. */
static int page_in_use(int pm, uintptr_t a)
{
	uint64_t e;

	if (pm < 0 || pread(pm, &e, sizeof e, (off_t)(a / 4096 * sizeof e)) != (ssize_t)sizeof e)
		return 1;
	return (e >> 62) & 3;
}

/* Scan every readable mapping for the marker; the number of mappings it was
 * found in (the needle itself excluded).  Protection and key are per
 * mapping, so one readability probe per mapping. */
static int scan_marker(const char *when)
{
	unsigned char *needle = malloc(MLEN);
	FILE *f = fopen("/proc/self/maps", "r");
	int pm = open("/proc/self/pagemap", O_RDONLY);
	char line[512];
	int found = 0;

	if (!needle || !f)
		FAIL_CHILD("scan: out of memory or no /proc/self/maps");
	for (size_t i = 0; i < MLEN; i++)
		needle[i] = marker_byte(i);
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perm[8];
		int hit = 0;

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3 || perm[0] != 'r')
			continue;
		if (strstr(line, "[vvar") || strstr(line, "[vsyscall") || !readable(lo))
			continue;        /* trusted key, PROT_NONE, guard page */
		for (uintptr_t pg = lo; pg < hi && !hit; pg += 4096) {
			const unsigned char *q = (const unsigned char *)pg, *e;

			if (!page_in_use(pm, pg))
				continue;
			e = (const unsigned char *)(pg + 4096 < hi ? pg + 4096 : hi);
			while (q + MLEN <= e && (q = memchr(q, needle[0], (size_t)(e - q - MLEN + 1)))) {
				if (q != needle && memcmp(q, needle, MLEN) == 0) {
					fprintf(stderr, "%s: marker at %p in %s", when, (const void *)q, line);
					hit = 1;
					break;
				}
				q++;
			}
		}
		found += hit;
	}
	fclose(f);
	if (pm >= 0)
		close(pm);
	free(needle);
	return found;
}

/* liberim's TLS slot hint of the calling thread, found the way an attacker
 * would: from the gate's code (erim_gate_call's first "je rel32" leads to
 * the mpk gate, which starts with the TLS load: movq x@gottpoff(%rip),%rax
 * (48 8b 05) dynamically, movq $tpoff,%rax (48 c7 c0) when linked
 * statically).  NULL if the code looks different. */
static uint32_t *tls_hint(void)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)&erim_gate_call;

	for (int i = 0; i < 64; i++) {
		if (p[i] == 0x0f && p[i + 1] == 0x84) {
			int32_t rel, d;
			const unsigned char *g;
			long off;

			memcpy(&rel, p + i + 2, 4);
			g = p + i + 6 + rel;
			for (int k = 0; k < 32; k++, g++) {
				if (g[0] == 0x48 && g[1] == 0x8b && g[2] == 0x05) {
					memcpy(&d, g + 3, 4);
					memcpy(&off, g + 7 + d, 8);
				} else if (g[0] == 0x48 && g[1] == 0xc7 && g[2] == 0xc0) {
					memcpy(&d, g + 3, 4);
					off = d;
				} else {
					continue;
				}
				if (off < 0 && off > -(1L << 20))
					return (uint32_t *)((uintptr_t)pthread_self() + off);
			}
			return NULL;
		}
	}
	return NULL;
}

static volatile int worker_done;
static volatile uint32_t worker_slot;

static void *stale_worker(void *p)
{
	uint32_t *h;

	(void)p;
	erim_gate_call(id_stale, NULL);
	h = tls_hint();
	worker_slot = h ? *h : 0;
	worker_done = 1;
	for (;;)
		pause();
	return NULL;
}

static void child_stale(void *borrow_arg)
{
	int borrow = borrow_arg != NULL, before, after, r;

	if (!borrow) {
		erim_gate_call(id_stale, NULL);
	} else {
		pthread_t t;
		uint32_t *mine = tls_hint();

		if (!mine || *mine == 0 || *mine > 4096)
			FAIL_CHILD("cannot find liberim's TLS slot hint from the gate's code "
			           "(the gate changed: update tls_hint in rt_fini.c)");
		pthread_create(&t, NULL, stale_worker, NULL);
		while (!worker_done)
			usleep(1000);
		if (worker_slot == 0 || worker_slot == *mine)
			FAIL_CHILD("the worker's slot %u is not another slot (own %u)", worker_slot,
			           *mine);
		fprintf(stderr, "own slot %u, borrowing the worker's %u; ", *mine, worker_slot);
		*mine = worker_slot;
	}
	before = scan_marker("before erim_fini");
	r = erim_fini();
	if (r != 0)
		FAIL_CHILD("erim_fini: %d (%s)", r, erim_strerror());
	after = scan_marker("after erim_fini");
	if (after)
		FAIL_CHILD("LEAK: the marker a trusted entry left on its trusted stack is "
		           "readable after erim_fini (%d mappings; %d before)", after, before);
	if (backend_none && !before)
		FAIL_CHILD("control: under none the marker was not found before erim_fini");
	if (!backend_none && before)
		FAIL_CHILD("the marker was readable before erim_fini (%d mappings)", before);
	fprintf(stderr, "marker readable in %d mappings before erim_fini, 0 after\n", before);
	_exit(0);
}

static void stale(int borrow)
{
	char out[2048];
	int st = check_child(child_stale, borrow ? (void *)1 : NULL, out, sizeof out);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s slot: status %#x: %s",
	      borrow ? "borrowed" : "own", st, out);
	printf("  %s slot: %s", borrow ? "borrowed" : "own", out);
}

TEST(fini_leaves_nothing_of_the_own_trusted_stack)
{
	if (!ready)
		SKIP("erim_init failed");
	stale(0);
}

TEST(fini_leaves_nothing_of_a_borrowed_slot)
{
	if (!ready)
		SKIP("erim_init failed");
	stale(1);
}

/* ---- erim_init after erim_fini (red team 7) ------------------------------------------ */

static volatile uint32_t evil_pkru = 0xffffffff;

static long evil(void *p)
{
	(void)p;
	evil_pkru = rdpkru();
	return 0x5ec;
}

/* write a word of the read-only page in a grandchild: 'F' faulted, 'w' landed */
static char ro_write(volatile uint32_t *w)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*w = 0;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? 'F' : WIFEXITED(st) ? 'w' : '?';
}

static void child_reinit(void *unused)
{
	struct erim_config c = { 0 };
	uintptr_t s, e;
	uint64_t *ent;
	long v;
	int r;
	char w;

	(void)unused;
	if (!find_range("runtime", 1, &s, &e))
		FAIL_CHILD("no read-only page in the registry");
	r = erim_fini();
	if (r != 0)
		FAIL_CHILD("erim_fini: %d (%s)", r, erim_strerror());
	/* the attacker: entry table (ERIM_RO_ENTRIES = 24, 32-byte entries, fn first) */
	memcpy(&ent, (const void *)(s + 24), sizeof ent);
	ent[id_add * 4] = (uint64_t)(uintptr_t)evil;
	v = erim_gate_call(id_add, (long[2]){ 1, 2 });
	if (v != 0x5ec)
		FAIL_CHILD("control: the rewritten entry did not run the attacker's function (%#lx)",
		           (unsigned long)v);
	c.backend = backend_mpk ? ERIM_BACKEND_MPK : backend_mprotect ? ERIM_BACKEND_MPROTECT
	          : ERIM_BACKEND_NONE;
	c.quiet = 1;
	r = erim_init(&c);
	if (r != -EPERM || !strstr(erim_strerror(), "erim_init after erim_fini: refused, nothing "
	                           "untrusted code could write after erim_fini is trusted again"))
		FAIL_CHILD("erim_init after erim_fini and an entry rewrite: %d (%s)", r,
		           erim_strerror());
	if (erim_initialized() || erim_pkey() != -1)
		FAIL_CHILD("the refused erim_init left the runtime initialised");
	if (erim_register_entries(entries, 1, (unsigned[1]){ 0 }) != -EPERM)
		FAIL_CHILD("erim_register_entries after erim_fini was not refused");
	w = ro_write((volatile uint32_t *)(s + 4096 - 4));
	if (w != 'F')
		FAIL_CHILD("a write to the read-only page after erim_fini: '%c' (want a fault)", w);
	/* where the kernel has mseal(2), not even mprotect opens the page again */
	{
		void *scratch = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int have_mseal = scratch != MAP_FAILED && syscall(NR_MSEAL, scratch, 4096, 0) == 0;

		if (have_mseal && syscall(SYS_mprotect, s, 4096, PROT_READ | PROT_WRITE) == 0)
			FAIL_CHILD("mprotect opened the read-only page after erim_fini (mseal exists)");
		fprintf(stderr, "%s; ", have_mseal ? "read-only page sealed (mprotect refused)"
		                                   : "no mseal(2) on this kernel: page read-only, unsealed");
	}
	v = erim_gate_call(id_add, (long[2]){ 1, 2 });
	if (v != 0x5ec || (backend_mpk && evil_pkru != rdpkru()))
		FAIL_CHILD("the attacker's function ran with PKRU %#x (untrusted %#x)", evil_pkru,
		           rdpkru());
	fprintf(stderr, "rewrite landed (direct call ran it, PKRU %#x), erim_init refused: "
	        "%s; read-only page write '%c'\n", evil_pkru, erim_strerror(), w);
	_exit(0);
}

TEST(init_after_fini_is_refused_even_after_an_entry_rewrite)
{
	char out[2048];
	int st;

	if (!ready)
		SKIP("erim_init failed");
	st = check_child(child_reinit, NULL, out, sizeof out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x: %s", st, out);
	printf("  %s", out);
}

int main(int argc, char **argv)
{
	const char *be = getenv("ERIM_BACKEND");
	struct erim_config c = { 0 };
	unsigned first;

	check_child_timeout = 120;   /* a child that hangs fails, not the suite */
#ifdef RT_STATIC
	is_static = 1;
#endif
	if (argc > 1 && strncmp(argv[1], "--backend=", 10) == 0)
		be = argv[1] + 10;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (erim_register_entries(entries, sizeof entries / sizeof entries[0], &first) != 0) {
		printf("rt_fini: cannot register entries\n");
		return 1;
	}
	id_stale = first;
	id_setup = first + 1;
	id_get = first + 2;
	id_cb = first + 3;
	id_long = first + 4;
	id_add = first + 5;
	id_spin = first + 6;
	backend_none = be && strcmp(be, "none") == 0;
	c.backend = !be ? ERIM_BACKEND_AUTO : strcmp(be, "mpk") == 0 ? ERIM_BACKEND_MPK
	          : strcmp(be, "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = c.backend == ERIM_BACKEND_MPK;
	c.quiet = 1;
	printf("rt_fini: %s back end, %s\n", erim_backend_name(c.backend),
	       is_static ? "static" : "dynamic");
	if (erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = erim_gate_call(id_setup, NULL) == 0;
	backend_mpk = ready && erim_backend() == ERIM_BACKEND_MPK;
	backend_mprotect = ready && erim_backend() == ERIM_BACKEND_MPROTECT;
	RUN(fini_refused_while_a_callback_waits_in_trusted_code);
	RUN(fini_refused_while_a_long_entry_runs);
	RUN(fini_refused_while_a_signal_holds_a_thread_in_trusted_code);
	RUN(fini_with_sealed_heap_changes_nothing);
	RUN(fini_with_sealed_stacks_changes_nothing);
	RUN(fini_with_sealed_read_only_page_changes_nothing);
	RUN(trusted_wipe_alone_leaves_memory_protected_and_refuses_gates);
	RUN(fini_leaves_nothing_of_the_own_trusted_stack);
	RUN(fini_leaves_nothing_of_a_borrowed_slot);
	RUN(init_after_fini_is_refused_even_after_an_entry_rewrite);
	return check_done(is_static ? "rt_fini_static" : "rt_fini");
}
