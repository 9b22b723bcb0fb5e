/* SPDX-License-Identifier: MIT */
/* test_rt_core.c: the runtime core's API on any machine -- the `none` and
 * `mprotect` back ends, configuration from the environment, back-end choice
 * when protection keys are missing, the trusted heap (also from threads), the
 * range registry, entries and gates, callbacks, per-thread trusted stacks,
 * register scrubbing and the refusals (each in a forked child, checking the
 * message and the death).  erim_fini is one way (erim_init refuses after it
 * in the same process), so every test that initialises runs in its own
 * forked process: in_child(test). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_hooks.h"
#include "erim_check.h"

/* ---- the trusted side of the tests ---------------------------------------- */

struct add_args { long a, b; };
struct cb_args { long x; uintptr_t seen_at; };

static unsigned id_add, id_secret, id_in_trusted, id_stack, id_heap, id_cb, id_cb_noallow,
	id_public_from_cb, id_scrub, id_df;
static ERIM_TRUSTED long trusted_counter = 7;

static long e_add(void *p)
{
	const struct add_args *a = p;

	return a->a + a->b;
}

static long e_secret(void *p)
{
	(void)p;
	return 4242;
}

static long e_in_trusted(void *p)
{
	(void)p;
	return erim_in_trusted();
}

/* Reports where its locals live: must be a trusted stack. */
static long e_stack(void *p)
{
	volatile int local = 1;

	*(volatile uintptr_t *)p = (uintptr_t)&local;
	return erim_overlaps_trusted((const void *)&local, sizeof local);
}

/* Heap work inside the trusted domain; returns 0 or the failing step. */
static long e_heap(void *p)
{
	size_t rounds = p ? *(size_t *)p : 200;
	unsigned char *v[64] = { 0 };

	for (size_t r = 0; r < rounds; r++) {
		size_t i = r % 64, n = 1 + (r * 7919) % 5000;

		if (v[i]) {
			if (v[i][0] != (unsigned char)i)
				return 1;
			erim_free(v[i]);
		}
		v[i] = erim_malloc(n);
		if (!v[i] || !erim_overlaps_trusted(v[i], n))
			return 2;
		memset(v[i], (int)i, n);
	}
	for (size_t i = 0; i < 64; i++)
		erim_free(v[i]);
	trusted_counter++;
	return 0;
}

static long cb_calls_secret(void *p)
{
	struct cb_args *a = p;

	a->seen_at = (uintptr_t)p;
	return erim_gate_call(id_secret, NULL) + a->x;
}

static long cb_calls_add(void *p)
{
	struct add_args aa = { *(long *)p, 1 };

	return erim_gate_call(id_add, &aa);
}

static long e_cb(void *p)
{
	struct cb_args a = { 10, 0 };
	unsigned allow[1] = { id_secret };
	long r = erim_callback_call(cb_calls_secret, &a, sizeof a, allow, 1);

	if (p)
		*(struct cb_args *)p = a;
	/* the callback saw a copy, outside trusted memory */
	if (erim__trusted_ranges(NULL, 0) > 0 && erim_initialized() && a.seen_at == (uintptr_t)&a)
		return -1;
	return r;
}

static long e_cb_noallow(void *p)
{
	struct cb_args a = { 10, 0 };

	(void)p;
	return erim_callback_call(cb_calls_secret, &a, sizeof a, NULL, 0);
}

static long e_public_from_cb(void *p)
{
	long x = 41;

	(void)p;
	return erim_callback_call(cb_calls_add, &x, sizeof x, NULL, 0);
}

/* Leaves marker values in caller-saved registers and XMM registers. */
static long e_scrub(void *p)
{
	(void)p;
	__asm__ volatile("movq $0x5ec12e7, %%rcx\n\t"
	                 "movq %%rcx, %%rdx\n\tmovq %%rcx, %%rsi\n\tmovq %%rcx, %%rdi\n\t"
	                 "movq %%rcx, %%r8\n\tmovq %%rcx, %%r9\n\tmovq %%rcx, %%r10\n\t"
	                 "movq %%rcx, %%r11\n\t"
	                 "movq %%rcx, %%xmm0\n\tmovq %%rcx, %%xmm1\n\tmovq %%rcx, %%xmm7\n\t"
	                 "movq %%rcx, %%xmm8\n\tmovq %%rcx, %%xmm15\n\t"
	                 ::: "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
	                   "xmm0", "xmm1", "xmm7", "xmm8", "xmm15", "memory");
	return 0;
}

/* Calls erim_gate_call(id_scrub) and stores rcx rdx rsi rdi r8-r11 and the low
 * quadwords of xmm0-15 as they are right after the gate returns. */
extern void scrub_probe(unsigned id, uint64_t out[24]);
__asm__(".text\n"
        ".globl scrub_probe\n"
        ".type scrub_probe, @function\n"
        "scrub_probe:\n"
        "  pushq %rbx\n"
        "  movq %rsi, %rbx\n"
        "  call erim_gate_call@PLT\n"
        "  movq %rcx, 0(%rbx)\n  movq %rdx, 8(%rbx)\n  movq %rsi, 16(%rbx)\n"
        "  movq %rdi, 24(%rbx)\n  movq %r8, 32(%rbx)\n  movq %r9, 40(%rbx)\n"
        "  movq %r10, 48(%rbx)\n  movq %r11, 56(%rbx)\n"
        "  movq %xmm0, 64(%rbx)\n  movq %xmm1, 72(%rbx)\n  movq %xmm2, 80(%rbx)\n"
        "  movq %xmm3, 88(%rbx)\n  movq %xmm4, 96(%rbx)\n  movq %xmm5, 104(%rbx)\n"
        "  movq %xmm6, 112(%rbx)\n  movq %xmm7, 120(%rbx)\n  movq %xmm8, 128(%rbx)\n"
        "  movq %xmm9, 136(%rbx)\n  movq %xmm10, 144(%rbx)\n  movq %xmm11, 152(%rbx)\n"
        "  movq %xmm12, 160(%rbx)\n  movq %xmm13, 168(%rbx)\n  movq %xmm14, 176(%rbx)\n"
        "  movq %xmm15, 184(%rbx)\n"
        "  popq %rbx\n"
        "  ret\n"
        ".size scrub_probe, .-scrub_probe\n");

/* Reports EFLAGS.DF as trusted code sees it. */
static long e_df(void *p)
{
	unsigned long fl;

	(void)p;
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(fl));
	return (long)((fl >> 10) & 1);
}

/* erim_gate_call(id, NULL) with EFLAGS.DF=1 at the call */
extern long call_with_df(unsigned id);
__asm__(".text\n.globl call_with_df\n.type call_with_df,@function\ncall_with_df:\n"
        "  subq $8, %rsp\n  xorl %esi, %esi\n  std\n  call erim_gate_call@PLT\n  cld\n"
        "  addq $8, %rsp\n  ret\n.size call_with_df, .-call_with_df\n");

static const struct erim_entry entries[] = {
	{ "test", "add", e_add, ERIM_ENTRY_PUBLIC },
	{ "test", "secret", e_secret, 0 },
	{ "test", "in_trusted", e_in_trusted, ERIM_ENTRY_PUBLIC },
	{ "test", "stack", e_stack, ERIM_ENTRY_PUBLIC },
	{ "test", "heap", e_heap, ERIM_ENTRY_PUBLIC },
	{ "test", "cb", e_cb, ERIM_ENTRY_PUBLIC },
	{ "test", "cb_noallow", e_cb_noallow, ERIM_ENTRY_PUBLIC },
	{ "test", "public_from_cb", e_public_from_cb, ERIM_ENTRY_PUBLIC },
	{ "test", "scrub", e_scrub, ERIM_ENTRY_PUBLIC },
	{ "test", "df", e_df, ERIM_ENTRY_PUBLIC },
};

/* ---- helpers ------------------------------------------------------------------ */

static int init_backend(enum erim_backend b)
{
	struct erim_config c = { 0 };

	c.backend = b;
	c.quiet = 1;
	c.heap_size = 16 << 20;
	return erim_init(&c);
}

/* Run FN in a forked process of its own; its result (failed, skipped) is
 * the test's.  Used through RUN(in_child(fn)). */
static void (*in_child_fn)(void);

static void run_in_child(void)
{
	char why[96];
	pid_t pid;
	int st = 0;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		in_child_fn();
		fflush(NULL);
		_exit(check_cur_failed_ ? 1 : check_cur_skipped_ ? 77 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		CHECK(0, "%s", "cannot run the test in a child process");
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		check_cur_skipped_ = 1;
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		CHECK(0, "the test's process %s", check_status_text(st, why, sizeof why));
}

#define in_child(fn) (in_child_fn = (fn), run_in_child)

/* ---- before erim_init --------------------------------------------------------- */

static void before_init_gates_call_entries_directly(void)
{
	struct add_args a = { 2, 3 };

	EXPECT(!erim_initialized());
	EXPECT(erim_backend() == ERIM_BACKEND_AUTO);
	EXPECT(erim_pkey() == -1);
	EXPECT(erim_gate_call(id_add, &a) == 5);
	EXPECT(erim_gate_call(id_in_trusted, NULL) == 1);
	EXPECT(erim_gate_call(id_cb, NULL) == 4252);
}

static void register_rejects_bad_arguments(void)
{
	unsigned first;
	struct erim_entry bad = { "t", "nofn", NULL, 0 };

	EXPECT(erim_register_entries(NULL, 1, &first) == (-EINVAL));
	EXPECT(erim_register_entries(&bad, 1, &first) == (-EINVAL));
}

/* ---- configuration -------------------------------------------------------------- */

static void env_chooses_backend_none(void)
{
	setenv("ERIM_BACKEND", "none", 1);
	setenv("ERIM_QUIET", "1", 1);
	REQUIRE(erim_init(NULL) == 0);
	EXPECT(erim_backend() == ERIM_BACKEND_NONE);
	EXPECT(strcmp(erim_backend_name(erim_backend()), "none") == 0);
	EXPECT(erim_fini() == 0);
}

static void env_chooses_backend_mprotect(void)
{
	setenv("ERIM_BACKEND", "mprotect", 1);
	setenv("ERIM_QUIET", "1", 1);
	REQUIRE(erim_init(NULL) == 0);
	EXPECT(erim_backend() == ERIM_BACKEND_MPROTECT);
	EXPECT(erim_fini() == 0);
}

static void bad_env_value_is_rejected_with_a_message(void)
{
	setenv("ERIM_BACKEND", "turbo", 1);
	EXPECT(erim_init(NULL) == (-EINVAL));
	EXPECT((strstr(erim_strerror(), "ERIM_BACKEND=turbo")) != NULL);
	EXPECT(!erim_initialized());
	unsetenv("ERIM_BACKEND");
	setenv("ERIM_INSPECT", "maybe", 1);
	EXPECT(erim_init(NULL) == (-EINVAL));
	EXPECT((strstr(erim_strerror(), "ERIM_INSPECT")) != NULL);
	unsetenv("ERIM_INSPECT");
	setenv("ERIM_REQUIRE", "everything", 1);
	EXPECT(erim_init(NULL) == (-EINVAL));
	unsetenv("ERIM_REQUIRE");
	EXPECT(!erim_initialized());
}

static void require_mpk_refuses_without_pku(void)
{
	if (erim_pku_available())
		SKIP("this machine has protection keys");
	setenv("ERIM_REQUIRE", "mpk", 1);
	EXPECT(erim_init(NULL) == (-ENOTSUP));
	EXPECT((strstr(erim_strerror(), "protection keys")) != NULL);
	EXPECT(!erim_initialized());
	/* the environment cannot drop a requirement the program made */
	unsetenv("ERIM_REQUIRE");
	{
		struct erim_config c = { 0 };

		c.require_mpk = 1;
		setenv("ERIM_BACKEND", "none", 1);
		EXPECT(erim_init(&c) == (-ENOTSUP));
		unsetenv("ERIM_BACKEND");
	}
	EXPECT(init_backend(ERIM_BACKEND_MPK) == (-ENOTSUP));
	EXPECT(!erim_initialized());
}

static void child_auto_init(void *arg)
{
	(void)arg;
	unsetenv("ERIM_QUIET");
	unsetenv("ERIM_BACKEND");
	if (erim_init(NULL) != 0)
		_exit(3);
	_exit(erim_backend() == ERIM_BACKEND_MPROTECT ? 0 : 4);
}

static void auto_falls_back_to_mprotect_with_one_notice(void)
{
	char out[1024];
	int st;

	if (erim_pku_available())
		SKIP("this machine has protection keys: auto chooses mpk");
	st = check_child(child_auto_init, NULL, out, sizeof out);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{
		static const char want[] = "erim: notice: no protection keys on this CPU; using the "
		                           "mprotect back end (isolation between switches only, "
		                           "process-wide)\n";
		const char *at = strstr(out, want);

		/* exactly once (other components may add their own notices) */
		EXPECT(at != NULL);
		EXPECT(at && !strstr(at + 1, want));
	}
}

/* A failure late in init (here: erim-tem demanded but absent, after the
 * regions, the registry and the read-only page are set up) undoes it all. */
static void late_init_failure_leaves_nothing_half_set_up(void)
{
	struct erim_config c = { 0 };
	struct add_args a = { 1, 2 };

	c.backend = ERIM_BACKEND_MPROTECT;
	c.require_tem = 1;
	c.quiet = 1;
	EXPECT(erim_init(&c) == (-ENOTSUP));
	EXPECT((strstr(erim_strerror(), "erim-tem")) != NULL);
	EXPECT(!erim_initialized());
	EXPECT(erim_backend() == ERIM_BACKEND_AUTO);
	/* trusted memory is plain memory again and gates are direct calls */
	EXPECT(erim_gate_call(id_add, &a) == 3);
	EXPECT(erim_gate_call(id_heap, NULL) == 0);
	/* and a later init works */
	REQUIRE(init_backend(ERIM_BACKEND_MPROTECT) == 0);
	EXPECT(erim_gate_call(id_add, &a) == 3);
	EXPECT(erim_fini() == 0);
}

static void double_init_is_ealready(void)
{
	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	EXPECT(init_backend(ERIM_BACKEND_NONE) == (-EALREADY));
	EXPECT(erim_backend() == ERIM_BACKEND_NONE);
	EXPECT(erim_fini() == 0);
	EXPECT(erim_fini() == (-EINVAL));
}

/* erim_fini is one way: after it the entry table, the slot table and the
 * heap metadata were plain memory, so erim_init (and registration) refuse
 * for the rest of the process; gates stay direct calls, the heap works
 * (red-team round 7, fini_reinit; the attack itself: tests/harden/rt_fini) */
static void init_after_fini_is_refused(enum erim_backend b)
{
	struct add_args a = { 2, 5 };
	unsigned first;

	REQUIRE(init_backend(b) == 0);
	EXPECT(erim_gate_call(id_heap, NULL) == 0);
	EXPECT(erim_fini() == 0);
	CHECK(*(volatile long *)&trusted_counter == 0, "trusted_counter %ld after erim_fini",
	      *(volatile long *)&trusted_counter);   /* trusted globals: fresh zero pages */
	EXPECT(init_backend(b) == (-EPERM));
	EXPECT(strstr(erim_strerror(), "erim_init after erim_fini: refused, nothing untrusted "
	                               "code could write after erim_fini is trusted again") != NULL);
	EXPECT(erim_init(NULL) == (-EPERM));
	EXPECT(!erim_initialized());
	EXPECT(erim_backend() == ERIM_BACKEND_AUTO);
	EXPECT(erim_register_entries(entries, 1, &first) == (-EPERM));
	EXPECT(erim_gate_call(id_add, &a) == 7);
	EXPECT(erim_gate_call(id_in_trusted, NULL) == 1);
	EXPECT(erim_gate_call(id_heap, NULL) == 0);
	EXPECT(erim_fini() == (-EINVAL));
}

static void init_after_fini_is_refused_none(void)
{
	init_after_fini_is_refused(ERIM_BACKEND_NONE);
}

static void init_after_fini_is_refused_mprotect(void)
{
	init_after_fini_is_refused(ERIM_BACKEND_MPROTECT);
}

static void registration_after_init_is_refused(void)
{
	unsigned first;

	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	EXPECT(erim_register_entries(entries, 1, &first) == (-EPERM));
	EXPECT(erim_fini() == 0);
}

/* ---- gates under each software back end ------------------------------------------- */

static void gate_basics(enum erim_backend b)
{
	struct add_args a = { 40, 2 };
	uintptr_t where = 0;

	REQUIRE(init_backend(b) == 0);
	EXPECT(erim_gate_call(id_add, &a) == 42);
	EXPECT(erim_in_trusted() == 0);
	EXPECT(erim_gate_call(id_in_trusted, NULL) == 1);
	EXPECT(erim_gate_call(id_stack, &where) == 1);
	EXPECT(erim_overlaps_trusted((void *)where, 4));
	EXPECT(erim_gate_call(id_heap, NULL) == 0);
	EXPECT(erim_gate_call(id_cb, NULL) == 4252);
	EXPECT(erim_gate_call(id_public_from_cb, NULL) == 42);
	EXPECT(erim_in_trusted() == 0);
	EXPECT(erim_fini() == 0);
}

static void none_backend_runs_gates_on_trusted_stacks(void)
{
	gate_basics(ERIM_BACKEND_NONE);
}

static void mprotect_backend_runs_gates_on_trusted_stacks(void)
{
	gate_basics(ERIM_BACKEND_MPROTECT);
}

static void gate_scrubs_registers(void)
{
	uint64_t out[24];

	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	memset(out, 0xaa, sizeof out);
	scrub_probe(id_scrub, out);
	for (int i = 0; i < 24; i++)
		if (out[i] != 0) {
			printf("\n  register slot %d = %#llx after the gate\n", i,
			       (unsigned long long)out[i]);
			CHECK(0, "a register was not scrubbed");
		}
	EXPECT(erim_fini() == 0);
}

static void gate_sites_are_wrpkru_instructions(void)
{
	const uintptr_t *sites;
	size_t n = erim__gate_sites(&sites);

	EXPECT(n >= 5);
	for (size_t i = 0; i < n; i++) {
		const unsigned char *b = (const unsigned char *)sites[i];

		EXPECT(b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xef);
	}
}

static void trusted_code_runs_with_df_clear(enum erim_backend b)
{
	REQUIRE(init_backend(b) == 0);
	EXPECT(call_with_df(id_df) == 0);
	EXPECT(erim_fini() == 0);
}

static void trusted_code_runs_with_df_clear_none(void)
{
	trusted_code_runs_with_df_clear(ERIM_BACKEND_NONE);
}

static void trusted_code_runs_with_df_clear_mprotect(void)
{
	trusted_code_runs_with_df_clear(ERIM_BACKEND_MPROTECT);
}

static void *one_call_thread(void *arg)
{
	struct add_args a = { 1, 1 };

	(void)arg;
	return (void *)(intptr_t)erim_gate_call(id_add, &a);
}

/* More threads than trusted stacks, one after the other: each exiting thread
 * must give its stack back. */
static void exiting_threads_give_their_trusted_stack_back(void)
{
	void *rv;
	int ok = 1;

	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	for (int i = 0; i < 300 && ok; i++) {
		pthread_t t;

		pthread_create(&t, NULL, one_call_thread, NULL);
		pthread_join(t, &rv);
		ok = (intptr_t)rv == 2;
	}
	EXPECT(ok);
	EXPECT(erim_fini() == 0);
}

/* ---- registry --------------------------------------------------------------------- */

static void registry_covers_trusted_regions_only(void)
{
	struct erim_range r[64];
	size_t n;
	int local = 0;

	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	n = erim__trusted_ranges(r, 64);
	REQUIRE(n >= 4 && n <= 64);
	for (size_t i = 0; i < n; i++) {
		EXPECT(r[i].start < r[i].end);
		EXPECT((r[i].start % 4096) == 0);
		EXPECT((r[i].end % 4096) == 0);
		if (i > 0)
			EXPECT(r[i - 1].end <= r[i].start);
		EXPECT(erim_overlaps_trusted((void *)r[i].start, 1));
		EXPECT(erim_overlaps_trusted((void *)(r[i].end - 1), 1));
		EXPECT(erim_overlaps_trusted((void *)(r[i].start - 1), 2));   /* straddles */
		if (i == 0 || r[i - 1].end < r[i].start)   /* ends right at the start */
			EXPECT(!(erim_overlaps_trusted((void *)(r[i].start - 16), 16)));
	}
	EXPECT(erim_overlaps_trusted(&trusted_counter, sizeof trusted_counter));
	EXPECT(!erim_overlaps_trusted(&local, sizeof local));
	EXPECT(!erim_overlaps_trusted(NULL, 0));
	EXPECT(erim_overlaps_trusted((void *)(UINTPTR_MAX - 4), 16));   /* wraps */
	EXPECT(erim_overlaps_trusted(&local, SIZE_MAX));
	EXPECT(erim__trusted_ranges(NULL, 0) == n);
	EXPECT(erim_fini() == 0);
}

/* ---- heap ------------------------------------------------------------------------- */

static void heap_allocates_aligned_zeroed_and_resizable_blocks(void)
{
	unsigned char *p, *q;

	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	for (size_t al = 16; al <= 65536; al <<= 1) {
		p = erim_aligned_alloc(al, 100);
		REQUIRE(p != NULL);
		EXPECT(((uintptr_t)p % al) == 0);
		q = erim_aligned_alloc(al, 3 * al + 5);
		REQUIRE(q != NULL);
		EXPECT(((uintptr_t)q % al) == 0);
		memset(q, 1, 3 * al + 5);
		erim_free(p);
		erim_free(q);
	}
	EXPECT(erim_aligned_alloc(24, 10) == NULL);
	p = erim_calloc(1000, 7);
	REQUIRE(p != NULL);
	for (int i = 0; i < 7000; i++)
		if (p[i] != 0) {
			CHECK(0, "calloc returned non-zero bytes");
			break;
		}
	memset(p, 0x5a, 7000);
	erim_free(p);
	p = erim_calloc(1000, 7);   /* probably the same pages again */
	EXPECT(p && p[0] == 0 && p[6999] == 0);
	erim_free(p);
	EXPECT(erim_calloc(SIZE_MAX / 2, 3) == NULL);
	p = erim_malloc(10);
	memcpy(p, "0123456789", 10);
	p = erim_realloc(p, 100000);
	EXPECT(p && memcmp(p, "0123456789", 10) == 0);
	p = erim_realloc(p, 20);
	EXPECT(p && memcmp(p, "0123456789", 10) == 0);
	EXPECT(erim_realloc(p, 0) == NULL);
	EXPECT((erim_malloc((size_t)1 << 40)) == NULL);
	EXPECT(erim_fini() == 0);
}

static void *heap_thread(void *arg)
{
	size_t rounds = 3000;

	(void)arg;
	return (void *)(intptr_t)erim_gate_call(id_heap, &rounds);
}

static void heap_is_thread_safe(enum erim_backend b)
{
	pthread_t t[6];
	void *rv;

	REQUIRE(init_backend(b) == 0);
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, heap_thread, NULL);
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], &rv);
		EXPECT(((intptr_t)rv) == 0);
	}
	EXPECT(erim_fini() == 0);
}

static void heap_is_thread_safe_none(void)
{
	heap_is_thread_safe(ERIM_BACKEND_NONE);
}

static void heap_is_thread_safe_mprotect(void)
{
	heap_is_thread_safe(ERIM_BACKEND_MPROTECT);
}

/* ---- trusted stacks from many threads ------------------------------------------------ */

struct stack_seen { uintptr_t lo, hi; int bad; };
static pthread_barrier_t stack_barrier;

/* All threads are alive for the whole loop (barriers), so none can inherit
 * another's slot after it exited. */
static void *stack_thread(void *arg)
{
	struct stack_seen *s = arg;

	s->lo = UINTPTR_MAX;
	pthread_barrier_wait(&stack_barrier);
	for (int i = 0; i < 20000; i++) {
		uintptr_t where = 0;

		if (erim_gate_call(id_stack, &where) != 1)
			s->bad++;
		if (where < s->lo)
			s->lo = where;
		if (where > s->hi)
			s->hi = where;
	}
	pthread_barrier_wait(&stack_barrier);
	return NULL;
}

static void threads_get_separate_trusted_stacks(void)
{
	struct stack_seen s[8];
	pthread_t t[8];

	memset(s, 0, sizeof s);
	pthread_barrier_init(&stack_barrier, NULL, 8);
	REQUIRE(init_backend(ERIM_BACKEND_NONE) == 0);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, stack_thread, &s[i]);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 8; i++) {
		EXPECT(s[i].bad == 0);
		for (int j = 0; j < i; j++)
			EXPECT(s[i].hi < s[j].lo - 4096 || s[j].hi < s[i].lo - 4096);
	}
	EXPECT(erim_fini() == 0);
}

/* ---- refusals (each in a child that must die with the report) ----------------------- */

static enum erim_backend child_backend;

static void child_unknown_id(void *arg)
{
	(void)arg;
	init_backend(child_backend);
	erim_gate_call(9999, NULL);
}

static void child_nonpublic(void *arg)
{
	(void)arg;
	init_backend(child_backend);
	erim_gate_call(id_secret, NULL);
}

static void child_cb_noallow(void *arg)
{
	(void)arg;
	init_backend(child_backend);
	erim_gate_call(id_cb_noallow, NULL);
}

static void child_refuse(void *arg)
{
	(void)arg;
	erim_refuse("vault", "get", "length %d too large", 42);
}

static void child_read_heap(void *arg)
{
	volatile long *p;

	(void)arg;
	init_backend(ERIM_BACKEND_MPROTECT);
	p = (volatile long *)(uintptr_t)erim_gate_call(id_add, &(struct add_args){ 0, 0 });
	/* find a heap page: the registry says where it is */
	{
		struct erim_range r[64];
		size_t n = erim__trusted_ranges(r, 64);

		for (size_t i = 0; i < n; i++)
			if (strcmp(r[i].what, "heap") == 0)
				p = (volatile long *)r[i].start;
	}
	(void)*p;
	_exit(0);
}

/* Under the none back end (plain memory) the heap's first and last bytes
 * are readable -- the control -- and the byte before or after it (ARG 0, 1)
 * or after the runtime region (ARG 2) is a guard gap's: a fault, reported. */
static void child_read_guard(void *arg)
{
	struct erim_range r[64];
	size_t n;
	const char *what = (uintptr_t)arg == 2 ? "runtime" : "heap";
	volatile const char *at = NULL;

	init_backend(ERIM_BACKEND_NONE);
	n = erim__trusted_ranges(r, 64);
	/* the region, not liberim's read-only page (also "runtime"): the one
	 * between two ranges of its guard */
	for (size_t i = 1; i + 1 < n && i + 1 < 64; i++)
		if (strcmp(r[i].what, what) == 0 && strncmp(r[i + 1].what, what, strlen(what)) == 0 &&
		    strcmp(r[i + 1].what + strlen(what), " guard") == 0 &&
		    strcmp(r[i - 1].what, r[i + 1].what) == 0 && r[i - 1].end == r[i].start &&
		    r[i].end == r[i + 1].start) {
			(void)*(volatile const char *)r[i].start;
			(void)*(volatile const char *)(r[i].end - 1);
			at = (volatile const char *)((uintptr_t)arg == 0 ? r[i].start - 1 : r[i].end);
		}
	if (!at) {
		printf("no %s range in the registry\n", what);
		_exit(3);
	}
	printf("read the first and last bytes of the %s\n", what);
	fflush(stdout);
	(void)*at;
	_exit(0);
}

static void child_write_global(void *arg)
{
	(void)arg;
	init_backend(ERIM_BACKEND_MPROTECT);
	trusted_counter = 1;
	_exit(0);
}

static void child_bad_free(void *arg)
{
	int local;

	(void)arg;
	init_backend(ERIM_BACKEND_NONE);
	erim_free(&local);
	_exit(0);
}

static void child_double_free(void *arg)
{
	void *p;

	(void)arg;
	init_backend(ERIM_BACKEND_NONE);
	p = erim_malloc(100000);
	erim_free(p);
	erim_free(p);
	_exit(0);
}

static void child_interior_free(void *arg)
{
	char *p;

	(void)arg;
	init_backend(ERIM_BACKEND_NONE);
	p = erim_malloc(64);
	erim_free(p + 16);
	_exit(0);
}

static void refusals_stop_the_process(enum erim_backend b)
{
	child_backend = b;
	CHECK_DIES("child_unknown_id", child_unknown_id, NULL, SIGSEGV, "erim: erim.gate: unknown entry id 9999");
	CHECK_DIES("child_nonpublic", child_nonpublic, NULL, SIGSEGV, "erim: test.secret: non-public entry called from untrusted code");
	CHECK_DIES("child_cb_noallow", child_cb_noallow, NULL, SIGSEGV, "erim: test.secret: re-entry not allowed by the running callback");
}

static void refusals_stop_the_process_none(void)
{
	refusals_stop_the_process(ERIM_BACKEND_NONE);
}

static void refusals_stop_the_process_mprotect(void)
{
	refusals_stop_the_process(ERIM_BACKEND_MPROTECT);
}

static void refusals_stop_the_process_before_init(void)
{
	child_backend = ERIM_BACKEND_AUTO;
	CHECK_DIES("child_refuse", child_refuse, NULL, SIGSEGV, "erim: vault.get: length 42 too large\n");
}

static void invalid_frees_stop_the_process(void)
{
	CHECK_DIES("child_bad_free", child_bad_free, NULL, SIGSEGV, "which is not in the trusted heap");
	CHECK_DIES("child_double_free", child_double_free, NULL, SIGSEGV, "which is not an allocated block");
	CHECK_DIES("child_interior_free", child_interior_free, NULL, SIGSEGV, "inside an object");
}

static void guard_gaps_surround_the_heap_and_runtime_region(void)
{
	CHECK_DIES("child_read_guard below the heap", child_read_guard, 0, SIGSEGV,
	           "read the first and last bytes of the heap\nerim: violation: untrusted code read trusted memory at 0x[0-9a-f]+ .*; trusted heap guard\\)");
	CHECK_DIES("child_read_guard above the heap", child_read_guard, 1, SIGSEGV, "; trusted heap guard\\)");
	CHECK_DIES("child_read_guard above the runtime region", child_read_guard, 2, SIGSEGV,
	           "; trusted runtime guard\\)");
}

static void mprotect_stops_untrusted_access(void)
{
	CHECK_DIES("child_read_heap", child_read_heap, NULL, SIGSEGV, "erim: violation: untrusted code read trusted memory at 0x");
	CHECK_DIES("child_write_global", child_write_global, NULL, SIGSEGV, "erim: violation: untrusted code wrote trusted memory at 0x");
}

int main(void)
{
	unsigned first;

	if (erim_register_entries(entries, sizeof entries / sizeof entries[0], &first) != 0) {
		printf("rt_core: cannot register the test entries\n");
		return 1;
	}
	id_add = first;
	id_secret = first + 1;
	id_in_trusted = first + 2;
	id_stack = first + 3;
	id_heap = first + 4;
	id_cb = first + 5;
	id_cb_noallow = first + 6;
	id_public_from_cb = first + 7;
	id_scrub = first + 8;
	id_df = first + 9;
	unsetenv("ERIM_BACKEND");
	unsetenv("ERIM_REQUIRE");

	RUN(before_init_gates_call_entries_directly);
	RUN(register_rejects_bad_arguments);
	RUN(in_child(env_chooses_backend_none));
	RUN(in_child(env_chooses_backend_mprotect));
	RUN(in_child(bad_env_value_is_rejected_with_a_message));
	RUN(in_child(require_mpk_refuses_without_pku));
	RUN(auto_falls_back_to_mprotect_with_one_notice);
	RUN(in_child(late_init_failure_leaves_nothing_half_set_up));
	RUN(in_child(double_init_is_ealready));
	RUN(in_child(init_after_fini_is_refused_none));
	RUN(in_child(init_after_fini_is_refused_mprotect));
	RUN(in_child(registration_after_init_is_refused));
	RUN(in_child(none_backend_runs_gates_on_trusted_stacks));
	RUN(in_child(mprotect_backend_runs_gates_on_trusted_stacks));
	RUN(in_child(gate_scrubs_registers));
	RUN(gate_sites_are_wrpkru_instructions);
	RUN(in_child(registry_covers_trusted_regions_only));
	RUN(in_child(heap_allocates_aligned_zeroed_and_resizable_blocks));
	RUN(guard_gaps_surround_the_heap_and_runtime_region);
	RUN(in_child(heap_is_thread_safe_none));
	RUN(in_child(heap_is_thread_safe_mprotect));
	RUN(in_child(threads_get_separate_trusted_stacks));
	RUN(refusals_stop_the_process_none);
	RUN(refusals_stop_the_process_mprotect);
	RUN(refusals_stop_the_process_before_init);
	RUN(mprotect_stops_untrusted_access);
	RUN(invalid_frees_stop_the_process);
	RUN(in_child(trusted_code_runs_with_df_clear_none));
	RUN(in_child(trusted_code_runs_with_df_clear_mprotect));
	RUN(in_child(exiting_threads_give_their_trusted_stack_back));
	return check_done("rt_core");
}
