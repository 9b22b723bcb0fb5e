/* SPDX-License-Identifier: MIT */
/* rt_mpk.c: the runtime core under the real `mpk` back end, inside the PKU
 * guest.  Functional checks (init takes a key from the kernel, gates,
 * callbacks, heap, register scrubbing) and the attacks of security.md that
 * the runtime alone must stop, each in a forked child that must die with
 * erim's report: untrusted reads and writes of the trusted heap, globals and
 * stacks; jumps onto every WRPKRU site of the gate with a hostile EAX; a thread
 * whose %fs points at another thread's TLS while that thread is inside a gate.
 * With --stress [N]: 8 threads x N (default 100000) gate calls concurrently,
 * each on its own trusted stack. */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_hooks.h"
#include "erim_check.h"

/* TCG pays ~1.3 us per WRPKRU and two per call; --stress N sets the calls
 * per thread (default below). */
static long stress_calls = 100000;

struct add_args { long a, b; };

static ERIM_TRUSTED volatile long secret_global = 0x5ec7e7;
static volatile long *secret_heap;
static unsigned id_add, id_secret, id_stack, id_setup, id_cb, id_block, id_scrub, id_raise;
static volatile int block_inside, block_release;

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

static long e_stack(void *p)
{
	volatile long local = 0x5ec7e7;

	*(volatile uintptr_t *)p = (uintptr_t)&local;
	return erim_overlaps_trusted((const void *)&local, sizeof local);
}

static long e_setup(void *p)
{
	(void)p;
	secret_heap = erim_malloc(4096);
	if (!secret_heap)
		return -1;
	secret_heap[0] = 0x5ec7e7;
	return secret_global == 0x5ec7e7 ? 0 : -2;
}

static long cb_calls_secret(void *p)
{
	return erim_gate_call(id_secret, NULL) + *(long *)p;
}

static long e_cb(void *p)
{
	long x = 10;
	unsigned allow[1] = { id_secret };

	(void)p;
	return erim_callback_call(cb_calls_secret, &x, sizeof x, allow, 1);
}

static long e_block(void *p)
{
	(void)p;
	block_inside = 1;
	while (!block_release)
		__asm__ volatile("pause");
	return 0;
}

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

static long e_raise(void *p)
{
	(void)p;
	raise(SIGUSR1);
	return 0;
}

static const struct erim_entry entries[] = {
	{ "vmtest", "add", e_add, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "secret", e_secret, 0 },
	{ "vmtest", "stack", e_stack, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "setup", e_setup, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "cb", e_cb, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "block", e_block, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "scrub", e_scrub, ERIM_ENTRY_PUBLIC },
	{ "vmtest", "raise", e_raise, ERIM_ENTRY_PUBLIC },
};

/* jump straight onto ADDR with EAX chosen by the attacker (ECX=EDX=0) */
extern void jump_onto(uintptr_t addr, uint32_t eax) __attribute__((noreturn));
__asm__(".text\n.globl jump_onto\n.type jump_onto,@function\njump_onto:\n"
        "  movl %esi, %eax\n  xorl %ecx, %ecx\n  xorl %edx, %edx\n  jmp *%rdi\n"
        ".size jump_onto, .-jump_onto\n");

extern void scrub_probe(unsigned id, uint64_t out[24]);
__asm__(".text\n.globl scrub_probe\n.type scrub_probe,@function\nscrub_probe:\n"
        "  pushq %rbx\n  movq %rsi, %rbx\n  call erim_gate_call@PLT\n"
        "  movq %rcx, 0(%rbx)\n  movq %rdx, 8(%rbx)\n  movq %rsi, 16(%rbx)\n"
        "  movq %rdi, 24(%rbx)\n  movq %r8, 32(%rbx)\n  movq %r9, 40(%rbx)\n"
        "  movq %r10, 48(%rbx)\n  movq %r11, 56(%rbx)\n"
        "  movq %xmm0, 64(%rbx)\n  movq %xmm1, 72(%rbx)\n  movq %xmm2, 80(%rbx)\n"
        "  movq %xmm3, 88(%rbx)\n  movq %xmm4, 96(%rbx)\n  movq %xmm5, 104(%rbx)\n"
        "  movq %xmm6, 112(%rbx)\n  movq %xmm7, 120(%rbx)\n  movq %xmm8, 128(%rbx)\n"
        "  movq %xmm9, 136(%rbx)\n  movq %xmm10, 144(%rbx)\n  movq %xmm11, 152(%rbx)\n"
        "  movq %xmm12, 160(%rbx)\n  movq %xmm13, 168(%rbx)\n  movq %xmm14, 176(%rbx)\n"
        "  movq %xmm15, 184(%rbx)\n  popq %rbx\n  ret\n.size scrub_probe, .-scrub_probe\n");

/* ---- children ---------------------------------------------------------------- */

static void read_at(void *a_arg)
{
	uintptr_t a = (uintptr_t)a_arg;

	printf("leaked %lx\n", (unsigned long)*(volatile long *)a);
}

static void write_at(void *a_arg)
{
	uintptr_t a = (uintptr_t)a_arg;

	*(volatile long *)a = 0;
}

static uint32_t pkru_trusted(void)
{
	uint32_t k = (uint32_t)erim_pkey();

	return erim_rdpkru() & ~(ERIM_PKRU_AD(k) | ERIM_PKRU_WD(k));
}

static void jump_hostile_zero(void *site_arg)
{
	uintptr_t site = (uintptr_t)site_arg;

	jump_onto(site, 0);
}

static void jump_hostile_trusted(void *site_arg)
{
	uintptr_t site = (uintptr_t)site_arg;

	jump_onto(site, pkru_trusted());
}

static void *blocker(void *arg)
{
	(void)arg;
	erim_gate_call(id_block, NULL);
	return NULL;
}

static void tls_points_at_busy_thread(void *unused)
{
	pthread_t t;
	struct add_args a = { 1, 2 };

	(void)unused;
	pthread_create(&t, NULL, blocker, NULL);
	while (!block_inside)
		usleep(1000);
	/* glibc x86-64: pthread_t is the thread's TCB, what %fs points at */
	syscall(SYS_arch_prctl, ARCH_SET_FS, (unsigned long)t);
	erim_gate_call(id_add, &a);
	_exit(0);
}

static void call_nonpublic(void *unused)
{
	(void)unused;
	erim_gate_call(id_secret, NULL);
}

static void call_unknown(void *unused)
{
	(void)unused;
	erim_gate_call(100000, NULL);
}

static void untrusted_malloc(void *unused)
{
	(void)unused;
	erim_malloc(16);
}

static void on_usr1(int sig)
{
	ssize_t r;

	(void)sig;
	r = write(2, "untrusted handler ran\n", 22);
	(void)r;
}

/* An untrusted handler for a signal that arrives while trusted code runs. */
static void signal_during_trusted_code(void *unused)
{
	(void)unused;
	signal(SIGUSR1, on_usr1);
	erim_gate_call(id_raise, NULL);
	_exit(0);
}

/* ---- tests -------------------------------------------------------------------- */

static int ready;

TEST(init_takes_a_key_from_the_kernel)
{
	struct erim_config c = { 0 };
	uint32_t k;

	if (!erim_pku_available())
		SKIP("no protection keys here (this program is for the PKU guest)");
	c.backend = ERIM_BACKEND_MPK;
	c.require_mpk = 1;
	c.quiet = 1;
	CHECK(erim_init(&c) == 0, "erim_init: %s", erim_strerror());
	CHECK(erim_backend() == ERIM_BACKEND_MPK, "backend %d", erim_backend());
	k = (uint32_t)erim_pkey();
	CHECK(k >= 1 && k < 16, "key %u", k);
	CHECK((erim_rdpkru() & ERIM_PKRU_AD(k)) != 0, "the caller left init with access to key %u", k);
	CHECK(!erim_in_trusted(), "in trusted after init");
	CHECK(erim_gate_call(id_setup, NULL) == 0, "setup entry failed");
	ready = erim_initialized() && secret_heap;
}

TEST(gates_and_callbacks_work)
{
	struct add_args a = { 40, 2 };
	uintptr_t where = 0;

	if (!ready)
		SKIP("init failed or no PKU");
	CHECK(erim_gate_call(id_add, &a) == 42, "add");
	CHECK(erim_gate_call(id_stack, &where) == 1, "entry locals not on a trusted stack");
	CHECK(erim_gate_call(id_cb, NULL) == 4252, "callback with an allowed re-entry");
	CHECK(!erim_in_trusted(), "in trusted after gates");
}

TEST(no_trusted_value_left_in_registers)
{
	uint64_t out[24];

	if (!ready)
		SKIP("init failed or no PKU");
	memset(out, 0xaa, sizeof out);
	scrub_probe(id_scrub, out);
	for (int i = 0; i < 24; i++)
		CHECK(out[i] == 0, "register slot %d = %#llx after the gate", i,
		      (unsigned long long)out[i]);
}

TEST(untrusted_access_to_trusted_memory_is_stopped)
{
	uintptr_t stack = 0;

	if (!ready)
		SKIP("init failed or no PKU");
	erim_gate_call(id_stack, &stack);
	CHECK_DIES("read heap", read_at, (uintptr_t)secret_heap, SIGSEGV, "erim: violation: untrusted code read trusted memory at");
	CHECK_DIES("write heap", write_at, (uintptr_t)secret_heap, SIGSEGV, "erim: violation: untrusted code wrote trusted memory at");
	CHECK_DIES("read global", read_at, (uintptr_t)&secret_global, SIGSEGV, "erim: violation: untrusted code read trusted memory at");
	CHECK_DIES("write global", write_at, (uintptr_t)&secret_global, SIGSEGV, "erim: violation: untrusted code wrote trusted memory at");
	CHECK_DIES("read stack", read_at, stack, SIGSEGV, "erim: violation: untrusted code read trusted memory at");
	CHECK_DIES("write stack", write_at, stack, SIGSEGV, "erim: violation: untrusted code wrote trusted memory at");
}

TEST(gate_refusals_and_untrusted_heap_use_are_stopped)
{
	if (!ready)
		SKIP("init failed or no PKU");
	CHECK_DIES("non-public entry", call_nonpublic, 0, SIGSEGV, "erim: vmtest.secret: non-public entry called from untrusted code");
	CHECK_DIES("unknown id", call_unknown, 0, SIGSEGV, "erim: erim.gate: unknown entry id 100000");
	CHECK_DIES("erim_malloc from untrusted code", untrusted_malloc, 0, SIGSEGV, "erim: violation: untrusted code");
}

/* The signal frame lands on the trusted stack and the handler starts with the
 * kernel's default PKRU: the first access to its stack (at the latest its
 * `ret`) faults and the kernel kills the process, so no trusted stack content
 * is read and trusted code never resumes after an untrusted handler.  NOT
 * covered: a handler that touches no stack before acting (e.g. a tail call
 * to write(2), as a static build compiles on_usr1) runs, and at that point
 * the interrupted trusted code's general registers are still live -- the
 * kernel does not clear them.  That row needs erim-tem's signal policy. */
TEST(signal_during_trusted_code_kills_the_process)
{
	char out[1024];
	int st;

	if (!ready)
		SKIP("init failed or no PKU");
	st = check_child(signal_during_trusted_code, NULL, out, sizeof out);
	printf("  status %#x; the untrusted handler %s\n", st,
	       strstr(out, "untrusted handler ran") ? "ran (stackless) before the process died"
	                                            : "never ran");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "the process survived (status %#x)", st);
}

TEST(jumps_onto_wrpkru_sites_are_stopped)
{
	const uintptr_t *sites;
	size_t n = erim__gate_sites(&sites);
	char what[64];

	if (!ready)
		SKIP("init failed or no PKU");
	CHECK(n >= 5, "%zu gate sites", n);
	for (size_t i = 0; i < n; i++) {
		snprintf(what, sizeof what, "site %zu eax=0", i);
		CHECK_DIES(what, jump_hostile_zero, sites[i], SIGSEGV, "erim: ");
		snprintf(what, sizeof what, "site %zu eax=PKRU_T", i);
		CHECK_DIES(what, jump_hostile_trusted, sites[i], SIGSEGV, "erim: ");
	}
}

TEST(tls_pointing_at_a_busy_threads_slot_is_stopped)
{
	if (!ready)
		SKIP("init failed or no PKU");
	CHECK_DIES("fs -> busy thread", tls_points_at_busy_thread, 0, SIGSEGV, "is in use by another thread");
}

struct stress { uintptr_t lo, hi; long bad; };
static pthread_barrier_t barrier;

static void *stress_thread(void *arg)
{
	struct stress *s = arg;

	s->lo = UINTPTR_MAX;
	pthread_barrier_wait(&barrier);
	for (long i = 0; i < stress_calls; i++) {
		struct add_args a = { i, 1 };
		uintptr_t where = 0;

		if (erim_gate_call(id_add, &a) != i + 1)
			s->bad++;
		if ((i & 255) == 0) {
			if (erim_gate_call(id_stack, &where) != 1)
				s->bad++;
			if (where < s->lo)
				s->lo = where;
			if (where > s->hi)
				s->hi = where;
		}
	}
	pthread_barrier_wait(&barrier);
	return NULL;
}

TEST(eight_threads_call_gates_concurrently_on_separate_stacks)
{
	struct stress s[8];
	pthread_t t[8];

	if (!ready)
		SKIP("init failed or no PKU");
	memset(s, 0, sizeof s);
	pthread_barrier_init(&barrier, NULL, 8);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, stress_thread, &s[i]);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 8; i++) {
		CHECK(s[i].bad == 0, "thread %d: %ld wrong results", i, s[i].bad);
		for (int j = 0; j < i; j++)
			CHECK(s[i].hi + 4096 < s[j].lo || s[j].hi + 4096 < s[i].lo,
			      "threads %d and %d shared a trusted stack", i, j);
	}
	printf("  8 threads x %ld gate calls done\n", stress_calls);
}

int main(int argc, char **argv)
{
	unsigned first;
	int stress = argc > 1 && strcmp(argv[1], "--stress") == 0;

	if (erim_register_entries(entries, sizeof entries / sizeof entries[0], &first) != 0) {
		printf("rt_mpk: cannot register entries\n");
		return 1;
	}
	id_add = first;
	id_secret = first + 1;
	id_stack = first + 2;
	id_setup = first + 3;
	id_cb = first + 4;
	id_block = first + 5;
	id_scrub = first + 6;
	id_raise = first + 7;
	RUN(init_takes_a_key_from_the_kernel);
	if (stress && argc > 2)
		stress_calls = atol(argv[2]);
	if (stress) {
		RUN(eight_threads_call_gates_concurrently_on_separate_stacks);
		return check_done("rt_mpk_stress");
	}
	RUN(gates_and_callbacks_work);
	RUN(no_trusted_value_left_in_registers);
	RUN(untrusted_access_to_trusted_memory_is_stopped);
	RUN(gate_refusals_and_untrusted_heap_use_are_stopped);
	RUN(jumps_onto_wrpkru_sites_are_stopped);
	RUN(signal_during_trusted_code_kills_the_process);
	RUN(tls_pointing_at_a_busy_threads_slot_is_stopped);
	return check_done("rt_mpk");
}
