/* SPDX-License-Identifier: MIT */
/* pltwide.c: a lazily bound module (-z lazy, no CET PLT) with 600 PLT stubs
 * whose .got.plt slots are writable: more than a page of PLT, which
 * liberim's dlopen wrapper once rewrote after erim_init and now leaves as
 * ld.so made it (rt_pltrace).  The functions come from pltwide_dep.so,
 * loaded first with RTLD_GLOBAL. */
#include "pltwide.h"

#define PW_DECL(i) int pw_d##i(int);
PW_600(PW_DECL)

int pltwide_call(int x);
int pltwide_call(int x)
{
	int s = 0;

#define PW_CALL(i) if (x == i) s += pw_d##i(x);
	PW_600(PW_CALL)
	return s;
}
