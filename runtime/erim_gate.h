/* SPDX-License-Identifier: MIT */
/* erim_gate.h: constants shared by the gate (erim_gate.S) and its C half
 * (erim_slots.c, erim_callback.c) beyond the layout in erim_internal.h: the callback frame,
 * the register scrub sequences, and the one system call the gate makes. */
#ifndef ERIM_GATE_H
#define ERIM_GATE_H

/* A callback frame on the trusted stack, pushed by erim__cb_KIND; the slot's
 * cb_rsp points at the innermost one.  Offsets from the frame's base. */
#define ERIM_CBF_FPENV 0     /* trusted code's MXCSR (4 bytes), x87 CW (2) */
#define ERIM_CBF_TID   8     /* kernel thread id of the thread that left */
#define ERIM_CBF_PREV  16    /* the slot's previous innermost frame (or 0) */
#define ERIM_CBF_REGS  24    /* r15, r14, r13, r12, rbp, rbx */

#define ERIM_SYS_GETTID 186  /* x86-64 */

/* x87/MMX: writing each MMX register overwrites all 80 bits of the x87
 * register it aliases; EMMS then marks them empty (TOP = 0).  The control
 * word is untouched (it is callee-saved in the ABI).  ~11 cycles, against
 * ~80 for FNINIT, which does not clear the registers anyway. */
#define ERIM_SCRUB_X87_SEQ                                                    \
	pxor %mm0, %mm0; pxor %mm1, %mm1; pxor %mm2, %mm2; pxor %mm3, %mm3;   \
	pxor %mm4, %mm4; pxor %mm5, %mm5; pxor %mm6, %mm6; pxor %mm7, %mm7;   \
	emms

/* AVX-512 opmask registers (kxorw zeroes bits 63:16 of its destination). */
#define ERIM_SCRUB_OPMASK_SEQ                                                 \
	kxorw %k0, %k0, %k0; kxorw %k1, %k1, %k1; kxorw %k2, %k2, %k2;        \
	kxorw %k3, %k3, %k3; kxorw %k4, %k4, %k4; kxorw %k5, %k5, %k5;        \
	kxorw %k6, %k6, %k6; kxorw %k7, %k7, %k7

#ifdef __ASSEMBLER__
.macro ERIM_SCRUB_X87
	ERIM_SCRUB_X87_SEQ
.endm
.macro ERIM_SCRUB_OPMASK
	ERIM_SCRUB_OPMASK_SEQ
.endm
#else
#include <stdint.h>

struct erim_cbframe {
	uint64_t fpenv;
	uint64_t tid;
	uintptr_t prev;
	uint64_t regs[6];
};
_Static_assert(__builtin_offsetof(struct erim_cbframe, tid) == ERIM_CBF_TID, "cbf");
_Static_assert(__builtin_offsetof(struct erim_cbframe, prev) == ERIM_CBF_PREV, "cbf");
_Static_assert(__builtin_offsetof(struct erim_cbframe, regs) == ERIM_CBF_REGS, "cbf");

/* the kernel thread id: a system call, so no untrusted memory is involved */
static inline uint32_t erim__gettid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"((long)ERIM_SYS_GETTID) : "rcx", "r11", "memory");
	return (uint32_t)r;
}
#endif
#endif /* ERIM_GATE_H */
