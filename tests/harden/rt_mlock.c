/* SPDX-License-Identifier: MIT */
/* rt_mlock.c: trusted pages are kept in RAM (red team 14, rt_swap: the
 * kernel wrote a trusted page to swap, and root read it from the swap
 * device).  erim_init locks every trusted range with mlock2(MLOCK_ONFAULT):
 * pages are locked as they are faulted in, the large MAP_NORESERVE
 * reservations are not committed.  Checked where the kernel says it:
 *   locked    the "lo" VmFlag of the trusted global's and the trusted
 *             heap's mappings, and the heap mapping's "Locked:" in smaps
 *             covering its "Pss:" once trusted code allocated and touched
 *             1 MiB after erim_init: pages faulted in later are locked
 *             (VmLck does not grow: the kernel counts the whole locked
 *             length at mlock2 time, faulted in or not -- printed);
 *   notice    RLIMIT_MEMLOCK too small for the trusted ranges: erim_init
 *             goes on, says so on stderr ("not locked in RAM", the limit
 *             and the size needed), nothing stays locked (the control: the
 *             same 1 MiB is not counted as locked);
 *   require   the same limit under ERIM_REQUIRE=mlock: erim_init fails,
 *             naming ERIM_REQUIRE=mlock;
 *   munlock   untrusted code unlocks a trusted heap page: refused (EPERM)
 *             under erim-tem (--under-tem), the page stays locked; the
 *             control without erim-tem: munlock works, the lock is gone.
 * Each case in a child without CAP_IPC_LOCK (dropped where the test runs
 * as root: with it the limit does not apply), with a small heap and few
 * stacks (ERIM_HEAP_SIZE=2M, ERIM_MAX_THREADS=2, ERIM_STACK_SIZE=64K) and
 * RLIMIT_MEMLOCK 8 MiB (locked: the usual default) or 64 KiB (notice,
 * require).  The control
 * before erim_init: the global's mapping carries no "lo".
 *
 * Under erim-tem the private file mapping holding the trusted global is
 * replaced at registration by fresh anonymous pages; erim-tem gives them
 * the lock back (the "lo" check of the global fails without that).
 *
 * Usage: rt_mlock [--backend=mpk|mprotect] [--under-tem] (default backend:
 * $ERIM_BACKEND) */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

static ERIM_TRUSTED volatile uint64_t secret_global[512] = { 0x5ec7e7 };
static const char *suite = "rt_mlock";
static unsigned id_alloc;

/* trusted: allocate *ARGS bytes on the trusted heap and touch every page */
static long alloc_touch(void *args)
{
	size_t n = *(volatile size_t *)args;
	char *p = erim_malloc(n);

	if (p)
		for (size_t i = 0; i < n; i += 4096)
			p[i] = 1;
	return (long)(uintptr_t)p;
}

/* The mapping of smaps that holds A: its VmFlags has " lo" (*LO) and its
 * "Locked:" in kB (*KB).  0, or -1 when no mapping holds A. */
static long rss_kb, pss_kb;   /* the last smaps_at's mapping's Rss and Pss: in kB */

static int smaps_at(uintptr_t a, int *lo, long *kb)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, seen = 0;

	*lo = 0;
	*kb = -1;
	rss_kb = pss_kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long x, y;

		if (sscanf(line, "%lx-%lx ", &x, &y) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = x <= a && a < y;
			seen |= in;
			continue;
		}
		if (in && strncmp(line, "Locked:", 7) == 0)
			*kb = strtol(line + 7, NULL, 10);
		if (in && strncmp(line, "Rss:", 4) == 0)
			rss_kb = strtol(line + 4, NULL, 10);
		if (in && strncmp(line, "Pss:", 4) == 0)
			pss_kb = strtol(line + 4, NULL, 10);
		if (in && strncmp(line, "VmFlags:", 8) == 0)
			*lo = strstr(line, " lo") != NULL;
	}
	fclose(f);
	return seen ? 0 : -1;
}

static long vmlck(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmLck: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* no CAP_IPC_LOCK (RLIMIT_MEMLOCK applies), the limit LIMIT, small regions */
static int setup(rlim_t limit)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct rlimit rl = { limit, limit };

	if (syscall(SYS_capget, &h, d) != 0)
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1u << (CAP_IPC_LOCK % 32));
	if (syscall(SYS_capset, &h, d) != 0 || setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return -1;
	unsetenv("ERIM_QUIET");   /* the notice is part of the check */
	return 0;
}

/* setup(LIMIT) and erim_init, or the child exits 1 saying why */
static void setup_init(rlim_t limit)
{
	int r;

	if (setup(limit) != 0) {
		printf("cannot drop CAP_IPC_LOCK or set RLIMIT_MEMLOCK: %s\n", strerror(errno));
		exit(1);
	}
	if ((r = erim_init(NULL)) != 0) {
		printf("erim_init: %d (%s)\n", r, erim_strerror());
		exit(1);
	}
}

/* Children: exit 0 when the case holds, 1 (with a line why) when not. */
static void child_locked(void *arg)
{
	size_t small = 64, big = 1 << 20;
	uintptr_t p;
	long before, after, lck0, lck1, rss0, rss1, pss1;
	int lo, glo;

	(void)arg;
	setup_init(8 << 20);
	p = (uintptr_t)erim_gate_call(id_alloc, &small);
	if (!p || smaps_at(p, &lo, &before) != 0 || smaps_at((uintptr_t)secret_global, &glo, &after) != 0) {
		printf("the trusted heap or global was not found in smaps\n");
		exit(1);
	}
	smaps_at(p, &lo, &before);
	rss0 = rss_kb;
	lck0 = vmlck();
	p = (uintptr_t)erim_gate_call(id_alloc, &big);
	smaps_at(p, &lo, &after);
	rss1 = rss_kb;
	pss1 = pss_kb;
	lck1 = vmlck();
	printf("global's mapping lo=%d; heap mapping lo=%d, Locked/Rss %ld/%ld kB -> %ld/%ld kB (Pss %ld kB) after "
	       "trusted code touched 1 MiB; VmLck %ld kB -> %ld kB\n", glo, lo, before, rss0, after, rss1, pss1, lck0, lck1);
	/* every page that came in is locked: Locked (counted as Pss: pages
	 * touched before the fork are shared with the parent) covers Pss,
	 * and Rss holds the 1 MiB trusted code touched after erim_init (Rss
	 * need not grow by it: a transparent huge page may have brought the
	 * whole heap in at the first touch, as on 6.12 in the guest) */
	exit(glo && lo && rss1 >= 1024 && after >= pss1 && pss1 > 0 ? 0 : 1);
}

static void child_notice(void *arg)
{
	size_t big = 1 << 20;
	uintptr_t p;
	long after, rss, gkb;
	int lo, glo;

	(void)arg;
	setup_init(64 << 10);
	p = (uintptr_t)erim_gate_call(id_alloc, &big);
	smaps_at(p, &lo, &after);
	rss = rss_kb;
	smaps_at((uintptr_t)secret_global, &glo, &gkb);
	printf("limit 64 KiB: global's mapping lo=%d; heap mapping lo=%d, Locked/Rss %ld/%ld kB after trusted "
	       "code touched 1 MiB\n", glo, lo, after, rss);
	exit(!glo && !lo && after == 0 && rss > 0 ? 0 : 1);
}

static void child_require(void *arg)
{
	int r;

	(void)arg;
	if (setup(64 << 10) != 0) {
		printf("cannot drop CAP_IPC_LOCK or set RLIMIT_MEMLOCK: %s\n", strerror(errno));
		exit(1);
	}
	setenv("ERIM_REQUIRE", "mlock", 1);
	r = erim_init(NULL);
	printf("erim_init under ERIM_REQUIRE=mlock: %d (%s)\n", r, erim_strerror());
	exit(r < 0 && strstr(erim_strerror(), "ERIM_REQUIRE=mlock") ? 0 : 1);
}

/* untrusted code unlocks a trusted heap page: refused under erim-tem
 * (--under-tem), and the page stays locked; without it the control: munlock
 * works and the mapping loses its lock */
static int under_tem;

static void child_munlock(void *arg)
{
	size_t big = 1 << 20;
	uintptr_t p;
	long kb;
	int lo, r, e;

	(void)arg;
	setup_init(8 << 20);
	p = (uintptr_t)erim_gate_call(id_alloc, &big) & ~(uintptr_t)4095;
	r = munlock((void *)p, 4096);
	e = errno;
	smaps_at(p, &lo, &kb);
	printf("untrusted munlock of a trusted heap page: %s; its mapping lo=%d\n", r == 0 ? "done" : strerror(e), lo);
	if (under_tem)
		exit(r != 0 && e == EPERM && lo ? 0 : 1);
	exit(r == 0 && !lo ? 0 : 1);
}

static int run_child(check_child_fn fn, const char *pattern)
{
	char out[2048];
	int st = check_child(fn, NULL, out, sizeof out);

	fputs(out, stdout);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && (!pattern || check_matches(out, pattern));
}

TEST(control_global_not_locked_before_init)
{
	int lo;
	long kb;

	REQUIRE(smaps_at((uintptr_t)secret_global, &lo, &kb) == 0);
	CHECK(!lo, "before erim_init the trusted global's mapping already carries lo: the check shows nothing");
}

TEST(trusted_ranges_locked_on_fault)
{
	CHECK(run_child(child_locked, NULL), "the trusted ranges are not locked, or pages faulted in later are not");
}

TEST(small_limit_notice_and_go_on)
{
	CHECK(run_child(child_notice, "not locked in RAM.*RLIMIT_MEMLOCK 64 KiB"),
	      "with RLIMIT_MEMLOCK 64 KiB erim_init did not go on with the notice, or locked something");
}

TEST(small_limit_require_mlock_fails_closed)
{
	CHECK(run_child(child_require, NULL), "ERIM_REQUIRE=mlock did not make erim_init fail");
}

TEST(untrusted_munlock_of_trusted_memory)
{
	CHECK(run_child(child_munlock, NULL), under_tem ? "untrusted code unlocked trusted memory under erim-tem"
	                                                : "control: munlock without erim-tem did not unlock the page");
}

int main(int argc, char **argv)
{
	static const struct erim_entry entries[] = { { "rt_mlock", "alloc_touch", alloc_touch, ERIM_ENTRY_PUBLIC } };

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--backend=", 10) == 0)
			setenv("ERIM_BACKEND", argv[i] + 10, 1);
		else if (strcmp(argv[i], "--under-tem") == 0)
			under_tem = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* small regions, before the entry registration reserves them */
	setenv("ERIM_HEAP_SIZE", "2M", 1);
	setenv("ERIM_MAX_THREADS", "2", 1);
	setenv("ERIM_STACK_SIZE", "64K", 1);
	if (erim_register_entries(entries, 1, &id_alloc) != 0) {
		printf("rt_mlock: cannot register the entry\n");
		return 1;
	}
	RUN(control_global_not_locked_before_init);
	RUN(trusted_ranges_locked_on_fault);
	RUN(small_limit_notice_and_go_on);
	RUN(small_limit_require_mlock_fails_closed);
	RUN(untrusted_munlock_of_trusted_memory);
	return check_done(suite);
}
