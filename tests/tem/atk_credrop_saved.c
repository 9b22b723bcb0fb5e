/* SPDX-License-Identifier: MIT */
/* atk_credrop_saved.c: atk_credrop with the saved uid changed after the
 * prctl (red team 31, rt31_nonplain; see atk_credrop.c). */
#define ATK_CREDROP_SAVED 1
#include "atk_credrop.c"
