/* SPDX-License-Identifier: MIT */
/* erim_signal.h: liberim owns the delivery of every signal with a handler
 * (erim_signal.c). */
#ifndef ERIM_SIGNAL_H
#define ERIM_SIGNAL_H

#include <signal.h>

#include "erim_internal.h"

/* erim_init: wrap every installed handler (active: mpk, mprotect), record
 * SIGSEGV's disposition for on_segv's chain, seal the table */
int erim__signal_init(int active, uintptr_t gate_lo, uintptr_t gate_hi,
                      int (*mp_is_open)(void)) ERIM_HIDDEN;
/* stop the process if the frame's interrupted context had trusted rights */
void erim__signal_check(int sig, const void *uc, const char *when) ERIM_HIDDEN;
/* erim_violation.c: report a fault on trusted memory and die; 0: not ours */
int erim__segv_report(siginfo_t *si, void *uc) ERIM_HIDDEN;
extern const char erim__gate_code_start[] ERIM_HIDDEN;               /* erim_gate.S */
extern const char erim__gate_code_end[] ERIM_HIDDEN;

#endif
