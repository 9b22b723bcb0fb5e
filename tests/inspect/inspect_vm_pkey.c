/* SPDX-License-Identifier: MIT */
/* inspect_vm_pkey.c (VM suite, real PKU): glibc's pkey_set() contains a real
 * WRPKRU that would let untrusted code write PKRU for any key.  Before
 * erim_init it works (the control: the guest really has protection keys);
 * after erim_init(mpk) -- which also shows that a clean program starts, with
 * liberim's own gates accepted by address -- untrusted code calling
 * pkey_set(trusted_key, 0) stops on the trap written over that WRPKRU,
 * exactly at its address: the WRPKRU is never reached, PKRU never changes. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_arch.h"
#include "erim_check.h"
#include "erim.h"

static int pkey = -1;
static const uint8_t *wrpkru_site;   /* the WRPKRU inside pkey_set */

static void setup(void)
{
	const uint8_t *f = dlsym(RTLD_DEFAULT, "pkey_set");
	for (size_t i = 0; f && i < 128; i++)
		if (f[i] == 0x0f && f[i + 1] == 0x01 && f[i + 2] == 0xef) {
			wrpkru_site = f + i;
			break;
		}
	if (erim_cpu_has_pku())
		pkey = pkey_alloc(0, 0);     /* a scratch key for the control */
}

TEST(pkey_set_writes_pkru_before_inspection)
{
	if (pkey < 0)
		SKIP("no protection keys here (CPUID PKU/OSPKE or pkey_alloc failed)");
	if (!wrpkru_site)
		SKIP("this libc's pkey_set has no WRPKRU");
	uint32_t before = erim_rdpkru();
	CHECK(pkey_set(pkey, PKEY_DISABLE_ACCESS) == 0, "pkey_set: %s", strerror(errno));
	uint32_t mid = erim_rdpkru();
	CHECK(mid & ERIM_PKRU_AD(pkey), "PKRU %#x lacks AD for key %d", mid, pkey);
	CHECK(pkey_set(pkey, 0) == 0, "pkey_set: %s", strerror(errno));
	CHECK(erim_rdpkru() == before, "PKRU %#x, want %#x", erim_rdpkru(), before);
	pkey_free(pkey);
}

static void on_sigill(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	_exit(si->si_addr == (void *)wrpkru_site ? 42 : 43);
}

static int open_key;
static uint32_t untrusted_pkru;

/* in a child: untrusted code trying to open the trusted key with pkey_set */
static void open_trusted_key(void *unused)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigill;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	pkey_set(open_key, 0);
	_exit(erim_rdpkru() == untrusted_pkru ? 44 : 45);
}

TEST(pkey_set_of_the_trusted_key_stops_at_the_patched_wrpkru_after_init)
{
	if (pkey < 0)
		SKIP("no protection keys here (CPUID PKU/OSPKE or pkey_alloc failed)");
	if (!wrpkru_site)
		SKIP("this libc's pkey_set has no WRPKRU");
	/* a clean program: liberim's own gates are accepted by address, glibc's
	 * pkey_set is patched, and we end up in the untrusted domain */
	struct erim_config cfg = { .backend = ERIM_BACKEND_MPK, .require_mpk = 1,
	                           .inspect = ERIM_INSPECT_REFUSE, .quiet = 1 };
	int rc = erim_init(&cfg);
	CHECK(rc == 0, "erim_init: %d (%s)", rc, erim_strerror());
	if (rc != 0)
		return;
	int tk = erim_pkey();
	uint32_t pkru = erim_rdpkru();
	CHECK(tk >= 0 && (pkru & ERIM_PKRU_AD(tk)), "untrusted PKRU %#x does not deny key %d", pkru, tk);
	CHECK(memcmp(wrpkru_site, "\x0f\x0b\x90", 3) == 0, "pkey_set's WRPKRU was not patched");
	open_key = tk;
	untrusted_pkru = pkru;
	CHECK_EXITS("pkey_set from untrusted code (42 = trapped at the WRPKRU's address, "
	            "43 = trapped elsewhere, 44/45 = pkey_set returned)",
	            open_trusted_key, NULL, 42, NULL);
	CHECK(erim_rdpkru() == pkru, "PKRU changed: %#x, was %#x", erim_rdpkru(), pkru);
}

int main(void)
{
	setup();
	RUN(pkey_set_writes_pkru_before_inspection);
	RUN(pkey_set_of_the_trusted_key_stops_at_the_patched_wrpkru_after_init);
	return check_done("inspect_vm_pkey");
}
