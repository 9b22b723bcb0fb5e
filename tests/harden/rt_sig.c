/* SPDX-License-Identifier: MIT */
/* rt_sig.c: no signal handler ever gets a frame with trusted rights (red
 * team 7: gate_trap, gate_fpe, sig_chain; runtime/erim_signal.c).
 * `rt_sig mpk|mprotect|none`; each attack runs in a forked child.
 *
 * The program's crash reporter (SIGTRAP, SIGFPE, SIGSEGV with an alternate
 * stack) is installed before erim_init; untrusted code only points the data
 * it reads (crash_hook) at a function that rewrites the frame's RIP/RSP to
 * attacker code, which reads a trusted secret and exits 0 ("LEAK").
 *  - trap_call: EFLAGS.TF set (pushf/popf), then a gate call: the SIGTRAP
 *    after the gate's WRPKRU (mpk) / inside the gate code (mprotect);
 *  - trap_jump: TF set, a jump straight onto the gate's WRPKRU with EAX=0
 *    (PKU CPUs only);
 *  - trap_xrstor: TF set, a jump onto inspection's checked XRSTOR (ld.so's
 *    rewritten trampoline) with EAX bit 9 and an area holding PKRU 0
 *    (skipped with the reason when the process has no such site);
 *  - trap_late: the same as trap_call with the handler installed after
 *    erim_init through sigaction (the interposer) -- and a plain handler
 *    installed with signal() after erim_init runs and is reported back;
 *  - segv_chain: trusted code faults on an unmapped argument block;
 *    liberim's SIGSEGV handler chains to the crash reporter;
 *  - fpe: an unmasked x87 exception left pending, then a gate call: the
 *    gate's FNCLEX drops it (no SIGFPE at the gate's EMMS).  Control: FWAIT
 *    in untrusted code raises the SIGFPE (skipped with the reason on a CPU
 *    that raises no #MF, e.g. QEMU TCG).
 * Under mpk and mprotect every attack ends with erim's message "erim:
 * signal N delivered" and SIGSEGV; under none (the control) the same
 * redirect reaches the attacker code and reads the secret. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "erim_gen.h"

/* the hooks may run with whatever %fs the interrupted code had */
#if defined(__clang__)
#define NO_SSP __attribute__((no_stack_protector))
#else
#define NO_SSP __attribute__((optimize("no-stack-protector")))
#endif

#define SLEN 32
static ERIM_TRUSTED unsigned char secret[SLEN];
static int protected_be, have_pku, ready, is_static;
static unsigned first;

static void make_secret(unsigned char *d)
{
	for (int i = 0; i < SLEN; i++)
		d[i] = (unsigned char)(0x19 ^ (i * 5 + 9));
}

static long t_make(void *a) { (void)a; make_secret(secret); return 0; }
static long t_nop(void *a) { (void)a; return 7; }
struct blk { uint64_t x, y; };
static long t_take(void *raw)
{
	struct blk v;

	if (erim__check(raw, sizeof v))
		erim_refuse("rtsig", "take", "argument block refused");
	erim__mcpy(&v, raw, sizeof v);
	return (long)(v.x + v.y);
}

static const struct erim_entry tab[] = {
	{ "rtsig", "make", t_make, ERIM_ENTRY_PUBLIC },
	{ "rtsig", "nop", t_nop, ERIM_ENTRY_PUBLIC },
	{ "rtsig", "take", t_take, ERIM_ENTRY_PUBLIC },
};

static long raw3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}

static void put(const char *s) { raw3(SYS_write, 2, (long)s, (long)strlen(s)); }

/* ---- the attacker's code: runs after rt_sigreturn, raw system calls ---- */
static unsigned char evil_stack[65536] __attribute__((aligned(16)));

NO_SSP __attribute__((noreturn))
static void evil(void)
{
	unsigned char want[SLEN];
	int ok = 1;

	make_secret(want);
	for (int i = 0; i < SLEN; i++)
		ok &= ((volatile unsigned char *)secret)[i] == want[i];
	put(ok ? "LEAK: attacker code read the trusted secret\n" : "secret not read\n");
	raw3(SYS_exit_group, ok ? 0 : 1, 0, 0);
	__builtin_unreachable();
}

/* ---- the program's crash reporter and the attacker's hook ---- */
static void (*volatile crash_hook)(int, siginfo_t *, ucontext_t *);
static volatile long steps;

NO_SSP
static void crash_reporter(int sig, siginfo_t *si, void *uc)
{
	if (crash_hook)
		crash_hook(sig, si, uc);
	else
		_exit(3);
}

static void redirect(ucontext_t *uc)
{
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)evil;
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)(evil_stack + sizeof evil_stack - 8);
}

/* single steps until the instruction before RIP is a WRPKRU, its none twin
 * (nopl (%rax) before the gate's check) or the checked XRSTOR, then redirect */
NO_SSP
static void trap_hook(int sig, siginfo_t *si, ucontext_t *uc)
{
	const unsigned char *pc = (const unsigned char *)uc->uc_mcontext.gregs[REG_RIP];

	(void)sig; (void)si;
	if (++steps > 100000) {
		uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
		return;
	}
	if ((pc[-3] == 0x0f && pc[-2] == 0x01 && pc[-1] == 0xef) ||
	    /* the none twin of a gate site: nopl (%rax), then cmp PKRU_T(%rip), %eax */
	    (pc[-3] == 0x0f && pc[-2] == 0x1f && pc[-1] == 0x00 && pc[0] == 0x3b && pc[1] == 0x05) ||
	    (pc[-5] == 0x0f && pc[-4] == 0xae && pc[-3] == 0x6c && pc[-2] == 0x24 && pc[-1] == 0x40))
		redirect(uc);
}

NO_SSP
static void any_hook(int sig, siginfo_t *si, ucontext_t *uc)
{
	(void)sig; (void)si;
	if (uc->uc_mcontext.fpregs)
		uc->uc_mcontext.fpregs->swd = 0;
	redirect(uc);
}

static void set_tf(void)
{
	__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq" ::: "memory", "cc");
}

static void child_trap_call(void *a)
{
	(void)a;
	crash_hook = trap_hook;
	set_tf();
	long r = erim_gate_call(first + 1, NULL);
	printf("gate returned %ld after %ld steps: no redirect\n", r, steps);
	exit(4);
}

static void child_trap_jump(void *a)
{
	const unsigned char *g = (const unsigned char *)(uintptr_t)&erim_gate_call, *site = NULL;

	(void)a;
	for (int i = 0; i < 4096 && !site; i++)
		if (g[i] == 0x0f && g[i + 1] == 0x01 && g[i + 2] == 0xef)
			site = g + i;
	if (!site) {
		printf("no WRPKRU after erim_gate_call\n");
		exit(4);
	}
	crash_hook = trap_hook;
	__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
	                 "xorl %%eax, %%eax\n\txorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\t"
	                 "jmp *%0" : : "r"(site) : "rax", "rcx", "rdx", "memory", "cc");
	exit(4);
}

static const unsigned char *find_checked_xrstor(void)
{
	FILE *m = fopen("/proc/self/maps", "r");
	char l[512];
	const unsigned char *site = NULL;

	while (m && !site && fgets(l, sizeof l, m)) {
		unsigned long lo, hi;
		char perm[8];

		if (sscanf(l, "%lx-%lx %7s", &lo, &hi, perm) != 3 || perm[0] != 'r' || perm[2] != 'x')
			continue;
		for (const unsigned char *q = (const unsigned char *)lo; q + 8 < (const unsigned char *)hi; q++)
			if (q[0] == 0x0f && q[1] == 0xae && q[2] == 0x6c && q[3] == 0x24 && q[4] == 0x40 &&
			    q[5] == 0xf6 && q[6] == 0xc4 && q[7] == 0x02) {
				site = q;
				break;
			}
	}
	if (m)
		fclose(m);
	return site;
}

static void child_trap_xrstor(void *a)
{
	static unsigned char big[65536] __attribute__((aligned(64)));
	const unsigned char *site = a;
	unsigned r[4];
	unsigned char *area = big + 32768, *xs = area + 64;
	uint64_t bv = 1ull << 9;

	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0xd), "c"(9));
	memcpy(xs + 512, &bv, 8);           /* XSTATE_BV: PKRU from memory */
	memset(xs + r[1], 0, 4);            /* PKRU := 0 */
	crash_hook = trap_hook;
	__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
	                 "movq %1, %%rsp\n\tmovl $0x200, %%eax\n\txorl %%edx, %%edx\n\t"
	                 "jmp *%0" : : "r"(site), "r"(area) : "rax", "rdx", "memory", "cc");
	exit(4);
}

static volatile int plain_hits;
static void plain_handler(int sig) { (void)sig; plain_hits++; }

static void child_trap_late(void *a)
{
	struct sigaction sa, old;

	(void)a;
	/* a plain handler through signal(): runs, and is what the query reports */
	if (signal(SIGUSR1, plain_handler) == SIG_ERR || raise(SIGUSR1) != 0 || plain_hits != 1) {
		printf("signal(SIGUSR1) handler did not run (%d)\n", plain_hits);
		exit(5);
	}
	if (sigaction(SIGUSR1, NULL, &old) != 0 || old.sa_handler != plain_handler) {
		printf("sigaction query does not report the program's handler\n");
		exit(5);
	}
	/* the crash reporter registered after erim_init */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = crash_reporter;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	if (sigaction(SIGTRAP, NULL, &old) != 0 || old.sa_sigaction != crash_reporter ||
	    !(old.sa_flags & SA_SIGINFO)) {
		printf("sigaction query does not report the crash reporter\n");
		exit(5);
	}
	child_trap_call(NULL);
}

static void child_segv_chain(void *a)
{
	(void)a;
	crash_hook = any_hook;
	long r = erim_gate_call(first + 2, (void *)(uintptr_t)0x10000);   /* unmapped, untrusted */
	printf("gate returned %ld: no fault\n", r);
	exit(4);
}

static void pend_x87(void)
{
	unsigned short cw = 0x037f & ~0x4;   /* unmask zero-divide */

	__asm__ volatile("fldcw %0\n\tfld1\n\tfldz\n\tfdivrp\n\t" : : "m"(cw));
}

static void child_fpe_control(void *a)
{
	(void)a;
	crash_hook = any_hook;
	pend_x87();
	__asm__ volatile("fwait");
	printf("no SIGFPE at FWAIT: this CPU raises no #MF for a pending x87 exception\n");
	exit(4);
}

static void child_fpe_gate(void *a)
{
	(void)a;
	crash_hook = any_hook;
	pend_x87();
	long r = erim_gate_call(first + 1, NULL);
	printf("gate returned %ld: no SIGFPE inside the gate\n", r);
	exit(4);
}

static void expect_stopped(const char *what, check_child_fn fn, void *arg, int sig)
{
	char pat[96];

	if (protected_be) {
		snprintf(pat, sizeof pat, "erim: signal %d delivered", sig);
		CHECK_DIES(what, fn, arg, SIGSEGV, pat);
	} else {
		CHECK_EXITS(what, fn, arg, 0, "LEAK");   /* control: the redirect works */
	}
}

TEST(trap_call)
{
	if (!ready)
		SKIP("erim_init failed");
	expect_stopped("TF + gate call", child_trap_call, NULL, SIGTRAP);
}

TEST(trap_jump)
{
	if (!ready)
		SKIP("erim_init failed");
	if (!have_pku)
		SKIP("no PKU on this CPU: a WRPKRU raises #UD");
	expect_stopped("TF + jump onto the gate's WRPKRU with EAX=0", child_trap_jump, NULL, SIGTRAP);
}

TEST(trap_xrstor)
{
	const unsigned char *site;

	if (!ready)
		SKIP("erim_init failed");
	if (!have_pku)
		SKIP("no PKU on this CPU");
	site = find_checked_xrstor();
	if (!site)
		SKIP("no checked XRSTOR in this process (%s; inspection rewrites ld.so's "
		     "trampoline only in a dynamic program under mpk)", is_static ? "static" : "dynamic");
	expect_stopped("TF + jump onto the checked XRSTOR with PKRU 0", child_trap_xrstor,
	               (void *)site, SIGTRAP);
}

TEST(trap_late)
{
	if (!ready)
		SKIP("erim_init failed");
	expect_stopped("TF + gate call, SIGTRAP handler installed after erim_init",
	               child_trap_late, NULL, SIGTRAP);
}

TEST(segv_chain)
{
	if (!ready)
		SKIP("erim_init failed");
	expect_stopped("fault in trusted code chained to the crash reporter", child_segv_chain,
	               NULL, SIGSEGV);
}

TEST(fpe)
{
	if (!ready)
		SKIP("erim_init failed");
	if (check_child_rc(child_fpe_control, NULL) == 4)
		SKIP("control: FWAIT with a pending unmasked x87 exception raises no SIGFPE here "
		     "(QEMU TCG emulates no #MF)");
	/* the control above reached attacker code through the handler (LEAK or
	 * a violation: the secret is trusted) -- now the same through the gate */
	CHECK_EXITS("pending x87 exception, then a gate call", child_fpe_gate, NULL, 4,
	            "no SIGFPE inside the gate");
}

int main(int argc, char **argv)
{
	const char *be = argc > 1 ? argv[1] : "mpk";
	struct erim_config c = { 0 };
	struct sigaction sa;
	static unsigned char altstk[1 << 16];
	stack_t ss = { .ss_sp = altstk, .ss_size = sizeof altstk, .ss_flags = 0 };
	unsigned r[4];

	check_child_timeout = 120;
#ifdef RT_STATIC
	is_static = 1;
#endif
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* start-up: the crash reporter, before erim_init */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = crash_reporter;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaltstack(&ss, NULL);
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(7), "c"(0));
	have_pku = (r[2] >> 4) & 1;   /* OSPKE: WRPKRU executes */
	c.backend = strcmp(be, "mpk") == 0 ? ERIM_BACKEND_MPK
	          : strcmp(be, "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = c.backend == ERIM_BACKEND_MPK;
	c.quiet = 1;
	printf("rt_sig: %s back end, %s\n", be, is_static ? "static" : "dynamic");
	if (erim_register_entries(tab, 3, &first) != 0 || erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = erim_gate_call(first, NULL) == 0;
	protected_be = c.backend != ERIM_BACKEND_NONE;
	RUN(trap_call);
	RUN(trap_jump);
	RUN(trap_xrstor);
	RUN(trap_late);
	RUN(segv_chain);
	RUN(fpe);
	return check_done(is_static ? "rt_sig_static" : "rt_sig");
}
