/* SPDX-License-Identifier: MIT */
/* erim_sigrelay.c: the relay of liberim's signal stacks (erim_sigstack.c has
 * the design).  On 6.1 the same code relays from the untrusted stacks,
 * untrusted (erim__sig_relay_u, below).  Trusted C, called by
 * erim__sig_entry (erim_sigentry.S) on the
 * calling thread's own signal stack in trusted memory, after the checked
 * WRPKRU and the owner check: it checks the kernel's frame, stops the process
 * if the interrupted code was trusted or if the copy would reach trusted
 * memory, and copies the frame to untrusted memory; the entry wipes the
 * stack and continues on the copy.  Below the gate: it reads the sealed
 * read-only page, and reaches erim_signal.c (where a frame continues, whether
 * its handler asked for the program's sigaltstack) through the hook
 * erim__ro.signal_cont.  No libc, no %fs (untrusted code's here). */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "erim_arch.h"
#include "erim_internal.h"
#include "erim_sys.h"

#define SF_UC 8                /* struct rt_sigframe: pretcode, ucontext, siginfo */
#define SF_INFO 312
#define SF_SIZE 440
#define RED_ZONE 128
#define FP_XSTATE_MAGIC1 0x46505853U

struct erim_relay_out {
	uintptr_t rsp, cont, sig, si, uc, zlo, zhi;
};
void erim__sig_relay(uintptr_t frame, struct erim_relay_out *o) ERIM_HIDDEN;
void erim__sig_relay_u(uintptr_t frame, struct erim_relay_out *o) ERIM_HIDDEN;

/* %fs is untrusted code's here: nothing may read it (no stack protector) */
__attribute__((no_stack_protector))
static const char *range_name(uintptr_t a, uintptr_t e)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *r = &erim__ro.ranges[i];

		if (r->start < e && a < r->end)
			return r->what;
	}
	return "?";
}

/* The relay's only stores to untrusted memory, with the trusted PKRU: the
 * destination was checked against every trusted range (erim-audit names this
 * routine, tests/audit/audit_policy.c). */
void erim__sig_copy_out(uintptr_t dst, uintptr_t src, size_t n) ERIM_HIDDEN;
__attribute__((noinline, no_stack_protector))
void erim__sig_copy_out(uintptr_t dst, uintptr_t src, size_t n)
{
	erim_copy((void *)dst, (const void *)src, n);
}

/* Every refusal wipes the frame first -- [frame, top): the relay's own
 * stack lies below it -- then stops: a refused frame may hold the registers
 * of trusted code, and a task that shares the address space outlives the
 * stop (a vfork child; red team 25, sigsteal: it claimed the stack and had
 * the relay copy a forged frame whose extent took the trusted one in). */
#define STOP(...) do {                                              \
		if (frame < top)                                    \
			erim_fill((void *)frame, 0, top - frame);   \
		erim__fatal(__VA_ARGS__);                           \
	} while (0)

/* the relay of the stacks from LO, N of them */
__attribute__((always_inline, no_stack_protector))
static inline void relay(uintptr_t frame, struct erim_relay_out *o, uintptr_t lo, uint64_t n)
{
	uint64_t idx = (frame - lo) >> ERIM_SIGSTK_SHIFT;
	uintptr_t base = lo + idx * ERIM_SIGSTK_STRIDE, top = base + ERIM_SIGSTK_STRIDE;
	ucontext_t *uc = (ucontext_t *)(frame + SF_UC);
	const siginfo_t *si = (const siginfo_t *)(frame + SF_INFO);
	uintptr_t fp, isp, pc, sp, xdst, fdst;
	uint32_t magic, ext, pkru, key = (uint32_t)erim__ro.pkey;
	uint64_t bv;
	int sig, onstack;

	if (frame + SF_SIZE > top)
		STOP("erim: signal frame at %p does not fit liberim's signal stack; "
		            "process stopped\n", (void *)frame);
	sig = si->si_signo;
	fp = (uintptr_t)uc->uc_mcontext.fpregs;
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	isp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	if (sig <= 0 || sig > 64 || fp < frame + SF_SIZE || (fp & 63) || fp + 576 > top)
		STOP("erim: no signal frame of the kernel's at %p on liberim's signal "
		            "stack (entry reached without a signal?); process stopped\n",
		            (void *)frame);
	magic = *(const uint32_t *)(fp + 464);
	ext = *(const uint32_t *)(fp + 468);         /* extended_size: + FP_XSTATE_MAGIC2 */
	bv = *(const uint64_t *)(fp + 512);
	if (magic != FP_XSTATE_MAGIC1 || ext < 576 || ext > top - fp)
		STOP("erim: signal %d at pc=%p: the frame has no XSAVE area; refusing to "
		            "run an untrusted handler; process stopped\n", sig, (void *)pc);
	pkru = 0;
	if ((bv & (1ull << 9)) && erim__ro.sigstk_pkru_off &&
	    erim__ro.sigstk_pkru_off + 4 <= ext)
		pkru = *(const uint32_t *)(fp + erim__ro.sigstk_pkru_off);
	if (!(pkru & ERIM_PKRU_AD(key)))
		STOP("erim: signal %d delivered at pc=%p with PKRU %#x in its frame: the "
		            "interrupted code had trusted rights (a trap or fault inside a gate or "
		            "trusted code); its frame on liberim's signal stack is wiped; "
		            "process stopped\n", sig, (void *)pc, pkru);
	if (isp >= base && isp < top)
		STOP("erim: signal %d at pc=%p interrupted liberim's signal stack; process "
		            "stopped\n", sig, (void *)pc);
	/* where the kernel would have put it (arch/x86/kernel/signal.c, get_sigframe) */
	sp = isp - RED_ZONE;
	(void)erim__ro.signal_cont(sig, &onstack);
	if (onstack && idx < n) {
		const struct erim_prog_ss *p = &erim__ro.sigstk_prog[idx];
		uintptr_t psp = *(volatile const uintptr_t *)&p->sp;
		uint64_t psz = *(volatile const uint64_t *)&p->size;

		if (psz && psp + psz > psp && !(sp > psp && sp - psp <= psz))
			sp = psp + psz;
	}
	if (sp < 4096 + ext + SF_SIZE + 128 || isp < RED_ZONE)
		STOP("erim: signal %d at pc=%p with %%rsp=%p: no room for its frame; "
		            "process stopped\n", sig, (void *)pc, (void *)isp);
	xdst = (sp - ext) & ~(uintptr_t)63;
	fdst = ((xdst - SF_SIZE) & ~(uintptr_t)15) - 8;
	if (erim_overlaps_trusted((const void *)fdst, sp - fdst))
		STOP("erim: signal %d at pc=%p with %%rsp=%p: its frame (%p-%p) would be "
		            "written into trusted memory (%s); it was written on liberim's signal "
		            "stack instead, nothing was copied; process stopped\n", sig, (void *)pc,
		            (void *)isp, (void *)fdst, (void *)sp, range_name(fdst, sp));
	uc->uc_mcontext.fpregs = (fpregset_t)xdst;   /* the copy's, in the frame it is made from */
	erim__sig_copy_out(fdst, frame, SF_SIZE);
	erim__sig_copy_out(xdst, fp, ext);
	o->rsp = fdst;
	o->cont = erim__ro.signal_cont(sig, &onstack);
	o->sig = (uintptr_t)sig;
	o->si = fdst + SF_INFO;
	o->uc = fdst + SF_UC;
	/* what the entry wipes: the frame and everything the relay wrote below
	 * it (a few hundred bytes; 8 KiB is generous), not the whole stack */
	o->zlo = frame - (base + ERIM_SIGSTK_GUARD) > 8192 ? (frame - 8192) & ~(uintptr_t)7
	                                                   : base + ERIM_SIGSTK_GUARD;
	o->zhi = top;
}

/* the trusted stacks (6.12+), from erim__sig_entry with the trusted PKRU */
__attribute__((no_stack_protector))
void erim__sig_relay(uintptr_t frame, struct erim_relay_out *o)
{
	relay(frame, o, erim__ro.sigstk_lo, erim__ro.sigstk_n);
}

/* The untrusted stacks (6.1: frames written with the interrupted PKRU),
 * from erim__sig_entry_u with the handler's PKRU (the kernel's init value,
 * the trusted key closed): the same checks and copy, untrusted code doing
 * them -- all it keeps from the kernel writing a frame below the
 * interrupted %rsp is that the kernel does not, and its frame refused
 * when the interrupted PKRU granted the trusted key (red team 49). */
__attribute__((no_stack_protector))
void erim__sig_relay_u(uintptr_t frame, struct erim_relay_out *o)
{
	relay(frame, o, erim__ro.altstk_lo, erim__ro.altstk_n);
}

