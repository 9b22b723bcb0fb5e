/* SPDX-License-Identifier: MIT */
/* tinyini.c: a tiny INI parser, the "third-party library" of the parser-jail
 * example.  It is written like a small real-world parser, and like some of
 * them it has a bug: the fully qualified name "section.key" is built in a
 * 32-byte field but checked against INI_NAME_MAX (64, the documented limit of
 * a name), so a long key written with \xNN escapes overwrites the entry's
 * value pointer and length that follow it.  A later ini_get() of that key
 * then copies from wherever the attacker pointed: an arbitrary read.  The
 * library is not changed by erim in any way; the application isolates it. */
#include <stdint.h>
#include <string.h>

#include "tinyini.h"

#define INI_NAME_MAX 64      /* documented limit of "section.key" */
#define INI_MAX_ENTRIES 64

struct ini_entry {
	char name[32];           /* "section.key", NUL terminated */
	const char *val;         /* points into the text */
	size_t vlen;
};

static struct ini_entry ini_tab[INI_MAX_ENTRIES];
static size_t ini_n;

static int ini_hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append S[0..N) to DST at *POS, decoding \xNN escapes. */
static int ini_unescape(char *dst, size_t *pos, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '\\' && i + 1 < n && s[i + 1] == 'x') {
			int hi, lo;

			if (i + 3 >= n)
				return -1;
			hi = ini_hexdigit(s[i + 2]);
			lo = ini_hexdigit(s[i + 3]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 3;
		}
		if (*pos + 1 >= INI_NAME_MAX)   /* the bug: the field is 32 bytes */
			return -1;
		dst[(*pos)++] = (char)c;
	}
	dst[*pos] = '\0';
	return 0;
}

static const char *ini_trim(const char *s, const char *end, const char **tend)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*tend = end;
	return s;
}

/* Parse TEXT into ini_tab; 0 or -2. */
static int ini_parse(const char *text)
{
	const char *line = text, *sec = "", *sec_end = sec;

	ini_n = 0;
	while (*line != '\0') {
		const char *eol = strchr(line, '\n'), *end, *s, *eq;

		if (eol == NULL)
			eol = line + strlen(line);
		s = ini_trim(line, eol, &end);
		if (s == end || *s == ';' || *s == '#') {
			/* blank line or comment */
		} else if (*s == '[') {
			if (end[-1] != ']')
				return -2;
			sec = s + 1;
			sec_end = end - 1;
		} else if ((eq = memchr(s, '=', (size_t)(end - s))) != NULL && ini_n < INI_MAX_ENTRIES) {
			struct ini_entry *e = &ini_tab[ini_n];
			const char *k_end, *k = ini_trim(s, eq, &k_end), *v_end, *v = ini_trim(eq + 1, end, &v_end);
			size_t pos = 0;

			/* remember the value, then build the qualified name */
			e->val = v;
			e->vlen = (size_t)(v_end - v);
			if (ini_unescape(e->name, &pos, sec, (size_t)(sec_end - sec)) != 0 ||
			    ini_unescape(e->name, &pos, ".", 1) != 0 ||
			    ini_unescape(e->name, &pos, k, (size_t)(k_end - k)) != 0)
				return -2;
			ini_n++;
		} else {
			return -2;
		}
		line = *eol ? eol + 1 : eol;
	}
	return 0;
}

int ini_get(const char *text, const char *key, char *val, size_t cap)
{
	size_t i;

	if (ini_parse(text) != 0)
		return -2;
	for (i = 0; i < ini_n; i++) {
		if (strcmp(ini_tab[i].name, key) == 0) {
			size_t n = ini_tab[i].vlen < cap ? ini_tab[i].vlen : cap - 1;

			memcpy(val, ini_tab[i].val, n);
			val[n] = '\0';
			return (int)n;
		}
	}
	return -1;
}
