/* SPDX-License-Identifier: MIT */
/* pinlib.h: the library's own header (pin_check is not renamed). */
#ifndef PINLIB_H
#define PINLIB_H
int pin_check(const char *guess);
extern char pinlib_pin[16];
#endif
