/* SPDX-License-Identifier: MIT */
/* tem_sigframe.c: no signal frame in trusted memory.
 *
 * Since Linux 6.12 ("x86/pkeys: Update PKRU to enable all pkeys before
 * XSAVE") the kernel writes a signal frame with every protection key
 * enabled.  The frame goes below the interrupted %rsp (or on the
 * sigaltstack, which erim-tem never lets lie in trusted memory), and %rsp
 * is the attacker's register: untrusted code that points it into trusted
 * memory and raises a signal would have the kernel write registers of its
 * choosing, the XSAVE image and siginfo there.
 *
 * At every signal-delivery-stop of a registered, keyed process, before the
 * signal is delivered, the range a frame could occupy below %rsp is
 * compared with the trusted ranges: 128 bytes of red zone plus an upper
 * bound of the frame (struct rt_sigframe, generously, plus the largest
 * XSAVE image of the features enabled in XCR0, CPUID leaf 0xD, plus
 * alignment).  When
 * it overlaps, the process is stopped (SIGKILL) and the signal is not
 * delivered -- whether or not the signal has a handler now: whether it has
 * one is the attacker's state (rt_sigaction runs without a stop, in any
 * thread, between any look at SigCgt and the kernel's own look when it
 * delivers), so it decides nothing.  The comparison is arithmetic on one
 * register read.  Signals are held while a thread is trusted
 * (tem_signal.c), so a thread that gets here runs untrusted code, whose
 * stack pointer has no business in trusted memory. */
#include "config.h"

#include <cpuid.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/user.h>

#include "tem.h"
#include "tem_table.h"

#define FRAME_FIXED 1024u   /* > sizeof(struct rt_sigframe) (440) + FP_XSTATE_MAGIC2 */
#define RED_ZONE 128u

static uint64_t frame_bound(void)
{
	static uint64_t bound;
	unsigned a, b, c, d;
	uint64_t x = 0;

	if (bound)
		return bound;
	/* EBX: the XSAVE size of the features enabled in XCR0 (what the
	 * kernel's signal frame can hold); ECX, all the CPU supports, if not */
	if (__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		x = b ? b : c;
	if (x == 0 || x > (1u << 20))
		x = 1u << 16;   /* unknown: assume a large image */
	bound = (RED_ZONE + FRAME_FIXED + x + 64 + 63) & ~63ull;
	return bound;
}

int tem_sigframe_refused(struct tem_thread *t, int sig)
{
	struct tem_proc *p = t->proc;
	struct user_regs_struct r;
	uint64_t lo, hi, bound = frame_bound();
	size_t i;
	int hit = 0;

	if (!p || !p->registered || p->pkey < 1 || p->nranges == 0 || sig == SIGKILL || sig == SIGSTOP)
		return 0;
	if (tem_getregs(t->tid, &r) != 0)
		return 0;
	hi = r.rsp;
	lo = hi > bound ? hi - bound : 0;
	for (i = 0; i < p->nranges && !hit; i++)
		hit = lo < p->range[i].end && p->range[i].start < hi;
	if (!hit)
		return 0;
	tem_log(1, "pid %d: signal %d with %%rsp 0x%llx: its frame (up to %" PRIu64 " bytes below) would be "
	        "written into trusted memory; process stopped", (int)t->tid, sig, (unsigned long long)r.rsp, bound);
	tem_kill_sharers(t, TEM_UNDO_VM, NULL, 0);
	return 1;
}
