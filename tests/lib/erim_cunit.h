/* erim_cunit.h: the common main() tail of every CUnit suite.
 *
 * CU_get_error() reports framework errors only, so a main returning it passes
 * when tests fail.  erim_cunit_run() runs the registry, prints the closing line
 * "SUITE: N passed, N failed, N skipped" and returns the number of failed tests
 * (capped at 76; automake reads 77 as "skipped").  A test that cannot run here
 * calls ERIM_CU_SKIP("why") and returns. */
#ifndef ERIM_CUNIT_H
#define ERIM_CUNIT_H

#include <CUnit/Basic.h>

void erim_cunit_skip(const char *func, const char *why);
int erim_cunit_run(const char *suite);

#define ERIM_CU_SKIP(why)                                                      \
	do {                                                                   \
		erim_cunit_skip(__func__, (why));                              \
		return;                                                        \
	} while (0)

#endif /* ERIM_CUNIT_H */
