/* SPDX-License-Identifier: MIT */
/* atk_sigtrusted.c: signals against trusted code (needs protection keys).
 * Variants (any one = success):
 *  - a timer signal arrives while the thread runs trusted code (trusted PKRU,
 *    a trusted value in r12); the handler runs on an untrusted sigaltstack
 *    (SA_ONSTACK) and finds the trusted register in its frame;
 *  - a handler edits its own frame's saved PKRU to "readable, not writable"
 *    (access-disable clear, write-disable set) and rt_sigreturn restores it:
 *    the secret can be read.
 * Built twice: with three WRPKRU sites (erim-tem holds signals with debug
 * register breakpoints) and, as atk_sigstep, with more than four (it steps
 * from branch to branch instead). */
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#include "atk_common.h"

#define TRUSTED_R12 0x5ec2e75ec2e75ec2ull

static volatile int leaked, delivered;

#ifdef ATK_MANY_WRPKRU
/* never run: only there so the program has more WRPKRU sites than a CPU
 * has breakpoints */
__asm__(".pushsection .text.atk_sites,\"ax\",@progbits\n"
        ".byte 0x0f,0x01,0xef, 0x0f,0x01,0xef, 0x0f,0x01,0xef, 0xc3\n"
        ".popsection\n");
#endif
static uint32_t pkru_off;
static volatile uint8_t sink;

static void on_alarm(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	delivered++;
	if ((uint64_t)uc->uc_mcontext.gregs[REG_R12] == TRUSTED_R12)
		leaked = 1;
}

/* Enter the trusted domain, hold a trusted value in r12 for a while, clear
 * it and leave (what a gate and a trusted function do). */
static void trusted_window(void)
{
	__asm__ volatile("mov %[pt], %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\t.byte 0x0f,0x01,0xef\n\t"
	                 "movabs $0x5ec2e75ec2e75ec2, %%r12\n\t"
	                 "mov $200, %%ecx\n"
	                 "1:\tdec %%ecx\n\tjnz 1b\n\t"
	                 "xor %%r12d, %%r12d\n\t"
	                 "mov %[pu], %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\t.byte 0x0f,0x01,0xef\n\t"
	                 :
	                 : [pt] "r"(atk_pkru_t), [pu] "r"(atk_pkru_u)
	                 : "rax", "rcx", "rdx", "r12", "memory");
}

static int signal_in_trusted(void)
{
	static uint8_t altstack[1 << 16];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } }, off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa;
	struct timespec t0, now;
	long rounds = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_alarm;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGALRM, &sa, NULL) != 0)
		return 0;
	setitimer(ITIMER_REAL, &it, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		trusted_window();
		/* few system calls: a signal is delivered on the way back to
		 * user space, and should find the thread in the loop */
		if (++rounds % 256 == 0)
			clock_gettime(CLOCK_MONOTONIC, &now);
		else
			now = t0;
	} while (!leaked && (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 < 2000);
	setitimer(ITIMER_REAL, &off, NULL);
	atk_say("trusted windows: %ld, signals delivered: %d, trusted r12 in a frame on the untrusted "
	        "sigaltstack: %s", rounds, delivered, leaked ? "yes" : "no");
	if (!delivered)
		return -1;   /* a held signal must still arrive once trusted code is left */
	return leaked;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *xs = (uint8_t *)uc->uc_mcontext.fpregs;
	uint64_t bv;
	uint32_t pkru;

	(void)sig;
	(void)si;
	memcpy(&bv, xs + 512, 8);
	bv |= 1ull << 9;
	memcpy(xs + 512, &bv, 8);
	pkru = atk_pkru_u & ~(1u << (2 * atk_pkey));   /* access-disable clear, write-disable set */
	memcpy(xs + pkru_off, &pkru, 4);
}

static void read_secret(void *arg)
{
	(void)arg;
	sink = atk_secret[0];
}

static int readable_pkru(void)
{
	struct sigaction sa;
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(9));
	pkru_off = b;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	atk_say("PKRU after a frame forged read-only: 0x%08x", atk_rdpkru());
	if (!atk_faults(read_secret, NULL)) {
		atk_say("read the secret with a write-disabled but readable PKRU");
		atk_untrusted();
		return 1;
	}
	atk_say("reading the secret faulted");
	return 0;
}

static enum atk_result atk_attack(void)
{
	int won = 0, all = 1, r;

	if (atk_pkey < 1)
		return ATK_NA;
#define VARIANT(x) (r = (x), won |= r, all &= r)
	if ((r = signal_in_trusted()) < 0) {
		atk_say("no signal was delivered at all");
		return ATK_ERROR;
	}
	won |= r, all &= r;
	VARIANT(readable_pkru());
	if (atk_expect == ATK_SUCCEEDED && won && !all)
		return ATK_ERROR;   /* the control run shows every variant works */
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

#ifdef ATK_MANY_WRPKRU
static const char *atk_name = "atk_sigstep";
#else
static const char *atk_name = "atk_sigtrusted";
#endif
static int atk_needs_pku = 1;
