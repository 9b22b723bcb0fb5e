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
 *    thread keeps writing PKRU_U := PKRU_T into the sealed read-only page and
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
 *    Control: the seal really refuses mprotect.  Under `none` (no untag
 *    needed) the heap/stack cases succeed and the wipe by plain stores still
 *    clears the sealed heap.  mseal(2) exists from Linux 6.10: where it is
 *    missing the test is skipped with that reason.
 *  - entry 0 called directly with the wipe argument (erim_fini's trusted half
 *    without its untrusted half): the trusted data is wiped, memory stays
 *    protected, and the next gate call stops the process with a message.
 *
 * Usage: rt_fini [--backend=mpk|mprotect|none] */

#include <errno.h>
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
#define NR_MSEAL 462

static ERIM_TRUSTED volatile long secret_global[8];
static volatile long *secret_heap;
static unsigned id_setup, id_get, id_cb, id_long, id_add, id_spin;
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

static const struct erim_entry entries[] = {
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

static volatile uint32_t *ro;
static uint32_t want_u;
static volatile int wstop;
static volatile unsigned long attempts, faults, landed;
static sigjmp_buf wjb;
static pthread_t writer_tid;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	if (pthread_equal(pthread_self(), writer_tid) &&
	    (uintptr_t)si->si_addr - (uintptr_t)ro < 4096) {
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
		ro[1] = want_u;                  /* erim_ro.pkru_u := pkru_t */
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
	pkru_t = ro[0];
	pkru_u = ro[1];
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
	if (landed || ro[1020] == 0xfeedface || ro[0] != pkru_t || ro[1] != pkru_u)
		FAIL_CHILD("a write reached the read-only page: %lu landed, pkru_u %#x (was %#x)",
		           landed, ro[1], pkru_u);
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
	want = backend_none && which != SEAL_RO ? 0 : -EPERM;
	if (r != want)
		FAIL_CHILD("erim_fini with the %s sealed: %ld (want %d) %s", seal_what[which], r,
		           want, erim_strerror());
	if (want == 0) {
		/* no untag needed: the wipe, plain stores, cleared the sealed range */
		if (secret_global[0] != 0 || secret_heap[0] != 0)
			FAIL_CHILD("a secret survived erim_fini");
		fprintf(stderr, "erim_fini succeeded; the sealed %s was wiped\n", seal_what[which]);
		_exit(0);
	}
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
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV &&
	      strstr(out, "erim_fini has wiped the trusted domain"),
	      "status %#x: %s", st, out);
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
	id_setup = first;
	id_get = first + 1;
	id_cb = first + 2;
	id_long = first + 3;
	id_add = first + 4;
	id_spin = first + 5;
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
	return check_done(is_static ? "rt_fini_static" : "rt_fini");
}
