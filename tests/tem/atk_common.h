/* SPDX-License-Identifier: MIT */
/* atk_common.h: the shared skeleton of the TEM attack programs (atk_*.c).
 *
 * Each program carries out one attack of doc/tem.md's table and reports whether
 * it SUCCEEDED (the secret was read or changed, or the dangerous operation
 * was accepted) or was REFUSED (the operation failed or the process was
 * stopped, and the secret is intact).  Run with `--expect refused` under
 * erim-tem and `--expect succeeded` without it: the second run shows the
 * attack is real, so the first can fail.
 *
 * Set-up plays trusted start-up: a secret page (tagged with a fresh
 * protection key where the CPU has PKU), registered with erim-tem through
 * the same one-shot call liberim's erim_init makes (tem/tem_proto.h); then
 * the program drops to the untrusted PKRU.  The attack runs in a forked
 * child (so "stopped by erim-tem" is observable); the child checks the
 * secret itself before it exits.  Programs do not link liberim on purpose:
 * they test erim-tem alone, whatever state the runtime is in. */
#ifndef ATK_COMMON_H
#define ATK_COMMON_H

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim_check.h"
#include "tem_reg.h"

enum atk_result { ATK_REFUSED = 0, ATK_SUCCEEDED = 1, ATK_NA = 3, ATK_ERROR = 4 };

#ifndef ATK_SECRET_LEN
#define ATK_SECRET_LEN 4096   /* a program may want more (before the include) */
#endif
#define ATK_SECRET_BYTE 0x53
#ifndef ATK_UNTOUCHED
#define ATK_UNTOUCHED 0       /* trusted bytes after the secret, never touched (a program may want some) */
#endif

static uint8_t *atk_secret;
static int atk_pkey = -1;
static uint32_t atk_pkru_t, atk_pkru_u;
static int atk_under_tem;
static long atk_reg_us;   /* how long the registration call took (erim-tem's work at it) */

/* What the row needs and does: defined by each atk_*.c. */
static const char *atk_name;
static int atk_needs_pku;
static enum atk_result atk_attack(void);
#ifdef ATK_STARTUP
static void ATK_STARTUP(void);   /* runs as trusted start-up, before registration */
#endif

static inline uint32_t atk_rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* One WRPKRU in the program (not inlined): erim-tem arms a breakpoint after
 * each WRPKRU while it holds a signal, and has only four. */
__attribute__((noinline)) static void atk_wrpkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f,0x01,0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

static int atk_cpu_pku(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (c & (1u << 3)) && (c & (1u << 4));
}

/* Become trusted / untrusted (no-ops without a key). */
static void atk_trusted(void)
{
	if (atk_pkey > 0)
		atk_wrpkru(atk_pkru_t);
}

static void atk_untrusted(void)
{
	if (atk_pkey > 0)
		atk_wrpkru(atk_pkru_u);
}

static int atk_secret_intact(void)
{
	int ok = 1;
	size_t i;

	atk_trusted();
	for (i = 0; i < ATK_SECRET_LEN; i++)
		if (atk_secret[i] != ATK_SECRET_BYTE)
			ok = 0;
	atk_untrusted();
	return ok;
}

/* Attacks report what they saw on stdout. */
#define atk_say(...) (printf("  " __VA_ARGS__), putchar('\n'), fflush(stdout))

/* Attacks on who may open the memory need root to drop from, and Yama off
 * or kernel.yama.ptrace_scope 0 (with 1 only ancestors may): 1 if so, else
 * 0 after saying why (the attack is then not applicable). */
static inline int atk_root_scope0(void)
{
	char buf[16] = "";
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = f && fgets(buf, sizeof buf, f) ? atoi(buf) : -1;   /* -1: no Yama */

	if (f)
		fclose(f);
	if (geteuid() == 0 && scope < 1)
		return 1;
	atk_say("needs root, and Yama off or ptrace_scope 0 (euid %d, scope %d)", (int)geteuid(), scope);
	return 0;
}

static int atk_setup(void)
{
	atk_secret = mmap(NULL, ATK_SECRET_LEN + ATK_UNTOUCHED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (atk_secret == MAP_FAILED)
		return -1;
	memset(atk_secret, ATK_SECRET_BYTE, ATK_SECRET_LEN);
	if (atk_cpu_pku()) {
		atk_pkey = (int)syscall(SYS_pkey_alloc, 0UL, 0UL);
		if (atk_pkey > 0 &&
		    syscall(SYS_pkey_mprotect, atk_secret, ATK_SECRET_LEN + ATK_UNTOUCHED, PROT_READ | PROT_WRITE, atk_pkey) != 0)
			return -1;
	}
#ifdef ATK_STARTUP
	ATK_STARTUP();
#endif
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		atk_under_tem = tem_reg(atk_pkey, atk_secret, ATK_SECRET_LEN + ATK_UNTOUCHED) == TEM_REPLY;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		atk_reg_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	}
	if (atk_pkey > 0) {
		uint32_t bits = 3u << (2 * atk_pkey);

		atk_pkru_t = atk_rdpkru() & ~bits;
		atk_pkru_u = atk_pkru_t | bits;
		atk_untrusted();
	}
	return 0;
}

/* 1 on a kernel before 6.12 (which writes a signal frame with the task's
 * PKRU; 6.12 enables every key for it) */
__attribute__((unused)) static int atk_kernel_before_6_12(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj < 6 || (maj == 6 && min < 12);
}

/* atk_raise_on(TOP): callee-saved registers and %rsp kept, then %rsp := TOP
 * (wherever the attack wants the signal frame), r12..r15 := ATK_RAISE_MARK,
 * tgkill(self, SIGUSR1).  A handler sends the thread back by jumping (or
 * setting its RIP) to atk_raise_back, which puts %rsp and the registers
 * back: the frame is below TOP, so the code after the system call must not
 * run on that stack.  For atk_sigframe and atk_pkrufail. */
#define ATK_RAISE_MARK 0x5a5a5a5a5a5a5a5aull
__attribute__((used)) static uint64_t atk_raise_saved_rsp;
void atk_raise_back(void);
__attribute__((noinline, unused)) static void atk_raise_on(uint64_t top)
{
	long pid = getpid(), tid = syscall(SYS_gettid);

	__asm__ volatile(
		"push %%rbp\n\t"
		"push %%rbx\n\t"
		"push %%r12\n\t"
		"push %%r13\n\t"
		"push %%r14\n\t"
		"push %%r15\n\t"
		"mov %%rsp, atk_raise_saved_rsp(%%rip)\n\t"
		"mov %1, %%rdi\n\t"
		"mov %2, %%rsi\n\t"
		"mov %0, %%rsp\n\t"
		"movabs $0x5a5a5a5a5a5a5a5a, %%r12\n\t"
		"mov %%r12, %%r13\n\t"
		"mov %%r12, %%r14\n\t"
		"mov %%r12, %%r15\n\t"
		"mov $234, %%eax\n\t"     /* tgkill */
		"mov $10, %%edx\n\t"      /* SIGUSR1 */
		"syscall\n\t"
		"2: jmp 2b\n\t"
		".globl atk_raise_back\n"
		"atk_raise_back:\n\t"
		"mov atk_raise_saved_rsp(%%rip), %%rsp\n\t"
		"pop %%r15\n\t"
		"pop %%r14\n\t"
		"pop %%r13\n\t"
		"pop %%r12\n\t"
		"pop %%rbx\n\t"
		"pop %%rbp\n\t"
		:
		: "r"(top), "r"(pid), "r"(tid)
		: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
}

static const char *atk_result_name(int r)
{
	return r == ATK_REFUSED ? "refused" : r == ATK_SUCCEEDED ? "attack succeeded"
	     : r == ATK_NA ? "not applicable here" : "error";
}

static int atk_expect = -1;
static int atk_outcome = ATK_ERROR;

TEST(attack_has_expected_outcome)
{
	pid_t pid;
	int st;

	if (atk_needs_pku && !atk_cpu_pku())
		SKIP("needs protection keys (runs in the VM suite)");
	if (atk_setup() != 0) {
		CHECK(0, "set-up failed: %s", strerror(errno));
		return;
	}
	atk_say("erim-tem registration: %s (%ld us); protection key: %d", atk_under_tem ? "accepted" : "none (not under erim-tem)",
	        atk_reg_us, atk_pkey);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		enum atk_result r = atk_attack();

		if (r == ATK_REFUSED && !atk_secret_intact()) {
			atk_say("the call was refused, but the secret changed");
			r = ATK_SUCCEEDED;
		}
		fflush(stdout);
		_exit(r);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		CHECK(0, "fork/wait failed");
		return;
	}
	if (WIFSIGNALED(st)) {
		atk_say("the attacking process was stopped (signal %d)", WTERMSIG(st));
		atk_outcome = ATK_REFUSED;
	} else {
		atk_outcome = WEXITSTATUS(st);
	}
	CHECK(atk_secret_intact(), "the parent's secret changed");
	atk_say("outcome: %s", atk_result_name(atk_outcome));
	if (atk_outcome == ATK_NA)
		SKIP("the kernel here lacks what the attack needs");
	if (atk_expect == ATK_REFUSED)
		CHECK(atk_under_tem, "expected to run under erim-tem, but the registration was not accepted");
	CHECK(atk_outcome == atk_expect, "expected: %s", atk_result_name(atk_expect));
}

int main(int argc, char **argv)
{
	char suite[96];

	if (argc == 3 && strcmp(argv[1], "--expect") == 0)
		atk_expect = strcmp(argv[2], "refused") == 0 ? ATK_REFUSED
		           : strcmp(argv[2], "succeeded") == 0 ? ATK_SUCCEEDED : -1;
	if (atk_expect < 0) {
		fprintf(stderr, "usage: %s --expect refused|succeeded\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(suite, sizeof suite, "%s_%s", atk_name, atk_expect == ATK_REFUSED ? "under_tem" : "without_tem");
	RUN(attack_has_expected_outcome);
	return check_done(suite);
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
/* After an attack that should have made the kernel unmap the secret: map
 * the attacker's own page at its address without replacing anything and
 * write it.  SUCCEEDED when that worked (WHAT says how), else REFUSED. */
__attribute__((unused)) static enum atk_result atk_take_secret_address(const char *what)
{
	uint8_t *p = mmap(atk_secret, ATK_SECRET_LEN, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != atk_secret) {
		atk_say("the secret is still mapped (%s)", p == MAP_FAILED ? strerror(errno) : "mapped elsewhere");
		return ATK_REFUSED;
	}
	memset(p, 0x41, ATK_SECRET_LEN);
	atk_say("%s; the attacker's page is at the secret's address now, written with the untrusted PKRU", what);
	return ATK_SUCCEEDED;
}

/* Run FN(ARG) catching SIGSEGV/SIGBUS/SIGILL: 1 if it faulted. */
static sigjmp_buf atk_jmp;
static volatile int atk_fault_sig;

__attribute__((unused)) static void atk_on_fault(int sig)
{
	atk_fault_sig = sig;
	siglongjmp(atk_jmp, 1);
}

__attribute__((unused)) static int atk_faults(void (*fn)(void *), void *arg)
{
	struct sigaction sa, o1, o2, o3;
	int faulted = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = atk_on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, &o1);
	sigaction(SIGBUS, &sa, &o2);
	sigaction(SIGILL, &sa, &o3);
	if (sigsetjmp(atk_jmp, 1) == 0)
		fn(arg);
	else
		faulted = 1;
	sigaction(SIGSEGV, &o1, NULL);
	sigaction(SIGBUS, &o2, NULL);
	sigaction(SIGILL, &o3, NULL);
	return faulted;
}

/* Fork a process that flips the N 64-bit words at W (in a MAP_SHARED page:
 * the flipper is another process, outside the caller's group) between the
 * values A and B until *STOP is set or its parent is gone; *RUNNING is set
 * once it flips.  Each value stays a while (a delay loop after each set):
 * QEMU's TCG switches a vCPU between tasks only at a block boundary, so
 * stores back to back would always leave the second set behind when both
 * tasks share a vCPU.  The flipper's pid, -1 on error. */
__attribute__((unused)) static pid_t atk_flipper(volatile uint64_t *w, const uint64_t *a, const uint64_t *b, size_t n,
                                                 volatile int *running, volatile int *stop)
{
	pid_t me = getpid(), f = fork();
	unsigned long k = 0;
	size_t i;

	if (f != 0)
		return f;
	prctl(PR_SET_PDEATHSIG, SIGKILL);   /* erim-tem may stop the caller */
	*running = 1;
	while (!*stop && (++k & 0xffff || getppid() == me)) {
		for (i = 0; i < n; i++)
			w[i] = a[i];
		for (volatile int d = 0; d < 20; d++)
			;
		for (i = 0; i < n; i++)
			w[i] = b[i];
		for (volatile int d = 0; d < 20; d++)
			;
	}
	_exit(0);
}

#endif /* ATK_COMMON_H */
