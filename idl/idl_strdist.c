/* SPDX-License-Identifier: MIT */
/* idl_strdist.c: "did you mean" -- the one edit distance the front end uses
 * for suggestions (unknown attributes, length names, allow() targets), and
 * the one rule for when a candidate is close enough to suggest. */
#include <config.h>

#include <string.h>

#include "idl_priv.h"

/* Levenshtein distance; names of 64 or more characters are never close. */
static size_t idl_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

			cur[j] = del < ins ? del : ins;
			if (sub < cur[j])
				cur[j] = sub;
		}
		memcpy(prev, cur, sizeof cur);
	}
	return prev[lb];
}

void idl_suggest_init(struct idl_suggest *s, const char *want)
{
	s->want = want;
	s->best = NULL;
	s->bestd = 3;
}

/* A candidate is suggested when fewer than 3 edits away and fewer edits
 * than the name has characters (so "x" never suggests "y"). */
void idl_suggest_consider(struct idl_suggest *s, const char *cand)
{
	size_t d;

	if (!cand || !s->want)
		return;
	d = idl_edit_distance(s->want, cand);
	if (d < s->bestd && d < strlen(s->want)) {
		s->bestd = d;
		s->best = cand;
	}
}
