/* SPDX-License-Identifier: MIT */
/* test_fmt.c: erim_snprintf / erim_vsnprintf, the formatter trusted code
 * uses instead of libc's (which reads locale and stdio state untrusted code
 * can write).  Each supported conversion must print what glibc's snprintf
 * prints for the same arguments; output is truncated to size - 1 and always
 * terminated; the return value is what was written. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "erim.h"
#include "erim_check.h"

#define SAME(fmt, ...)                                                                  \
	do {                                                                            \
		char a_[128], b_[128];                                                  \
		size_t n_ = erim_snprintf(a_, sizeof a_, fmt, __VA_ARGS__);              \
		snprintf(b_, sizeof b_, fmt, __VA_ARGS__);                              \
		CHECK(strcmp(a_, b_) == 0, "%s: erim \"%s\", libc \"%s\"", fmt, a_, b_); \
		CHECK(n_ == strlen(a_), "%s: returned %zu for \"%s\"", fmt, n_, a_);     \
	} while (0)

TEST(conversions_match_libc)
{
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%x %X %#x %08x", 0xbeefu, 0xbeefu, 0x1fu, 0x2au);
	SAME("%o %#o %04o %o", 8u, 8u, 0644u, 0u);
	SAME("%s|%-6s|%6s|", "key", "ab", "cd");
	SAME("%c%c %%", 'o', 'k');
	SAME("%ld %lu %lld %zu", -1L, 2UL, -3LL, (size_t)4);
	SAME("%hhd %hd %jd", (signed char)-5, (short)-6, (intmax_t)-7);
	SAME("%p", (void *)0x1234);
}

TEST(truncation_and_termination)
{
	char buf[8];
	size_t n;

	memset(buf, 'x', sizeof buf);
	n = erim_snprintf(buf, sizeof buf, "%s", "0123456789");
	CHECK(strcmp(buf, "0123456") == 0 && n == 7, "got \"%s\", %zu", buf, n);
	memset(buf, 'x', sizeof buf);
	n = erim_snprintf(buf, 1, "%d", 12345);
	CHECK(buf[0] == 0 && n == 0, "size 1: \"%s\", %zu", buf, n);
	n = erim_snprintf(buf, 0, "%d", 12345);
	CHECK(buf[0] == 0 && n == 0, "size 0 wrote nothing, returned %zu", n);
}

int main(void)
{
	RUN(conversions_match_libc);
	RUN(truncation_and_termination);
	return check_done("test_fmt");
}
