/* SPDX-License-Identifier: MIT */
/* idl_map.h: a string map (open addressing, never more than half full), so
 * name lookups and duplicate checks stay linear in the size of the input.
 * Keys are borrowed, not copied. */
#ifndef IDL_MAP_H
#define IDL_MAP_H

#include <stddef.h>

struct idl_map {
	const char **k;
	void **v;
	size_t mask;
	size_t n;
};

/* Room for N insertions before the first growth. */
void idl_map_init(struct idl_map *m, size_t n);
void idl_map_fini(struct idl_map *m);
/* The value of KEY, or NULL. */
void *idl_map_get(const struct idl_map *m, const char *key);
/* Insert KEY -> VAL unless KEY is there; returns the value already there, or NULL. */
void *idl_map_put(struct idl_map *m, const char *key, void *val);

#endif /* IDL_MAP_H */
