/* SPDX-License-Identifier: MIT */
/* audit_space.h: erim-audit's view of the traced process's address space:
 * its mappings with their protection keys (/proc/PID/smaps) and the symbols
 * of every mapped ELF object (libelf), so that each checked access can be
 * named by mapping and each instruction by symbol+offset. */
#ifndef AUDIT_SPACE_H
#define AUDIT_SPACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct audit_vma {
	uintptr_t start, end;
	char perms[5];            /* "rwxp" as in maps */
	int pkey;                 /* ProtectionKey:, 0 when the kernel shows none */
	unsigned long long inode, off;
	char path[256];           /* "" for anonymous mappings */
	char line[400];           /* the maps line, for reports */
};

struct audit_sym {
	uintptr_t addr;           /* run-time address */
	size_t size;
	const char *name;         /* in the owning object's string pool */
	int ifunc;                /* STT_GNU_IFUNC: the value is the resolver */
	int object;               /* STT_OBJECT: data */
};

struct audit_obj {
	char path[256];
	unsigned long long inode;
	uintptr_t bias;
	struct audit_sym *syms;   /* sorted by addr */
	size_t nsyms;
	char *pool;
	size_t pool_len, pool_cap;
};

struct audit_space {
	struct audit_vma *vma;
	size_t nvma, cap;
	struct audit_obj *obj;
	size_t nobj;
};

/* (Re)read the mappings of PID; returns 0 or -errno. */
int audit_space_load_maps(struct audit_space *s, pid_t pid);
/* Read the symbol tables of every file-backed object now mapped (once per
 * object); returns the number of objects with symbols. */
size_t audit_space_load_syms(struct audit_space *s);
void audit_space_free(struct audit_space *s);

const struct audit_vma *audit_vma_find(const struct audit_space *s, uintptr_t a);
/* The symbol containing A (or the nearest one before it, *exact = 0). */
const struct audit_sym *audit_sym_find(const struct audit_space *s, uintptr_t a,
                                       const struct audit_obj **obj, int *exact);
/* Describe A as "sym+0xoff (object)" into BUF. */
const char *audit_describe(const struct audit_space *s, uintptr_t a, char *buf, size_t n);

/* The data object (STT_OBJECT) containing A as "sym+0xoff (object)", or NULL. */
const char *audit_describe_data(const struct audit_space *s, uintptr_t a, char *buf, size_t n);

#endif
