/* SPDX-License-Identifier: MIT */
/* rt_stackgap.c: a guard gap above the last trusted stack.  Each trusted
 * stack has a gap below it (stacks grow down), so a runaway write *up* from
 * the top of the last stack used to run straight into the next mapping --
 * the trusted heap, in red team 16's prov_leak, where a copy in trusted code
 * driven by untrusted libc state overwrote the provider's key structures and
 * a later gate handed bytes of the RSA prime out.  Checked where the kernel
 * says it: with one slot (ERIM_MAX_THREADS=1) the main thread runs on the
 * last stack; the mapping above that stack must be an inaccessible gap of at
 * least 1 MiB.  The control: the mapping below the same stack is its gap (so
 * the check reads the right lines and the layout is what it assumes).
 *
 * mpk only (under mprotect and none the ranges switch as a whole and carry no
 * gaps).  Usage: rt_stackgap [--backend=mpk] */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "erim_check.h"

static const char *suite = "rt_stackgap";
static unsigned id_sp;

static long where(void *args)
{
	volatile char here = 0;

	(void)args;
	return (long)(uintptr_t)&here;
}

struct vma {
	uintptr_t lo, hi;
	char perm[5];
};

/* the mapping that contains A (WANT_CONTAINS) or that starts at / ends at A */
static int find_vma(uintptr_t a, int how, struct vma *v)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perm[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) != 3)
			continue;
		if ((how == 0 && lo <= a && a < hi) || (how == 1 && lo == a) || (how == 2 && hi == a)) {
			v->lo = lo;
			v->hi = hi;
			memcpy(v->perm, perm, 5);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static uintptr_t stack_sp;
static struct vma stk;

TEST(trusted_stack_found)
{
	static const struct erim_entry tab[] = { { "rt_stackgap", "where", where, ERIM_ENTRY_PUBLIC } };
	int r;

	CHECK(erim_register_entries(tab, 1, &id_sp) == 0, "erim_register_entries failed");
	r = erim_init(NULL);
	CHECK(r == 0, "erim_init: %d (%s)", r, erim_strerror());
	if (r)
		return;
	if (erim_backend() != ERIM_BACKEND_MPK)
		SKIP("the %s back end has no stack gaps (mpk only)", erim_backend_name(erim_backend()));
	stack_sp = (uintptr_t)erim_gate_call(id_sp, NULL);
	CHECK(find_vma(stack_sp, 0, &stk), "no mapping holds the trusted stack address %#" PRIxPTR,
	      stack_sp);
	CHECK(strncmp(stk.perm, "rw", 2) == 0, "the trusted stack's mapping is %s, not rw", stk.perm);
}

TEST(control_gap_below_the_stack)
{
	struct vma g;

	if (!stk.hi)
		SKIP("no trusted stack found (previous test)");
	CHECK(find_vma(stk.lo, 2, &g), "nothing ends where the trusted stack starts (%#" PRIxPTR ")",
	      stk.lo);
	CHECK(strncmp(g.perm, "---", 3) == 0 && g.hi - g.lo >= (1u << 20),
	      "below the trusted stack: %#" PRIxPTR "-%#" PRIxPTR " %s, want a gap of >= 1 MiB",
	      g.lo, g.hi, g.perm);
}

TEST(gap_above_the_last_stack)
{
	struct vma g;

	if (!stk.hi)
		SKIP("no trusted stack found (previous test)");
	CHECK(find_vma(stk.hi, 1, &g), "nothing starts where the last trusted stack ends (%#" PRIxPTR
	      "): no gap above it", stk.hi);
	CHECK(strncmp(g.perm, "---", 3) == 0 && g.hi - g.lo >= (1u << 20),
	      "above the last trusted stack: %#" PRIxPTR "-%#" PRIxPTR " %s, want a gap of >= 1 MiB "
	      "(a runaway write up from the stack reaches that mapping)", g.lo, g.hi, g.perm);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--backend=", 10) == 0)
		setenv("ERIM_BACKEND", argv[1] + 10, 1);
	setenv("ERIM_MAX_THREADS", "1", 1);   /* the main thread's slot is the last */
	RUN(trusted_stack_found);
	RUN(control_gap_below_the_stack);
	RUN(gap_above_the_last_stack);
	return check_done(suite);
}
