/* SPDX-License-Identifier: MIT */
/* pinlib.c: a "library" isolated by interposition (pin.erim): its PIN is a
 * trusted global, and pin_check() runs in the trusted domain through the
 * generated __wrap_pin_check gate. */
#include <string.h>
#include "erim.h"
#include "pinlib.h"

ERIM_TRUSTED char pinlib_pin[16] = "4711";

int pin_check(const char *guess)
{
	return strcmp(guess, pinlib_pin) == 0;
}
