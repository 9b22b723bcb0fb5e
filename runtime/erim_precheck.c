/* SPDX-License-Identifier: MIT */
/* erim_precheck.c: two refusals erim_init makes before it changes anything.
 *
 * 1. No WRPKRU or XRSTOR below 4 GiB (mpk back end; red-team round 11,
 *    "rt_compat_gate").  Untrusted code can switch the thread to 32-bit
 *    compatibility mode without a system call (a far jump or far return to
 *    the 32-bit user code segment 0x23, or CS in an rt_sigreturn frame).
 *    Code there runs with a 32-bit EIP, so it reaches every byte below
 *    4 GiB and nothing above.  liberim's gates are audited as 64-bit code:
 *    the check after a gate's WRPKRU, `cmp RO(PKRU_U)(%rip), %eax`, decodes
 *    in 32-bit mode as `cmp [disp32], %eax`, an ABSOLUTE load from low memory
 *    the attacker maps -- the check passes and the WRPKRU's PKRU (0) stays.
 *    The same holds for every other accepted site (the checked XRSTOR
 *    sequence of scan.h decodes the same in both modes, but its safety
 *    argument was made for 64-bit code only, and a checked site is no
 *    better than a gate).  So when any WRPKRU or XRSTOR byte sequence (at
 *    any offset, any class: liberim's gates, the abort and drop sites, a
 *    checked or rewritten XRSTOR, or one the inspection would refuse)
 *    lies in executable memory that starts below 4 GiB, erim_init refuses
 *    the mpk back end and names the site: such a program (non-PIE, e.g.
 *    liberim.a in an -static program) must be linked with -pie or
 *    -static-pie.  Above 4 GiB compatibility-mode code cannot execute any
 *    byte: a far jump back to 64-bit mode (CS 0x33) takes a 32-bit offset
 *    too, so it lands below 4 GiB again, in 64-bit mode, where every byte
 *    sequence is judged as 64-bit code by the inspection.  The scan is by
 *    byte pattern at every offset (scan.h), so 32-bit mode's other
 *    instruction boundaries and prefix decoding (0x40-0x4f are inc/dec
 *    there, no REX) cannot hide a WRPKRU (0F 01 EF) or an XRSTOR (0F AE /5
 *    with a memory operand) from it.  Executable memory mapped low after
 *    erim_init is erim-tem's to judge (without erim-tem untrusted code can
 *    write a WRPKRU of its own anyway); objects dlopened later are placed
 *    top-down by ld.so and not re-checked here.
 *    The mprotect back end has no WRPKRU and its gates' safety does not
 *    rest on a decoding of the gate code (an mprotect system call is the
 *    switch; from compatibility mode the i386 system call entry gives
 *    untrusted code nothing it lacks in 64-bit mode), so it is not refused.
 *
 * 2. The caller is the only task that uses this address space (mpk and
 *    mprotect back ends; red-team round 11, "rt_exec_preload").  PKRU is
 *    per thread: a thread that exists before erim_init keeps whatever PKRU
 *    it has (0, set by a preloaded constructor, opens the key erim_init is
 *    about to allocate), and no thread can set another thread's PKRU.  The
 *    same for a CLONE_VM child that is not a thread (it does not appear in
 *    /proc/self/task).  So erim_init asks the kernel: unshare(CLONE_VM) is
 *    "not implemented, pretend it works if there is nothing to unshare" --
 *    it succeeds iff the thread group is this thread alone, the signal
 *    handlers are not shared, and no other process shares the mm
 *    (current_is_single_threaded(), a scan of every task under RCU in the
 *    kernel).  Nothing is changed by it.  When it fails (EINVAL) it is
 *    asked again for up to 0.2 s (a joined thread leaves the thread group a
 *    moment after glibc's pthread_join returns), then erim_init refuses and
 *    counts /proc/self/task for the message.  io_uring workers are threads
 *    of the group and are refused too (fail closed).  A task created after the
 *    check can only be created by the caller itself (nobody else shares the
 *    mm), i.e. by erim_init's own caller after erim_init returned, and then
 *    inherits the untrusted PKRU.  Under mprotect the refusal keeps the same
 *    start-up rule (erim_init patches code pages in place and closes rseq
 *    process-wide on the assumption that no other thread runs). */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "erim_hooks.h"
#include "erim_internal.h"
#include "erim_sys.h"
#include "scan.h"

#define LOW_LIMIT (1ULL << 32)

static const char fix_msg[] = "link the program as a position-independent executable "
                              "(gcc -pie, or -static-pie for a static program) so that no "
                              "WRPKRU/XRSTOR lies below 4 GiB";

struct low_hit {
	uint64_t addr;
	int kind;
	int found;
};

static int low_cb(const struct scan_hit *h, void *arg)
{
	struct low_hit *lh = arg;

	if (h->addr >= LOW_LIMIT)
		return 0;
	lh->addr = h->addr;
	lh->kind = (int)h->kind;
	lh->found = 1;
	return 1;
}

static int hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	for (;; s++, n++) {
		int c = *s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		x = x << 4 | (uint64_t)d;
	}
	*p = s;
	*v = x;
	return n > 0 && n <= 16;
}

int erim__precheck_low_sites(char *err, size_t errlen)
{
	const uintptr_t *sites = NULL;
	size_t n = erim__gate_sites(&sites);
	char line[512];
	FILE *f;

	for (size_t i = 0; i < n; i++)
		if ((uint64_t)sites[i] < LOW_LIMIT) {
			snprintf(err, errlen, "liberim's WRPKRU gate site at %#lx lies below 4 GiB "
			         "(a non-PIE program): 32-bit compatibility-mode code (a far jump to "
			         "code segment 0x23, no system call needed) can jump onto it, and the "
			         "gate's 64-bit check after WRPKRU then decodes as an absolute load "
			         "from attacker memory; the mpk back end is refused: %s",
			         (unsigned long)sites[i], fix_msg);
			return -EPERM;
		}
	f = fopen("/proc/self/maps", "re");
	if (!f) {
		snprintf(err, errlen, "cannot read /proc/self/maps to make sure no WRPKRU/XRSTOR "
		         "lies below 4 GiB (where 32-bit compatibility-mode code can reach it): "
		         "%s; refused", strerror(errno));
		return -EPERM;
	}
	while (fgets(line, sizeof line, f)) {
		const char *p = line;
		uint64_t lo, hi;
		char perm[5];
		struct low_hit lh = { 0 };
		int ok = hex(&p, &lo) && *p++ == '-' && hex(&p, &hi) && *p++ == ' ' &&
		         sscanf(p, "%4s", perm) == 1;

		if (!strchr(line, '\n')) {      /* every fgets starts a line: skip the tail */
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		if (!ok) {
			fclose(f);
			snprintf(err, errlen, "cannot parse /proc/self/maps line \"%.80s\"; refused", line);
			return -EPERM;
		}
		if (lo >= LOW_LIMIT || perm[2] != 'x')
			continue;
		if (perm[0] != 'r') {
			fclose(f);
			snprintf(err, errlen, "executable memory at %#llx-%#llx lies below 4 GiB and "
			         "cannot be read to make sure it holds no WRPKRU/XRSTOR (32-bit "
			         "compatibility-mode code can reach it): mpk refused; %s",
			         (unsigned long long)lo, (unsigned long long)hi, fix_msg);
			return -EPERM;
		}
		/* a sequence that starts below 4 GiB may end above it */
		if (hi > LOW_LIMIT + 16)
			hi = LOW_LIMIT + 16;
		scan_buffer((const uint8_t *)(uintptr_t)lo, (size_t)(hi - lo), lo, low_cb, &lh);
		if (lh.found) {
			fclose(f);
			snprintf(err, errlen, "a %s at %#llx (executable memory %#llx-%#llx) lies "
			         "below 4 GiB: 32-bit compatibility-mode code (a far jump to code "
			         "segment 0x23, no system call needed) can execute it, and no check "
			         "written for 64-bit code holds there; the mpk back end is refused: %s",
			         lh.kind == SCAN_WRPKRU ? "WRPKRU" : "XRSTOR",
			         (unsigned long long)lh.addr, (unsigned long long)lo,
			         (unsigned long long)hi, fix_msg);
			return -EPERM;
		}
	}
	fclose(f);
	return 0;
}

int erim__precheck_alone(char *err, size_t errlen)
{
	long r = erim_sys1(SYS_unshare, CLONE_VM);
	int n;

	/* a thread the program joined just before is gone for glibc (the kernel
	 * cleared its tid) a moment before the kernel removes it from the
	 * thread group: wait up to 0.2 s for such exits, then refuse */
	for (int i = 0; r == -EINVAL && i < 200; i++) {
		struct timespec ms = { 0, 1000000 };

		erim_sys3(SYS_nanosleep, (long)&ms, 0, 0);
		r = erim_sys1(SYS_unshare, CLONE_VM);
	}
	if (r == 0)
		return 0;
	n = erim__thread_count();     /* for the message only */
	if (r == -EINVAL) {
		if (n > 1)
			snprintf(err, errlen, "erim_init must run while the caller is the process's "
			         "only thread: %d threads exist (/proc/self/task), and a thread "
			         "started before erim_init keeps its own PKRU (0 opens every key), "
			         "which no other thread can change; call erim_init before any thread "
			         "starts: refused", n);
		else
			snprintf(err, errlen, "erim_init must run while the caller is the only task "
			         "using this address space: another task shares it (a CLONE_VM "
			         "child or shared signal handlers; %d thread(s) in /proc/self/task), "
			         "and it keeps its own PKRU, which no other task can change: refused",
			         n);
	} else {
		snprintf(err, errlen, "cannot make sure the caller is the only thread "
		         "(unshare(CLONE_VM) as a probe: %s; %d thread(s) in /proc/self/task): "
		         "refused", strerror((int)-r), n);
	}
	return -EBUSY;
}
