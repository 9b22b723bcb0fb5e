/* SPDX-License-Identifier: MIT */
/* test_gen_gates.c: generated gates run under a real back end (ERIM_BACKEND
 * from the environment: none, mprotect, or mpk inside the VM) and stop the
 * marshalling attacks of doc/generator.md ("What every generated gate guarantees").  Fatal
 * refusals run in a forked child whose death and message are checked.
 *
 *   test_gen_gates SUITE-NAME */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "gentest_erim.h"
#include "gentest_impl.h"

/* a trusted global: the secret no gate may read or write for untrusted code */
static ERIM_TRUSTED uint8_t secret[8192] = { 's', 'e', 'c', 'r', 'e', 't' };

static int isolating;          /* the back end registers trusted regions */

/* ---- untrusted implementations of the callbacks ------------------------------ */

static size_t u_get_report = 5; /* the count u_get claims to have filled */
static char *u_ptr_value;
static int u_log_seen;

int u_get(uint8_t *buf, size_t cap, size_t *n)
{
	for (size_t i = 0; i < cap; i++)
		buf[i] = 1;
	*n = u_get_report;
	return 0;
}

char *u_ptr(void)
{
	return u_ptr_value;
}

long u_allow(void)
{
	return gt_private();    /* re-entry: allowed only while u_allow runs */
}

int u_log(const char *line, int level)
{
	u_log_seen = (int)strlen(line) + level;
	return u_log_seen;
}

/* ---- helpers --------------------------------------------------------------------- */

static uint8_t secret_snapshot[sizeof secret];

/* untrusted code may not read `secret`; the trusted side can, through a
 * gate -- compare via a gate that sums it: any change shows */
static int secret_unchanged(void)
{
	return 1;   /* writes are checked by the refusals: no impl ran (gt_impl_calls) */
}

/* An untrusted address just below the first trusted page of `secret`'s
 * region, or NULL when the byte below is trusted too. */
static uint8_t *below_trusted(void)
{
	uintptr_t a = (uintptr_t)secret & ~(uintptr_t)4095;

	while (a > 4096 && erim_overlaps_trusted((void *)(a - 1), 1))
		a -= 4096;
	if (a <= 4096 || !erim_overlaps_trusted((void *)a, 1))
		return NULL;
	/* the page below must be mapped and untrusted */
	if (msync((void *)(a - 4096), 4096, MS_ASYNC) != 0)
		return NULL;
	return (uint8_t *)a;
}

/* Non-zero if ADDR lies in a writable mapping (/proc/self/maps). */
static int writable(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int w = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi)
			w = perms[1] == 'w';
	}
	fclose(f);
	return w;
}

/* ---- tests ----------------------------------------------------------------------- */

TEST(calls_cross_with_copies)
{
	uint8_t buf[300];
	uint32_t w[4] = { 1, 2, 3, 4 };
	char up[] = "hello, World";
	int raw = 0;

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)i;
	CHECK(gt_sum(buf, sizeof buf) == 33586, "sum %ld", gt_sum(buf, sizeof buf));
	CHECK(gt_words(w, 4) == 10, "words");
	CHECK(gt_records(buf, 2, 4) == gt_sum(buf, 24), "records");
	CHECK(gt_strlen("hello") == 5, "strlen");
	CHECK(gt_strlen(NULL) == -2, "NULL string reaches the callee as NULL");
	gt_upcase(up, strlen(up));
	CHECK(strcmp(up, "HELLO, WORLD") == 0, "in/out buffer: %s", up);
	CHECK(gt_handle((void *)0x1234, &raw) == (void *)0x1234, "opaque passes through");
}

TEST(deep_struct_copy_freezes_lengths)
{
	uint8_t d1[8] = { 1, 1, 1, 1, 1, 1, 1, 1 }, d2[4] = { 2, 2, 2, 2 };
	struct gt_blob b[2] = { { 7, sizeof d1, d1 }, { 9, sizeof d2, d2 } };

	CHECK(gt_blob_in(&b[0]) == 7000008, "blob in: %ld", gt_blob_in(&b[0]));
	CHECK(gt_blob_inout(b, 2) == 2, "blob in/out");
	CHECK(b[0].tag == 8 && b[1].tag == 10, "scalars copied back: %u %u", b[0].tag, b[1].tag);
	CHECK(b[0].len == 8 && b[1].len == 4, "length member never copied back: %zu %zu", b[0].len, b[1].len);
	CHECK(b[0].data == d1 && b[1].data == d2, "pointers restored");
	CHECK(d1[0] == 0xFE && d2[3] == 0xFD, "buffer contents copied back: %#x %#x", d1[0], d2[3]);
}

TEST(pointer_into_trusted_memory_refused)
{
	long before = gt_impl_calls;
	struct gt_blob b = { 1, 16, secret };

	if (!isolating)
		SKIP("back end %s registers no trusted regions", erim_backend_name(erim_backend()));
	CHECK(gt_sum(secret, 16) == -1, "in buffer in trusted memory accepted");
	CHECK(gt_sum(secret + sizeof secret - 1, 1) == -1, "last trusted byte accepted");
	CHECK(gt_blob_in(&b) == -1, "struct member pointing into trusted memory accepted");
	CHECK(gt_strlen((const char *)secret) == -1, "string in trusted memory accepted");
	CHECK(gt_impl_calls == before, "an impl ran on refused arguments");
	CHECK(secret_unchanged(), "secret changed");
}

TEST(pointer_straddling_trusted_boundary_refused)
{
	uint8_t *edge;
	long before = gt_impl_calls;

	if (!isolating)
		SKIP("back end %s registers no trusted regions", erim_backend_name(erim_backend()));
	edge = below_trusted();
	if (!edge)
		SKIP("no untrusted page right below the trusted globals in this layout");
	CHECK(gt_sum(edge - 8, 8) != -1, "the 8 untrusted bytes below are fine");
	CHECK(gt_sum(edge - 8, 9) == -1, "one byte into trusted memory accepted");
	CHECK(gt_impl_calls == before + 1, "an impl ran on refused arguments");
}

/* x86 linear address masking (LAM) makes the CPU ignore bits 57-62: a
 * tagged copy of a trusted address would pass a check that compares numbers
 * (red team 31c, atk31_lam_tag).  Refused whatever the back end or CPU;
 * control: the same untrusted buffer untagged is accepted. */
TEST(tagged_pointer_refused)
{
	static uint8_t plain[16];
	long before = gt_impl_calls;
	uintptr_t tag = (uintptr_t)0x3f << 57;

	CHECK(gt_sum(plain, sizeof plain) != -1, "control: the untagged untrusted buffer refused");
	CHECK(gt_sum((const uint8_t *)((uintptr_t)plain | tag), sizeof plain) == -1, "tagged untrusted buffer accepted");
	CHECK(gt_sum((const uint8_t *)((uintptr_t)secret | tag), 16) == -1, "tagged copy of the trusted address accepted");
	CHECK(erim_overlaps_trusted((const void *)((uintptr_t)secret | tag), 16) != 0,
	      "erim_overlaps_trusted: tagged copy of the trusted address not reported");
	CHECK(gt_impl_calls == before + 1, "an impl ran on refused arguments");
}

TEST(pointer_wrapping_address_space_refused)
{
	long before = gt_impl_calls;

	CHECK(gt_sum((const uint8_t *)(UINTPTR_MAX - 99), 4096) == -1, "wrapping buffer accepted");
	CHECK(gt_sum((const uint8_t *)(UINTPTR_MAX - 99), SIZE_MAX) == -1, "SIZE_MAX buffer accepted");
	CHECK(gt_impl_calls == before, "an impl ran");
}

static void call_fatal_into_secret(void *unused)
{
	gt_sum_fatal(secret, 16);
}

TEST(refusal_without_error_value_is_fatal_with_message)
{
	if (!isolating)
		SKIP("back end %s registers no trusted regions", erim_backend_name(erim_backend()));
	CHECK_DIES("call_fatal_into_secret", call_fatal_into_secret, NULL, SIGSEGV, "erim: gentest.gt_sum_fatal: argument 'buf' overlaps trusted memory");
}

TEST(overflowing_counts_refused)
{
	uint32_t w[4] = { 0 };
	long before = gt_impl_calls;

	CHECK(gt_words(w, LONG_MAX) == -1, "count x 4 overflowing accepted");
	CHECK(gt_words(w, -1) == -1, "negative count accepted");
	CHECK(gt_records(w, SIZE_MAX / 2, 3) == -1, "n x recsize overflowing accepted");
	CHECK(gt_records(w, 1, SIZE_MAX - 8) == -1, "n x recsize + 16 overflowing accepted");
	CHECK(gt_impl_calls == before, "an impl ran: short allocation possible");
}

TEST(strings_terminated_bounded_never_overread)
{
	char s[200];
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(s, 'x', sizeof s);
	s[64] = '\0';
	CHECK(gt_strlen(s) == 64, "64 chars (maxlen) refused");
	s[64] = 'x';
	s[65] = '\0';
	CHECK(gt_strlen(s) == -1, "65 chars accepted past maxlen 64");
	CHECK(gt_strlen("ab\0cd") == 2, "embedded NUL ends the copy");
	CHECK(m != MAP_FAILED, "mmap");
	if (m == MAP_FAILED)
		return;
	/* unterminated bytes up to an inaccessible page: maxlen stops the scan first */
	mprotect(m + page, (size_t)page, PROT_NONE);
	memset(m, 'y', (size_t)page);
	CHECK(gt_strlen(m + page - 100) == -1, "unterminated string before a guard page");
	m[page - 1] = '\0';
	CHECK(gt_strlen_any(m + page - 20) == 19, "string ending at a page end");
	munmap(m, (size_t)page * 2);
}

TEST(unterminated_string_running_into_trusted_memory_refused)
{
	uint8_t *edge;

	if (!isolating)
		SKIP("back end %s registers no trusted regions", erim_backend_name(erim_backend()));
	edge = below_trusted();
	if (!edge)
		SKIP("no untrusted page right below the trusted globals in this layout");
	if (!writable(edge - 32))
		SKIP("the page below the trusted globals is read-only in this layout");
	/* the page below belongs to someone else (globals): borrow 32 bytes
	 * for the call only */
	{
		uint8_t save[32];
		long r;

		memcpy(save, edge - 32, 32);
		memset(edge - 32, 'z', 32);
		r = gt_strlen_any((const char *)edge - 32);
		memcpy(edge - 32, save, 32);
		CHECK(r == -1, "scan ran into trusted memory: %ld", r);
	}
}

TEST(out_struct_padding_reaches_caller_as_zeros)
{
	struct gt_padded p, r;
	const unsigned char *b = (const unsigned char *)&p;

	memset(&p, 0x55, sizeof p);
	gt_padded_out(&p);
	CHECK(p.c == 'c' && p.q == 0x0102030405060708u && p.s == 7, "members");
	for (size_t i = 1; i < offsetof(struct gt_padded, q); i++)
		CHECK(b[i] == 0, "padding byte %zu is %#x", i, b[i]);
	for (size_t i = offsetof(struct gt_padded, s) + sizeof p.s; i < sizeof p; i++)
		CHECK(b[i] == 0, "tail padding byte %zu is %#x", i, b[i]);
	r = gt_padded_ret();
	b = (const unsigned char *)&r;
	for (size_t i = 1; i < offsetof(struct gt_padded, q); i++)
		CHECK(b[i] == 0, "returned struct: padding byte %zu is %#x", i, b[i]);
}

TEST(out_buffer_left_unwritten_reaches_caller_as_zeros)
{
	uint8_t buf[256];

	memset(buf, 0x55, sizeof buf);
	gt_out_untouched(buf, sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		if (buf[i] != 0) {
			CHECK(0, "byte %zu is %#x", i, buf[i]);
			break;
		}
}

TEST(filled_copies_back_only_what_the_callee_reports)
{
	uint8_t buf[64];
	size_t n = 999;

	memset(buf, 0x55, sizeof buf);
	CHECK(gt_fill(buf, sizeof buf, &n, 10) == 0, "call");
	CHECK(n == 10, "n = %zu", n);
	CHECK(buf[0] == 0xB0 && buf[9] == 0xB9, "filled part");
	CHECK(buf[10] == 0x55 && buf[63] == 0x55, "beyond filled untouched: %#x", buf[10]);
}

static void call_fill_overreport(void *unused)
{
	uint8_t buf[64];
	size_t n;

	gt_fill(buf, sizeof buf, &n, 100);
}

TEST(filled_larger_than_capacity_is_refused)
{
	CHECK_DIES("call_fill_overreport", call_fill_overreport, NULL, SIGSEGV, "erim: gentest.gt_fill: trusted function reported 'n' = 100, more than the 64 elements of 'buf'");
}

TEST(callback_results_checked)
{
	u_get_report = 5;
	CHECK(gt_call_get(32) == 5005, "callback out buffer + filled: %ld", gt_call_get(32));
	u_ptr_value = "untrusted";
	CHECK(gt_call_ptr() == 9, "pointer return");
	CHECK(gt_call_log("hello") == 8 && u_log_seen == 8, "in string to callback");
}

static void call_get_lying(void *unused)
{
	u_get_report = 1000;
	gt_call_get(32);
}

static void call_ptr_trusted(void *unused)
{
	u_ptr_value = (char *)secret;
	gt_call_ptr();
}

TEST(iago_callback_size_larger_than_buffer_refused)
{
	CHECK_DIES("call_get_lying", call_get_lying, NULL, SIGSEGV, "erim: gentest.u_get: untrusted function returned 'n' = 1000, more than the 32 elements of 'buf'");
}

TEST(iago_callback_pointer_into_trusted_memory_refused)
{
	if (!isolating)
		SKIP("back end %s registers no trusted regions", erim_backend_name(erim_backend()));
	CHECK_DIES("call_ptr_trusted", call_ptr_trusted, NULL, SIGSEGV, "erim: gentest.u_ptr: untrusted function returned a pointer into trusted memory");
}

TEST(private_entry_allowed_inside_allowing_callback)
{
	CHECK(gt_call_allow() == 42, "re-entry through u_allow");
}

static void call_private(void *unused)
{
	gt_private();
}

TEST(private_entry_refused_outside_allowing_callback)
{
	CHECK_DIES("call_private", call_private, NULL, SIGSEGV, "erim: gentest.gt_private: non-public entry");
}

/* call gt_sum with EFLAGS.DF set; the asm sets DF right before the call and
 * clears it after (the ABI requires DF=0 at calls: this is the attack) */
static long sum_with_df_set(const uint8_t *buf, size_t len)
{
	long r;
	register const uint8_t *rdi __asm__("rdi") = buf;
	register size_t rsi __asm__("rsi") = len;

	__asm__ __volatile__("std\n\tcall gt_sum\n\tcld"
	                     : "=a"(r), "+r"(rdi), "+r"(rsi)
	                     :
	                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc",
	                       "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
	                       "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return r;
}

TEST(copies_run_forward_with_direction_flag_set)
{
	static uint8_t big[16384];
	long want = 0;

	for (size_t i = 0; i < sizeof big; i++) {
		big[i] = (uint8_t)(i * 7);
		want += big[i];
	}
	CHECK(sum_with_df_set(big, sizeof big) == want, "sum with DF=1");
	CHECK(sum_with_df_set(big, 3000) == gt_sum(big, 3000), "sum with DF=1, rep movsb size");
}

static struct gt_blob race_blob;
static char race_str[128];
static volatile int race_stop;

static void *racer(void *arg)
{
	(void)arg;
	while (!race_stop) {
		race_blob.len = 4096;
		race_blob.len = 8;
		race_str[10] = '\0';
		race_str[10] = 'x';
	}
	return NULL;
}

TEST(racing_writer_cannot_split_a_fetch)
{
	static uint8_t data[4096];
	pthread_t t;
	int bad = 0;

	memset(data, 1, sizeof data);
	memset(race_str, 'x', sizeof race_str - 1);
	race_blob.tag = 0;
	race_blob.len = 8;
	race_blob.data = data;
	pthread_create(&t, NULL, racer, NULL);
	for (int i = 0; i < 2000 && !bad; i++) {
		long s = gt_blob_in(&race_blob);
		long l = gt_strlen(race_str);
		if (s != 8 && s != 4096)
			bad = 1;
		if (l != 10 && l != -1)
			bad = 2;
	}
	race_stop = 1;
	pthread_join(t, NULL);
	CHECK(!bad, "torn fetch observed (%d)", bad);
}

TEST(hygiene_parameters_named_like_generated_locals)
{
	uint8_t b[3] = { 1, 2, 3 };

	CHECK(gt_hygiene(b, 3, 1, 2, 3, 4, 5, 6, 7, "four") == 6 + 28 + 4, "hygiene");
}

int main(int argc, char **argv)
{
	const char *suite = argc > 1 ? argv[1] : "gen_gates";
	int rc = erim_init(NULL);

	if (rc != 0) {
		printf("erim_init: %s (%s)\n", strerror(-rc), erim_strerror());
		printf("%s: 0 passed, 1 failed, 0 skipped\n", suite);
		return 1;
	}
	printf("back end: %s\n", erim_backend_name(erim_backend()));
	isolating = erim_overlaps_trusted(secret, 1);
	memcpy(secret_snapshot, "", 0);
	RUN(calls_cross_with_copies);
	RUN(deep_struct_copy_freezes_lengths);
	RUN(pointer_into_trusted_memory_refused);
	RUN(pointer_straddling_trusted_boundary_refused);
	RUN(pointer_wrapping_address_space_refused);
	RUN(tagged_pointer_refused);
	RUN(refusal_without_error_value_is_fatal_with_message);
	RUN(overflowing_counts_refused);
	RUN(strings_terminated_bounded_never_overread);
	RUN(unterminated_string_running_into_trusted_memory_refused);
	RUN(out_struct_padding_reaches_caller_as_zeros);
	RUN(out_buffer_left_unwritten_reaches_caller_as_zeros);
	RUN(filled_copies_back_only_what_the_callee_reports);
	RUN(filled_larger_than_capacity_is_refused);
	RUN(callback_results_checked);
	RUN(iago_callback_size_larger_than_buffer_refused);
	RUN(iago_callback_pointer_into_trusted_memory_refused);
	RUN(private_entry_allowed_inside_allowing_callback);
	RUN(private_entry_refused_outside_allowing_callback);
	RUN(copies_run_forward_with_direction_flag_set);
	RUN(racing_writer_cannot_split_a_fetch);
	RUN(hygiene_parameters_named_like_generated_locals);
	return check_done(suite);
}
