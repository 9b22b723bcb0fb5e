/* SPDX-License-Identifier: MIT */
/* trusted.c: the trusted side of counter.erim; the total is a trusted
 * global that untrusted code cannot read under a protecting back end. */
#include "erim.h"
#include "counter_trusted.h"

ERIM_TRUSTED long counter_total;

int counter_add_impl(const struct pair *p)
{
	counter_total += (long)p->a + p->b;
	return 0;
}

long counter_get_impl(void)
{
	return counter_total;
}
