/* SPDX-License-Identifier: MIT */
/* erim_signal.h: liberim owns the delivery of every signal with a handler
 * (erim_signal.c). */
#ifndef ERIM_SIGNAL_H
#define ERIM_SIGNAL_H

#include <signal.h>

#include "erim_internal.h"

/* erim_init: wrap every installed handler (active: mpk, mprotect), record
 * SIGSEGV's disposition for on_segv's chain, seal the table */
int erim__signal_init(int active) ERIM_HIDDEN;
/* stop the process if the frame's interrupted context had trusted rights */
void erim__signal_check(int sig, const void *uc, const char *when) ERIM_HIDDEN;
/* on_segv, for a fault that is not about trusted memory */
void erim__signal_chain_segv(int sig, siginfo_t *si, void *uc) ERIM_HIDDEN;
/* liberim's own handler, installed as is (raw rt_sigaction) */
int erim__signal_install_own(int sig, void (*fn)(int, siginfo_t *, void *),
                             unsigned long flags) ERIM_HIDDEN;
void erim__signal_restore_segv(void) ERIM_HIDDEN;
void erim__on_segv(int sig, siginfo_t *si, void *uc) ERIM_HIDDEN;   /* erim_violation.c */
extern const char erim__gate_code_start[] ERIM_HIDDEN;               /* erim_gate.S */
extern const char erim__gate_code_end[] ERIM_HIDDEN;

#endif
