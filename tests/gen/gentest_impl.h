/* SPDX-License-Identifier: MIT */
/* gentest_impl.h: what the gentest tests read from the trusted side. */
#ifndef GENTEST_IMPL_H
#define GENTEST_IMPL_H
extern volatile long gt_impl_calls;
#endif
