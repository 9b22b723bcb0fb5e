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
/* erim_sigstack.c: the kernel enters every handler at ENTRY from now on */
void erim__signal_use_entry(uintptr_t entry) ERIM_HIDDEN;
int erim__signal_entry_active(void) ERIM_HIDDEN;
/* pthread_create: glibc's SIGCANCEL/SIGSETXID handlers, installed inside
 * libc, wrapped */
void erim__signal_adopt_glibc(void) ERIM_HIDDEN;
uintptr_t erim__signal_cont(int sig, int *onstack) ERIM_HIDDEN;
/* erim_sigstack.c: liberim's signal stacks in trusted memory, on kernels
 * that write signal frames with every key enabled (not under erim-tem) */
int erim__sigstack_probe(void) ERIM_HIDDEN;
int erim__sigstack_setup(size_t n, int key, char *err, size_t errlen) ERIM_HIDDEN;
int erim__altstack_setup(size_t n, char *err, size_t errlen) ERIM_HIDDEN;
long erim__sigstack_claim(void) ERIM_HIDDEN;
int erim__sigstack_activate(void) ERIM_HIDDEN;
void erim__sigstack_off(void) ERIM_HIDDEN;
extern const char erim__gate_code_start[] ERIM_HIDDEN;               /* erim_gate.S */
extern const char erim__gate_code_end[] ERIM_HIDDEN;

#endif
