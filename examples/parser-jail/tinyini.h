/* SPDX-License-Identifier: MIT */
/* tinyini.h: a tiny INI parser, standing in for a third-party library that
 * an application links but does not trust (see ../parser-jail/README.md).
 * Its names are its own; the application isolates it by link-time
 * interposition without renaming anything. */
#ifndef TINYINI_H
#define TINYINI_H

#include <stddef.h>

/* Look up "SECTION.KEY" in the INI text TEXT and copy its value, NUL
 * terminated and truncated to CAP-1 bytes, into VAL.  Keys may contain any
 * byte written as \xNN.  Returns the value's length, -1 if the key is absent,
 * -2 on a syntax error. */
int ini_get(const char *text, const char *key, char *val, size_t cap);

#endif
