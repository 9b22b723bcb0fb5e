/* SPDX-License-Identifier: MIT */
/* rt_gate.c: the gate's own state under attack -- callback frames, slots,
 * abort paths, x87/MMX and opmask registers.  One program for every back end:
 * `rt_gate none|mprotect|mpk`.  Natively it runs under none and mprotect
 * (runtime/rt_gate.sh); in the PKU guest under mpk, dynamic and static, plus a
 * control run under none (runtime/rt_gate.sh).
 *
 *  - nested callbacks (callback -> gate -> callback ... 4 deep) resume their
 *    own frames, each once, with their trusted locals intact;
 *  - x87/MMX registers and AVX-512 opmask registers hold no trusted value
 *    after a gate or inside a callback (control: a direct call leaves them);
 *  - MXCSR status flags and the x87 status word (flags, C0-C3) after a gate
 *    are the caller's, not what trusted code left; trusted code runs with
 *    MXCSR 0x1f80 / x87 CW 0x037f whatever the caller set, and the caller's
 *    control settings come back; a callback sees the defaults (control: a
 *    direct call leaks the flags); control settings trusted code changed and
 *    left do not reach the caller (the exit loads the caller's MXCSR
 *    always, its CW only when it differs: each CW case is its own path);
 *    with default controls the
 *    caller's own MXCSR status flags are visible to trusted code (as in any
 *    call; they are the caller's), never the other way round;
 *  - an x87 stack left full by the caller (or by a callback) does not reach
 *    trusted code: its long double arithmetic works (control: a direct call
 *    computes a NaN);
 *  - xmm/ymm/zmm registers are zero over their full width after a gate
 *    (AVX: ymm0-15; AVX-512: zmm0-31; control: a direct call leaves them);
 *  - callback -> gate re-entry is refused beyond 64 nested entries; a trusted
 *    frame larger than the stack at the deepest level faults in the PROT_NONE
 *    gap below the stack (mpk; control under none: the write goes through);
 *  - a forged callback return from another thread (its %fs pointed at the
 *    waiting thread's TLS, then a jump onto the resume address) is stopped;
 *    control: the same jump from the waiting thread itself resumes its frame;
 *  - a thread whose %fs points at a thread waiting in a callback cannot nest
 *    a gate call on that thread's frames;
 *  - a callback whose argument copy (placed below the caller's stack
 *    pointer) would reach into trusted memory is refused (control: the same
 *    call from the middle of the same page works);
 *  - the abort paths, raced by a thread spraying attacker-chosen code
 *    addresses over the aborting thread's stack, stop the process without
 *    running any of it (mpk: jumps onto every WRPKRU site with EAX = PKRU_T;
 *    every back end: a callback return with no waiting frame). */
#include <asm/prctl.h>
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_hooks.h"
#include "erim_check.h"

static enum erim_backend backend;
static unsigned id_nest, id_x87, id_x87_cb, id_wait_cb, id_add, id_secret_nonpublic;
static ERIM_TRUSTED volatile long secret_global = 0x5ec7e7;

/* ---- nested callbacks --------------------------------------------------------- */

struct nest { long depth; };
static volatile long nest_resumed[8];

static volatile size_t nest_big;        /* deepest level: a frame this large */

/* a trusted frame larger than the whole trusted stack; writes its lowest byte
 * (the first page touched without -fstack-clash-protection) */
static __attribute__((noinline)) long big_frame(size_t n)
{
	volatile char *b = __builtin_alloca(n);

	b[0] = 1;
	return b[0];
}

static long cb_nest(void *p)
{
	struct nest n = *(struct nest *)p;

	return erim_gate_call(id_nest, &n) + 1000;
}

/* depth d: a callback that re-enters with d-1; each level keeps a trusted
 * local and checks it after its callback came back */
static long e_nest(void *p)
{
	long d = ((const struct nest *)p)->depth;
	volatile long mine = 0x1000 + d * 0x11;
	struct nest n = { d - 1 };
	long r;
	unsigned allow[1] = { id_secret_nonpublic };   /* in trusted memory */

	if (d <= 0)
		return nest_big ? big_frame(nest_big) : 1;
	r = erim_callback_call(cb_nest, &n, sizeof n, allow, 1);
	if (mine != 0x1000 + d * 0x11)
		return -100 - d;       /* resumed on someone else's frame */
	nest_resumed[d & 7]++;
	return r + d;
}

TEST(nested_callbacks_resume_their_own_frames)
{
	struct nest n = { 4 };
	long r;

	memset((void *)nest_resumed, 0, sizeof nest_resumed);
	r = erim_gate_call(id_nest, &n);
	/* 1 + (1000+1) + (1000+2) + (1000+3) + (1000+4) */
	CHECK(r == 4011, "4-deep callbacks returned %ld, expected 4011", r);
	for (int d = 1; d <= 4; d++)
		CHECK(nest_resumed[d] == 1, "frame of depth %d resumed %ld times", d,
		      nest_resumed[d]);
	n.depth = 6;
	memset((void *)nest_resumed, 0, sizeof nest_resumed);
	r = erim_gate_call(id_nest, &n);
	CHECK(r == 1 + 6 * 1000 + 21, "6-deep callbacks returned %ld", r);
	CHECK(!erim_in_trusted(), "in trusted after nested callbacks");
}

/* ---- x87/MMX and opmask ------------------------------------------------------------ */

static int has_avx512(void)
{
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 0xe6) != 0xe6)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> 16) & 1;
}

static int avx512;
#define MARK 0x5ec12e75ec12e7ULL

/* leave MARK in mm0-mm7 (and the x87 registers they alias) and k0-k7 */
static void leave_marks(void)
{
	uint64_t m = MARK;

	__asm__ volatile("movq %0, %%mm0\n\tmovq %0, %%mm1\n\tmovq %0, %%mm2\n\t"
	                 "movq %0, %%mm3\n\tmovq %0, %%mm4\n\tmovq %0, %%mm5\n\t"
	                 "movq %0, %%mm6\n\tmovq %0, %%mm7\n\t" :: "m"(m) : "memory");
	if (avx512)
		__asm__ volatile("kmovw %%eax, %%k0\n\t"
		                 "kmovw %%eax, %%k1\n\tkmovw %%eax, %%k2\n\tkmovw %%eax, %%k3\n\t"
		                 "kmovw %%eax, %%k4\n\tkmovw %%eax, %%k5\n\tkmovw %%eax, %%k6\n\t"
		                 "kmovw %%eax, %%k7\n\t" :: "a"(0x5ec7) : "memory");
}

/* how many of mm0-7 / x87 registers and k0-7 still hold the mark; restores
 * a clean x87 state (emms) so C code can go on */
static int count_marks(void)
{
	unsigned char fx[512] __attribute__((aligned(16)));
	uint32_t k[8] = { 0 };
	int n = 0;

	__asm__ volatile("fxsave %0" : "=m"(fx));
	for (int i = 0; i < 8; i++) {
		uint64_t v;

		memcpy(&v, fx + 32 + 16 * i, 8);   /* ST0-7 / MM0-7, low 64 bits */
		if (v == MARK)
			n++;
	}
	__asm__ volatile("emms");
	if (avx512) {
		__asm__ volatile("kmovw %%k0, %0" : "=r"(k[0]));
		__asm__ volatile("kmovw %%k1, %0" : "=r"(k[1]));
		__asm__ volatile("kmovw %%k2, %0" : "=r"(k[2]));
		__asm__ volatile("kmovw %%k3, %0" : "=r"(k[3]));
		__asm__ volatile("kmovw %%k4, %0" : "=r"(k[4]));
		__asm__ volatile("kmovw %%k5, %0" : "=r"(k[5]));
		__asm__ volatile("kmovw %%k6, %0" : "=r"(k[6]));
		__asm__ volatile("kmovw %%k7, %0" : "=r"(k[7]));
		for (int i = 0; i < 8; i++)
			if ((k[i] & 0xffff) == 0x5ec7)
				n++;
	}
	return n;
}

static long e_x87(void *p)
{
	(void)p;
	leave_marks();
	return 0;
}

static volatile int cb_marks = -1;

static long cb_count(void *p)
{
	(void)p;
	cb_marks = count_marks();
	return 0;
}

static long e_x87_cb(void *p)
{
	(void)p;
	leave_marks();
	return erim_callback_call(cb_count, NULL, 0, NULL, 0);
}

/* the gate and the probe with no C code between them */
static int __attribute__((noinline)) marks_after_gate(unsigned id)
{
	erim_gate_call(id, NULL);
	return count_marks();
}

TEST(x87_mmx_and_opmask_registers_are_scrubbed)
{
	int all = avx512 ? 16 : 8, n;

	/* control: the probe sees what a direct call of the entry leaves */
	e_x87(NULL);
	n = count_marks();
	CHECK(n == all, "control: the probe found %d of %d marks after a direct call", n, all);
	n = marks_after_gate(id_x87);
	CHECK(n == 0, "%d registers kept a trusted value after the gate", n);
	cb_marks = -1;
	erim_gate_call(id_x87_cb, NULL);
	CHECK(cb_marks == 0, "the callback saw %d trusted register values", cb_marks);
	printf("  x87/MMX%s checked (%d registers)\n", avx512 ? " and opmask k0-k7" :
	       " (no AVX-512 here: opmask registers not present)", all);
}

/* ---- x87 register stack at entry ------------------------------------------------
 * A caller that leaves the x87 stack full makes every x87 load in trusted
 * code overflow (masked: a NaN), so long double arithmetic goes wrong; the
 * gate empties it (EMMS), on entry and on a callback's return. */

/* fills the x87 stack (8 x fld1), calls fn(id, NULL), cleans up (fninit) */
long rtg_x87full(long (*fn)(unsigned, void *), unsigned id);
__asm__(".text\n.globl rtg_x87full\nrtg_x87full:\n"
        "subq $8, %rsp\nmovq %rdi, %rax\nmovl %esi, %edi\nxorl %esi, %esi\n"
        ".rept 8\nfld1\n.endr\ncall *%rax\nfninit\naddq $8, %rsp\nret\n");

static volatile long double x87_num = 1.0L, x87_den = 3.0L;

/* 1 if trusted long double arithmetic works, 0 if it produced a NaN */
static long e_x87_arith(void *p)
{
	(void)p;
	long double q = x87_num / x87_den;

	return q == q && q > 0.33L && q < 0.34L;
}

static long direct_x87_arith(unsigned id, void *p)
{
	(void)id;
	return e_x87_arith(p);
}

static long cb_x87full(void *p)
{
	(void)p;
	__asm__ volatile(".rept 8\nfld1\n.endr" ::: "memory");
	return 0;
}

static long e_x87_arith_cb(void *p)
{
	(void)p;
	erim_callback_call(cb_x87full, NULL, 0, NULL, 0);
	return e_x87_arith(NULL);
}

static unsigned id_x87_arith, id_x87_arith_cb;

TEST(a_full_x87_stack_does_not_reach_trusted_code)
{
	long r;

	r = rtg_x87full(direct_x87_arith, 0);
	if (r != 0)   /* QEMU TCG: its x87 does not model the overflow */
		SKIP("with a full x87 stack a direct call still computes correctly here (no "
		     "stack-overflow NaN: an emulator?), so the check cannot fail; the native "
		     "runs (unit/rt_gate_*.sh) check it");
	r = rtg_x87full(erim_gate_call, id_x87_arith);
	CHECK(r == 1, "trusted long double arithmetic failed after a gate entered with a "
	      "full x87 stack");
	r = erim_gate_call(id_x87_arith_cb, NULL);
	__asm__ volatile("fninit");
	CHECK(r == 1, "trusted long double arithmetic failed after a callback that left "
	      "the x87 stack full");
}

/* ---- vector registers over their full width ------------------------------------
 * The scrub zeroes xmm/ymm/zmm with VEX.128 / EVEX.128 zeroing idioms, which
 * clear every bit up to the widest vector length: trusted marks in all 256
 * (AVX) or 512 (AVX-512, zmm0-31) bits must be gone after the gate. */

static int has_avx(void)
{
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)) || !(c & (1u << 28)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

/* fill/dump every vector register at its full width; probe(fn, id, buf, dump)
 * calls fn(id, NULL) and dumps right after it returns, no C code between */
void rtg_vfill256(void), rtg_vfill512(void), rtg_vdump256(void *), rtg_vdump512(void *);
void rtg_vprobe(long (*fn)(unsigned, void *), unsigned id, void *buf, void (*dump)(void *));
__asm__(".section .rodata\n.p2align 6\nrtg_vmark:\n.rept 8\n.quad 0x5ec12e75ec12e7\n.endr\n"
        ".text\n"
        ".globl rtg_vfill256\nrtg_vfill256:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nvmovdqu rtg_vmark(%rip), %ymm\\r\n.endr\nret\n"
        ".globl rtg_vfill512\nrtg_vfill512:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "vmovdqu64 rtg_vmark(%rip), %zmm\\r\n.endr\nret\n"
        ".globl rtg_vdump256\nrtg_vdump256:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nvmovdqu %ymm\\r, \\r*32(%rdi)\n.endr\nvzeroupper\nret\n"
        ".globl rtg_vdump512\nrtg_vdump512:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "vmovdqu64 %zmm\\r, \\r*64(%rdi)\n.endr\nvzeroupper\nret\n"
        ".globl rtg_vprobe\nrtg_vprobe:\n"
        "pushq %rbx\npushq %r12\nsubq $8, %rsp\nmovq %rdx, %rbx\nmovq %rcx, %r12\n"
        "movq %rdi, %rax\nmovl %esi, %edi\nxorl %esi, %esi\ncall *%rax\n"
        "movq %rbx, %rdi\ncall *%r12\naddq $8, %rsp\npopq %r12\npopq %rbx\nret\n");

static int avx;

static long e_vec(void *p)
{
	(void)p;
	if (avx512)
		rtg_vfill512();
	else if (avx)
		rtg_vfill256();
	return 0;
}

static long direct_vec(unsigned id, void *p)
{
	(void)id;
	return e_vec(p);
}

/* registers (of 32 zmm or 16 ymm) in which some 64-bit lane holds the mark */
static int vec_marks(long (*fn)(unsigned, void *), unsigned id)
{
	static unsigned char buf[32 * 64] __attribute__((aligned(64)));
	int regs = avx512 ? 32 : 16, width = avx512 ? 64 : 32, n = 0;

	memset(buf, 0, sizeof buf);
	rtg_vprobe(fn, id, buf, avx512 ? rtg_vdump512 : rtg_vdump256);
	for (int r = 0; r < regs; r++)
		for (int l = 0; l < width / 8; l++) {
			uint64_t v;

			memcpy(&v, buf + r * width + l * 8, 8);
			if (v == MARK) {
				n++;
				break;
			}
		}
	return n;
}

static unsigned id_vec;

TEST(vector_registers_are_zero_over_their_full_width)
{
	int n, all;

	avx = has_avx();
	if (!avx)
		SKIP("no AVX here (the SSE scrub is checked by unit/test_rt_core)");
	all = avx512 ? 32 : 16;
	/* control: a direct call leaves the marks in every register */
	n = vec_marks(direct_vec, 0);
	CHECK(n == all, "control: the probe found %d of %d marked registers after a direct call",
	      n, all);
	n = vec_marks(erim_gate_call, id_vec);
	CHECK(n == 0, "%d vector registers kept a trusted value after the gate", n);
	printf("  %s checked (%d registers, all %d bits)\n", avx512 ? "zmm0-31" : "ymm0-15",
	       all, avx512 ? 512 : 256);
}

/* ---- floating-point status and control across the gate ----------------------- */

static volatile unsigned fp_seen_mxcsr, fp_seen_cw, fp_cb_mxcsr, fp_cb_sw;
/* plain memory: the control calls the same code directly, untrusted */
static volatile double fp_secret_div = 3.0;
static volatile long double fp_secret_ldiv = 3.0L;
static volatile double fp_keep;
static volatile long double fp_keep_l;
static unsigned id_fp, id_fp_cb;

static unsigned get_mxcsr(void)
{
	unsigned m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static void set_mxcsr(unsigned m)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

static unsigned get_fsw(void)
{
	unsigned short w;
	__asm__ volatile("fnstsw %0" : "=m"(w));
	return w;
}

static unsigned get_fcw(void)
{
	unsigned short w;
	__asm__ volatile("fnstcw %0" : "=m"(w));
	return w;
}

static void set_fcw(unsigned cw)
{
	unsigned short w = (unsigned short)cw;
	__asm__ volatile("fldcw %0" : : "m"(w));
}

/* trusted FP work on a secret: inexact divisions (PE in MXCSR and in the x87
 * status word) and an x87 compare that sets C0/C2/C3 */
static void fp_work(void)
{
	fp_keep = 1.0 / fp_secret_div;
	fp_keep_l = 1.0L / fp_secret_ldiv;
	long double a = fp_secret_ldiv;
	__asm__ volatile("fldt %0; fldz; fcompp" : : "m"(a) : "st", "st(1)");
}

#define FSW_LEAK 0x473f    /* exception flags, ES, C0-C3 */

static long e_fp(void *p)
{
	(void)p;
	fp_seen_mxcsr = get_mxcsr();
	fp_seen_cw = get_fcw();
	fp_work();
	return 0;
}

static long cb_fp(void *p)
{
	(void)p;
	fp_cb_mxcsr = get_mxcsr();
	fp_cb_sw = get_fsw();
	return 0;
}

static long e_fp_cb(void *p)
{
	(void)p;
	unsigned before;

	fp_work();
	before = get_mxcsr();
	erim_callback_call(cb_fp, NULL, 0, NULL, 0);
	/* trusted code gets its own MXCSR back, not the callback's */
	return get_mxcsr() == before ? 0 : 1;
}

/* trusted code that changes the control settings and does not restore them */
static unsigned id_fp_dirty;

static long e_fp_dirty(void *p)
{
	(void)p;
	fp_seen_mxcsr = get_mxcsr();
	fp_work();
	set_mxcsr(0x7f80 | 0x8040);    /* round toward zero, FTZ, DAZ */
	set_fcw(0x0c7f);               /* x87: round toward zero */
	return 0;
}

static void __attribute__((noinline)) fp_clear(unsigned mxcsr, unsigned cw)
{
	__asm__ volatile("fninit");
	set_fcw(cw);
	set_mxcsr(mxcsr);
}

TEST(fp_status_does_not_leak_and_trusted_code_gets_the_default_environment)
{
	unsigned m, sw, cw;

	/* control: a plain call leaves the trusted code's flags to the caller */
	fp_clear(0x1f80, 0x037f);
	e_fp(NULL);
	m = get_mxcsr();
	sw = get_fsw();
	CHECK((m & 0x20) && (sw & 0x20) && (sw & 0x4500),
	      "control: after a direct call MXCSR %#x, x87 SW %#x (expected PE and C-bits)", m, sw);
	/* through the gate: the caller's own status, not trusted code's */
	fp_clear(0x1f80, 0x037f);
	erim_gate_call(id_fp, NULL);
	m = get_mxcsr();
	sw = get_fsw();
	CHECK(m == 0x1f80, "MXCSR after the gate %#x, expected the caller's 0x1f80", m);
	CHECK((sw & FSW_LEAK) == 0, "x87 status after the gate %#x (trusted flags leaked)", sw);
	/* the caller's own sticky flags survive the call (SysV: its own state) */
	fp_clear(0x1f80 | 0x01, 0x037f);
	erim_gate_call(id_fp, NULL);
	m = get_mxcsr();
	CHECK(m == 0x1f81, "MXCSR after the gate %#x, expected the caller's 0x1f81", m);
	/* inbound: a hostile rounding mode / unmasked exceptions / precision */
	fp_clear(0x7f00 | 0x1f80, 0x0f7f & ~0x20);
	erim_gate_call(id_fp, NULL);
	m = get_mxcsr();
	cw = get_fcw();
	CHECK(fp_seen_mxcsr == 0x1f80, "trusted code saw MXCSR %#x, expected 0x1f80", fp_seen_mxcsr);
	CHECK(fp_seen_cw == 0x037f, "trusted code saw x87 CW %#x, expected 0x037f", fp_seen_cw);
	CHECK(m == (0x7f00 | 0x1f80), "caller's MXCSR %#x not restored", m);
	CHECK(cw == (0x0f7f & ~0x20), "caller's x87 CW %#x not restored", cw);
	/* a callback sees neither trusted flags nor trusted control settings */
	fp_clear(0x1f80, 0x037f);
	fp_cb_mxcsr = fp_cb_sw = 0xdead;
	long r = erim_gate_call(id_fp_cb, NULL);
	CHECK(r == 0, "trusted code's MXCSR changed across its callback");
	CHECK(fp_cb_mxcsr == 0x1f80, "the callback saw MXCSR %#x", fp_cb_mxcsr);
	CHECK((fp_cb_sw & FSW_LEAK) == 0, "the callback saw x87 status %#x", fp_cb_sw);
	/* trusted code's own settings do not leave: the caller's come back, with
	 * the default controls and with hostile ones */
	fp_clear(0x1f80, 0x037f);
	erim_gate_call(id_fp_dirty, NULL);
	m = get_mxcsr();
	cw = get_fcw();
	sw = get_fsw();
	CHECK(m == 0x1f80 && cw == 0x037f, "after trusted code changed them: MXCSR %#x, x87 CW "
	      "%#x, expected the caller's 0x1f80 / 0x037f", m, cw);
	CHECK((sw & FSW_LEAK) == 0, "x87 status after the gate %#x (trusted flags leaked)", sw);
	fp_clear(0x1f80 | 0x6000 | 0x20, 0x027f);
	erim_gate_call(id_fp_dirty, NULL);
	m = get_mxcsr();
	cw = get_fcw();
	CHECK(m == (0x1f80 | 0x6000 | 0x20) && cw == 0x027f, "after trusted code changed them: "
	      "MXCSR %#x, x87 CW %#x, expected the caller's %#x / 0x027f", m, cw,
	      0x1f80 | 0x6000 | 0x20);
	CHECK(fp_seen_mxcsr == 0x1f80, "trusted code saw MXCSR %#x, expected 0x1f80", fp_seen_mxcsr);
	fp_clear(0x1f80, 0x037f);
}

/* ---- children ---------------------------------------------------------------- */

/* an attack stopped with a report matching MSG, and no child printed LEAKED
 * on its way (an attack that hangs the child fails, not the suite: see main) */
#define CHECK_STOPPED(what, fn, msg)                                           \
	do {                                                                   \
		if (CHECK_DIES((what), (fn), NULL, SIGSEGV, (msg)))           \
			CHECK(!strstr(check_child_out, "LEAKED"), "%s: %s", (what), \
			      check_child_out);                                \
	} while (0)

/* jump straight onto ADDR with EAX chosen by the attacker (ECX=EDX=0), rsp = SP */
extern void jump_onto(uintptr_t addr, uint32_t eax, uintptr_t sp) __attribute__((noreturn));
__asm__(".text\n.globl jump_onto\n.type jump_onto,@function\njump_onto:\n"
        "  movl %esi, %eax\n  xorl %ecx, %ecx\n  movq %rdx, %rsp\n  xorl %edx, %edx\n"
        "  jmp *%rdi\n.size jump_onto, .-jump_onto\n");

/* ---- nesting limit and the gap between trusted stacks ------------------------- */

#define MAX_NEST 64     /* ERIM_MAX_NEST: gate entries active on one stack */

static void nest_too_deep(void *unused)
{
	struct nest n = { MAX_NEST };   /* MAX_NEST + 1 entries */

	erim_gate_call(id_nest, &n);
	printf("LEAKED: nesting beyond the limit ran\n");
	exit(0);
}

static void big_frame_at_deepest_level(void *unused)
{
	struct nest n = { MAX_NEST - 1 };

	/* larger than the stack, much smaller than the gap below it */
	nest_big = (256u << 10) + (128u << 10);
	erim_gate_call(id_nest, &n);
	printf("big frame ran\n");
	exit(0);
}

TEST(nesting_is_limited_and_a_large_frame_faults_in_the_gap)
{
	struct nest n = { MAX_NEST - 1 };
	char out[4096];
	long r;
	int st;

	/* control: the deepest allowed nest works */
	r = erim_gate_call(id_nest, &n);
	CHECK(r > 0, "%d nested gate entries returned %ld", MAX_NEST, r);
	CHECK_STOPPED("callback -> gate nested one level too deep", nest_too_deep, "levels deep on trusted stack");
	st = check_child(big_frame_at_deepest_level, NULL, out, sizeof out);
	if (backend == ERIM_BACKEND_MPK) {
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && !strstr(out, "ran"),
		      "a 384 KiB trusted frame at depth %d was not stopped: status %#x, %s",
		      MAX_NEST, st, out);
		printf("  384 KiB frame at the deepest level: stopped by SIGSEGV in the guard gap\n");
	} else {
		/* control: without a key the gap is plain memory, the write goes through */
		CHECK(WIFEXITED(st) && strstr(out, "big frame ran"),
		      "control: status %#x, %s", st, out);
		printf("  control (%s): the 384 KiB frame ran below the stack (no guard here)\n",
		       erim_backend_name(erim_backend()));
	}
}

/* ---- a thread waiting in a callback --------------------------------------------- */

static volatile uintptr_t resume_at;     /* where the callback returns into the gate */
static volatile int waiting, self_forge;

static long cb_wait(void *p)
{
	(void)p;
	resume_at = (uintptr_t)__builtin_return_address(0);
	if (self_forge) {
		/* control: the waiting thread itself "returns" by a jump onto the
		 * resume address, with a value of its choosing */
		uintptr_t sp;

		__asm__ volatile("movq %%rsp, %0" : "=r"(sp));
		jump_onto(resume_at, 77, sp - 256);
	}
	waiting = 1;
	for (;;)
		__asm__ volatile("pause");
	return 0;
}

static long e_wait_cb(void *p)
{
	volatile long mine = 0x600d;
	long r;

	(void)p;
	r = erim_callback_call(cb_wait, NULL, 0, NULL, 0);
	return mine == 0x600d ? r : -1;
}

static void *waiter(void *arg)
{
	(void)arg;
	erim_gate_call(id_wait_cb, NULL);
	return NULL;
}

static pthread_t start_waiter(void)
{
	pthread_t t;

	waiting = 0;
	pthread_create(&t, NULL, waiter, NULL);
	while (!waiting)
		usleep(1000);
	return t;
}

TEST(control_a_forged_return_from_the_waiting_thread_resumes_its_frame)
{
	long r;

	self_forge = 1;
	r = erim_gate_call(id_wait_cb, NULL);
	self_forge = 0;
	CHECK(r == 77, "the jump onto the resume address returned %ld, expected 77", r);
	CHECK(resume_at != 0, "no resume address seen");
	CHECK(!erim_in_trusted(), "in trusted afterwards");
}

static void forged_return_from_other_thread(void *unused)
{
	static char stack[65536] __attribute__((aligned(16)));
	pthread_t t = start_waiter();

	/* glibc x86-64: pthread_t is the thread's TCB, what %fs points at */
	syscall(SYS_arch_prctl, ARCH_SET_FS, (unsigned long)t);
	jump_onto(resume_at, 1234, (uintptr_t)(stack + sizeof stack - 64));
}

TEST(a_forged_callback_return_from_another_thread_is_stopped)
{
	CHECK_STOPPED("fs -> waiting thread, jump onto its resume address", forged_return_from_other_thread, "return from a callback that no frame of this thread waits for");
}

static void takeover_by_gate_call(void *unused)
{
	struct { long a, b; } a = { 1, 2 };
	pthread_t t = start_waiter();

	syscall(SYS_arch_prctl, ARCH_SET_FS, (unsigned long)t);
	erim_gate_call(id_add, &a);
	_exit(0);
}

TEST(a_thread_cannot_nest_on_another_threads_callback_frames)
{
	CHECK_STOPPED("fs -> waiting thread, gate call", takeover_by_gate_call, "is waiting for a callback of another thread");
}

/* ---- the callback copy destination ------------------------------------------ */

static unsigned id_cb_small;
static volatile int small_ran;

static long cb_small(void *p)
{
	(void)p;
	small_ran = 1;
	return 5;
}

static long e_cb_small(void *p)
{
	char blk[64];

	(void)p;
	memset(blk, 0x5a, sizeof blk);
	return erim_callback_call(cb_small, blk, sizeof blk, NULL, 0);
}

/* erim_gate_call(id, NULL) with the stack pointer set to SP */
extern long gate_on_stack(unsigned id, uintptr_t sp);
__asm__(".text\n.globl gate_on_stack\n.type gate_on_stack,@function\ngate_on_stack:\n"
        "  pushq %rbx\n  movq %rsp, %rbx\n  movq %rsi, %rsp\n  xorl %esi, %esi\n"
        "  call erim_gate_call\n  movq %rbx, %rsp\n  popq %rbx\n  ret\n"
        ".size gate_on_stack, .-gate_on_stack\n");

static uintptr_t near_trusted;   /* an untrusted page right above a trusted range */

static void callback_copy_next_to_trusted(void *unused)
{
	long a[2] = { 1, 2 };

	/* warm up on the normal stack: a thread's first gate call runs C code
	 * (the thread-exit hook) on the caller's stack, which 128 bytes would
	 * not hold */
	erim_gate_call(id_add, a);
	/* the caller's stack pointer 128 bytes above the end of trusted memory:
	 * the copy would land in the trusted range's last bytes */
	gate_on_stack(id_cb_small, near_trusted + 128);
	_exit(0);
}

/* Is [a, a+4096) inside a writable mapping (per /proc/self/maps)? */
static int writable_mapped(uintptr_t a)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int ok = 0;

	if (!f)
		return 0;
	while (!ok && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo <= a &&
		    a + 4096 <= hi && perms[1] == 'w')
			ok = 1;
	}
	fclose(f);
	return ok;
}

static void callback_copy_control(void *unused)
{
	long v = gate_on_stack(id_cb_small, near_trusted + 4096 - 64);

	_exit(v == 5 && small_ran ? 0 : 1);
}

TEST(a_callback_copy_into_trusted_memory_is_refused)
{
	struct erim_range r[64];
	size_t n = erim__trusted_ranges(r, 64);
	char out[1024];
	int st;

	/* an untrusted writable page right above a trusted range: a free one we
	 * map, or whatever writable mapping is there (used by children only) */
	near_trusted = 0;
	for (size_t i = 0; i < n && i < 64 && !near_trusted; i++) {
		void *p = mmap((void *)r[i].end, 4096, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p != MAP_FAILED && p != (void *)r[i].end) {
			munmap(p, 4096);
			p = MAP_FAILED;
		}
		if ((p != MAP_FAILED || writable_mapped(r[i].end)) &&
		    !erim_overlaps_trusted((void *)r[i].end, 4096))
			near_trusted = r[i].end;
	}
	if (!near_trusted)
		SKIP("no writable untrusted page right above any trusted range");
	/* control: the same call on a stack pointer in the middle of that page works */
	st = check_child(callback_copy_control, NULL, out, sizeof out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "control: the callback on the probe page failed (status %#x): %s", st, out);
	if (backend == ERIM_BACKEND_MPROTECT) {
		/* the mprotect switch hook runs C code on the caller's stack before
		 * the gate: its own pushes reach the (closed) trusted pages first,
		 * and with no stack left for a signal frame the kernel kills the
		 * process without erim's report */
		st = check_child(callback_copy_next_to_trusted, NULL, out, sizeof out);

		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		      "mprotect: the process survived (status %#x): %s", st, out);
		printf("  mprotect: stopped by the switch hook's own fault (status %#x)\n", st);
		return;
	}
	CHECK_STOPPED("caller rsp 128 bytes above trusted memory", callback_copy_next_to_trusted, "would overlap trusted memory");
}

/* ---- abort paths under a racing thread ---------------------------------------- */

static char victim_stack[1 << 16] __attribute__((aligned(4096)));
static volatile int spraying;

/* What the race would like the aborting thread to run with trusted rights. */
static void gadget(void)
{
	char msg[64];
	int n = snprintf(msg, sizeof msg, "LEAKED %lx\n", (unsigned long)secret_global);
	ssize_t w = write(2, msg, (size_t)n);

	(void)w;
	_exit(3);
}

static void *sprayer(void *arg)
{
	(void)arg;
	spraying = 1;
	for (;;) {
		volatile uintptr_t *p = (volatile uintptr_t *)victim_stack;

		for (size_t i = 0; i < sizeof victim_stack / sizeof *p; i++)
			p[i] = (uintptr_t)gadget;
	}
	return NULL;
}

static uintptr_t race_site;
static uint32_t race_eax;

static void abort_under_race(void *unused)
{
	pthread_t t;

	pthread_create(&t, NULL, sprayer, NULL);
	while (!spraying)
		usleep(100);
	usleep(2000);
	jump_onto(race_site, race_eax, (uintptr_t)(victim_stack + sizeof victim_stack / 2));
}

static uint32_t pkru_trusted(void)
{
	uint32_t k = (uint32_t)erim_pkey();

	return erim_rdpkru() & ~(ERIM_PKRU_AD(k) | ERIM_PKRU_WD(k));
}

TEST(abort_paths_touch_no_memory_a_racing_thread_writes)
{
	char what[96];

	if (!resume_at)
		SKIP("the callback resume address was not learned (control test failed)");
	/* The mprotect back end calls its switch hooks on the caller's stack
	 * (process-wide protection: another thread can reach trusted memory while
	 * one is inside a gate anyway, doc/security.md's back-end table), so a racing
	 * sprayer can redirect that call: this row is for mpk and none. */
	if (backend == ERIM_BACKEND_MPROTECT)
		SKIP("the mprotect back end's switch hooks run on the caller's stack "
		     "(documented: that back end is process-wide)");
	/* a callback return with no waiting frame -> cb abort */
	race_site = resume_at;
	race_eax = 0;
	CHECK_STOPPED("return with no waiting frame, stack sprayed", abort_under_race, "return from a callback that no frame");
	if (backend != ERIM_BACKEND_MPK) {
		printf("  jumps onto WRPKRU sites: only meaningful under mpk (here %s: the sites "
		       "are NOPs or mprotect hooks)\n", erim_backend_name(backend));
		return;
	}
	{
		const uintptr_t *sites;
		size_t n = erim__gate_sites(&sites);

		for (size_t i = 0; i < n; i++) {
			race_site = sites[i];
			race_eax = pkru_trusted();
			snprintf(what, sizeof what, "site %zu, EAX = PKRU_T, stack sprayed", i);
			/* the entry sites pass the check (EAX is PKRU_T) and refuse the
			 * garbage id; every other site fails it and aborts */
			CHECK_STOPPED(what, abort_under_race, "erim: ");
		}
	}
}

/* `rt_gate BACKEND [FILTER]`: with FILTER, only the tests whose name contains it */
static const char *filter;
#define RUN_IF(fn) do { if (!filter || strstr(#fn, filter)) RUN(fn); } while (0)

/* ---- main ----------------------------------------------------------------------- */

static long e_add(void *p)
{
	const long *a = p;

	return a[0] + a[1];
}

static long e_secret(void *p)
{
	(void)p;
	return secret_global;
}

static const struct erim_entry entries[] = {
	{ "gatetest", "nest", e_nest, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "x87", e_x87, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "x87_cb", e_x87_cb, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "wait_cb", e_wait_cb, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "add", e_add, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "secret", e_secret, 0 },
	{ "gatetest", "cb_small", e_cb_small, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "fp", e_fp, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "fp_cb", e_fp_cb, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "vec", e_vec, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "fp_dirty", e_fp_dirty, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "x87_arith", e_x87_arith, ERIM_ENTRY_PUBLIC },
	{ "gatetest", "x87_arith_cb", e_x87_arith_cb, ERIM_ENTRY_PUBLIC },
};

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	unsigned first;
	const char *be = argc > 1 ? argv[1] : "none";
	char suite[32];

	check_child_timeout = 60;   /* an attack that hangs the child fails, not the suite */
	if (strcmp(be, "mpk") == 0) {
		backend = ERIM_BACKEND_MPK;
		c.require_mpk = 1;
	} else if (strcmp(be, "mprotect") == 0) {
		backend = ERIM_BACKEND_MPROTECT;
	} else {
		backend = ERIM_BACKEND_NONE;
	}
	snprintf(suite, sizeof suite, "rt_gate_%s", be);
	if (erim_register_entries(entries, sizeof entries / sizeof entries[0], &first) != 0) {
		printf("rt_gate: cannot register entries\n");
		return 1;
	}
	id_nest = first;
	id_x87 = first + 1;
	id_x87_cb = first + 2;
	id_wait_cb = first + 3;
	id_add = first + 4;
	id_secret_nonpublic = first + 5;
	id_cb_small = first + 6;
	id_fp = first + 7;
	id_fp_cb = first + 8;
	id_vec = first + 9;
	id_fp_dirty = first + 10;
	id_x87_arith = first + 11;
	id_x87_arith_cb = first + 12;
	if (backend == ERIM_BACKEND_MPK && !erim_pku_available()) {
		printf("skipped: no protection keys here (the mpk run is for the PKU guest)\n");
		return 77;
	}
	c.backend = backend;
	c.quiet = 1;
	setenv("ERIM_BACKEND", be, 1);
	if (erim_init(&c) != 0) {
		printf("rt_gate: erim_init(%s): %s\n", be, erim_strerror());
		return 1;
	}
	avx512 = has_avx512();
	filter = argc > 2 ? argv[2] : NULL;
	printf("rt_gate: back end %s\n", erim_backend_name(erim_backend()));
	RUN_IF(nested_callbacks_resume_their_own_frames);
	RUN_IF(x87_mmx_and_opmask_registers_are_scrubbed);
	RUN_IF(vector_registers_are_zero_over_their_full_width);
	RUN_IF(a_full_x87_stack_does_not_reach_trusted_code);
	RUN_IF(fp_status_does_not_leak_and_trusted_code_gets_the_default_environment);
	RUN_IF(nesting_is_limited_and_a_large_frame_faults_in_the_gap);
	RUN_IF(control_a_forged_return_from_the_waiting_thread_resumes_its_frame);
	RUN_IF(a_forged_callback_return_from_another_thread_is_stopped);
	RUN_IF(a_thread_cannot_nest_on_another_threads_callback_frames);
	RUN_IF(a_callback_copy_into_trusted_memory_is_refused);
	RUN_IF(abort_paths_touch_no_memory_a_racing_thread_writes);
	return check_done(suite);
}
