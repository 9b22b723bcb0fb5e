/* generated from wrapper.erim by erimgen 0.1.0 — do not edit */
/* wrapper_gates.c: the trust boundary of interface wrapper -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "erim_gen.h"
#include "wrapper_erim.h"
#include "wrapper_trusted.h"

#if !defined(ERIM_GEN_ABI) || ERIM_GEN_ABI != 2
#error "wrapper_gates.c was generated for erim_gen.h ABI 2: regenerate it with the erimgen of the installed erim"
#endif

/* entry ids: erim__base plus the index */
static unsigned erim__base;
enum {
	erim__id_ini_parse = 0,
	erim__id_ini_count = 1,
};

struct erim__args_ini_parse {
	const char *text;
	size_t len;
	char *out;
	size_t cap;
	size_t *used;
	int erim__ret;
};

struct erim__args_ini_count {
	const char *section;
	long erim__ret;
};

struct erim__cb_app_warn {
	int erim__ret;
	size_t msg;   /* offset of the payload, 0 for NULL */
	int line;
	char erim__pad;
};

struct erim__cb_app_read {
	long erim__ret;
	size_t buf;   /* offset of the payload, 0 for NULL */
	size_t cap;
	size_t got;   /* offset of the payload, 0 for NULL */
	char erim__pad;
};

/* trusted entry of wrapper.ini_parse: runs in the trusted domain on the trusted stack */
static long erim__entry_ini_parse(void *erim__raw)
{
	struct erim__args_ini_parse erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_text = NULL;
	size_t erim__n_text = 0, erim__e_text = 0;
	unsigned char erim__s_text[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_out = NULL;
	size_t erim__n_out = 0, erim__e_out = 0;
	size_t erim__z_out = 0;
	unsigned char erim__s_out[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_used = NULL;
	size_t erim__n_used = 0, erim__e_used = 0;
	unsigned char erim__s_used[ERIM__SMALL] __attribute__((aligned(16)));
	size_t erim__f_out = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("wrapper", "ini_parse", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* text: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		if (erim__t1 % sizeof(char) != 0)
			{ erim__arg = "text"; erim__why = "has a size= that is not a multiple of its element size"; goto erim__refused; }
		erim__n_text = erim__t1;
		erim__e_text = erim__t1 / sizeof(char);
		if (erim__v.text) {
			const char *erim__w = erim__copy_in(erim__v.text, erim__n_text, erim__s_text, 1, &erim__p_text);
			if (erim__w) { erim__arg = "text"; erim__why = erim__w; goto erim__refused; }
		}
	}
	/* out: out buffer */
	{
		size_t erim__t2 = (size_t)erim__v.cap;
		if (__builtin_mul_overflow(erim__t2, sizeof(char), &erim__n_out))
			{ erim__arg = "out"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_out = erim__t2;
		erim__z_out = sizeof(char);
		if (erim__v.out) {
			const char *erim__w = erim__copy_in(erim__v.out, erim__n_out, erim__s_out, 0, &erim__p_out);
			if (erim__w) { erim__arg = "out"; erim__why = erim__w; goto erim__refused; }
		}
	}
	/* used: out buffer */
	{
		erim__n_used = sizeof(size_t);
		erim__e_used = 1;
		if (erim__v.used) {
			const char *erim__w = erim__copy_in(erim__v.used, erim__n_used, erim__s_used, 0, &erim__p_used);
			if (erim__w) { erim__arg = "used"; erim__why = erim__w; goto erim__refused; }
		}
	}
	if (erim__p_used && erim__n_used < sizeof(size_t))
		{ erim__arg = "used"; erim__why = "is too small to hold the count filled= names"; goto erim__refused; }
	erim__lfence();
	erim__r = __real_ini_parse(erim__p_text, erim__v.len, erim__p_out, erim__v.cap, erim__p_used);
	erim_scrub_registers();
	if (erim__p_used) {
		size_t erim__x;
		erim__mcpy(&erim__x, erim__p_used, sizeof erim__x);
		erim__f_out = (size_t)erim__x;
	}
	if (erim__f_out > erim__e_out)
		erim_refuse("wrapper", "ini_parse", "trusted function reported 'used' = %zu, more than the %zu elements of 'out'", erim__f_out, erim__e_out);
	if (erim__p_out)
		erim__cpy((void *)erim__v.out, erim__p_out, erim__f_out * erim__z_out);
	if (erim__p_used)
		erim__cpy((void *)erim__v.used, erim__p_used, erim__n_used);
	((struct erim__args_ini_parse *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_text, erim__s_text);
	(void)erim__e_text;
	erim__copy_free(erim__p_out, erim__s_out);
	(void)erim__e_out;
	erim__copy_free(erim__p_used, erim__s_used);
	(void)erim__e_used;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of wrapper.ini_count: runs in the trusted domain on the trusted stack */
static long erim__entry_ini_count(void *erim__raw)
{
	struct erim__args_ini_count erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	long erim__r;
	void *erim__p_section = NULL;
	size_t erim__n_section = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("wrapper", "ini_count", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* section: string, copied page by page, terminated */
	{
		size_t erim__t1 = (size_t)4096u;
		size_t erim__max = erim__t1 < SIZE_MAX ? erim__t1 : SIZE_MAX - 1;
		if (erim__v.section) {
			const char *erim__w = erim__str_in(erim__v.section, erim__max, &erim__p_section, &erim__n_section);
			if (erim__w) { erim__arg = "section"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__lfence();
	erim__r = __real_ini_count(erim__p_section);
	erim_scrub_registers();
	((struct erim__args_ini_count *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_section);
	if (erim__st != 0) {
		erim_refuse("wrapper", "ini_count", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of wrapper.ini_parse (untrusted side) */
int __wrap_ini_parse(const char *text, size_t len, char *out, size_t cap, size_t *used)
{
	struct erim__args_ini_parse erim__a;

	if (erim_in_trusted())
		return __real_ini_parse(text, len, out, cap, used);
	erim__a.text = text;
	erim__a.len = len;
	erim__a.out = out;
	erim__a.cap = cap;
	erim__a.used = used;
	if (erim_gate_call(erim__base + erim__id_ini_parse, &erim__a) != 0)
		return (int)(-1);
	return erim__a.erim__ret;
}

/* gate of wrapper.ini_count (untrusted side) */
long __wrap_ini_count(const char *section)
{
	struct erim__args_ini_count erim__a;

	if (erim_in_trusted())
		return __real_ini_count(section);
	erim__a.section = section;
	(void)erim_gate_call(erim__base + erim__id_ini_count, &erim__a);
	return erim__a.erim__ret;
}

static long erim__tramp_app_warn(void *erim__raw)
{
	struct erim__cb_app_warn *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = __real_app_warn(erim__b->msg ? (void *)(erim__c + erim__b->msg) : NULL, erim__b->line);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to wrapper.app_warn (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
int __wrap_app_warn(const char *msg, int line)
{
	struct erim__cb_app_warn erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_app_warn) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_msg = 0, erim__e_msg = 0, erim__o_msg = 0;

	if (!erim_in_trusted()) {	/* an untrusted caller of the library: no crossing */
		return __real_app_warn(msg, line);
	}
	if (msg) {
		erim__n_msg = erim__strlen(msg) + 1;
		if (erim__n_msg > ERIM__CB_MAX)
			erim_refuse("wrapper", "app_warn", "argument 'msg' is too large to cross to the untrusted stack");
		erim__o_msg = erim__total;
		erim__total += (erim__n_msg + 15u) & ~(size_t)15u;
	}
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("wrapper", "app_warn", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("wrapper", "app_warn", "out of trusted memory");
	erim__mset(&erim__h, 0, sizeof erim__h);
	erim__h.msg = erim__o_msg;
	if (msg)
		erim__cpy(erim__b + erim__o_msg, msg, erim__n_msg);
	erim__h.line = line;
	erim__mcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_app_warn, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("wrapper", "app_warn", "untrusted function returned a block that %s", erim__w);
	}
	erim__mcpy(&erim__h, erim__ub, sizeof erim__h);
	erim__lfence();
	erim_free(erim__b);
	(void)erim__e_msg;
	return erim__h.erim__ret;
}

static long erim__tramp_app_read(void *erim__raw)
{
	struct erim__cb_app_read *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = __real_app_read(erim__b->buf ? (void *)(erim__c + erim__b->buf) : NULL, erim__b->cap, erim__b->got ? (void *)(erim__c + erim__b->got) : NULL);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to wrapper.app_read (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
long __wrap_app_read(uint8_t *buf, size_t cap, size_t *got)
{
	struct erim__cb_app_read erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_app_read) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_buf = 0, erim__e_buf = 0, erim__o_buf = 0;
	size_t erim__z_buf = 0;
	size_t erim__n_got = 0, erim__e_got = 0, erim__o_got = 0;

	if (!erim_in_trusted()) {	/* an untrusted caller of the library: no crossing */
		return __real_app_read(buf, cap, got);
	}
	if (buf) {
		size_t erim__t1 = (size_t)cap;
		if (erim__t1 % sizeof(uint8_t) != 0)
			erim_refuse("wrapper", "app_read", "argument 'buf' has a size= that is not a multiple of its element size");
		erim__n_buf = erim__t1;
		erim__e_buf = erim__t1 / sizeof(uint8_t);
		erim__z_buf = sizeof(uint8_t);
		if (erim__n_buf > ERIM__CB_MAX)
			erim_refuse("wrapper", "app_read", "argument 'buf' is too large to cross to the untrusted stack");
		erim__o_buf = erim__total;
		erim__total += (erim__n_buf + 15u) & ~(size_t)15u;
	}
	if (got) {
		erim__n_got = sizeof(size_t);
		erim__e_got = 1;
		if (erim__n_got > ERIM__CB_MAX)
			erim_refuse("wrapper", "app_read", "argument 'got' is too large to cross to the untrusted stack");
		erim__o_got = erim__total;
		erim__total += (erim__n_got + 15u) & ~(size_t)15u;
	}
	if (got && erim__n_got < sizeof(size_t))
		erim_refuse("wrapper", "app_read", "argument 'got' is too small to hold the count filled= names");
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("wrapper", "app_read", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("wrapper", "app_read", "out of trusted memory");
	erim__mset(&erim__h, 0, sizeof erim__h);
	erim__h.buf = erim__o_buf;
	erim__h.cap = cap;
	erim__h.got = erim__o_got;
	erim__mcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_app_read, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("wrapper", "app_read", "untrusted function returned a block that %s", erim__w);
	}
	erim__mcpy(&erim__h, erim__ub, sizeof erim__h);
	size_t erim__f_buf = erim__e_buf;
	size_t erim__fv_got = 0;
	if (got && erim__o_got) {
		erim__mcpy(&erim__fv_got, erim__ub + erim__o_got, sizeof erim__fv_got);
		erim__f_buf = (size_t)erim__fv_got;
	}
	if (erim__f_buf > erim__e_buf)
		erim_refuse("wrapper", "app_read", "untrusted function returned 'got' = %zu, more than the %zu elements of 'buf'", erim__f_buf, erim__e_buf);
	erim__lfence();
	if (buf) {
		erim__cpy(buf, erim__ub + erim__o_buf, erim__f_buf * erim__z_buf);
	}
	if (got && erim__o_got)
		erim__mcpy(got, &erim__fv_got, sizeof erim__fv_got);
	erim_free(erim__b);
	(void)erim__e_buf;
	(void)erim__e_got;
	return erim__h.erim__ret;
}

static const struct erim_entry erim__entries[] = {
	{ "wrapper", "ini_parse", erim__entry_ini_parse, ERIM_ENTRY_PUBLIC },
	{ "wrapper", "ini_count", erim__entry_ini_count, ERIM_ENTRY_PUBLIC },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: wrapper: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
}
