/* SPDX-License-Identifier: MIT */
/* tem_signals.c: signals under erim-tem reach the program as the sender
 * sent them, and erim-tem's own traps never pass for the program's signals.
 *
 *  - siginfo_and_count_kept_across_judged_calls (no PKU needed): another
 *    process queues real-time signals with a value (sigqueue) while this
 *    one makes calls erim-tem judges on their result and finishes with an
 *    injected call (mprotect to execute: applied without execute, inspected,
 *    the real call injected).  A signal that arrives while erim-tem runs its
 *    injected call must still come with its own siginfo (SI_QUEUE, the
 *    sender's pid and value), and none may be lost.
 *  - syscall_in_trusted_code_with_signal_held (PKU; the VM suite): trusted
 *    code sends itself a signal (held: it runs trusted code), then makes
 *    system calls (one the filter allows, one it traps) while the signal is
 *    held; the program has more WRPKRU sites than the
 *    CPU has breakpoints, so erim-tem steps the thread.  The kernel reports
 *    a stepped system call's return as SIGTRAP/TRAP_BRKPT: that is a step,
 *    not a trap raised by trusted code, and must not stop the process or
 *    reach the program.
 *
 * Run with --under-tem under erim-tem and without it (the controls). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim_check.h"
#include "tem_proto.h"

static int under_tem, pkey = -1;
static uint32_t pkru_t, pkru_u;
static uint8_t *secret;

/* more WRPKRU sites than debug registers (never run): erim-tem steps */
__asm__(".pushsection .text.tem_sites,\"ax\",@progbits\n"
        ".byte 0x0f,0x01,0xef, 0x0f,0x01,0xef, 0x0f,0x01,0xef, 0x0f,0x01,0xef, 0xc3\n"
        ".popsection\n");

static int cpu_pku(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (c & (1u << 3)) && (c & (1u << 4));
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

__attribute__((noinline)) static void wrpkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f,0x01,0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

static long do_register(void)
{
	struct tem_registration reg;

	secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (secret == MAP_FAILED)
		return -1;
	memset(secret, 0x53, 4096);
	if (cpu_pku() && (pkey = (int)syscall(SYS_pkey_alloc, 0UL, 0UL)) > 0)
		syscall(SYS_pkey_mprotect, secret, 4096, PROT_READ | PROT_WRITE, pkey);
	memset(&reg, 0, sizeof reg);
	reg.version = TEM_VERSION;
	reg.pkey = pkey;
	reg.nranges = 1;
	reg.range[0].start = (uintptr_t)secret;
	reg.range[0].end = (uintptr_t)secret + 4096;
	return syscall(TEM_NR_REGISTER, TEM_MAGIC, &reg, sizeof reg);
}

/* ---- siginfo across judged calls ------------------------------------------------ */

#define NSIG_SENT 400
static volatile sig_atomic_t got, bad_code, bad_pid, bad_value;
static volatile pid_t sender;
static volatile uint8_t seen[NSIG_SENT];

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got++;
	if (si->si_code != SI_QUEUE)
		bad_code = si->si_code ? si->si_code : -1000;
	else if (si->si_pid != sender)
		bad_pid++;
	else if (si->si_value.sival_int < 0 || si->si_value.sival_int >= NSIG_SENT || seen[si->si_value.sival_int]++)
		bad_value++;
}

TEST(siginfo_and_count_kept_across_judged_calls)
{
	struct sigaction sa;
	sigset_t rt;
	uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t me = getpid(), kid;
	struct timespec t0, now;
	long calls = 0, ms = 0;
	int st, i;

	REQUIRE(page != MAP_FAILED);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	REQUIRE(sigaction(SIGRTMIN, &sa, NULL) == 0);
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);   /* none before SENDER is known */
	kid = fork();
	REQUIRE(kid >= 0);
	if (kid == 0) {
		for (i = 0; i < NSIG_SENT; i++) {
			union sigval v = { .sival_int = i };
			struct timespec pause = { 0, 200000 };

			while (sigqueue(me, SIGRTMIN, v) != 0 && errno == EAGAIN)
				nanosleep(&pause, NULL);
			nanosleep(&pause, NULL);
		}
		_exit(0);
	}
	sender = kid;
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* judged mprotect calls until every signal arrived (or 20 s) */
	while (got < NSIG_SENT && ms < 20000) {
		page[0] = 0xc3;
		if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0 || mprotect(page, 4096, PROT_READ | PROT_WRITE) != 0) {
			CHECK(0, "mprotect: %s", strerror(errno));
			break;
		}
		calls++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
	}
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sender failed");
	printf("  %ld judged mprotect pairs, %d of %d signals arrived\n", calls, (int)got, NSIG_SENT);
	CHECK(got == NSIG_SENT, "signals lost: %d of %d arrived", (int)got, NSIG_SENT);
	CHECK(bad_code == 0, "a handler saw si_code %d instead of SI_QUEUE (%d)", (int)bad_code, SI_QUEUE);
	CHECK(bad_pid == 0, "%d handler(s) saw another si_pid than the sender's", (int)bad_pid);
	CHECK(bad_value == 0, "%d handler(s) saw a wrong or repeated si_value", (int)bad_value);
	munmap(page, 4096);
}

/* ---- system calls in trusted code while a signal is held --------------------------- */

static volatile sig_atomic_t alarms, traps;

static void on_usr1(int sig)
{
	(void)sig;
	alarms++;
}

static void on_trap(int sig)
{
	(void)sig;
	traps++;
}

/* Enter the trusted domain, send this thread SIGUSR1 (erim-tem holds it:
 * trusted code runs), make an allowed and a trapped system call while
 * erim-tem steps the thread, leave (the signal is delivered).  Returns
 * getppid's answer, or -1 if prctl's was wrong. */
static long trusted_calls(pid_t pid, pid_t tid)
{
	long ppid, dump;

	__asm__ volatile("mov %[pt], %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\t.byte 0x0f,0x01,0xef\n\t"
	                 "mov %[nr_tgkill], %%eax\n\tmov %[pid], %%edi\n\tmov %[tid], %%esi\n\tmov %[usr1], %%edx\n\tsyscall\n\t"
	                 "mov $20, %%ecx\n"
	                 "1:\tdec %%ecx\n\tjnz 1b\n\t"
	                 "mov %[nr_ppid], %%eax\n\tsyscall\n\tmov %%rax, %[ppid]\n\t"
	                 "mov %[nr_prctl], %%eax\n\tmov %[get_dumpable], %%edi\n\tsyscall\n\tmov %%rax, %[dump]\n\t"
	                 "mov $20, %%ecx\n"
	                 "2:\tdec %%ecx\n\tjnz 2b\n\t"
	                 "mov %[pu], %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\t.byte 0x0f,0x01,0xef\n\t"
	                 : [ppid] "=&r"(ppid), [dump] "=&r"(dump)
	                 : [pt] "r"(pkru_t), [pu] "r"(pkru_u), [pid] "r"(pid), [tid] "r"(tid), [usr1] "i"(SIGUSR1),
	                   [nr_tgkill] "i"(SYS_tgkill), [nr_ppid] "i"(SYS_getppid), [nr_prctl] "i"(SYS_prctl),
	                   [get_dumpable] "i"(PR_GET_DUMPABLE)
	                 : "rax", "rcx", "rdx", "rdi", "rsi", "r11", "memory");
	return dump == 1 ? ppid : -1;
}

TEST(syscall_in_trusted_code_with_signal_held)
{
	long rounds, wrong = 0, ppid = getppid();
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);

	if (pkey < 1)
		SKIP("needs protection keys (runs in the VM suite)");
	signal(SIGUSR1, on_usr1);
	signal(SIGTRAP, on_trap);
	for (rounds = 0; rounds < 20; rounds++)
		if (trusted_calls(pid, tid) != ppid)
			wrong++;
	printf("  %ld trusted windows (a signal sent from inside, then 2 system calls), %d signals handled, "
	       "%d SIGTRAPs\n", rounds, (int)alarms, (int)traps);
	CHECK(wrong == 0, "%ld system call(s) in trusted code gave wrong answers", wrong);
	CHECK(alarms == rounds, "%d of %ld signals handled", (int)alarms, rounds);
	CHECK(traps == 0, "the program received %d SIGTRAP(s) it never raised", (int)traps);
	CHECK((rdpkru() & (3u << (2 * pkey))) == (3u << (2 * pkey)), "left the window with the trusted key granted");
}

int main(int argc, char **argv)
{
	long r = do_register();

	under_tem = argc > 1 && strcmp(argv[1], "--under-tem") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (under_tem && r != TEM_REPLY) {
		fprintf(stderr, "tem_signals: expected to run under erim-tem (registration answered %ld)\n", r);
		return 1;
	}
	if (pkey > 0) {
		pkru_t = rdpkru() & ~(3u << (2 * pkey));
		pkru_u = pkru_t | (3u << (2 * pkey));
		wrpkru(pkru_u);
	}
	/* a second argument names the one test to run */
	if (argc < 3 || strcmp(argv[2], "siginfo") == 0)
		RUN(siginfo_and_count_kept_across_judged_calls);
	if (argc < 3 || strcmp(argv[2], "trusted") == 0)
		RUN(syscall_in_trusted_code_with_signal_held);
	return check_done(under_tem ? "tem_signals_under_tem" : "tem_signals_without_tem");
}
