/* SPDX-License-Identifier: MIT */
/* test_scan.c: the WRPKRU/XRSTOR scanner (inspect/scan_core.c) on crafted
 * byte strings: every offset, every ModRM form, both search implementations
 * against a naive reference, streams split at every point, and the
 * classification rules (generated gate, checked XRSTOR, runtime gate). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "erim_check.h"
#include "scan.h"

#define MAXHITS 4096

struct rec {
	uint64_t addr[MAXHITS];
	int kind[MAXHITS], cls[MAXHITS];
	size_t n;
};

static int rec_hit(const struct scan_hit *h, void *arg)
{
	struct rec *r = arg;
	if (r->n < MAXHITS) {
		r->addr[r->n] = h->addr;
		r->kind[r->n] = h->kind;
		r->cls[r->n] = h->cls;
		r->n++;
	}
	return 0;
}

struct offs {
	size_t off[MAXHITS];
	int kind[MAXHITS];
	size_t n;
};

static int rec_found(size_t off, enum scan_kind kind, void *arg)
{
	struct offs *o = arg;
	if (o->n < MAXHITS) {
		o->off[o->n] = off;
		o->kind[o->n] = kind;
		o->n++;
	}
	return 0;
}

/* The reference: a plain byte loop, written from the instruction encoding. */
static void naive(const uint8_t *b, size_t n, struct offs *o)
{
	o->n = 0;
	for (size_t i = 0; i + 3 <= n; i++) {
		if (b[i] != 0x0f)
			continue;
		if (b[i + 1] == 0x01 && b[i + 2] == 0xef)
			rec_found(i, SCAN_WRPKRU, o);
		else if (b[i + 1] == 0xae && ((b[i + 2] >> 3) & 7) == 5 && (b[i + 2] >> 6) != 3)
			rec_found(i, SCAN_XRSTOR, o);
	}
}

static void search_with(int impl, const uint8_t *b, size_t n, struct offs *o)
{
	o->n = 0;
	scan_force_impl(impl);
	scan_search(b, 0, n, n, rec_found, o);
	scan_force_impl(0);
}

static int offs_equal(const struct offs *a, const struct offs *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->off[i] != b->off[i] || a->kind[i] != b->kind[i])
			return 0;
	return 1;
}

static void test_wrpkru_found_at_every_offset_by_every_implementation(void)
{
	static uint8_t buf[600];
	for (size_t at = 0; at + 3 <= sizeof buf; at++) {
		memset(buf, 0x90, sizeof buf);
		memcpy(buf + at, "\x0f\x01\xef", 3);
		for (int impl = 1; impl <= 2; impl++) {
			if (impl == 2 && !scan_have_avx2())
				continue;
			struct offs o;
			search_with(impl, buf, sizeof buf, &o);
			REQUIRE(o.n == 1);
			EXPECT(o.off[0] == at);
			EXPECT(o.kind[0] == SCAN_WRPKRU);
		}
		struct rec r = { .n = 0 };
		scan_buffer(buf, sizeof buf, 0x1000, rec_hit, &r);
		REQUIRE(r.n == 1);
		EXPECT(r.addr[0] == (0x1000 + at));
	}
}

static void test_xrstor_needs_reg5_and_a_memory_operand(void)
{
	uint8_t buf[64];
	for (int m = 0; m < 256; m++) {
		memset(buf, 0x90, sizeof buf);
		buf[20] = 0x0f;
		buf[21] = 0xae;
		buf[22] = (uint8_t)m;
		struct offs o;
		search_with(1, buf, sizeof buf, &o);
		int want = ((m >> 3) & 7) == 5 && (m >> 6) != 3;
		EXPECT(o.n == ((size_t)want));
		if (want && o.n == 1)
			EXPECT(o.kind[0] == SCAN_XRSTOR);
	}
}

static void test_implementations_agree_with_naive_reference_on_random_code(void)
{
	static const uint8_t alphabet[] = { 0x0f, 0x01, 0xef, 0xae, 0x2c, 0x6c, 0xe8, 0x90, 0x48, 0xb8 };
	size_t n = 1 << 16;
	uint8_t *b = malloc(n);
	REQUIRE(b != NULL);
	srand(12345);
	for (int round = 0; round < 8; round++) {
		for (size_t i = 0; i < n; i++)
			b[i] = (round & 1) ? alphabet[(unsigned)rand() % sizeof alphabet] : (uint8_t)rand();
		static struct offs ref, m, a;
		naive(b, n, &ref);
		search_with(1, b, n, &m);
		EXPECT(offs_equal(&ref, &m));
		if (scan_have_avx2()) {
			search_with(2, b, n, &a);
			EXPECT(offs_equal(&ref, &a));
		}
		/* sub-ranges with odd bounds: starts in [from, to), bytes < avail */
		for (size_t from = 0; from < 70; from += 7) {
			size_t to = n - 3 * from, avail = to + 1;
			struct offs x;
			x.n = 0;
			scan_force_impl(2);
			scan_search(b, from, to, avail, rec_found, &x);
			scan_force_impl(0);
			struct offs want = { .n = 0 };
			for (size_t i = 0; i < ref.n; i++)
				if (ref.off[i] >= from && ref.off[i] < to && ref.off[i] + 3 <= avail)
					rec_found(ref.off[i], ref.kind[i], &want);
			EXPECT(offs_equal(&want, &x));
		}
	}
	free(b);
}

/* A buffer with one of everything, including a gate and a checked XRSTOR. */
static size_t sample(uint8_t *b, size_t n)
{
	static const uint8_t parts[][24] = {
		{ 0x0f, 0x01, 0xef },                                            /* wrpkru */
		{ 0xb8, 0x90, 0x0f, 0x01, 0xef },                                /* in imm */
		{ 0x31, 0xc9, 0x31, 0xd2, 0xb8, 0x50, 0x55, 0x55, 0x55, 0x0f, 0x01, 0xef,
		  0x3d, 0x50, 0x55, 0x55, 0x55, 0x75, 0x01 },                    /* gate */
		{ 0x0f, 0xae, 0x2c, 0x24, SCAN_XRSTOR_CHECK_BYTES },            /* checked */
		{ 0x48, 0x0f, 0xae, 0x2f },                                      /* xrstor64 */
	};
	static const size_t lens[] = { 3, 5, 19, 4 + SCAN_XRSTOR_CHECK_LEN, 4 };
	memset(b, 0x90, n);
	size_t at = 5;
	for (int rep = 0; at + 40 < n; rep++) {
		size_t k = (size_t)rep % 5;
		memcpy(b + at, parts[k], lens[k]);
		at += lens[k] + 3 + (size_t)rep % 7;
	}
	return n;
}

static int rec_equal(const struct rec *a, const struct rec *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->addr[i] != b->addr[i] || a->kind[i] != b->kind[i] || a->cls[i] != b->cls[i])
			return 0;
	return 1;
}

static void test_stream_split_at_every_point_reports_the_same_hits(void)
{
	uint8_t b[300];
	size_t n = sample(b, sizeof b);
	static struct rec whole, split;
	whole.n = 0;
	scan_buffer(b, n, 0x7000, rec_hit, &whole);
	EXPECT(whole.n > 10);
	for (size_t cut = 0; cut <= n; cut++) {
		struct scan_stream s;
		split.n = 0;
		scan_init(&s, rec_hit, &split, NULL, 0);
		scan_feed(&s, b, cut, 0x7000);
		scan_feed(&s, b + cut, n - cut, 0x7000 + cut);
		scan_end(&s);
		EXPECT(rec_equal(&whole, &split));
	}
	/* three pieces, the middle one tiny: carry-over through a short range */
	for (size_t cut = 0; cut + 2 <= n; cut++) {
		for (size_t mid = 0; mid <= 2; mid++) {
			struct scan_stream s;
			split.n = 0;
			scan_init(&s, rec_hit, &split, NULL, 0);
			scan_feed(&s, b, cut, 0x7000);
			scan_feed(&s, b + cut, mid, 0x7000 + cut);
			scan_feed(&s, b + cut + mid, n - cut - mid, 0x7000 + cut + mid);
			scan_end(&s);
			EXPECT(rec_equal(&whole, &split));
		}
	}
	/* byte by byte */
	struct scan_stream s;
	split.n = 0;
	scan_init(&s, rec_hit, &split, NULL, 0);
	for (size_t i = 0; i < n; i++)
		scan_feed(&s, b + i, 1, 0x7000 + i);
	scan_end(&s);
	EXPECT(rec_equal(&whole, &split));
}

static void test_sequence_across_adjacent_ranges_found_but_not_across_a_gap(void)
{
	uint8_t a[4096], c[4096];
	memset(a, 0x90, sizeof a);
	memset(c, 0x90, sizeof c);
	a[4095] = 0x0f;
	c[0] = 0x01;
	c[1] = 0xef;
	struct rec r = { .n = 0 };
	struct scan_stream s;
	scan_init(&s, rec_hit, &r, NULL, 0);
	scan_feed(&s, a, sizeof a, 0x10000);
	scan_feed(&s, c, sizeof c, 0x11000);
	scan_end(&s);
	REQUIRE(r.n == 1);
	EXPECT(r.addr[0] == 0x10fff);
	EXPECT(r.cls[0] == SCAN_UNSAFE);

	r.n = 0;
	scan_init(&s, rec_hit, &r, NULL, 0);
	scan_feed(&s, a, sizeof a, 0x10000);
	scan_feed(&s, c, sizeof c, 0x12000);     /* a hole between them */
	scan_end(&s);
	EXPECT(r.n == 0);
}

static enum scan_class classify_one(const uint8_t *b, size_t n)
{
	struct rec r = { .n = 0 };
	scan_buffer(b, n, 0, rec_hit, &r);
	EXPECT(r.n == 1);
	return r.n ? (enum scan_class)r.cls[0] : SCAN_UNSAFE;
}

/* The gate shape erim once accepted by its bytes (xor ecx; xor edx; mov eax,
 * imm; wrpkru; cmp eax, imm; jne) is refused in every form: a jump onto the
 * WRPKRU with EAX = imm loads imm, which may open every key (red-team round 4,
 * "gengate_accept", used imm = 0). */
static void test_gate_shaped_wrpkru_is_unsafe_in_every_form(void)
{
	uint8_t g[40];
	static const uint8_t gate[] = { 0x31, 0xc9, 0x31, 0xd2, 0xb8, 0x00, 0, 0, 0, 0x0f, 0x01, 0xef,
	                                0x3d, 0x00, 0, 0, 0, 0x75, 0x05 };
	memset(g, 0x90, sizeof g);
	memcpy(g + 4, gate, sizeof gate);
	EXPECT(classify_one(g, sizeof g) == SCAN_UNSAFE);
	/* jne rel32 */
	g[4 + 17] = 0x0f;
	g[4 + 18] = 0x85;
	EXPECT(classify_one(g, sizeof g) == SCAN_UNSAFE);
	/* an immediate that closes the trusted key, jne onto ud2: still unsafe */
	memcpy(g + 4, gate, sizeof gate);
	g[4 + 5] = g[4 + 13] = 0x0c;
	g[4 + 18] = 0x00;
	g[4 + 19] = 0x0f;
	g[4 + 20] = 0x0b;
	EXPECT(classify_one(g, sizeof g) == SCAN_UNSAFE);
}

/* An XRSTOR is accepted only when the check of EAX bit 9 follows it, right
 * after its full operand; what comes before proves nothing (a jump lands on
 * the XRSTOR itself). */
static void test_xrstor_accepted_only_when_the_check_follows(void)
{
#define CK SCAN_XRSTOR_CHECK_BYTES
	struct {
		const char *what;
		uint8_t b[40];
		size_t n;
		enum scan_class want;
	} rows[] = {
		{ "ld.so form, mov before", { 0xb8, 0xee, 0, 0, 0, 0x31, 0xd2, 0x0f, 0xae, 0x6c, 0x24, 0x40 }, 12, SCAN_UNSAFE },
		{ "mov right before", { 0xb8, 0xff, 0x01, 0, 0, 0x0f, 0xae, 0x2f }, 8, SCAN_UNSAFE },
		{ "[rdi] + check", { 0x0f, 0xae, 0x2f, CK }, 3 + SCAN_XRSTOR_CHECK_LEN, SCAN_CHECKED_XRSTOR },
		{ "[rsp+0x40] + check", { 0x0f, 0xae, 0x6c, 0x24, 0x40, CK }, 5 + SCAN_XRSTOR_CHECK_LEN, SCAN_CHECKED_XRSTOR },
		{ "rex.w [rdi+rcx*8+disp32] + check", { 0x48, 0x0f, 0xae, 0xac, 0xcf, 0, 0x10, 0, 0, CK }, 9 + SCAN_XRSTOR_CHECK_LEN, SCAN_CHECKED_XRSTOR },
		{ "rip-relative + check", { 0x0f, 0xae, 0x2d, 1, 2, 3, 4, CK }, 7 + SCAN_XRSTOR_CHECK_LEN, SCAN_CHECKED_XRSTOR },
		{ "[disp32] via SIB + check", { 0x0f, 0xae, 0x2c, 0x25, 1, 2, 3, 4, CK }, 8 + SCAN_XRSTOR_CHECK_LEN, SCAN_CHECKED_XRSTOR },
		{ "check one byte late", { 0x0f, 0xae, 0x2f, 0x90, CK }, 4 + SCAN_XRSTOR_CHECK_LEN, SCAN_UNSAFE },
		{ "operand misread (disp8 taken as check)", { 0x0f, 0xae, 0x6f, CK }, 3 + SCAN_XRSTOR_CHECK_LEN, SCAN_UNSAFE },
		{ "check cut off", { 0x0f, 0xae, 0x2f, CK }, 3 + SCAN_XRSTOR_CHECK_LEN - 1, SCAN_UNSAFE },
		{ "bit 8 tested instead", { 0x0f, 0xae, 0x2f, 0xf6, 0xc4, 0x01, 0x74, 0x0e, 0xbf, 107, 0, 0, 0,
		                            0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xfe }, 22, SCAN_UNSAFE },
		{ "nothing before or after", { 0x0f, 0xae, 0x2f }, 3, SCAN_UNSAFE },
	};
#undef CK
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		enum scan_class got = classify_one(rows[i].b, rows[i].n);
		if (got != rows[i].want)
			CHECK(0, "%s", rows[i].what);
	}
}

static void test_runtime_gate_recognised_by_address_only(void)
{
	uint8_t b[64];
	memset(b, 0x90, sizeof b);
	memcpy(b + 10, "\x0f\x01\xef", 3);
	memcpy(b + 40, "\x0f\x01\xef", 3);
	const uint64_t gates[] = { 0x5000 + 10, 0x6000 };
	struct rec r = { .n = 0 };
	struct scan_stream s;
	scan_init(&s, rec_hit, &r, gates, 2);
	scan_feed(&s, b, sizeof b, 0x5000);
	scan_end(&s);
	REQUIRE(r.n == 2);
	EXPECT(r.cls[0] == SCAN_RUNTIME_GATE);
	EXPECT(r.cls[1] == SCAN_UNSAFE);
}

int main(void)
{
	RUN(test_wrpkru_found_at_every_offset_by_every_implementation);
	RUN(test_xrstor_needs_reg5_and_a_memory_operand);
	RUN(test_implementations_agree_with_naive_reference_on_random_code);
	RUN(test_stream_split_at_every_point_reports_the_same_hits);
	RUN(test_sequence_across_adjacent_ranges_found_but_not_across_a_gap);
	RUN(test_gate_shaped_wrpkru_is_unsafe_in_every_form);
	RUN(test_xrstor_accepted_only_when_the_check_follows);
	RUN(test_runtime_gate_recognised_by_address_only);
	return check_done("test_scan");
}
