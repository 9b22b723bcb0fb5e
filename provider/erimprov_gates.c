/* generated from erimprov.erim by erimgen 0.1.0 — do not edit */
/* erimprov_gates.c: the trust boundary of interface erimprov -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "erimprov_erim.h"
#include "erimprov_trusted.h"

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
	erim__id_ep_load = 0,
	erim__id_ep_info = 1,
	erim__id_ep_public = 2,
	erim__id_ep_sign = 3,
	erim__id_ep_free = 4,
};

struct erim__args_ep_load {
	const char *path;
	int erim__ret;
};

struct erim__args_ep_info {
	int handle;
	uint32_t *info;
	int erim__ret;
};

struct erim__args_ep_public {
	int handle;
	uint8_t *buf;
	size_t cap;
	int erim__ret;
};

struct erim__args_ep_sign {
	int handle;
	int alg;
	int hash;
	int saltlen;
	const uint8_t *tbs;
	size_t len;
	uint8_t *sig;
	size_t cap;
	int erim__ret;
};

struct erim__args_ep_free {
	int handle;
	int erim__ret;
};

struct erim__cb_ep_log {
	size_t line;   /* offset of the payload, 0 for NULL */
	char erim__pad;
};

/* trusted entry of erimprov.ep_load: runs in the trusted domain on the trusted stack */
static long erim__entry_ep_load(void *erim__raw)
{
	struct erim__args_ep_load erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_path = NULL;
	size_t erim__n_path = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("erimprov", "ep_load", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* path: string, copied page by page, terminated */
	{
		size_t erim__t1 = (size_t)4096u;
		size_t erim__max = erim__t1 < SIZE_MAX ? erim__t1 : SIZE_MAX - 1;
		if (erim__v.path) {
			const char *erim__w = erim__str_in(erim__v.path, erim__max, &erim__p_path, &erim__n_path);
			if (erim__w) { erim__arg = "path"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__r = ep_load_impl(erim__p_path);
	((struct erim__args_ep_load *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_path);
	if (erim__st != 0) {
		erim_refuse("erimprov", "ep_load", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of erimprov.ep_info: runs in the trusted domain on the trusted stack */
static long erim__entry_ep_info(void *erim__raw)
{
	struct erim__args_ep_info erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_info = NULL;
	size_t erim__n_info = 0, erim__e_info = 0;
	unsigned char erim__s_info[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("erimprov", "ep_info", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* info: out buffer */
	{
		size_t erim__t1 = (size_t)4u;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint32_t), &erim__n_info))
			{ erim__arg = "info"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_info = erim__t1;
		if (erim__v.info) {
			const char *erim__w = erim__check(erim__v.info, erim__n_info);
			if (erim__w) { erim__arg = "info"; erim__why = erim__w; goto erim__refused; }
			erim__p_info = erim__n_info <= ERIM__SMALL ? memset(erim__s_info, 0, erim__n_info) : erim_calloc(1, erim__n_info ? erim__n_info : 1);
			if (!erim__p_info)
				{ erim__arg = "info"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	erim__r = ep_info_impl(erim__v.handle, erim__p_info);
	if (erim__p_info)
		memcpy((void *)erim__v.info, erim__p_info, erim__n_info);
	((struct erim__args_ep_info *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_info != (void *)erim__s_info)
		erim_free(erim__p_info);
	(void)erim__e_info;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of erimprov.ep_public: runs in the trusted domain on the trusted stack */
static long erim__entry_ep_public(void *erim__raw)
{
	struct erim__args_ep_public erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_buf = NULL;
	size_t erim__n_buf = 0, erim__e_buf = 0;
	unsigned char erim__s_buf[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("erimprov", "ep_public", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* buf: out buffer */
	{
		size_t erim__t1 = (size_t)erim__v.cap;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n_buf))
			{ erim__arg = "buf"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_buf = erim__t1;
		if (erim__v.buf) {
			const char *erim__w = erim__check(erim__v.buf, erim__n_buf);
			if (erim__w) { erim__arg = "buf"; erim__why = erim__w; goto erim__refused; }
			erim__p_buf = erim__n_buf <= ERIM__SMALL ? memset(erim__s_buf, 0, erim__n_buf) : erim_calloc(1, erim__n_buf ? erim__n_buf : 1);
			if (!erim__p_buf)
				{ erim__arg = "buf"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	erim__r = ep_public_impl(erim__v.handle, erim__p_buf, erim__v.cap);
	if (erim__p_buf)
		memcpy((void *)erim__v.buf, erim__p_buf, erim__n_buf);
	((struct erim__args_ep_public *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__st != 0) {
		erim_refuse("erimprov", "ep_public", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of erimprov.ep_sign: runs in the trusted domain on the trusted stack */
static long erim__entry_ep_sign(void *erim__raw)
{
	struct erim__args_ep_sign erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_tbs = NULL;
	size_t erim__n_tbs = 0, erim__e_tbs = 0;
	unsigned char erim__s_tbs[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_sig = NULL;
	size_t erim__n_sig = 0, erim__e_sig = 0;
	unsigned char erim__s_sig[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("erimprov", "ep_sign", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* tbs: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_tbs = erim__t1;
		erim__e_tbs = erim__t1 / sizeof(uint8_t);
		if (erim__v.tbs) {
			const char *erim__w = erim__check(erim__v.tbs, erim__n_tbs);
			if (erim__w) { erim__arg = "tbs"; erim__why = erim__w; goto erim__refused; }
			erim__p_tbs = erim__n_tbs <= ERIM__SMALL ? erim__s_tbs : erim_malloc(erim__n_tbs ? erim__n_tbs : 1);
			if (!erim__p_tbs)
				{ erim__arg = "tbs"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_tbs, erim__v.tbs, erim__n_tbs);
		}
	}
	/* sig: out buffer */
	{
		size_t erim__t2 = (size_t)erim__v.cap;
		if (__builtin_mul_overflow(erim__t2, sizeof(uint8_t), &erim__n_sig))
			{ erim__arg = "sig"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_sig = erim__t2;
		if (erim__v.sig) {
			const char *erim__w = erim__check(erim__v.sig, erim__n_sig);
			if (erim__w) { erim__arg = "sig"; erim__why = erim__w; goto erim__refused; }
			erim__p_sig = erim__n_sig <= ERIM__SMALL ? memset(erim__s_sig, 0, erim__n_sig) : erim_calloc(1, erim__n_sig ? erim__n_sig : 1);
			if (!erim__p_sig)
				{ erim__arg = "sig"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	erim__r = ep_sign_impl(erim__v.handle, erim__v.alg, erim__v.hash, erim__v.saltlen, erim__p_tbs, erim__v.len, erim__p_sig, erim__v.cap);
	if (erim__p_sig)
		memcpy((void *)erim__v.sig, erim__p_sig, erim__n_sig);
	((struct erim__args_ep_sign *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_tbs != (void *)erim__s_tbs)
		erim_free(erim__p_tbs);
	(void)erim__e_tbs;
	if (erim__p_sig != (void *)erim__s_sig)
		erim_free(erim__p_sig);
	(void)erim__e_sig;
	if (erim__st != 0) {
		erim_refuse("erimprov", "ep_sign", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of erimprov.ep_free: runs in the trusted domain on the trusted stack */
static long erim__entry_ep_free(void *erim__raw)
{
	struct erim__args_ep_free erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("erimprov", "ep_free", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = ep_free_impl(erim__v.handle);
	((struct erim__args_ep_free *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("erimprov", "ep_free", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of erimprov.ep_load (untrusted side) */
int ep_load(const char *path)
{
	struct erim__args_ep_load erim__a;

	erim__a.path = path;
	(void)erim_gate_call(erim__base + erim__id_ep_load, &erim__a);
	return erim__a.erim__ret;
}

/* gate of erimprov.ep_info (untrusted side) */
int ep_info(int handle, uint32_t *info)
{
	struct erim__args_ep_info erim__a;

	erim__a.handle = handle;
	erim__a.info = info;
	if (erim_gate_call(erim__base + erim__id_ep_info, &erim__a) != 0)
		return (int)(-1);
	return erim__a.erim__ret;
}

/* gate of erimprov.ep_public (untrusted side) */
int ep_public(int handle, uint8_t *buf, size_t cap)
{
	struct erim__args_ep_public erim__a;

	erim__a.handle = handle;
	erim__a.buf = buf;
	erim__a.cap = cap;
	(void)erim_gate_call(erim__base + erim__id_ep_public, &erim__a);
	return erim__a.erim__ret;
}

/* gate of erimprov.ep_sign (untrusted side) */
int ep_sign(int handle, int alg, int hash, int saltlen, const uint8_t *tbs, size_t len, uint8_t *sig, size_t cap)
{
	struct erim__args_ep_sign erim__a;

	erim__a.handle = handle;
	erim__a.alg = alg;
	erim__a.hash = hash;
	erim__a.saltlen = saltlen;
	erim__a.tbs = tbs;
	erim__a.len = len;
	erim__a.sig = sig;
	erim__a.cap = cap;
	(void)erim_gate_call(erim__base + erim__id_ep_sign, &erim__a);
	return erim__a.erim__ret;
}

/* gate of erimprov.ep_free (untrusted side) */
int ep_free(int handle)
{
	struct erim__args_ep_free erim__a;

	erim__a.handle = handle;
	(void)erim_gate_call(erim__base + erim__id_ep_free, &erim__a);
	return erim__a.erim__ret;
}

static long erim__tramp_ep_log(void *erim__raw)
{
	struct erim__cb_ep_log *erim__b = erim__raw;
	char *erim__c = erim__raw;

	ep_log(erim__b->line ? (void *)(erim__c + erim__b->line) : NULL);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to erimprov.ep_log (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
void ep_log_ocall(const char *line)
{
	struct erim__cb_ep_log erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_ep_log) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_line = 0, erim__e_line = 0, erim__o_line = 0;

	if (line) {
		erim__n_line = __builtin_strlen(line) + 1;
		size_t erim__t1 = (size_t)512u;
		if (erim__n_line - 1 > erim__t1)
			erim_refuse("erimprov", "ep_log", "argument 'line' is longer than its maxlen");
		if (erim__n_line > ERIM__CB_MAX)
			erim_refuse("erimprov", "ep_log", "argument 'line' is too large to cross to the untrusted stack");
		erim__o_line = erim__total;
		erim__total += (erim__n_line + 15u) & ~(size_t)15u;
	}
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("erimprov", "ep_log", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("erimprov", "ep_log", "out of trusted memory");
	__builtin_memset(&erim__h, 0, sizeof erim__h);
	erim__h.line = erim__o_line;
	if (line)
		__builtin_memcpy(erim__b + erim__o_line, line, erim__n_line);
	__builtin_memcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_ep_log, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("erimprov", "ep_log", "untrusted function returned a block that %s", erim__w);
	}
	__builtin_memcpy(&erim__h, erim__ub, sizeof erim__h);
	erim_free(erim__b);
	(void)erim__e_line;
}

static const struct erim_entry erim__entries[] = {
	{ "erimprov", "ep_load", erim__entry_ep_load, ERIM_ENTRY_PUBLIC },
	{ "erimprov", "ep_info", erim__entry_ep_info, ERIM_ENTRY_PUBLIC },
	{ "erimprov", "ep_public", erim__entry_ep_public, ERIM_ENTRY_PUBLIC },
	{ "erimprov", "ep_sign", erim__entry_ep_sign, ERIM_ENTRY_PUBLIC },
	{ "erimprov", "ep_free", erim__entry_ep_free, ERIM_ENTRY_PUBLIC },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: erimprov: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
}
