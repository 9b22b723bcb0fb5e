/* SPDX-License-Identifier: MIT */
/* test_rt_globals_rule.c: a module whose trusted globals share a page with
 * other data (linked without erim_trusted.ld) makes erim_init fail closed,
 * naming the section and the fix, and leaves nothing half set up. */
#include <errno.h>
#include <string.h>

#include "erim.h"
#include "erim_check.h"

static ERIM_TRUSTED long secret = 1;
long neighbour = 2;   /* ordinary data: .data/.bss lie next to erim_trusted */

TEST(trusted_globals_sharing_a_page_refuse_init)
{
	struct erim_config c = { 0 };
	int r;

	c.backend = ERIM_BACKEND_NONE;
	c.quiet = 1;
	r = erim_init(&c);
	CHECK(r == -EINVAL, "erim_init returned %d (%s)", r, erim_strerror());
	CHECK(strstr(erim_strerror(), "share a page") && strstr(erim_strerror(), "erim_trusted.ld"),
	      "message: %s", erim_strerror());
	CHECK(!erim_initialized(), "initialized after failure");
	CHECK(secret + neighbour == 3, "globals changed");
	/* still usable: the same program can retry (and fail the same way) */
	CHECK(erim_init(&c) == -EINVAL, "second attempt");
}

int main(void)
{
	RUN(trusted_globals_sharing_a_page_refuse_init);
	return check_done("rt_globals_rule");
}
