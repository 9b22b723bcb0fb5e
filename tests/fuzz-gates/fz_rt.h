/* SPDX-License-Identifier: MIT */
/* fz_rt.h: the fixed part of every fuzz-gates driver (fz_rt.c): random
 * numbers, untrusted buffers, hostile memory shapes, the racing thread, and
 * the table of generated call functions the main loop runs. */
#ifndef FZ_RT_H
#define FZ_RT_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "erim.h"
#include "fz_common.h"

struct fz_hostile {
	const char *what;
	int expect;             /* 0 must be refused (error(V) if declared), 1 anything but a crash,
	                         * 2 must stop the process, 3 refused either way */
	int needs_isolation;    /* only where the back end registers trusted memory */
};
struct fz_func {
	const char *name;
	int (*call)(int mode, int hv);      /* -1: variant not applicable */
	int is_public, has_error, nhostile;
	const struct fz_hostile *hostile;
};
extern const struct fz_func fz_funcs[];
extern const int fz_nfuncs;
extern const char *fz_iface;

extern volatile int fz_isolating;
extern volatile uint64_t fz_cbx[FZ_LOG_MAX];
extern volatile int fz_cbn;
extern unsigned long fz_calls;
extern unsigned char fz_secret[8192];
extern unsigned char *fz_edge;
extern long fz_reentered;        /* allowed re-entries made by callbacks */
extern int fz_heap_shim;         /* the trusted heap is malloc (ASan build) */

uint64_t fz_rand(void);
void *fz_ualloc(size_t n);
void fz_ufree_all(void);
char *fz_ustr(size_t len);
char *fz_guard_string(size_t n);
char *fz_below_trusted_string(void);
void fz_race_add(void *p, size_t n, int is_string);
void fz_race_word(void *p, size_t n, uint64_t a, uint64_t b);
void fz_race_go(void);
void fz_race_stop(void);
extern const void *fz_post_same;  /* after a hostile call: must still equal fz_post_orig */
extern const unsigned char *fz_post_orig;
extern size_t fz_post_n;
void fz_hostile_returned(const char *func, int impl_ran, int got_error_value);
#endif
