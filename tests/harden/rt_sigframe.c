/* SPDX-License-Identifier: MIT */
/* rt_sigframe.c: red team 15's sigframe_write and sigframe_exec as a test --
 * untrusted code points %rsp into trusted memory, loads every register with a
 * value of its choice and faults (INT3 to the program's SIGTRAP handler, or
 * "segv": a load from address 8, liberim's own SIGSEGV handler).  Since Linux
 * 6.12 the kernel writes signal frames with every protection key enabled:
 * without liberim's signal stacks (runtime/erim_sigstack.c) the frame lands in
 * trusted memory, overwriting a trusted balance (sigframe_write) or a trusted
 * function pointer that trusted code then calls (sigframe_exec, -DSF_EXEC).
 *
 *   rt_sigframe mpk [segv]   expected: BLOCKED with liberim's report
 *       "would be written into trusted memory" (the kernel wrote the frame on
 *       liberim's signal stack -- trusted memory on 6.12, untrusted on 6.1,
 *       where a frame in trusted memory is refused by the hardware except
 *       after a jump onto a gate's WRPKRU: red team 49, rt_gatewin -- and
 *       the relay refused to copy it below the attacker's %rsp); the trusted
 *       value read through the gate is unchanged
 *   rt_sigframe none [segv]  control: the same frame write into the (untagged)
 *       trusted globals works -- the mechanism of the attack is real
 *   rt_sigframe mpk direct   the key's control: a plain untrusted load of the
 *       same trusted value is stopped (and read under none)
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure.
 * The attack itself (from red team 15, tests/redteam15 on branch red15) is
 * unchanged: a second thread keeps asking the trusted side through a gate and
 * reports what it saw to the parent through a MAP_SHARED page; each run is
 * tried in a fresh child up to 10 times (the race of the original). */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "erim_kernel.h"

#include "sf_erim.h"
#include "sf_trusted.h"

#define INIT_BALANCE 1000u
#define ATTACK_VALUE 0x4141414141414141ull
#define ATTEMPTS 10
/* the none control's "segv" form is a race between the reader and the
 * process's death; on a loaded 6.12 guest it lost ten tries in a row (CI run
 * of b027e79), so the control gets more tries than the keyed runs need */
#define CONTROL_ATTEMPTS 60
#ifdef SF_EXEC
#define NAME "rt_sigframe(exec)"
#else
#define NAME "rt_sigframe(write)"
#endif
#define SECRET 0x5345435245542d31ull   /* "1-TERCES" */

/* ---- the trusted side (as documented: a trusted global, two entries) ---- */

/* 8 KiB of trusted globals; the balance 1 KiB from the start, so that the
 * whole frame (about 3 KiB above the target) lands in trusted memory too. */
static ERIM_TRUSTED struct {
	uint64_t lo[128];
	volatile uint64_t balance;
	uint64_t hi[895];
} sf_t = { .balance = INIT_BALANCE };

uint64_t sf_get_impl(void)
{
	return sf_t.balance;
}

int sf_set_secret_impl(void)
{
	sf_t.balance = INIT_BALANCE;
	return 0;
}

/* sigframe_exec's trusted side: a secret, and 1 KiB above it a function
 * pointer trusted code calls (the implementation of sf_hash, chosen at
 * start-up the way libsodium picks its implementations; trusted memory, so
 * "untrusted code cannot redirect it"). */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	return x ^ (x >> 33);
}

static ERIM_TRUSTED struct {
	uint64_t secret;
	uint64_t lo[127];
	uint64_t (*volatile impl)(uint64_t);
	uint64_t hi[895];
} se_t = { .secret = SECRET, .impl = mix };

uint64_t sf_hash_impl(uint64_t x)
{
	return se_t.impl(x);
}

/* ---- the untrusted side -------------------------------------------------- */

struct shared {
	volatile uint64_t seen;       /* a balance other than INIT_BALANCE */
	volatile uint64_t iters;      /* gate calls made by the reader */
	volatile int ready, stop, fired, survived;
	volatile uint64_t target, rsp, xsize;
	volatile uint64_t leak, leak_pkru;
	volatile int ospke, pkey;                 /* RDPKRU works (CPUID.7:ECX.OSPKE) */   /* sigframe_exec: what evil() read, its PKRU */
};
static struct shared *sh;

static void on_trap(int sig)
{
	(void)sig;       /* the program's own SIGTRAP handler (a crash reporter, a profiler) */
}

#ifdef SF_EXEC
/* The attacker's own function, in untrusted code.  Called by trusted code
 * through the overwritten pointer, it runs with the trusted PKRU on the
 * trusted stack: it reads the trusted secret and leaves it in untrusted
 * memory. */
static uint64_t evil(uint64_t x)
{
	uint32_t eax = 0xffffffffu, edx;

	if (sh->ospke)
		__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	sh->leak_pkru = eax;
	sh->leak = se_t.secret;
	sh->seen = 1;
	return x;
}
#endif

static void *reader(void *arg)
{
	(void)arg;
	while (!sh->stop) {
#ifdef SF_EXEC
		(void)sf_hash(sh->iters);
#else
		uint64_t v = sf_get();

		if (v != INIT_BALANCE && !sh->seen)
			sh->seen = v;
#endif
		sh->iters++;
		if (sh->iters > 100)
			sh->ready = 1;
	}
	return NULL;
}

/* sf_fire(rsp, v): every general register but rsp := v, rsp := RSP, int3,
 * then back (when the handler returns: the control run). */
uint64_t sf_saved_rsp;
void sf_fire(uint64_t rsp, uint64_t v);        /* INT3: SIGTRAP, the program's handler */
void sf_fire_segv(uint64_t rsp, uint64_t v);   /* a load from address 8: SIGSEGV, liberim's own handler */
#define SF_FIRE(name, insn)                                                                  \
	__asm__(".text\n\t.globl " name "\n\t.type " name ",@function\n" name ":\n\t"          \
	        "push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t" \
	        "mov %rsp, sf_saved_rsp(%rip)\n\t"                                            \
	        "mov %rdi, %rsp\n\t"                                                          \
	        "mov %rsi, %rax\n\tmov %rsi, %rbx\n\tmov %rsi, %rcx\n\tmov %rsi, %rdx\n\t"       \
	        "mov %rsi, %rdi\n\tmov %rsi, %rbp\n\tmov %rsi, %r8\n\tmov %rsi, %r9\n\t"         \
	        "mov %rsi, %r10\n\tmov %rsi, %r11\n\tmov %rsi, %r12\n\tmov %rsi, %r13\n\t"       \
	        "mov %rsi, %r14\n\tmov %rsi, %r15\n\t"                                        \
	        insn "\n\t"                                                                    \
	        "mov sf_saved_rsp(%rip), %rsp\n\t"                                            \
	        "pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"       \
	        "ret\n\t.size " name ", .-" name "\n")
SF_FIRE("sf_fire", "int3");
SF_FIRE("sf_fire_segv", "movq 8, %r11");

static int use_segv, use_direct, use_thrd;
static uint64_t fire_rsp, fire_value;

static void fire(uint64_t rsp, uint64_t value)
{
	if (use_segv)
		sf_fire_segv(rsp, value);  /* no system call, no handler of the program's */
	else
		sf_fire(rsp, value);          /* no system call: registers, then INT3 */
}

/* "thrd": the same from a C11 thread (red team 18: glibc's thrd_create
 * bypassed liberim's pthread_create interposer, so the thread had no signal
 * stack of liberim's and its frame landed below the attacker's %rsp) */
static int fire_c11(void *arg)
{
	(void)arg;
	fire(fire_rsp, fire_value);
	return 0;
}

static int child(void)
{
	pthread_t t;
	unsigned a, b, c, d;
	uint64_t target, fp, rsp, xsize, value;

	if (erim_init(NULL) != 0) {
		fprintf(stderr, NAME ": erim_init failed: %s\n", erim_strerror());
		return 2;
	}
	sh->pkey = erim_pkey();
	printf(NAME ": backend pkey %d, trusted balance read through the gate: %llu\n",
	       erim_pkey(), (unsigned long long)sf_get());
	fflush(stdout);
	if (pthread_create(&t, NULL, reader, NULL) != 0)
		return 2;
	while (!sh->ready)
		;
	/* Where the kernel puts the frame (arch/x86/kernel/signal.c, get_sigframe):
	 * below 128 bytes of red zone the XSAVE image (xsize + 4 bytes of
	 * FP_XSTATE_MAGIC2, 64-aligned), below it struct rt_sigframe (440 bytes,
	 * 16-aligned minus 8); r8..rcx (15 words) at 48..168 bytes from its start.
	 * Choose the XSAVE image's address fp so that the target falls among
	 * those words: every one of them holds the attacker's value. */
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d) || b == 0)
		return 2;
	xsize = b;
	sh->ospke = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 4));
#ifdef SF_EXEC
	target = (uint64_t)(uintptr_t)&se_t.impl;      /* its address, not its bytes */
	value = (uint64_t)(uintptr_t)evil;
#else
	target = (uint64_t)(uintptr_t)&sf_t.balance;   /* its address, not its bytes */
	value = ATTACK_VALUE;
#endif
	fp = (target + 288 + 64) & ~63ull;
	rsp = fp + 128 + xsize + 4;
	sh->target = target;
	sh->rsp = rsp;
	sh->xsize = xsize;
	sh->fired = 1;
	if (use_direct) {
		/* the control of the key: the plain load, no kernel involved */
#ifdef SF_EXEC
		sh->leak = *(volatile uint64_t *)&se_t.secret;
#else
		sh->seen = *(volatile uint64_t *)&sf_t.balance;
#endif
		sh->survived = 1;
		sh->stop = 1;
		pthread_join(t, NULL);
		return 0;
	}
	if (use_thrd) {
		thrd_t th;

		fire_rsp = rsp;
		fire_value = value;
		if (thrd_create(&th, fire_c11, NULL) != thrd_success)
			return 2;
		thrd_join(th, NULL);
	} else {
		fire(rsp, value);
	}
	/* reached only when the handler returned (the frame was writable) */
	sh->survived = 1;
	for (int i = 0; i < 2000000 && !sh->seen; i++)
		__asm__ volatile("pause");
	sh->stop = 1;
	pthread_join(t, NULL);
	return 0;
}


static char errlog[65536];
static size_t errlen;

/* one attempt, in a child whose output (liberim's reports go to stderr) the
 * parent collects */
static void child_entry(void *arg)
{
	(void)arg;
	_exit(child());
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int st = 0, mpk, allkeys = erim_kernel_allkeys_frames(), worked, killed_segv = 0, reported = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s mpk|none [segv|direct] [thrd]\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	mpk = strcmp(argv[1], "mpk") == 0;
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_trap;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "direct") == 0)
			use_direct = 1;
		else if (strcmp(argv[i], "segv") == 0)
			use_segv = 1;    /* the program installs no handler at all */
		else if (strcmp(argv[i], "thrd") == 0)
			use_thrd = 1;
	}
	if (!use_segv)
		sigaction(SIGTRAP, &sa, NULL);
	for (int attempt = 1; attempt <= (mpk ? ATTEMPTS : CONTROL_ATTEMPTS); attempt++) {
		memset((void *)sh, 0, sizeof *sh);
		st = check_child(child_entry, NULL, errlog + errlen, sizeof errlog - errlen);
		if (st == -1)
			return 2;
		errlen += strlen(errlog + errlen);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
			killed_segv++;
		if (mpk || attempt <= ATTEMPTS || sh->seen)
			printf(NAME ": attempt %d: child %s %d; reader made %llu gate calls; target %#llx, "
			       "rsp %#llx, xsave %llu bytes; handler returned: %s; reader saw %#llx\n", attempt,
			       WIFSIGNALED(st) ? "killed by signal" : "exited",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), (unsigned long long)sh->iters,
			       (unsigned long long)sh->target, (unsigned long long)sh->rsp,
			       (unsigned long long)sh->xsize, sh->survived ? "yes" : "no",
			       (unsigned long long)sh->seen);
		if (sh->seen || use_direct || (WIFEXITED(st) && WEXITSTATUS(st) == 2))
			break;
	}
	printf("%s: children's output:\n%s", NAME, errlog);
	reported = strstr(errlog, "would be written into trusted memory") != NULL;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		printf(NAME ": SETUP FAILED\n");
		return 2;
	}
	if (!sh->fired) {
		printf(NAME ": SETUP FAILED (never fired)\n");
		return 2;
	}
	if (use_direct) {
		uint64_t got = sh->leak ? sh->leak : sh->seen;
		int read_it = sh->survived && got;

		printf(NAME ": direct read %s\n", read_it ? "WORKED (no isolation)" : "BLOCKED");
		return read_it == !mpk ? 0 : 1;
	}
#ifdef SF_EXEC
	worked = sh->leak == SECRET;
	if (worked)
		printf(NAME ": ATTACK WORKED: the attacker's function ran with PKRU %#llx and read "
		       "the trusted secret %#llx\n", (unsigned long long)sh->leak_pkru,
		       (unsigned long long)sh->leak);
	else
		printf(NAME ": BLOCKED: the trusted function pointer was never redirected\n");
#else
	worked = sh->seen == ATTACK_VALUE;
	if (worked)
		printf(NAME ": ATTACK WORKED: the trusted side returned %#llx (trusted memory "
		       "written)\n", (unsigned long long)sh->seen);
	else
		printf(NAME ": BLOCKED: trusted balance never changed (seen %#llx)\n",
		       (unsigned long long)sh->seen);
#endif
	if (!mpk) {
		printf(NAME ": control (%s): the attack %s\n", argv[1],
		       worked ? "works when the memory is not keyed: PASS" : "did not work: FAIL");
		return worked ? 0 : 1;
	}
	if (worked) {
		printf(NAME ": FAIL: trusted memory was written through a signal frame\n");
		return 1;
	}
	if (!reported) {
		printf(NAME ": FAIL: liberim's report (frame refused before any write) is missing "
		       "(kernel writes frames with every key enabled: %s; child %s)\n",
		       allkeys == 1 ? "yes" : "no", killed_segv ? "killed by SIGSEGV" : "not killed by SIGSEGV");
		return 1;
	}
	printf(NAME ": PASS: blocked (liberim's report: frame refused; signal stacks in %s memory)\n",
	       allkeys == 1 ? "trusted" : "untrusted");
	return 0;
}
