/* SPDX-License-Identifier: MIT */
/* pltwide_dep.c: 600 functions for pltwide.c to call (rt_pltrace). */
#include "pltwide.h"

#define PW_DECL(i) int pw_d##i(int);
PW_600(PW_DECL)
#define PW_DEF(i) int pw_d##i(int x) { return x + i; }
PW_600(PW_DEF)
