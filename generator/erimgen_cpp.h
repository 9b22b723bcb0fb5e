/* SPDX-License-Identifier: MIT */
/* erimgen_cpp.h: erimgen --cpp (erimgen_cpp.c). */
#ifndef ERIMGEN_CPP_H
#define ERIMGEN_CPP_H
#include <stddef.h>

/* The options passed to the preprocessor: -DNAME[=V], -UNAME, -IDIR. */
struct erimgen_cpp {
	char **args;
	size_t nargs;
};

/* Append FLAG followed by ARG ("-D", "X=1") as one argument. */
void erimgen_cpp_add(struct erimgen_cpp *c, const char *flag, const char *arg);
void erimgen_cpp_fini(struct erimgen_cpp *c);
/* The front end's preprocess hook (struct idl_opts): ARG is the erimgen_cpp. */
int erimgen_cpp_run(const char *path, char **text, size_t *len, void *arg);

#endif
