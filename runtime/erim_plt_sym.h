/* SPDX-License-Identifier: MIT */
/* erim_plt_sym.h: does a loaded object define a symbol the way the dynamic
 * linker accepts for a (versioned) reference (erim_plt_sym.c)? */
#ifndef ERIM_PLT_SYM_H
#define ERIM_PLT_SYM_H

#include <link.h>

enum erim_sym_match {
	ERIM_SYM_NONE = 0,        /* no acceptable definition */
	ERIM_SYM_UNVERSIONED,     /* a definition without a version (VER_NDX_LOCAL/GLOBAL) */
	ERIM_SYM_VERSIONED,       /* the version asked for, or an object without versions */
};

/* How the object at BASE (program headers PHDR/PHNUM) defines NAME for a
 * reference to NAME@VER (VER NULL: an unversioned reference), judged like
 * glibc's ld.so (dl-lookup.c check_match, a reference from a DT_VERNEED
 * entry, not dlvsym): a definition with the same version name, or without a
 * version unless hidden, or any definition in an object without version
 * information. */
enum erim_sym_match erim__sym_match(uintptr_t base, const ElfW(Phdr) *phdr, int phnum,
                                    const char *name, const char *ver)
	__attribute__((visibility("hidden")));

#endif /* ERIM_PLT_SYM_H */
