/* erim_check.h: a tiny test harness for test programs that cannot use CUnit
 * (static programs run inside the VM, programs that fork and die on purpose).
 *
 *     TEST(reads_fault) { CHECK(x == 1, "x is %d", x); }
 *     int main(void) { RUN(reads_fault); return check_done("pku_basic"); }
 *
 * A test passes when none of its CHECKs failed and it did not SKIP.  SKIP must
 * say why.  check_done() prints "SUITE: N passed, N failed, N skipped" and
 * returns the exit status: number of failures (capped at 76, so it never reads
 * as automake's 77 = skipped), or 77 when every test was skipped. */
#ifndef ERIM_CHECK_H
#define ERIM_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_passed_, check_failed_, check_skipped_;
static int check_cur_failed_, check_cur_skipped_;

#define TEST(name) static void name(void)

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			check_cur_failed_ = 1;                                 \
			fprintf(stdout, "  FAIL %s:%d: %s: ", __FILE__,        \
			        __LINE__, #cond);                              \
			fprintf(stdout, __VA_ARGS__);                          \
			fputc('\n', stdout);                                   \
			fflush(stdout);                                        \
		}                                                              \
	} while (0)

/* Abort the current test as skipped, with a reason. */
#define SKIP(...)                                                              \
	do {                                                                   \
		check_cur_skipped_ = 1;                                        \
		fprintf(stdout, "  skipped: ");                                \
		fprintf(stdout, __VA_ARGS__);                                  \
		fputc('\n', stdout);                                           \
		return;                                                        \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		check_cur_failed_ = check_cur_skipped_ = 0;                    \
		fprintf(stdout, "%s ...\n", #fn);                              \
		fflush(stdout);                                                \
		fn();                                                          \
		if (check_cur_failed_)                                         \
			check_failed_++;                                       \
		else if (check_cur_skipped_)                                   \
			check_skipped_++;                                      \
		else                                                           \
			check_passed_++;                                       \
		fprintf(stdout, "%s: %s\n", #fn,                               \
		        check_cur_failed_ ? "FAIL"                             \
		        : check_cur_skipped_ ? "SKIP" : "ok");                 \
		fflush(stdout);                                                \
	} while (0)

static inline int check_done(const char *suite)
{
	printf("%s: %d passed, %d failed, %d skipped\n", suite, check_passed_,
	       check_failed_, check_skipped_);
	fflush(stdout);
	if (check_failed_)
		return check_failed_ > 76 ? 76 : check_failed_;
	if (check_passed_ == 0 && check_skipped_ > 0) {
		printf("skipped: every test of %s was skipped (reasons above)\n", suite);
		return 77;
	}
	return 0;
}

#endif /* ERIM_CHECK_H */
