/* SPDX-License-Identifier: MIT */
/* atk_thread_cred.c: atk_credrop with the drop made by a second thread
 * (red team 30, rt30_thread_cred; see atk_credrop.c). */
#define ATK_CREDROP_THREAD 1
#include "atk_credrop.c"
