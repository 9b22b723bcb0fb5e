/* SPDX-License-Identifier: MIT */
/* user_types.h: SampleEnclave's user type header (buffer_t). */
#ifndef USER_TYPES_H
#define USER_TYPES_H
typedef void *buffer_t;
#endif
