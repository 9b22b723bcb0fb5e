/* SPDX-License-Identifier: MIT */
/* atk_vm_stop_rev.c: atk_vm_stop the other way round: the CLONE_VM task is
 * the one that dies, its creator the one that would run on (red team 33a,
 * vmrev; see atk_vm_stop.c). */
#define ATK_VM_STOP_REVERSE 1
#include "atk_vm_stop.c"
