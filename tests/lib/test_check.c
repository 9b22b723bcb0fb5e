/* SPDX-License-Identifier: MIT */
/* test_check.c: the harness tests itself.  A suite of deliberately wrong
 * checks runs in a child; it must report each failure, with what the child
 * really did, and close with the right counts and exit status. */
#include "erim_check.h"

static void dies_by_segv(void *arg)
{
	fprintf(stderr, "erim: report %d\n", (int)(uintptr_t)arg);
	raise(SIGSEGV);
}

static void exits_3(void *arg)
{
	printf("leaving\n");
	exit(3);
}

TEST(right_expectations)
{
	CHECK_DIES("segv", dies_by_segv, 7, SIGSEGV, "^erim: report [0-9]+$");
	CHECK_EXITS("exit 3", exits_3, NULL, 3, "leaving");
	EXPECT(1 + 1 == 2);
}

TEST(wrong_expectations)
{
	CHECK_DIES("wrong signal", dies_by_segv, 7, SIGABRT, NULL);
	CHECK_DIES("wrong report", dies_by_segv, 7, SIGSEGV, "no such report");
	CHECK_EXITS("wrong status", exits_3, NULL, 0, NULL);
	REQUIRE(0);
	CHECK(0, "%s", "not reached: REQUIRE ends the test");
}

TEST(skipped)
{
	SKIP("%s", "a reason");
}

/* the inner suite, in a child: the counters start from zero there */
static void inner_suite(void *arg)
{
	check_passed_ = check_failed_ = check_skipped_ = 0;
	RUN(right_expectations);
	RUN(wrong_expectations);
	RUN(skipped);
	exit(check_done("inner"));
}

static void inner_all_skipped(void *arg)
{
	check_passed_ = check_failed_ = check_skipped_ = 0;
	RUN(skipped);
	exit(check_done("inner"));
}

TEST(failures_are_reported_with_the_actual_outcome)
{
	static char out[16384];
	int st = check_child(inner_suite, NULL, out, sizeof out);

	fputs(out, stdout);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "inner suite: status %#x", (unsigned)st);
	EXPECT(strstr(out, "\ninner: 1 passed, 1 failed, 1 skipped\n") != NULL);
	EXPECT(strstr(out, "expected death by signal 6; got: killed by signal 11") != NULL);
	EXPECT(strstr(out, "output matching \"no such report\"; got: killed by signal 11") != NULL);
	EXPECT(strstr(out, "expected exit with status 0; got: exited with status 3") != NULL);
	EXPECT(strstr(out, "required: 0, test ends here") != NULL);
	EXPECT(strstr(out, "not reached") == NULL);
	EXPECT(strstr(out, "skipped: a reason") != NULL);
}

TEST(all_skipped_exits_77_with_a_reason)
{
	CHECK_EXITS("all skipped", inner_all_skipped, NULL, 77,
	            "skipped: every test of inner was skipped");
}

int main(void)
{
	RUN(failures_are_reported_with_the_actual_outcome);
	RUN(all_skipped_exits_77_with_a_reason);
	return check_done("harness");
}
