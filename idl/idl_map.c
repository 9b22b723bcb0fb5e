/* SPDX-License-Identifier: MIT */
/* idl_map.c: the front end's string map (idl_map.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "idl_map.h"
#include "idl_priv.h"

/* Room for N insertions without ever filling up (open addressing, <= 50% load). */
void idl_map_init(struct idl_map *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap <<= 1;
	m->k = idl_xzalloc(cap * sizeof *m->k);
	m->v = idl_xzalloc(cap * sizeof *m->v);
	m->mask = cap - 1;
	m->n = 0;
}

void idl_map_fini(struct idl_map *m)
{
	free(m->k);
	free(m->v);
	m->k = NULL;
	m->v = NULL;
}

static size_t idl_map_slot(const struct idl_map *m, const char *key)
{
	size_t h = 1469598103934665603u;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		h = (h ^ *c) * 1099511628211u;
	for (h &= m->mask; m->k[h] && strcmp(m->k[h], key); h = (h + 1) & m->mask)
		;
	return h;
}

void *idl_map_get(const struct idl_map *m, const char *key)
{
	size_t i;

	if (!m->k || !key)
		return NULL;
	i = idl_map_slot(m, key);
	return m->k[i] ? m->v[i] : NULL;
}

/* Insert KEY -> VAL unless KEY is there; returns the value already there, or
 * NULL.  Grows when half full. */
void *idl_map_put(struct idl_map *m, const char *key, void *val)
{
	size_t i;

	if (2 * (m->n + 1) > m->mask + 1) {
		struct idl_map big;

		idl_map_init(&big, m->mask + 1);
		for (size_t j = 0; j <= m->mask; j++)
			if (m->k[j]) {
				size_t b = idl_map_slot(&big, m->k[j]);

				big.k[b] = m->k[j];
				big.v[b] = m->v[j];
				big.n++;
			}
		idl_map_fini(m);
		*m = big;
	}
	i = idl_map_slot(m, key);
	if (m->k[i])
		return m->v[i];
	m->k[i] = key;
	m->v[i] = val;
	m->n++;
	return NULL;
}
