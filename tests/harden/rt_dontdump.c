/* SPDX-License-Identifier: MIT */
/* rt_dontdump.c: no trusted range is written into a core dump.  The kernel
 * writes a dump without looking at protection keys (red-team round 4 read
 * keyvault's key, a trusted global, from the core of a forked child that died
 * inside trusted code), so erim_init marks every trusted range MADV_DONTDUMP.
 * Checked where the kernel says it: the "dd" VmFlag of every mapping that
 * overlaps a trusted global, the trusted heap and the trusted stacks.  The
 * control: before erim_init the global's mapping carries no "dd", so the check
 * reads the right line.
 *
 * Usage: rt_dontdump [--backend=mpk|mprotect|none] (default: $ERIM_BACKEND) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "erim.h"
#include "erim_check.h"

static ERIM_TRUSTED volatile uint64_t secret_global[512] = { 0x5ec7e7 };
static const char *suite = "rt_dontdump";

/* 1 when every mapping overlapping [A, A+N) has VmFlags "dd", 0 when one has
 * not, -1 when none was found */
static int dontdump(uintptr_t a, size_t n)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo = 0, hi = 0;
	int in = 0, seen = 0, all = 1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long x, y;
		if (sscanf(line, "%lx-%lx ", &x, &y) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			lo = x;
			hi = y;
			in = lo < a + n && a < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			seen = 1;
			if (!strstr(line, " dd"))
				all = 0;
		}
	}
	fclose(f);
	return seen ? all : -1;
}

TEST(control_global_dumped_before_init)
{
	int d = dontdump((uintptr_t)secret_global, sizeof secret_global);
	CHECK(d == 0, "before erim_init the trusted global's mapping %s", d < 0 ? "was not found in smaps" :
	      "already carries dd: the control shows nothing");
}

TEST(every_trusted_range_out_of_core_dumps)
{
	int r = erim_init(NULL);
	CHECK(r == 0, "erim_init: %d (%s)", r, erim_strerror());
	if (r)
		return;
	int d = dontdump((uintptr_t)secret_global, sizeof secret_global);
	CHECK(d == 1, "the trusted global's mapping %s", d < 0 ? "was not found in smaps" :
	      "would be written into a core dump (no dd)");
}

/* Registers are not memory: a protected process dumps no core at all
 * (red-team round 6, "regdump": a thread inside trusted code had its
 * registers written into the core of another thread's SIGILL). */
TEST(no_core_dump_once_protected)
{
	struct rlimit rl;
	int none = erim_backend() == ERIM_BACKEND_NONE;

	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0, "getrlimit: %s", strerror(errno));
	if (none) {
		CHECK(rl.rlim_max != 1 || rl.rlim_cur != 1,
		      "the none back end protects nothing, yet core dumps were turned off");
		return;
	}
	CHECK(rl.rlim_cur == 1 && rl.rlim_max == 1, "RLIMIT_CORE is %llu/%llu after erim_init, want 1/1",
	      (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
	struct rlimit up = { 1 << 20, 1 << 20 };
	if (setrlimit(RLIMIT_CORE, &up) == 0) {
		setrlimit(RLIMIT_CORE, &rl);
		SKIP("this process may raise the hard limit (CAP_SYS_RESOURCE, e.g. root): "
		     "only erim-tem or dropping the capability keeps it at 1");
	}
	CHECK(errno == EPERM, "raising RLIMIT_CORE failed with %s, want EPERM", strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--backend=", 10) == 0)
		setenv("ERIM_BACKEND", argv[1] + 10, 1);
	RUN(control_global_dumped_before_init);
	RUN(every_trusted_range_out_of_core_dumps);
	RUN(no_core_dump_once_protected);
	return check_done(suite);
}
