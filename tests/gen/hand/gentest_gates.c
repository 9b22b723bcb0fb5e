/* generated from gentest.erim by erimgen test — do not edit */
/* gentest_gates.c: the trust boundary of interface gentest -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "gentest_erim.h"
#include "gentest_trusted.h"

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

/* entry ids: erim__base (untrusted copy, used by the gates) plus the
 * index; allow lists use the trusted copy erim__tbase, which untrusted
 * code cannot redirect to another private entry */
static unsigned erim__base;
static ERIM_TRUSTED unsigned erim__tbase;
enum {
	erim__id_gt_sum = 0,
	erim__id_gt_sum_fatal = 1,
	erim__id_gt_words = 2,
	erim__id_gt_records = 3,
	erim__id_gt_strlen = 4,
	erim__id_gt_strlen_any = 5,
	erim__id_gt_padded_out = 6,
	erim__id_gt_padded_ret = 7,
	erim__id_gt_out_untouched = 8,
	erim__id_gt_fill = 9,
	erim__id_gt_blob_in = 10,
	erim__id_gt_blob_inout = 11,
	erim__id_gt_upcase = 12,
	erim__id_gt_handle = 13,
	erim__id_gt_call_get = 14,
	erim__id_gt_call_ptr = 15,
	erim__id_gt_call_allow = 16,
	erim__id_gt_call_log = 17,
	erim__id_gt_private = 18,
	erim__id_gt_hygiene = 19,
};

struct erim__args_gt_sum {
	const uint8_t *buf;
	size_t len;
	long erim__ret;
};

struct erim__args_gt_sum_fatal {
	const uint8_t *buf;
	size_t len;
	long erim__ret;
};

struct erim__args_gt_words {
	const uint32_t *w;
	long n;
	long erim__ret;
};

struct erim__args_gt_records {
	const void *rec;
	size_t n;
	size_t recsize;
	long erim__ret;
};

struct erim__args_gt_strlen {
	const char *s;
	long erim__ret;
};

struct erim__args_gt_strlen_any {
	const char *s;
	long erim__ret;
};

struct erim__args_gt_padded_out {
	struct gt_padded *p;
};

struct erim__args_gt_padded_ret {
	struct gt_padded erim__ret;
};

struct erim__args_gt_out_untouched {
	uint8_t *buf;
	size_t len;
};

struct erim__args_gt_fill {
	uint8_t *buf;
	size_t cap;
	size_t *n;
	size_t want;
	int erim__ret;
};

struct erim__args_gt_blob_in {
	const struct gt_blob *b;
	long erim__ret;
};

struct erim__args_gt_blob_inout {
	struct gt_blob *b;
	size_t n;
	long erim__ret;
};

struct erim__args_gt_upcase {
	char *s;
	size_t len;
};

struct erim__args_gt_handle {
	void *h;
	int *raw;
	void *erim__ret;
};

struct erim__args_gt_call_get {
	size_t cap;
	long erim__ret;
};

struct erim__args_gt_call_ptr {
	long erim__ret;
};

struct erim__args_gt_call_allow {
	long erim__ret;
};

struct erim__args_gt_call_log {
	const char *s;
	long erim__ret;
};

struct erim__args_gt_private {
	long erim__ret;
};

struct erim__args_gt_hygiene {
	const uint8_t *memcpy;
	size_t len;
	int args;
	int raw;
	int id;
	int st;
	int i;
	int free;
	int malloc;
	const char *strlen;
	long erim__ret;
};

struct erim__cb_u_get {
	int erim__ret;
	size_t buf;   /* offset of the payload, 0 for NULL */
	size_t cap;
	size_t n;   /* offset of the payload, 0 for NULL */
	char erim__pad;
};

struct erim__cb_u_ptr {
	char *erim__ret;
	char erim__pad;
};

struct erim__cb_u_allow {
	long erim__ret;
	char erim__pad;
};

struct erim__cb_u_log {
	int erim__ret;
	size_t line;   /* offset of the payload, 0 for NULL */
	int level;
	char erim__pad;
};

static __attribute__((unused)) void erim__put_gt_padded(struct gt_padded *erim__d, const struct gt_padded *erim__s)
{
	erim__d->c = erim__s->c;
	erim__d->q = erim__s->q;
	erim__d->s = erim__s->s;
}

static __attribute__((unused)) void erim__put_gt_blob(struct gt_blob *erim__d, const struct gt_blob *erim__s)
{
	erim__d->tag = erim__s->tag;
	erim__d->len = erim__s->len;
	erim__d->data = erim__s->data;
}

static __attribute__((unused)) const char *erim__in_gt_blob(struct gt_blob *erim__k, const struct gt_blob *erim__u, int erim__copy, const char **erim__mem)
{
	memset(erim__k, 0, sizeof *erim__k);
	if (erim__copy)
		erim__k->tag = erim__u->tag;
	erim__k->len = erim__u->len;
	{
		size_t erim__n;
		void *erim__t;
		size_t erim__t1 = (size_t)erim__u->len;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n))
			{ *erim__mem = "data"; return "has a size that overflows size_t"; }
		if (erim__u->data) {
			const char *erim__w = erim__check(erim__u->data, erim__n);
			if (erim__w) { *erim__mem = "data"; return erim__w; }
			erim__t = erim__copy ? erim_malloc(erim__n ? erim__n : 1) : erim_calloc(1, erim__n ? erim__n : 1);
			if (!erim__t) { *erim__mem = "data"; return "cannot be copied: out of trusted memory"; }
			if (erim__copy)
				memcpy(erim__t, erim__u->data, erim__n);
			erim__k->data = erim__t;
		}
	}
	return NULL;
}

static __attribute__((unused)) void erim__free_gt_blob(struct gt_blob *erim__k)
{
	erim_free((void *)erim__k->data);
}

static __attribute__((unused)) const char *erim__out_gt_blob(struct gt_blob *erim__d, const struct gt_blob *erim__p, const struct gt_blob *erim__k, const struct gt_blob *erim__u, const char **erim__mem)
{
	erim__d->tag = erim__p->tag;
	erim__d->len = erim__u->len;
	if (erim__u->data && erim__k->data) {
		size_t erim__n;
		size_t erim__t2 = (size_t)erim__u->len;
		if (__builtin_mul_overflow(erim__t2, sizeof(uint8_t), &erim__n))
			{ *erim__mem = "data"; return "has a size that overflows size_t"; }
		memcpy((void *)erim__u->data, erim__k->data, erim__n);
	}
	erim__d->data = erim__u->data;
	(void)erim__p;
	(void)erim__mem;
	return NULL;
}

/* trusted entry of gentest.gt_sum: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_sum(void *erim__raw)
{
	struct erim__args_gt_sum erim__v;
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
		erim_refuse("gentest", "gt_sum", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* buf: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_buf = erim__t1;
		erim__e_buf = erim__t1 / sizeof(uint8_t);
		if (erim__v.buf) {
			const char *erim__w = erim__check(erim__v.buf, erim__n_buf);
			if (erim__w) { erim__arg = "buf"; erim__why = erim__w; goto erim__refused; }
			erim__p_buf = erim__n_buf <= ERIM__SMALL ? erim__s_buf : erim_malloc(erim__n_buf ? erim__n_buf : 1);
			if (!erim__p_buf)
				{ erim__arg = "buf"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_buf, erim__v.buf, erim__n_buf);
		}
	}
	erim__r = gt_sum_impl(erim__p_buf, erim__v.len);
	((struct erim__args_gt_sum *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_sum_fatal: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_sum_fatal(void *erim__raw)
{
	struct erim__args_gt_sum_fatal erim__v;
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
		erim_refuse("gentest", "gt_sum_fatal", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* buf: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_buf = erim__t1;
		erim__e_buf = erim__t1 / sizeof(uint8_t);
		if (erim__v.buf) {
			const char *erim__w = erim__check(erim__v.buf, erim__n_buf);
			if (erim__w) { erim__arg = "buf"; erim__why = erim__w; goto erim__refused; }
			erim__p_buf = erim__n_buf <= ERIM__SMALL ? erim__s_buf : erim_malloc(erim__n_buf ? erim__n_buf : 1);
			if (!erim__p_buf)
				{ erim__arg = "buf"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_buf, erim__v.buf, erim__n_buf);
		}
	}
	erim__r = gt_sum_fatal_impl(erim__p_buf, erim__v.len);
	((struct erim__args_gt_sum_fatal *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_sum_fatal", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_words: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_words(void *erim__raw)
{
	struct erim__args_gt_words erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_w = NULL;
	size_t erim__n_w = 0, erim__e_w = 0;
	unsigned char erim__s_w[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_words", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* w: in buffer */
	{
		if (erim__v.n < 0)
			{ erim__arg = "w"; erim__why = "has a negative length"; goto erim__refused; }
		size_t erim__t1 = (size_t)erim__v.n;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint32_t), &erim__n_w))
			{ erim__arg = "w"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_w = erim__t1;
		if (erim__v.w) {
			const char *erim__w = erim__check(erim__v.w, erim__n_w);
			if (erim__w) { erim__arg = "w"; erim__why = erim__w; goto erim__refused; }
			erim__p_w = erim__n_w <= ERIM__SMALL ? erim__s_w : erim_malloc(erim__n_w ? erim__n_w : 1);
			if (!erim__p_w)
				{ erim__arg = "w"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_w, erim__v.w, erim__n_w);
		}
	}
	erim__r = gt_words_impl(erim__p_w, erim__v.n);
	((struct erim__args_gt_words *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_w != (void *)erim__s_w)
		erim_free(erim__p_w);
	(void)erim__e_w;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_records: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_records(void *erim__raw)
{
	struct erim__args_gt_records erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_rec = NULL;
	size_t erim__n_rec = 0, erim__e_rec = 0;
	unsigned char erim__s_rec[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_records", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* rec: in buffer */
	{
		size_t erim__t3 = (size_t)erim__v.n;
		size_t erim__t4 = (size_t)erim__v.recsize;
		size_t erim__t2;
		if (__builtin_mul_overflow(erim__t3, erim__t4, &erim__t2))
			{ erim__arg = "rec"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		size_t erim__t5 = (size_t)16u;
		size_t erim__t1;
		if (__builtin_add_overflow(erim__t2, erim__t5, &erim__t1))
			{ erim__arg = "rec"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__n_rec = erim__t1;
		erim__e_rec = erim__t1 / 1;
		if (erim__v.rec) {
			const char *erim__w = erim__check(erim__v.rec, erim__n_rec);
			if (erim__w) { erim__arg = "rec"; erim__why = erim__w; goto erim__refused; }
			erim__p_rec = erim__n_rec <= ERIM__SMALL ? erim__s_rec : erim_malloc(erim__n_rec ? erim__n_rec : 1);
			if (!erim__p_rec)
				{ erim__arg = "rec"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_rec, erim__v.rec, erim__n_rec);
		}
	}
	erim__r = gt_records_impl(erim__p_rec, erim__v.n, erim__v.recsize);
	((struct erim__args_gt_records *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_rec != (void *)erim__s_rec)
		erim_free(erim__p_rec);
	(void)erim__e_rec;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_strlen: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_strlen(void *erim__raw)
{
	struct erim__args_gt_strlen erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_s = NULL;
	size_t erim__n_s = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_strlen", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* s: string, copied page by page, terminated */
	{
		size_t erim__t1 = (size_t)64u;
		size_t erim__max = erim__t1 < SIZE_MAX ? erim__t1 : SIZE_MAX - 1;
		if (erim__v.s) {
			const char *erim__w = erim__str_in(erim__v.s, erim__max, &erim__p_s, &erim__n_s);
			if (erim__w) { erim__arg = "s"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__r = gt_strlen_impl(erim__p_s);
	((struct erim__args_gt_strlen *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_s);
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_strlen_any: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_strlen_any(void *erim__raw)
{
	struct erim__args_gt_strlen_any erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_s = NULL;
	size_t erim__n_s = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_strlen_any", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* s: string, copied page by page, terminated */
	{
		size_t erim__max = SIZE_MAX - 1;
		if (erim__v.s) {
			const char *erim__w = erim__str_in(erim__v.s, erim__max, &erim__p_s, &erim__n_s);
			if (erim__w) { erim__arg = "s"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__r = gt_strlen_any_impl(erim__p_s);
	((struct erim__args_gt_strlen_any *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_s);
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_padded_out: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_padded_out(void *erim__raw)
{
	struct erim__args_gt_padded_out erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	void *erim__p_p = NULL;
	size_t erim__n_p = 0, erim__e_p = 0;
	unsigned char erim__s_p[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_padded_out", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* p: out buffer */
	{
		erim__n_p = sizeof(struct gt_padded);
		erim__e_p = 1;
		if (erim__v.p) {
			const char *erim__w = erim__check(erim__v.p, erim__n_p);
			if (erim__w) { erim__arg = "p"; erim__why = erim__w; goto erim__refused; }
			erim__p_p = erim__n_p <= ERIM__SMALL ? memset(erim__s_p, 0, erim__n_p) : erim_calloc(1, erim__n_p ? erim__n_p : 1);
			if (!erim__p_p)
				{ erim__arg = "p"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	gt_padded_out_impl(erim__p_p);
	for (size_t erim__i = 0; erim__p_p && erim__i < erim__e_p; erim__i++) {
		struct gt_padded erim__d;
		memset(&erim__d, 0, sizeof erim__d);
		erim__put_gt_padded(&erim__d, (const struct gt_padded *)erim__p_p + erim__i);
		memcpy((struct gt_padded *)(void *)erim__v.p + erim__i, &erim__d, sizeof erim__d);
	}
	erim__st = 0;
erim__refused:
	if (erim__p_p != (void *)erim__s_p)
		erim_free(erim__p_p);
	(void)erim__e_p;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_padded_out", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_padded_ret: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_padded_ret(void *erim__raw)
{
	struct erim__args_gt_padded_ret erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	struct gt_padded erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_padded_ret", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_padded_ret_impl();
	{
		struct gt_padded erim__d;
		memset(&erim__d, 0, sizeof erim__d);
		erim__put_gt_padded(&erim__d, &erim__r);
		memcpy(&((struct erim__args_gt_padded_ret *)erim__raw)->erim__ret, &erim__d, sizeof erim__d);
	}
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_padded_ret", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_out_untouched: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_out_untouched(void *erim__raw)
{
	struct erim__args_gt_out_untouched erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	void *erim__p_buf = NULL;
	size_t erim__n_buf = 0, erim__e_buf = 0;
	unsigned char erim__s_buf[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_out_untouched", "argument block %s", erim__why);
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
	gt_out_untouched_impl(erim__p_buf, erim__v.len);
	if (erim__p_buf)
		memcpy((void *)erim__v.buf, erim__p_buf, erim__n_buf);
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_out_untouched", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_fill: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_fill(void *erim__raw)
{
	struct erim__args_gt_fill erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_buf = NULL;
	size_t erim__n_buf = 0, erim__e_buf = 0;
	unsigned char erim__s_buf[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_n = NULL;
	size_t erim__n_n = 0, erim__e_n = 0;
	unsigned char erim__s_n[ERIM__SMALL] __attribute__((aligned(16)));
	size_t erim__f_buf = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_fill", "argument block %s", erim__why);
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
	/* n: out buffer */
	{
		erim__n_n = sizeof(size_t);
		erim__e_n = 1;
		if (erim__v.n) {
			const char *erim__w = erim__check(erim__v.n, erim__n_n);
			if (erim__w) { erim__arg = "n"; erim__why = erim__w; goto erim__refused; }
			erim__p_n = erim__n_n <= ERIM__SMALL ? memset(erim__s_n, 0, erim__n_n) : erim_calloc(1, erim__n_n ? erim__n_n : 1);
			if (!erim__p_n)
				{ erim__arg = "n"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
		}
	}
	erim__r = gt_fill_impl(erim__p_buf, erim__v.cap, erim__p_n, erim__v.want);
	if (erim__p_n) {
		size_t erim__x = *(const size_t *)erim__p_n;
		erim__f_buf = (size_t)erim__x;
	}
	if (erim__f_buf > erim__e_buf)
		erim_refuse("gentest", "gt_fill", "trusted function reported 'n' = %zu, more than the %zu elements of 'buf'", erim__f_buf, erim__e_buf);
	if (erim__p_buf)
		memcpy((void *)erim__v.buf, erim__p_buf, erim__f_buf * sizeof(uint8_t));
	if (erim__p_n)
		memcpy((void *)erim__v.n, erim__p_n, erim__n_n);
	((struct erim__args_gt_fill *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_buf != (void *)erim__s_buf)
		erim_free(erim__p_buf);
	(void)erim__e_buf;
	if (erim__p_n != (void *)erim__s_n)
		erim_free(erim__p_n);
	(void)erim__e_n;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_fill", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_blob_in: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_blob_in(void *erim__raw)
{
	struct erim__args_gt_blob_in erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	struct gt_blob *erim__u_b = NULL, *erim__k_b = NULL, *erim__p_b = NULL;
	size_t erim__n_b = 0, erim__e_b = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_blob_in", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* b: struct gt_blob, deep copy with frozen lengths */
	{
		erim__n_b = sizeof(struct gt_blob);
		erim__e_b = 1;
		if (erim__v.b) {
			const char *erim__w = erim__check(erim__v.b, erim__n_b);
			if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
			erim__u_b = erim_malloc(erim__n_b ? erim__n_b : 1);
			erim__k_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			erim__p_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			if (!erim__u_b || !erim__k_b || !erim__p_b)
				{ erim__arg = "b"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__u_b, erim__v.b, erim__n_b);
			for (size_t erim__i = 0; erim__i < erim__e_b; erim__i++) {
				erim__w = erim__in_gt_blob(&erim__k_b[erim__i], &erim__u_b[erim__i], 1, &erim__mem);
				if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
				erim__p_b[erim__i] = erim__k_b[erim__i];
			}
		}
	}
	erim__r = gt_blob_in_impl(erim__p_b);
	((struct erim__args_gt_blob_in *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	for (size_t erim__i = 0; erim__k_b && erim__i < erim__e_b; erim__i++)
		erim__free_gt_blob(&erim__k_b[erim__i]);
	erim_free(erim__u_b);
	erim_free(erim__k_b);
	erim_free(erim__p_b);
	(void)erim__e_b;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_blob_inout: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_blob_inout(void *erim__raw)
{
	struct erim__args_gt_blob_inout erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	struct gt_blob *erim__u_b = NULL, *erim__k_b = NULL, *erim__p_b = NULL;
	size_t erim__n_b = 0, erim__e_b = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_blob_inout", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* b: struct gt_blob, deep copy with frozen lengths */
	{
		size_t erim__t1 = (size_t)erim__v.n;
		if (__builtin_mul_overflow(erim__t1, sizeof(struct gt_blob), &erim__n_b))
			{ erim__arg = "b"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_b = erim__t1;
		if (erim__v.b) {
			const char *erim__w = erim__check(erim__v.b, erim__n_b);
			if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
			erim__u_b = erim_malloc(erim__n_b ? erim__n_b : 1);
			erim__k_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			erim__p_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			if (!erim__u_b || !erim__k_b || !erim__p_b)
				{ erim__arg = "b"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__u_b, erim__v.b, erim__n_b);
			for (size_t erim__i = 0; erim__i < erim__e_b; erim__i++) {
				erim__w = erim__in_gt_blob(&erim__k_b[erim__i], &erim__u_b[erim__i], 1, &erim__mem);
				if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
				erim__p_b[erim__i] = erim__k_b[erim__i];
			}
		}
	}
	erim__r = gt_blob_inout_impl(erim__p_b, erim__v.n);
	for (size_t erim__i = 0; erim__p_b && erim__i < erim__e_b; erim__i++) {
		struct gt_blob erim__d;
		const char *erim__m2;
		memset(&erim__d, 0, sizeof erim__d);
		erim__out_gt_blob(&erim__d, &erim__p_b[erim__i], &erim__k_b[erim__i], &erim__u_b[erim__i], &erim__m2);
		memcpy((struct gt_blob *)(void *)erim__v.b + erim__i, &erim__d, sizeof erim__d);
	}
	((struct erim__args_gt_blob_inout *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	for (size_t erim__i = 0; erim__k_b && erim__i < erim__e_b; erim__i++)
		erim__free_gt_blob(&erim__k_b[erim__i]);
	erim_free(erim__u_b);
	erim_free(erim__k_b);
	erim_free(erim__p_b);
	(void)erim__e_b;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of gentest.gt_upcase: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_upcase(void *erim__raw)
{
	struct erim__args_gt_upcase erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	void *erim__p_s = NULL;
	size_t erim__n_s = 0, erim__e_s = 0;
	unsigned char erim__s_s[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_upcase", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* s: in/out buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_s = erim__t1;
		erim__e_s = erim__t1 / sizeof(char);
		if (erim__v.s) {
			const char *erim__w = erim__check(erim__v.s, erim__n_s);
			if (erim__w) { erim__arg = "s"; erim__why = erim__w; goto erim__refused; }
			erim__p_s = erim__n_s <= ERIM__SMALL ? erim__s_s : erim_malloc(erim__n_s ? erim__n_s : 1);
			if (!erim__p_s)
				{ erim__arg = "s"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_s, erim__v.s, erim__n_s);
		}
	}
	gt_upcase_impl(erim__p_s, erim__v.len);
	if (erim__p_s)
		memcpy((void *)erim__v.s, erim__p_s, erim__n_s);
	erim__st = 0;
erim__refused:
	if (erim__p_s != (void *)erim__s_s)
		erim_free(erim__p_s);
	(void)erim__e_s;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_upcase", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_handle: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_handle(void *erim__raw)
{
	struct erim__args_gt_handle erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	void *erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_handle", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_handle_impl(erim__v.h, erim__v.raw);
	((struct erim__args_gt_handle *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_handle", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_call_get: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_call_get(void *erim__raw)
{
	struct erim__args_gt_call_get erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_call_get", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_call_get_impl(erim__v.cap);
	((struct erim__args_gt_call_get *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_call_get", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_call_ptr: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_call_ptr(void *erim__raw)
{
	struct erim__args_gt_call_ptr erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_call_ptr", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_call_ptr_impl();
	((struct erim__args_gt_call_ptr *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_call_ptr", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_call_allow: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_call_allow(void *erim__raw)
{
	struct erim__args_gt_call_allow erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_call_allow", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_call_allow_impl();
	((struct erim__args_gt_call_allow *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_call_allow", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_call_log: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_call_log(void *erim__raw)
{
	struct erim__args_gt_call_log erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_s = NULL;
	size_t erim__n_s = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_call_log", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* s: string, copied page by page, terminated */
	{
		size_t erim__max = SIZE_MAX - 1;
		if (erim__v.s) {
			const char *erim__w = erim__str_in(erim__v.s, erim__max, &erim__p_s, &erim__n_s);
			if (erim__w) { erim__arg = "s"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__r = gt_call_log_impl(erim__p_s);
	((struct erim__args_gt_call_log *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_s);
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_call_log", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_private: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_private(void *erim__raw)
{
	struct erim__args_gt_private erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_private", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__r = gt_private_impl();
	((struct erim__args_gt_private *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_private", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of gentest.gt_hygiene: runs in the trusted domain on the trusted stack */
static long erim__entry_gt_hygiene(void *erim__raw)
{
	struct erim__args_gt_hygiene erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_memcpy = NULL;
	size_t erim__n_memcpy = 0, erim__e_memcpy = 0;
	unsigned char erim__s_memcpy[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_strlen = NULL;
	size_t erim__n_strlen = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("gentest", "gt_hygiene", "argument block %s", erim__why);
	memcpy(&erim__v, erim__raw, sizeof erim__v);
	/* memcpy: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		erim__n_memcpy = erim__t1;
		erim__e_memcpy = erim__t1 / sizeof(uint8_t);
		if (erim__v.memcpy) {
			const char *erim__w = erim__check(erim__v.memcpy, erim__n_memcpy);
			if (erim__w) { erim__arg = "memcpy"; erim__why = erim__w; goto erim__refused; }
			erim__p_memcpy = erim__n_memcpy <= ERIM__SMALL ? erim__s_memcpy : erim_malloc(erim__n_memcpy ? erim__n_memcpy : 1);
			if (!erim__p_memcpy)
				{ erim__arg = "memcpy"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			memcpy(erim__p_memcpy, erim__v.memcpy, erim__n_memcpy);
		}
	}
	/* strlen: string, copied page by page, terminated */
	{
		size_t erim__max = SIZE_MAX - 1;
		if (erim__v.strlen) {
			const char *erim__w = erim__str_in(erim__v.strlen, erim__max, &erim__p_strlen, &erim__n_strlen);
			if (erim__w) { erim__arg = "strlen"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__r = gt_hygiene_impl(erim__p_memcpy, erim__v.len, erim__v.args, erim__v.raw, erim__v.id, erim__v.st, erim__v.i, erim__v.free, erim__v.malloc, erim__p_strlen);
	((struct erim__args_gt_hygiene *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	if (erim__p_memcpy != (void *)erim__s_memcpy)
		erim_free(erim__p_memcpy);
	(void)erim__e_memcpy;
	erim_free(erim__p_strlen);
	if (erim__st != 0) {
		erim_refuse("gentest", "gt_hygiene", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of gentest.gt_sum (untrusted side) */
long gt_sum(const uint8_t *buf, size_t len)
{
	struct erim__args_gt_sum erim__a;

	erim__a.buf = buf;
	erim__a.len = len;
	if (erim_gate_call(erim__base + erim__id_gt_sum, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_sum_fatal (untrusted side) */
long gt_sum_fatal(const uint8_t *buf, size_t len)
{
	struct erim__args_gt_sum_fatal erim__a;

	erim__a.buf = buf;
	erim__a.len = len;
	(void)erim_gate_call(erim__base + erim__id_gt_sum_fatal, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_words (untrusted side) */
long gt_words(const uint32_t *w, long n)
{
	struct erim__args_gt_words erim__a;

	erim__a.w = w;
	erim__a.n = n;
	if (erim_gate_call(erim__base + erim__id_gt_words, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_records (untrusted side) */
long gt_records(const void *rec, size_t n, size_t recsize)
{
	struct erim__args_gt_records erim__a;

	erim__a.rec = rec;
	erim__a.n = n;
	erim__a.recsize = recsize;
	if (erim_gate_call(erim__base + erim__id_gt_records, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_strlen (untrusted side) */
long gt_strlen(const char *s)
{
	struct erim__args_gt_strlen erim__a;

	erim__a.s = s;
	if (erim_gate_call(erim__base + erim__id_gt_strlen, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_strlen_any (untrusted side) */
long gt_strlen_any(const char *s)
{
	struct erim__args_gt_strlen_any erim__a;

	erim__a.s = s;
	if (erim_gate_call(erim__base + erim__id_gt_strlen_any, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_padded_out (untrusted side) */
void gt_padded_out(struct gt_padded *p)
{
	struct erim__args_gt_padded_out erim__a;

	erim__a.p = p;
	(void)erim_gate_call(erim__base + erim__id_gt_padded_out, &erim__a);
}

/* gate of gentest.gt_padded_ret (untrusted side) */
struct gt_padded gt_padded_ret(void)
{
	struct erim__args_gt_padded_ret erim__a;

	(void)erim_gate_call(erim__base + erim__id_gt_padded_ret, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_out_untouched (untrusted side) */
void gt_out_untouched(uint8_t *buf, size_t len)
{
	struct erim__args_gt_out_untouched erim__a;

	erim__a.buf = buf;
	erim__a.len = len;
	(void)erim_gate_call(erim__base + erim__id_gt_out_untouched, &erim__a);
}

/* gate of gentest.gt_fill (untrusted side) */
int gt_fill(uint8_t *buf, size_t cap, size_t *n, size_t want)
{
	struct erim__args_gt_fill erim__a;

	erim__a.buf = buf;
	erim__a.cap = cap;
	erim__a.n = n;
	erim__a.want = want;
	(void)erim_gate_call(erim__base + erim__id_gt_fill, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_blob_in (untrusted side) */
long gt_blob_in(const struct gt_blob *b)
{
	struct erim__args_gt_blob_in erim__a;

	erim__a.b = b;
	if (erim_gate_call(erim__base + erim__id_gt_blob_in, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_blob_inout (untrusted side) */
long gt_blob_inout(struct gt_blob *b, size_t n)
{
	struct erim__args_gt_blob_inout erim__a;

	erim__a.b = b;
	erim__a.n = n;
	if (erim_gate_call(erim__base + erim__id_gt_blob_inout, &erim__a) != 0)
		return (long)(-1);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_upcase (untrusted side) */
void gt_upcase(char *s, size_t len)
{
	struct erim__args_gt_upcase erim__a;

	erim__a.s = s;
	erim__a.len = len;
	(void)erim_gate_call(erim__base + erim__id_gt_upcase, &erim__a);
}

/* gate of gentest.gt_handle (untrusted side) */
void *gt_handle(void *h, int *raw)
{
	struct erim__args_gt_handle erim__a;

	erim__a.h = h;
	erim__a.raw = raw;
	(void)erim_gate_call(erim__base + erim__id_gt_handle, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_call_get (untrusted side) */
long gt_call_get(size_t cap)
{
	struct erim__args_gt_call_get erim__a;

	erim__a.cap = cap;
	(void)erim_gate_call(erim__base + erim__id_gt_call_get, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_call_ptr (untrusted side) */
long gt_call_ptr(void)
{
	struct erim__args_gt_call_ptr erim__a;

	(void)erim_gate_call(erim__base + erim__id_gt_call_ptr, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_call_allow (untrusted side) */
long gt_call_allow(void)
{
	struct erim__args_gt_call_allow erim__a;

	(void)erim_gate_call(erim__base + erim__id_gt_call_allow, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_call_log (untrusted side) */
long gt_call_log(const char *s)
{
	struct erim__args_gt_call_log erim__a;

	erim__a.s = s;
	(void)erim_gate_call(erim__base + erim__id_gt_call_log, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_private (untrusted side) */
long gt_private(void)
{
	struct erim__args_gt_private erim__a;

	(void)erim_gate_call(erim__base + erim__id_gt_private, &erim__a);
	return erim__a.erim__ret;
}

/* gate of gentest.gt_hygiene (untrusted side) */
long gt_hygiene(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int i, int free, int malloc, const char *strlen)
{
	struct erim__args_gt_hygiene erim__a;

	erim__a.memcpy = memcpy;
	erim__a.len = len;
	erim__a.args = args;
	erim__a.raw = raw;
	erim__a.id = id;
	erim__a.st = st;
	erim__a.i = i;
	erim__a.free = free;
	erim__a.malloc = malloc;
	erim__a.strlen = strlen;
	(void)erim_gate_call(erim__base + erim__id_gt_hygiene, &erim__a);
	return erim__a.erim__ret;
}

static long erim__tramp_u_get(void *erim__raw)
{
	struct erim__cb_u_get *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = u_get(erim__b->buf ? (void *)(erim__c + erim__b->buf) : NULL, erim__b->cap, erim__b->n ? (void *)(erim__c + erim__b->n) : NULL);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to gentest.u_get (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
int u_get_ocall(uint8_t *buf, size_t cap, size_t *n)
{
	struct erim__cb_u_get erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_u_get) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_buf = 0, erim__e_buf = 0, erim__o_buf = 0;
	size_t erim__n_n = 0, erim__e_n = 0, erim__o_n = 0;

	if (buf) {
		size_t erim__t1 = (size_t)cap;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n_buf))
			erim_refuse("gentest", "u_get", "argument 'buf' has a size that overflows size_t");
		erim__e_buf = erim__t1;
		if (erim__n_buf > ERIM__CB_MAX)
			erim_refuse("gentest", "u_get", "argument 'buf' is too large to cross to the untrusted stack");
		erim__o_buf = erim__total;
		erim__total += (erim__n_buf + 15u) & ~(size_t)15u;
	}
	if (n) {
		erim__n_n = sizeof(size_t);
		erim__e_n = 1;
		if (erim__n_n > ERIM__CB_MAX)
			erim_refuse("gentest", "u_get", "argument 'n' is too large to cross to the untrusted stack");
		erim__o_n = erim__total;
		erim__total += (erim__n_n + 15u) & ~(size_t)15u;
	}
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("gentest", "u_get", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("gentest", "u_get", "out of trusted memory");
	__builtin_memset(&erim__h, 0, sizeof erim__h);
	erim__h.buf = erim__o_buf;
	erim__h.cap = cap;
	erim__h.n = erim__o_n;
	__builtin_memcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_u_get, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("gentest", "u_get", "untrusted function returned a block that %s", erim__w);
	}
	__builtin_memcpy(&erim__h, erim__ub, sizeof erim__h);
	size_t erim__f_buf = erim__e_buf;
	size_t erim__fv_n = 0;
	if (n && erim__o_n) {
		__builtin_memcpy(&erim__fv_n, erim__ub + erim__o_n, sizeof erim__fv_n);
		erim__f_buf = (size_t)erim__fv_n;
	}
	if (erim__f_buf > erim__e_buf)
		erim_refuse("gentest", "u_get", "untrusted function returned 'n' = %zu, more than the %zu elements of 'buf'", erim__f_buf, erim__e_buf);
	if (buf)
		__builtin_memcpy(buf, erim__ub + erim__o_buf, erim__f_buf * sizeof(uint8_t));
	if (n && erim__o_n)
		__builtin_memcpy(n, &erim__fv_n, sizeof erim__fv_n);
	erim_free(erim__b);
	(void)erim__e_buf;
	(void)erim__e_n;
	return erim__h.erim__ret;
}

static long erim__tramp_u_ptr(void *erim__raw)
{
	struct erim__cb_u_ptr *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = u_ptr();
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to gentest.u_ptr (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
char *u_ptr_ocall(void)
{
	struct erim__cb_u_ptr erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_u_ptr) + 15u) & ~(size_t)15u;
	long erim__r;

	if (erim__total > ERIM__CB_MAX)
		erim_refuse("gentest", "u_ptr", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("gentest", "u_ptr", "out of trusted memory");
	__builtin_memset(&erim__h, 0, sizeof erim__h);
	__builtin_memcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_u_ptr, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("gentest", "u_ptr", "untrusted function returned a block that %s", erim__w);
	}
	__builtin_memcpy(&erim__h, erim__ub, sizeof erim__h);
	if (erim__h.erim__ret && erim__check(erim__h.erim__ret, 1))
		erim_refuse("gentest", "u_ptr", "untrusted function returned a pointer into trusted memory");
	erim_free(erim__b);
	return erim__h.erim__ret;
}

static long erim__tramp_u_allow(void *erim__raw)
{
	struct erim__cb_u_allow *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = u_allow();
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to gentest.u_allow (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
long u_allow_ocall(void)
{
	struct erim__cb_u_allow erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_u_allow) + 15u) & ~(size_t)15u;
	long erim__r;
	unsigned erim__allow[1] = { erim__tbase + erim__id_gt_private };

	if (erim__total > ERIM__CB_MAX)
		erim_refuse("gentest", "u_allow", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("gentest", "u_allow", "out of trusted memory");
	__builtin_memset(&erim__h, 0, sizeof erim__h);
	__builtin_memcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_u_allow, erim__b, erim__total, erim__allow, 1);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("gentest", "u_allow", "untrusted function returned a block that %s", erim__w);
	}
	__builtin_memcpy(&erim__h, erim__ub, sizeof erim__h);
	erim_free(erim__b);
	return erim__h.erim__ret;
}

static long erim__tramp_u_log(void *erim__raw)
{
	struct erim__cb_u_log *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = u_log(erim__b->line ? (void *)(erim__c + erim__b->line) : NULL, erim__b->level);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to gentest.u_log (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
int u_log_ocall(const char *line, int level)
{
	struct erim__cb_u_log erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_u_log) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_line = 0, erim__e_line = 0, erim__o_line = 0;

	if (line) {
		erim__n_line = __builtin_strlen(line) + 1;
		if (erim__n_line > ERIM__CB_MAX)
			erim_refuse("gentest", "u_log", "argument 'line' is too large to cross to the untrusted stack");
		erim__o_line = erim__total;
		erim__total += (erim__n_line + 15u) & ~(size_t)15u;
	}
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("gentest", "u_log", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("gentest", "u_log", "out of trusted memory");
	__builtin_memset(&erim__h, 0, sizeof erim__h);
	erim__h.line = erim__o_line;
	if (line)
		__builtin_memcpy(erim__b + erim__o_line, line, erim__n_line);
	erim__h.level = level;
	__builtin_memcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_u_log, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("gentest", "u_log", "untrusted function returned a block that %s", erim__w);
	}
	__builtin_memcpy(&erim__h, erim__ub, sizeof erim__h);
	erim_free(erim__b);
	(void)erim__e_line;
	return erim__h.erim__ret;
}

static const struct erim_entry erim__entries[] = {
	{ "gentest", "gt_sum", erim__entry_gt_sum, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_sum_fatal", erim__entry_gt_sum_fatal, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_words", erim__entry_gt_words, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_records", erim__entry_gt_records, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_strlen", erim__entry_gt_strlen, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_strlen_any", erim__entry_gt_strlen_any, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_padded_out", erim__entry_gt_padded_out, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_padded_ret", erim__entry_gt_padded_ret, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_out_untouched", erim__entry_gt_out_untouched, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_fill", erim__entry_gt_fill, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_blob_in", erim__entry_gt_blob_in, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_blob_inout", erim__entry_gt_blob_inout, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_upcase", erim__entry_gt_upcase, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_handle", erim__entry_gt_handle, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_call_get", erim__entry_gt_call_get, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_call_ptr", erim__entry_gt_call_ptr, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_call_allow", erim__entry_gt_call_allow, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_call_log", erim__entry_gt_call_log, ERIM_ENTRY_PUBLIC },
	{ "gentest", "gt_private", erim__entry_gt_private, 0 /* only inside an allowing callback */ },
	{ "gentest", "gt_hygiene", erim__entry_gt_hygiene, ERIM_ENTRY_PUBLIC },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: gentest: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
	erim__tbase = erim__first;
}
