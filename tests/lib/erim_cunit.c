/* erim_cunit.c: run a CUnit registry and report it the way every erim suite
 * does (see erim_cunit.h). */
#include <stdio.h>

#include "erim_cunit.h"

static unsigned skipped;

void erim_cunit_skip(const char *func, const char *why)
{
	skipped++;
	printf("\n  skipped: %s: %s\n", func, why);
}

int erim_cunit_run(const char *suite)
{
	unsigned run, failed, passed;

	if (CU_get_error() != CUE_SUCCESS) {
		printf("%s: CUnit set-up failed: %s\n", suite, CU_get_error_msg());
		CU_cleanup_registry();
		return 99;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	/* Suite set-up failures make CUnit skip whole suites: count them as failures. */
	failed += CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	passed = run >= failed + skipped ? run - failed - skipped : 0;
	printf("\n%s: %u passed, %u failed, %u skipped\n", suite, passed, failed, skipped);
	if (failed)
		return failed > 76 ? 76 : (int)failed;
	if (passed == 0) {
		printf("skipped: no test of %s could run here (reasons above)\n", suite);
		return skipped ? 77 : 1;
	}
	return 0;
}
