/* SPDX-License-Identifier: MIT */
/* erim_autoinit.c: automatic erim_init for programs that do not call it --
 * ERIM_AUTOINIT=1 with liberim.so linked in or LD_PRELOADed.
 *
 * Why not a library constructor: liberim's constructors run before the
 * executable's, and generated code registers its entries from the
 * executable's constructors, which erim_init must come after (registration is
 * refused once init has run).  So liberim.so interposes __libc_start_main and
 * hands it a wrapper of main: the wrapper runs erim_init(NULL) after every
 * constructor and before main -- the end of trusted start-up.
 *
 * This object goes into liberim.so only (see runtime/local.am): in a static
 * link a definition of __libc_start_main would replace glibc's own, so static
 * programs call erim_init() themselves.  If erim_init fails the program does
 * not start (exit status 1 after the reason): running without the protection
 * the environment asked for would be a silent downgrade. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erim.h"

typedef int (*erim_main_fn)(int, char **, char **);
typedef int (*erim_lsm_fn)(erim_main_fn, int, char **, void (*)(void), void (*)(void),
                           void (*)(void), void *);

int __libc_start_main(erim_main_fn main_fn, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end);

static erim_main_fn real_main;

static int auto_main(int argc, char **argv, char **envp)
{
	int r = erim_init(NULL);

	if (r < 0) {
		fprintf(stderr, "erim: cannot start %s: %s (ERIM_AUTOINIT=1)\n",
		        argc > 0 ? argv[0] : "the program", erim_strerror());
		_exit(1);
	}
	return real_main(argc, argv, envp);
}

int __libc_start_main(erim_main_fn main_fn, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	erim_lsm_fn real = (erim_lsm_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	const char *v = getenv("ERIM_AUTOINIT");

	if (!real) {
		fprintf(stderr, "erim: cannot find glibc's __libc_start_main: %s\n", dlerror());
		_exit(127);
	}
	if (v && strcmp(v, "1") == 0) {
		real_main = main_fn;
		main_fn = auto_main;
	}
	return real(main_fn, argc, argv, init, fini, rtld_fini, stack_end);
}
