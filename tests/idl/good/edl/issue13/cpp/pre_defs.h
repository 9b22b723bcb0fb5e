/* SPDX-License-Identifier: MIT */
/* pre_defs.h: a macro Pre.edl uses through --cpp */
#define PRE_BUF 32
