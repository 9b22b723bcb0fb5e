/* SPDX-License-Identifier: MIT */
/* app.c: the untrusted side.  "app run" calls both interfaces through their
 * gates and prints the results; "app peek" reads the trusted globals
 * directly, which works under the none back end and is stopped (the process
 * dies) under mprotect or mpk. */
#include <stdio.h>
#include <string.h>
#include "erim.h"
#include "counter_erim.h"
#include "pinlib.h"

extern long counter_total;

int main(int argc, char **argv)
{
	struct pair p = { 40, 2 };

	if (erim_init(NULL) != 0) {
		fprintf(stderr, "app: erim_init: %s\n", erim_strerror());
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "peek") == 0) {
		printf("peek: total=%ld pin=%s\n", counter_total, pinlib_pin);
		return 0;
	}
	if (counter_add(&p) != 0)
		return 1;
	printf("total=%ld pin_ok=%d pin_bad=%d\n", counter_get(), pin_check("4711"), pin_check("0000"));
	return 0;
}
