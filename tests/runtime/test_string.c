/* SPDX-License-Identifier: MIT */
/* test_string.c: liberim's libc-free string functions (erim_memcpy,
 * erim_memmove, erim_memset, erim_memcmp, erim_strlen, the _chk forms and the
 * fatal ones), which erim-trusted-link redirects a trusted closure's libc
 * calls to.  Every size 0..4096 at several alignments is compared with a
 * byte-by-byte reference; memmove with both overlap directions; the guard
 * bytes around each destination must stay untouched.  Controls: the
 * reference really sees a wrong copy (a deliberately shifted source), and
 * plain memcpy-order copying of an overlapping move corrupts it, which is
 * why memmove must pick a direction. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "erim.h"
#include "erim_check.h"

#define MAX 4096
#define PAD 64
static unsigned char src[MAX + 2 * PAD], dst[MAX + 2 * PAD], ref[MAX + 2 * PAD];

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + seed * 7 + (i >> 8));
}

static int same(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static const size_t aligns[] = { 0, 1, 3, 7, 8, 15, 31 };
#define NALIGN (sizeof aligns / sizeof aligns[0])

TEST(memcpy_sizes_alignments)
{
	int bad = 0;

	for (size_t n = 0; n <= MAX && !bad; n++) {
		for (size_t a = 0; a < NALIGN && !bad; a++) {
			size_t da = aligns[a], sa = aligns[(a + 3) % NALIGN];

			if (n > 64 && n % 61 && n != MAX && a > 1)
				continue;       /* every size at 2 alignments, a sample at all */
			pattern(src, sizeof src, (unsigned)n);
			memset(dst, 0xA5, sizeof dst);
			memset(ref, 0xA5, sizeof ref);
			for (size_t i = 0; i < n; i++)
				ref[PAD + da + i] = src[PAD + sa + i];
			void *r = erim_memcpy(dst + PAD + da, src + PAD + sa, n);
			if (r != dst + PAD + da || !same(dst, ref, sizeof dst)) {
				CHECK(0, "erim_memcpy size %zu dst+%zu src+%zu", n, da, sa);
				bad = 1;
			}
		}
	}
}

TEST(memset_sizes_alignments)
{
	int bad = 0;

	for (size_t n = 0; n <= MAX && !bad; n++) {
		for (size_t a = 0; a < NALIGN && !bad; a++) {
			size_t da = aligns[a];
			int c = (int)(0x100 + n % 251);   /* only the low byte counts */

			if (n > 64 && n % 61 && n != MAX && a > 1)
				continue;
			memset(dst, 0xA5, sizeof dst);
			memset(ref, 0xA5, sizeof ref);
			for (size_t i = 0; i < n; i++)
				ref[PAD + da + i] = (unsigned char)c;
			void *r = erim_memset(dst + PAD + da, c, n);
			if (r != dst + PAD + da || !same(dst, ref, sizeof dst)) {
				CHECK(0, "erim_memset size %zu dst+%zu", n, da);
				bad = 1;
			}
		}
	}
	memset(dst, 0xA5, sizeof dst);
	erim_explicit_bzero(dst + 5, 100);
	CHECK(dst[4] == 0xA5 && dst[5] == 0 && dst[104] == 0 && dst[105] == 0xA5, "erim_explicit_bzero");
}

/* Reference move through a temporary. */
static void ref_move(unsigned char *buf, size_t d, size_t s, size_t n)
{
	unsigned char tmp[MAX];

	for (size_t i = 0; i < n; i++)
		tmp[i] = buf[s + i];
	for (size_t i = 0; i < n; i++)
		buf[d + i] = tmp[i];
}

TEST(memmove_overlap)
{
	static const size_t sizes[] = { 0, 1, 2, 7, 8, 15, 16, 63, 64, 65, 255, 1000, 2048, 4000 };
	static const long shifts[] = { -65, -17, -8, -1, 0, 1, 3, 8, 16, 33, 200 };
	int bad = 0;

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0] && !bad; i++) {
		for (size_t j = 0; j < sizeof shifts / sizeof shifts[0] && !bad; j++) {
			size_t n = sizes[i], s = PAD + 40, d = (size_t)((long)s + shifts[j]);

			if (d + n > sizeof dst || s + n > sizeof dst)
				continue;
			pattern(dst, sizeof dst, (unsigned)(n + j));
			memcpy(ref, dst, sizeof ref);
			ref_move(ref, d, s, n);
			void *r = erim_memmove(dst + d, dst + s, n);
			if (r != dst + d || !same(dst, ref, sizeof dst)) {
				CHECK(0, "erim_memmove size %zu shift %ld", n, shifts[j]);
				bad = 1;
			}
		}
	}
	/* the direction flag is clear again after a backwards move (the ABI
	 * requires it; the next rep movsb would run the wrong way) */
	pattern(dst, sizeof dst, 1);
	erim_memmove(dst + 10, dst, 100);
	unsigned long fl;
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(fl));
	CHECK(!(fl & 0x400), "DF still set after a backwards erim_memmove");
}

TEST(controls)
{
	/* the comparison sees a wrong copy: a copy from src+1 is not the reference */
	pattern(src, sizeof src, 9);
	memset(dst, 0xA5, sizeof dst);
	memset(ref, 0xA5, sizeof ref);
	for (size_t i = 0; i < 100; i++)
		ref[PAD + i] = src[PAD + i];
	erim_memcpy(dst + PAD, src + PAD + 1, 100);
	CHECK(!same(dst, ref, sizeof dst), "control: a shifted copy compares equal");
	/* a forward copy of an overlapping move to a higher address corrupts it:
	 * the backward path is needed and tested above */
	pattern(dst, sizeof dst, 2);
	memcpy(ref, dst, sizeof ref);
	ref_move(ref, PAD + 8, PAD, 200);
	erim_memcpy(dst + PAD + 8, dst + PAD, 200);   /* overlapping on purpose */
	CHECK(!same(dst, ref, sizeof dst), "control: forward copy of an overlapping move was right");
}

TEST(memcmp_strlen)
{
	unsigned char a[300], b[300];

	pattern(a, sizeof a, 3);
	memcpy(b, a, sizeof b);
	CHECK(erim_memcmp(a, b, sizeof a) == 0, "equal buffers");
	CHECK(erim_memcmp(a, b, 0) == 0, "size 0");
	b[299] = (unsigned char)(a[299] + 1);
	CHECK(erim_memcmp(a, b, sizeof a) < 0 && erim_memcmp(b, a, sizeof a) > 0, "last byte differs");
	CHECK(erim_memcmp(a, b, 299) == 0, "difference outside the range");
	a[0] = 0x80, b[0] = 0x01;
	CHECK(erim_memcmp(a, b, 1) > 0, "bytes compare unsigned");
	for (size_t n = 0; n < 200; n++) {
		char s[256];

		memset(s, 'q', sizeof s);
		s[n] = 0;
		if (erim_strlen(s) != n) {
			CHECK(0, "erim_strlen of %zu characters: %zu", n, erim_strlen(s));
			break;
		}
	}
}

static void call_chk_overflow(void *arg)
{
	char buf[8];

	(void)arg;
	erim_memcpy_chk(buf, "0123456789", 10, sizeof buf);
}
static void call_chk_ok(void *arg)
{
	char buf[16];

	(void)arg;
	erim_memcpy_chk(buf, "0123456789", 10, sizeof buf);
	erim_memset_chk(buf, 0, 16, sizeof buf);
	erim_memmove_chk(buf, buf + 1, 15, sizeof buf);
	erim_explicit_bzero_chk(buf, 16, sizeof buf);
	printf("all fit\n");
	exit(0);
}
static void call_abort(void *arg) { (void)arg; erim_abort(); }
static void call_assert(void *arg) { (void)arg; erim_assert_fail("x == 1", "f.c", 12, "fn"); }
static void call_stub(void *arg) { (void)arg; erim_trusted_stub_called("getrandom"); }
static void call_ssp(void *arg) { (void)arg; erim_stack_chk_fail(); }

TEST(fatal_paths)
{
	CHECK_EXITS("_chk within the size", call_chk_ok, 0, 0, "all fit");
	CHECK_DIES("erim_memcpy_chk beyond the destination", call_chk_overflow, 0, SIGSEGV,
	           "buffer overflow detected in trusted code");
	CHECK_DIES("erim_abort", call_abort, 0, SIGSEGV, "trusted code called abort");
	CHECK_DIES("erim_assert_fail", call_assert, 0, SIGSEGV,
	           "assertion failed in trusted code: x == 1 \\(f\\.c:12, fn\\)");
	CHECK_DIES("erim_trusted_stub_called", call_stub, 0, SIGSEGV,
	           "trusted code called getrandom, stubbed out by erim-trusted-link");
	CHECK_DIES("erim_stack_chk_fail", call_ssp, 0, SIGSEGV, "stack smashing detected");
}

int main(void)
{
	RUN(memcpy_sizes_alignments);
	RUN(memset_sizes_alignments);
	RUN(memmove_overlap);
	RUN(controls);
	RUN(memcmp_strlen);
	RUN(fatal_paths);
	return check_done("test_string");
}
