/* SPDX-License-Identifier: MIT */
/* pku_semantics.c: the VM guest behaves like real protection-key hardware.
 * Every later VM test relies on these facts, so they are checked first:
 * pkey_alloc works; access-disable makes reads fault with SEGV_PKUERR and the
 * right si_pkey; write-disable lets reads through and stops writes; new threads
 * inherit their creator's PKRU; a signal handler starts with the kernel's
 * default PKRU and the interrupted PKRU comes back after the handler returns. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

#ifndef SEGV_PKUERR
#define SEGV_PKUERR 4
#endif

static inline void wrpkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f,0x01,0xef" /* wrpkru */
	                 : : "a"(v), "c"(0), "d"(0) : "memory");
}

static int pkey = -1;
static volatile char *page;
static sigjmp_buf fault_jmp;
static volatile int fault_code, fault_pkey;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_code = si->si_code;
	fault_addr = (uintptr_t)si->si_addr;
#ifdef si_pkey
	fault_pkey = (int)si->si_pkey;
#else
	fault_pkey = -1;
#endif
	siglongjmp(fault_jmp, 1);
}

/* Try a read (write=0) or write (1) of page[0] under PKRU value v; returns 1 if it faulted. */
static int faults(uint32_t v, int write)
{
	uint32_t saved = erim_rdpkru();

	fault_code = fault_pkey = 0;
	if (sigsetjmp(fault_jmp, 1) == 0) {
		wrpkru(v);
		if (write)
			page[0] = 1;
		else
			(void)page[0];
		wrpkru(saved);
		return 0;
	}
	wrpkru(saved);
	return 1;
}

TEST(pkey_alloc_works)
{
	CHECK(erim_cpu_has_pku(), "CPUID does not report PKU+OSPKE in the guest");
	pkey = (int)syscall(SYS_pkey_alloc, 0UL, 0UL);
	CHECK(pkey > 0, "pkey_alloc returned %d", pkey);
	if (pkey <= 0)
		return;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED, "mmap failed");
	CHECK(syscall(SYS_pkey_mprotect, (void *)page, 4096UL, PROT_READ | PROT_WRITE, pkey) == 0,
	      "pkey_mprotect failed");
	page[0] = 42;
}

TEST(access_disable_faults_with_pkuerr)
{
	if (pkey <= 0)
		SKIP("no key (pkey_alloc_works failed)");
	CHECK(faults(erim_rdpkru() | ERIM_PKRU_AD(pkey), 0), "read with AD set did not fault");
	CHECK(fault_code == SEGV_PKUERR, "si_code %d, want SEGV_PKUERR", fault_code);
	CHECK(fault_pkey == pkey, "si_pkey %d, want %d", fault_pkey, pkey);
	CHECK(fault_addr == (uintptr_t)page, "si_addr %#lx, want %p", (unsigned long)fault_addr, (void *)page);
	CHECK(!faults(erim_rdpkru() & ~(ERIM_PKRU_AD(pkey) | ERIM_PKRU_WD(pkey)), 0),
	      "read with the key enabled faulted");
}

TEST(write_disable_allows_reads_stops_writes)
{
	if (pkey <= 0)
		SKIP("no key (pkey_alloc_works failed)");
	CHECK(!faults(erim_rdpkru() | ERIM_PKRU_WD(pkey), 0), "read with WD set faulted");
	CHECK(faults(erim_rdpkru() | ERIM_PKRU_WD(pkey), 1), "write with WD set did not fault");
	CHECK(fault_code == SEGV_PKUERR, "si_code %d, want SEGV_PKUERR", fault_code);
	CHECK(page[0] == 42, "the page changed to %d", page[0]);
}

static void *report_pkru(void *arg)
{
	*(uint32_t *)arg = erim_rdpkru();
	return NULL;
}

TEST(threads_inherit_pkru)
{
	pthread_t t;
	uint32_t seen = 0, mine, want;

	if (pkey <= 0)
		SKIP("no key (pkey_alloc_works failed)");
	mine = erim_rdpkru();
	want = mine | ERIM_PKRU_AD(pkey);
	wrpkru(want);
	CHECK(pthread_create(&t, NULL, report_pkru, &seen) == 0, "pthread_create failed");
	pthread_join(t, NULL);
	wrpkru(mine);
	CHECK(seen == want, "thread saw PKRU %#x, creator had %#x", seen, want);
}

static volatile uint32_t handler_pkru;

static void on_usr1(int sig)
{
	handler_pkru = erim_rdpkru();
	wrpkru(0); /* a handler changing PKRU must not leak into the interrupted code */
}

TEST(signal_handler_gets_default_pkru_and_restores)
{
	struct sigaction sa;
	uint32_t mine, set, after;

	if (pkey <= 0)
		SKIP("no key (pkey_alloc_works failed)");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	mine = erim_rdpkru();
	set = ERIM_PKRU_AD(pkey) | ERIM_PKRU_WD(pkey); /* not the default */
	wrpkru(set);
	raise(SIGUSR1);
	after = erim_rdpkru();
	wrpkru(mine);
	/* Linux's default: every key but 0 access-disabled (init_pkru_value). */
	CHECK(handler_pkru == 0x55555554u, "handler ran with PKRU %#x, want 0x55555554", handler_pkru);
	CHECK(after == set, "PKRU after the handler %#x, want the interrupted %#x", after, set);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	RUN(pkey_alloc_works);
	RUN(access_disable_faults_with_pkuerr);
	RUN(write_disable_allows_reads_stops_writes);
	RUN(threads_inherit_pkru);
	RUN(signal_handler_gets_default_pkru_and_restores);
	return check_done("pku_semantics");
}
