/* SPDX-License-Identifier: MIT */
/* test_rt_scrub.c: erim_scrub_registers() (runtime/erim_gate.S), which
 * generated entries call after the implementation returns and before their
 * first store to untrusted memory (red team 12, gate_xmmleak: a copy-out that
 * faults makes the kernel write the registers into a signal frame).
 *
 * One assembly probe loads a distinctive value into every caller-saved
 * general register (rax, rcx, rdx, rsi, rdi, r8-r11), every callee-saved one
 * (rbx, rbp, r12-r15) and every vector register at the width under test, calls
 * a function, and stores the registers right after it returns -- no C code
 * in between.  Widths: xmm0-15 (SSE, always), ymm0-15 (AVX, when CPUID and
 * XCR0 say so), zmm0-31 (AVX-512F with its XCR0 state); a width the CPU
 * lacks is skipped with the reason printed.
 *
 *  - erim_scrub_registers: every caller-saved GPR and every vector register
 *    reads zero over the full width; the callee-saved registers are unchanged;
 *  - control: the same probe around an empty function reads every value back
 *    (so the probe does load what it claims, and a missing scrub fails).
 *
 * Usage: test_rt_scrub [none|mprotect|mpk]  (default none; the scrub's vector
 * width is chosen by erim_init, so it runs after it). */
#include <cpuid.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "erim.h"
#include "erim_check.h"

/* ---- the probe ---------------------------------------------------------------- */

enum { W_SSE = 0, W_AVX = 1, W_AVX512 = 2 };

struct probe {
	uint64_t gin[9];        /* rax rcx rdx rsi rdi r8 r9 r10 r11 */
	uint64_t cin[6];        /* rbx rbp r12 r13 r14 r15 */
	void (*fn)(void);
	uint64_t width;         /* W_* */
	uint64_t gout[9];
	uint64_t cout[6];
	unsigned char vin[32][64];      /* register r at vin[r], 16/32/64 bytes used */
	unsigned char vout[32][64];
};
_Static_assert(offsetof(struct probe, cin) == 72, "probe layout");
_Static_assert(offsetof(struct probe, fn) == 120, "probe layout");
_Static_assert(offsetof(struct probe, width) == 128, "probe layout");
_Static_assert(offsetof(struct probe, gout) == 136, "probe layout");
_Static_assert(offsetof(struct probe, cout) == 208, "probe layout");
_Static_assert(offsetof(struct probe, vin) == 256, "probe layout");
_Static_assert(offsetof(struct probe, vout) == 2304, "probe layout");

static const char *const gname[9] = { "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11" };
static const char *const cname[6] = { "rbx", "rbp", "r12", "r13", "r14", "r15" };

void scrub_probe(struct probe *p);
__asm__(".text\n.globl scrub_probe\n.type scrub_probe,@function\nscrub_probe:\n"
        "pushq %rbx\npushq %rbp\npushq %r12\npushq %r13\npushq %r14\npushq %r15\n"
        "subq $24, %rsp\n"                      /* 16-byte aligned at the call */
        "movq %rdi, (%rsp)\n"
        "movq 120(%rdi), %rax\nmovq %rax, 8(%rsp)\n"
        "movq 128(%rdi), %rax\n"
        "cmpq $2, %rax\nje 2f\ncmpq $1, %rax\nje 1f\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nmovdqu 256+\\r*64(%rdi), %xmm\\r\n.endr\n"
        "jmp 3f\n"
        "1:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nvmovdqu 256+\\r*64(%rdi), %ymm\\r\n.endr\n"
        "jmp 3f\n"
        "2:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "vmovdqu64 256+\\r*64(%rdi), %zmm\\r\n.endr\n"
        "3:\n"
        "movq 72(%rdi), %rbx\nmovq 80(%rdi), %rbp\nmovq 88(%rdi), %r12\n"
        "movq 96(%rdi), %r13\nmovq 104(%rdi), %r14\nmovq 112(%rdi), %r15\n"
        "movq 0(%rdi), %rax\nmovq 8(%rdi), %rcx\nmovq 16(%rdi), %rdx\nmovq 24(%rdi), %rsi\n"
        "movq 40(%rdi), %r8\nmovq 48(%rdi), %r9\nmovq 56(%rdi), %r10\nmovq 64(%rdi), %r11\n"
        "movq 32(%rdi), %rdi\n"
        "call *8(%rsp)\n"
        "movq %rax, 16(%rsp)\n"
        "movq (%rsp), %rax\n"
        "movq %rcx, 144(%rax)\nmovq %rdx, 152(%rax)\nmovq %rsi, 160(%rax)\nmovq %rdi, 168(%rax)\n"
        "movq %r8, 176(%rax)\nmovq %r9, 184(%rax)\nmovq %r10, 192(%rax)\nmovq %r11, 200(%rax)\n"
        "movq 16(%rsp), %rcx\nmovq %rcx, 136(%rax)\n"
        "movq %rbx, 208(%rax)\nmovq %rbp, 216(%rax)\nmovq %r12, 224(%rax)\n"
        "movq %r13, 232(%rax)\nmovq %r14, 240(%rax)\nmovq %r15, 248(%rax)\n"
        "movq 128(%rax), %rcx\n"
        "cmpq $2, %rcx\nje 2f\ncmpq $1, %rcx\nje 1f\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nmovdqu %xmm\\r, 2304+\\r*64(%rax)\n.endr\n"
        "jmp 3f\n"
        "1:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nvmovdqu %ymm\\r, 2304+\\r*64(%rax)\n.endr\n"
        "vzeroupper\njmp 3f\n"
        "2:\n"
        ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "vmovdqu64 %zmm\\r, 2304+\\r*64(%rax)\n.endr\n"
        "vzeroupper\n"
        "3:\n"
        "addq $24, %rsp\n"
        "popq %r15\npopq %r14\npopq %r13\npopq %r12\npopq %rbp\npopq %rbx\nret\n"
        ".size scrub_probe, .-scrub_probe\n");

/* the control: a function that touches no register (but rsp/rip) */
void scrub_empty(void);
__asm__(".text\n.globl scrub_empty\n.type scrub_empty,@function\nscrub_empty:\nret\n"
        ".size scrub_empty, .-scrub_empty\n");

/* ---- CPU features (CPUID and the OS's XCR0) ------------------------------------ */

static int xsave_os(unsigned *xcr0)
{
	unsigned a, b, c, d, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(*xcr0), "=d"(hi) : "c"(0));
	return 1;
}

static const char *no_avx(void)
{
	unsigned a, b, c, d, xcr0;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 28)))
		return "CPUID.1:ECX.AVX[28] is clear";
	if (!xsave_os(&xcr0))
		return "CPUID.1:ECX.OSXSAVE[27] is clear";
	if ((xcr0 & 6) != 6)
		return "XCR0 does not enable the SSE and AVX state";
	return NULL;
}

static const char *no_avx512(void)
{
	unsigned a, b, c, d, xcr0;

	if (no_avx())
		return no_avx();
	if (__get_cpuid_max(0, NULL) < 7)
		return "no CPUID leaf 7";
	__cpuid_count(7, 0, a, b, c, d);
	if (!(b & (1u << 16)))
		return "CPUID.7.0:EBX.AVX512F[16] is clear";
	xsave_os(&xcr0);
	if ((xcr0 & 0xe0) != 0xe0)
		return "XCR0 does not enable the opmask/ZMM state";
	return NULL;
}

/* ---- the checks ---------------------------------------------------------------- */

static const int wbytes[3] = { 16, 32, 64 }, wregs[3] = { 16, 16, 32 };
static const char *const wname[3] = { "xmm0-15", "ymm0-15 (all 256 bits)", "zmm0-31 (all 512 bits)" };

/* fill P with distinctive non-zero values, no byte zero */
static void fill(struct probe *p, int width, void (*fn)(void))
{
	memset(p, 0, sizeof *p);
	for (int i = 0; i < 9; i++)
		p->gin[i] = 0x5ec0de0000000101ull + 0x0101010101ull * (uint64_t)(i + 1);
	for (int i = 0; i < 6; i++)
		p->cin[i] = 0xca11ee5a00000101ull + 0x0101010101ull * (uint64_t)(i + 1);
	for (int r = 0; r < 32; r++)
		for (int k = 0; k < 64; k++)
			p->vin[r][k] = (unsigned char)(0x80 | ((r * 7 + k * 3) & 0x7f));
	p->fn = fn;
	p->width = (uint64_t)width;
}

/* how many caller-saved GPRs / vector registers kept their value (and
 * report each one that is neither zero nor its value when expect_zero) */
struct tally { int gkept, gzero, vkept, vzero, cbad; };

static struct tally run_probe(int width, void (*fn)(void), int expect_zero)
{
	static struct probe p __attribute__((aligned(64)));
	static const unsigned char zero[64];
	struct tally t = { 0, 0, 0, 0, 0 };
	int nb = wbytes[width];

	fill(&p, width, fn);
	scrub_probe(&p);
	for (int i = 0; i < 9; i++) {
		t.gkept += p.gout[i] == p.gin[i];
		t.gzero += p.gout[i] == 0;
		if (expect_zero && p.gout[i] != 0)
			printf("  %s = %#llx after the call\n", gname[i], (unsigned long long)p.gout[i]);
	}
	for (int i = 0; i < 6; i++)
		if (p.cout[i] != p.cin[i]) {
			t.cbad++;
			printf("  callee-saved %s changed: %#llx, was %#llx\n", cname[i],
			       (unsigned long long)p.cout[i], (unsigned long long)p.cin[i]);
		}
	for (int r = 0; r < wregs[width]; r++) {
		int kept = !memcmp(p.vout[r], p.vin[r], (size_t)nb), z = !memcmp(p.vout[r], zero, (size_t)nb);

		t.vkept += kept;
		t.vzero += z;
		if (expect_zero && !z) {
			int lo = !memcmp(p.vout[r], zero, 16);

			printf("  vector register %d not zero after the call%s\n", r,
			       lo && nb > 16 ? " (its low 128 bits are: the upper part is left)" : "");
		}
	}
	return t;
}

static void check_width(int width)
{
	struct tally t;
	int nv = wregs[width];

	/* control: an empty function leaves every value in place */
	t = run_probe(width, scrub_empty, 0);
	CHECK(t.gkept == 9, "control: %d of 9 caller-saved GPRs kept their value across an empty call", t.gkept);
	CHECK(t.vkept == nv, "control: %d of %d %s kept their value across an empty call", t.vkept, nv, wname[width]);
	CHECK(t.cbad == 0, "control: %d callee-saved registers changed across an empty call", t.cbad);
	/* the scrub */
	t = run_probe(width, erim_scrub_registers, 1);
	CHECK(t.gzero == 9, "%d of 9 caller-saved GPRs are zero after erim_scrub_registers", t.gzero);
	CHECK(t.vzero == nv, "%d of %d %s are zero after erim_scrub_registers", t.vzero, nv, wname[width]);
	CHECK(t.cbad == 0, "%d callee-saved registers changed by erim_scrub_registers", t.cbad);
	if (!check_cur_failed_)
		printf("  %s + rax..r11 zeroed, callee-saved unchanged (control: all kept)\n", wname[width]);
}

TEST(scrub_zeroes_gprs_and_xmm0_15)
{
	check_width(W_SSE);
}

TEST(scrub_zeroes_ymm0_15_full_width)
{
	const char *why = no_avx();

	if (why)
		SKIP("no AVX: %s", why);
	check_width(W_AVX);
}

TEST(scrub_zeroes_zmm0_31_full_width)
{
	const char *why = no_avx512();

	if (why)
		SKIP("no AVX-512: %s", why);
	check_width(W_AVX512);
}

int main(int argc, char **argv)
{
	const char *be = argc > 1 ? argv[1] : "none";
	struct erim_config c = { 0 };
	char suite[64];

	setvbuf(stdout, NULL, _IONBF, 0);
	c.backend = !strcmp(be, "mpk") ? ERIM_BACKEND_MPK
	          : !strcmp(be, "mprotect") ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = c.backend == ERIM_BACKEND_MPK;
	c.quiet = 1;
	if (erim_init(&c) != 0) {
		printf("skipped: erim_init(%s): %s\n", be, erim_strerror());
		return 77;
	}
	printf("back end %s\n", erim_backend_name(erim_backend()));
	RUN(scrub_zeroes_gprs_and_xmm0_15);
	RUN(scrub_zeroes_ymm0_15_full_width);
	RUN(scrub_zeroes_zmm0_31_full_width);
	snprintf(suite, sizeof suite, "rt_scrub_%s", erim_backend_name(erim_backend()));
	return check_done(suite);
}
