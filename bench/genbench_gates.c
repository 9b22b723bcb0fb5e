/* generated from bench.erim by erimgen bench — do not edit */
/* genbench_gates.c: the trust boundary of interface genbench -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "genbench_erim.h"
#include "genbench_trusted.h"

/* Copies must run forward whatever EFLAGS.DF the caller left: the ABI says DF
 * is clear at calls, an attacker need not.  The mpk gate clears it, but under
 * `none` no gate runs, and an untrusted callback may return with DF set, so
 * trusted code clears it itself before every copy. */
static inline __attribute__((unused)) void erim__cld(void)
{
	__asm__ __volatile__("cld" ::: "memory");
}

/* NULL if [P, P+N) is an acceptable untrusted buffer, else why not: it wraps
 * the address space or overlaps trusted memory (any byte). */
static inline __attribute__((unused)) const char *erim__check(const void *erim__p, size_t erim__n)
{
	uintptr_t erim__a = (uintptr_t)erim__p;

	if (erim__n && erim__a + (erim__n - 1) < erim__a)
		return "wraps around the address space";
	if (erim_overlaps_trusted(erim__p, erim__n))
		return "overlaps trusted memory";
	return NULL;
}

/* Copy the untrusted string U (at most MAX characters before its NUL) into a
 * fresh trusted buffer *OUT, forced to be NUL-terminated; *LEN its length.
 * Page by page: each page is checked against trusted memory before it is
 * read, so the scan never runs into trusted memory, and each chunk's length
 * is frozen before its bytes are copied once (a racing writer can change the
 * bytes, never the bounds).  NULL on success, else why the string is refused. */
static __attribute__((unused)) const char *erim__str_in(const char *erim__u, size_t erim__max,
                                                        void **erim__out, size_t *erim__len)
{
	size_t erim__n = 0, erim__cap = 0;
	char *erim__t = NULL;

	for (;;) {
		uintptr_t erim__a = (uintptr_t)erim__u + erim__n;
		size_t erim__chunk = 4096 - (erim__a & 4095u), erim__k;
		const char *erim__w, *erim__z;

		if (erim__a < (uintptr_t)erim__u)
			erim__w = "wraps around the address space";
		else
			erim__w = erim__check((const void *)erim__a, erim__chunk);
		if (erim__w) {
			erim_free(erim__t);
			return erim__w;
		}
		if (erim__chunk > erim__max - erim__n + 1)
			erim__chunk = erim__max - erim__n + 1;
		erim__z = memchr((const void *)erim__a, 0, erim__chunk);
		erim__k = erim__z ? (size_t)(erim__z - (const char *)erim__a) : erim__chunk;
		if (erim__n + erim__k + 1 > erim__cap) {
			size_t erim__nc = erim__cap ? erim__cap * 2 : 64;
			char *erim__g;

			while (erim__nc < erim__n + erim__k + 1)
				erim__nc *= 2;
			erim__g = erim_realloc(erim__t, erim__nc);
			if (!erim__g) {
				erim_free(erim__t);
				return "cannot be copied: out of trusted memory";
			}
			erim__t = erim__g;
			erim__cap = erim__nc;
		}
		memcpy(erim__t + erim__n, (const void *)erim__a, erim__k);
		erim__n += erim__k;
		if (erim__z)
			break;
		if (erim__n > erim__max) {
			erim_free(erim__t);
			return "is longer than its maxlen";
		}
	}
	erim__t[erim__n] = '\0';
	*erim__out = erim__t;
	*erim__len = erim__n;
	return NULL;
}

/* Buffers up to this many bytes are copied to the trusted stack. */
#define ERIM__SMALL 256

/* Largest block a trusted proxy hands to an untrusted function: the block is
 * copied onto the untrusted stack. */
#define ERIM__CB_MAX ((size_t)256 * 1024)

/* entry ids: erim__base plus the index */
static unsigned erim__base;
enum {
	erim__id_gb_in = 0,
	erim__id_gb_out = 1,
};

struct erim__args_gb_in {
	const uint8_t *msg;
	size_t len;
	long erim__ret;
};

struct erim__args_gb_out {
	uint8_t *buf;
	size_t len;
	long erim__ret;
};

/* trusted entry of genbench.gb_in: runs in the trusted domain on the trusted stack */
static long erim__entry_gb_in(void *erim__raw)
{
	struct erim__args_gb_in erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_msg = NULL;
	size_t erim__n_msg = 0, erim__e_msg = 0;
	unsigned char erim__s_msg[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("genbench", "gb_in", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* msg: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_msg = erim__t1;
		erim__e_msg = erim__t1 / sizeof(uint8_t);
		if (erim__v.msg) {
			const char *erim__w = erim__check(erim__v.msg, erim__n_msg);
			if (erim__w) { erim__arg = "msg"; erim__why = erim__w; goto erim__refused; }
			erim__p_msg = erim__n_msg <= ERIM__SMALL ? erim__s_msg : erim_malloc(erim__n_msg ? erim__n_msg : 1);
			if (!erim__p_msg)
				{ erim__arg = "msg"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_msg, erim__v.msg, erim__n_msg);
		}
	}
	erim__r = gb_in_impl(erim__p_msg, erim__v.len);
	((struct erim__args_gb_in *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_msg != (void *)erim__s_msg)
		erim_free(erim__p_msg);
	(void)erim__e_msg;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of genbench.gb_out: runs in the trusted domain on the trusted stack */
static long erim__entry_gb_out(void *erim__raw)
{
	struct erim__args_gb_out erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_buf = NULL;
	size_t erim__n_buf = 0, erim__e_buf = 0;
	unsigned char erim__s_buf[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("genbench", "gb_out", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* buf: out buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_buf = erim__t1;
		erim__e_buf = erim__t1 / sizeof(uint8_t);
		if (erim__v.buf) {
			const char *erim__w = erim__check(erim__v.buf, erim__n_buf);
			if (erim__w) { erim__arg = "buf"; erim__why = erim__w; goto erim__refused; }
			erim__p_buf = erim__n_buf <= ERIM__SMALL ? memset(erim__s_buf, 0, erim__n_buf) : erim_calloc(1, erim__n_buf ? erim__n_buf : 1);
			if (!erim__p_buf)
				{ erim__arg = "buf"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	erim__r = gb_out_impl(erim__p_buf, erim__v.len);
	if (erim__p_buf)
		memcpy((void *)erim__v.buf, erim__p_buf, erim__n_buf);
	((struct erim__args_gb_out *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__st != 0) {
		erim_refuse("genbench", "gb_out", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of genbench.gb_in (untrusted side) */
long gb_in(const uint8_t *msg, size_t len)
{
	struct erim__args_gb_in erim__a;

	erim__a.msg = msg;
	erim__a.len = len;
	if (erim_gate_call(erim__base + erim__id_gb_in, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of genbench.gb_out (untrusted side) */
long gb_out(uint8_t *buf, size_t len)
{
	struct erim__args_gb_out erim__a;

	erim__a.buf = buf;
	erim__a.len = len;
	(void)erim_gate_call(erim__base + erim__id_gb_out, &erim__a);
	return erim__a.erim__ret;
}

static const struct erim_entry erim__entries[] = {
	{ "genbench", "gb_in", erim__entry_gb_in, ERIM_ENTRY_PUBLIC },
	{ "genbench", "gb_out", erim__entry_gb_out, ERIM_ENTRY_PUBLIC },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: genbench: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
}
