/* generated from keyvault.erim by erimgen 0.1.0 — do not edit */
/* keyvault_gates.c: the trust boundary of interface keyvault -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "erim_gen.h"
#include "keyvault_erim.h"
#include "keyvault_trusted.h"

#if !defined(ERIM_GEN_ABI) || ERIM_GEN_ABI != 2
#error "keyvault_gates.c was generated for erim_gen.h ABI 2: regenerate it with the erimgen of the installed erim"
#endif

/* entry ids: erim__base (untrusted copy, used by the gates) plus the
 * index; allow lists use the trusted copy erim__tbase, which untrusted
 * code cannot redirect to another private entry */
static unsigned erim__base;
static ERIM_TRUSTED unsigned erim__tbase;
enum {
	erim__id_kv_generate = 0,
	erim__id_kv_sign = 1,
	erim__id_kv_label = 2,
	erim__id_kv_export = 3,
	erim__id_kv_put = 4,
	erim__id_kv_rotate = 5,
};

struct erim__args_kv_generate {
	int erim__ret;
};

struct erim__args_kv_sign {
	const uint8_t *msg;
	size_t len;
	uint8_t *sig;
	int erim__ret;
};

struct erim__args_kv_label {
	const char *name;
	int erim__ret;
};

struct erim__args_kv_export {
	uint8_t *buf;
	size_t cap;
	size_t *n;
	int erim__ret;
};

struct erim__args_kv_put {
	const struct kv_blob *b;
};

struct erim__args_kv_rotate {
	int erim__ret;
};

struct erim__cb_kv_log {
	size_t line;   /* offset of the payload, 0 for NULL */
	char erim__pad;
};

struct erim__cb_kv_confirm {
	int erim__ret;
	char erim__pad;
};

static __attribute__((unused)) void erim__put_kv_blob(struct kv_blob *erim__d, const struct kv_blob *erim__s)
{
	erim__d->len = erim__s->len;
	erim__d->data = erim__s->data;
}

static __attribute__((unused)) const char *erim__in_kv_blob(struct kv_blob *erim__k, const struct kv_blob *erim__u, int erim__copy, const char **erim__mem)
{
	erim__mset(erim__k, 0, sizeof *erim__k);
	erim__k->len = erim__u->len;
	{
		size_t erim__n;
		void *erim__t = NULL;
		size_t erim__t1 = (size_t)erim__u->len;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n))
			{ *erim__mem = "data"; return "has a size that overflows size_t"; }
		if (erim__u->data) {
			const char *erim__w = erim__copy_in(erim__u->data, erim__n, NULL, erim__copy, &erim__t);
			if (erim__w) { *erim__mem = "data"; return erim__w; }
			erim__k->data = erim__t;
		}
	}
	return NULL;
}

static __attribute__((unused)) void erim__free_kv_blob(struct kv_blob *erim__k)
{
	erim_free((void *)erim__k->data);
}

static __attribute__((unused)) const char *erim__out_kv_blob(struct kv_blob *erim__d, const struct kv_blob *erim__p, const struct kv_blob *erim__k, const struct kv_blob *erim__u, const char **erim__mem)
{
	erim__d->len = erim__u->len;
	if (erim__u->data && erim__k->data) {
		size_t erim__n;
		size_t erim__t2 = (size_t)erim__u->len;
		if (__builtin_mul_overflow(erim__t2, sizeof(uint8_t), &erim__n))
			{ *erim__mem = "data"; return "has a size that overflows size_t"; }
		erim__cpy((void *)erim__u->data, erim__k->data, erim__n);
	}
	erim__d->data = erim__u->data;
	(void)erim__p;
	(void)erim__mem;
	return NULL;
}

/* trusted entry of keyvault.kv_generate: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_generate(void *erim__raw)
{
	struct erim__args_kv_generate erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_generate", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__lfence();
	erim__r = kv_generate_impl();
	erim_scrub_registers();
	((struct erim__args_kv_generate *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("keyvault", "kv_generate", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of keyvault.kv_sign: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_sign(void *erim__raw)
{
	struct erim__args_kv_sign erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_msg = NULL;
	size_t erim__n_msg = 0, erim__e_msg = 0;
	unsigned char erim__s_msg[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_sig = NULL;
	size_t erim__n_sig = 0, erim__e_sig = 0;
	unsigned char erim__s_sig[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_sign", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* msg: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		if (erim__t1 % sizeof(uint8_t) != 0)
			{ erim__arg = "msg"; erim__why = "has a size= that is not a multiple of its element size"; goto erim__refused; }
		erim__n_msg = erim__t1;
		erim__e_msg = erim__t1 / sizeof(uint8_t);
		if (erim__v.msg) {
			const char *erim__w = erim__copy_in(erim__v.msg, erim__n_msg, erim__s_msg, 1, &erim__p_msg);
			if (erim__w) { erim__arg = "msg"; erim__why = erim__w; goto erim__refused; }
		}
	}
	/* sig: out buffer */
	{
		size_t erim__t2 = (size_t)64u;
		if (__builtin_mul_overflow(erim__t2, sizeof(uint8_t), &erim__n_sig))
			{ erim__arg = "sig"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_sig = erim__t2;
		if (erim__v.sig) {
			const char *erim__w = erim__copy_in(erim__v.sig, erim__n_sig, erim__s_sig, 0, &erim__p_sig);
			if (erim__w) { erim__arg = "sig"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__lfence();
	erim__r = kv_sign_impl(erim__p_msg, erim__v.len, erim__p_sig);
	erim_scrub_registers();
	if (erim__p_sig)
		erim__cpy((void *)erim__v.sig, erim__p_sig, erim__n_sig);
	((struct erim__args_kv_sign *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_msg, erim__s_msg);
	(void)erim__e_msg;
	erim__copy_free(erim__p_sig, erim__s_sig);
	(void)erim__e_sig;
	if (erim__st != 0) {
		(void)erim__arg;
		(void)erim__mem;
		return 1;   /* refused: the gate returns error() */
	}
	return 0;
}

/* trusted entry of keyvault.kv_label: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_label(void *erim__raw)
{
	struct erim__args_kv_label erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_name = NULL;
	size_t erim__n_name = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_label", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* name: string, copied page by page, terminated */
	{
		size_t erim__t1 = (size_t)256u;
		size_t erim__max = erim__t1 < SIZE_MAX ? erim__t1 : SIZE_MAX - 1;
		if (erim__v.name) {
			const char *erim__w = erim__str_in(erim__v.name, erim__max, &erim__p_name, &erim__n_name);
			if (erim__w) { erim__arg = "name"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__lfence();
	erim__r = kv_label_impl(erim__p_name);
	erim_scrub_registers();
	((struct erim__args_kv_label *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim_free(erim__p_name);
	if (erim__st != 0) {
		erim_refuse("keyvault", "kv_label", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of keyvault.kv_export: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_export(void *erim__raw)
{
	struct erim__args_kv_export erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_buf = NULL;
	size_t erim__n_buf = 0, erim__e_buf = 0;
	size_t erim__z_buf = 0;
	unsigned char erim__s_buf[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_n = NULL;
	size_t erim__n_n = 0, erim__e_n = 0;
	unsigned char erim__s_n[ERIM__SMALL] __attribute__((aligned(16)));
	size_t erim__f_buf = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_export", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* buf: out buffer */
	{
		size_t erim__t1 = (size_t)erim__v.cap;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n_buf))
			{ erim__arg = "buf"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_buf = erim__t1;
		erim__z_buf = sizeof(uint8_t);
		if (erim__v.buf) {
			const char *erim__w = erim__copy_in(erim__v.buf, erim__n_buf, erim__s_buf, 0, &erim__p_buf);
			if (erim__w) { erim__arg = "buf"; erim__why = erim__w; goto erim__refused; }
		}
	}
	/* n: out buffer */
	{
		erim__n_n = sizeof(size_t);
		erim__e_n = 1;
		if (erim__v.n) {
			const char *erim__w = erim__copy_in(erim__v.n, erim__n_n, erim__s_n, 0, &erim__p_n);
			if (erim__w) { erim__arg = "n"; erim__why = erim__w; goto erim__refused; }
		}
	}
	if (erim__p_n && erim__n_n < sizeof(size_t))
		{ erim__arg = "n"; erim__why = "is too small to hold the count filled= names"; goto erim__refused; }
	erim__lfence();
	erim__r = kv_export_impl(erim__p_buf, erim__v.cap, erim__p_n);
	erim_scrub_registers();
	if (erim__p_n) {
		size_t erim__x;
		erim__mcpy(&erim__x, erim__p_n, sizeof erim__x);
		erim__f_buf = (size_t)erim__x;
	}
	if (erim__f_buf > erim__e_buf)
		erim_refuse("keyvault", "kv_export", "trusted function reported 'n' = %zu, more than the %zu elements of 'buf'", erim__f_buf, erim__e_buf);
	if (erim__p_buf)
		erim__cpy((void *)erim__v.buf, erim__p_buf, erim__f_buf * erim__z_buf);
	if (erim__p_n)
		erim__cpy((void *)erim__v.n, erim__p_n, erim__n_n);
	((struct erim__args_kv_export *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_buf, erim__s_buf);
	(void)erim__e_buf;
	erim__copy_free(erim__p_n, erim__s_n);
	(void)erim__e_n;
	if (erim__st != 0) {
		erim_refuse("keyvault", "kv_export", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of keyvault.kv_put: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_put(void *erim__raw)
{
	struct erim__args_kv_put erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	struct kv_blob *erim__u_b = NULL, *erim__k_b = NULL, *erim__p_b = NULL;
	size_t erim__n_b = 0, erim__e_b = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_put", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* b: struct kv_blob, deep copy with frozen lengths */
	{
		erim__n_b = sizeof(struct kv_blob);
		erim__e_b = 1;
		if (erim__v.b) {
			const char *erim__w = erim__check(erim__v.b, erim__n_b);
			if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
			erim__lfence();   /* copy only after the check retired */
			erim__u_b = erim_malloc(erim__n_b ? erim__n_b : 1);
			erim__k_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			erim__p_b = erim_calloc(1, erim__n_b ? erim__n_b : 1);
			if (!erim__u_b || !erim__k_b || !erim__p_b)
				{ erim__arg = "b"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			erim__cpy(erim__u_b, erim__v.b, erim__n_b);
			for (size_t erim__i = 0; erim__i < erim__n_b / sizeof(struct kv_blob); erim__i++) {
				erim__w = erim__in_kv_blob(&erim__k_b[erim__i], &erim__u_b[erim__i], 1, &erim__mem);
				if (erim__w) { erim__arg = "b"; erim__why = erim__w; goto erim__refused; }
				erim__p_b[erim__i] = erim__k_b[erim__i];
			}
		}
	}
	erim__lfence();
	kv_put_impl(erim__p_b);
	erim__st = 0;
erim__refused:
	for (size_t erim__i = 0; erim__k_b && erim__i < erim__n_b / sizeof(struct kv_blob); erim__i++)
		erim__free_kv_blob(&erim__k_b[erim__i]);
	erim_free(erim__u_b);
	erim_free(erim__k_b);
	erim_free(erim__p_b);
	(void)erim__e_b;
	if (erim__st != 0) {
		erim_refuse("keyvault", "kv_put", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of keyvault.kv_rotate: runs in the trusted domain on the trusted stack */
static long erim__entry_kv_rotate(void *erim__raw)
{
	struct erim__args_kv_rotate erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("keyvault", "kv_rotate", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__lfence();
	erim__r = kv_rotate_impl();
	erim_scrub_registers();
	((struct erim__args_kv_rotate *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("keyvault", "kv_rotate", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of keyvault.kv_generate (untrusted side) */
int kv_generate(void)
{
	struct erim__args_kv_generate erim__a;

	(void)erim_gate_call(erim__base + erim__id_kv_generate, &erim__a);
	return erim__a.erim__ret;
}

/* gate of keyvault.kv_sign (untrusted side) */
int kv_sign(const uint8_t *msg, size_t len, uint8_t *sig)
{
	struct erim__args_kv_sign erim__a;

	erim__a.msg = msg;
	erim__a.len = len;
	erim__a.sig = sig;
	if (erim_gate_call(erim__base + erim__id_kv_sign, &erim__a) != 0)
		return (int)(-1);
	return erim__a.erim__ret;
}

/* gate of keyvault.kv_label (untrusted side) */
int kv_label(const char *name)
{
	struct erim__args_kv_label erim__a;

	erim__a.name = name;
	(void)erim_gate_call(erim__base + erim__id_kv_label, &erim__a);
	return erim__a.erim__ret;
}

/* gate of keyvault.kv_export (untrusted side) */
int kv_export(uint8_t *buf, size_t cap, size_t *n)
{
	struct erim__args_kv_export erim__a;

	erim__a.buf = buf;
	erim__a.cap = cap;
	erim__a.n = n;
	(void)erim_gate_call(erim__base + erim__id_kv_export, &erim__a);
	return erim__a.erim__ret;
}

/* gate of keyvault.kv_put (untrusted side) */
void kv_put(const struct kv_blob *b)
{
	struct erim__args_kv_put erim__a;

	erim__a.b = b;
	(void)erim_gate_call(erim__base + erim__id_kv_put, &erim__a);
}

/* gate of keyvault.kv_rotate (untrusted side) */
int kv_rotate(void)
{
	struct erim__args_kv_rotate erim__a;

	(void)erim_gate_call(erim__base + erim__id_kv_rotate, &erim__a);
	return erim__a.erim__ret;
}

static long erim__tramp_kv_log(void *erim__raw)
{
	struct erim__cb_kv_log *erim__b = erim__raw;
	char *erim__c = erim__raw;

	kv_log(erim__b->line ? (void *)(erim__c + erim__b->line) : NULL);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to keyvault.kv_log (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
void kv_log_ocall(const char *line)
{
	struct erim__cb_kv_log erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_kv_log) + 15u) & ~(size_t)15u;
	long erim__r;
	size_t erim__n_line = 0, erim__e_line = 0, erim__o_line = 0;

	if (line) {
		erim__n_line = erim__strlen(line) + 1;
		if (erim__n_line > ERIM__CB_MAX)
			erim_refuse("keyvault", "kv_log", "argument 'line' is too large to cross to the untrusted stack");
		erim__o_line = erim__total;
		erim__total += (erim__n_line + 15u) & ~(size_t)15u;
	}
	if (erim__total > ERIM__CB_MAX)
		erim_refuse("keyvault", "kv_log", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("keyvault", "kv_log", "out of trusted memory");
	erim__mset(&erim__h, 0, sizeof erim__h);
	erim__h.line = erim__o_line;
	if (line)
		erim__cpy(erim__b + erim__o_line, line, erim__n_line);
	erim__mcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_kv_log, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("keyvault", "kv_log", "untrusted function returned a block that %s", erim__w);
	}
	erim__mcpy(&erim__h, erim__ub, sizeof erim__h);
	erim__lfence();
	erim_free(erim__b);
	(void)erim__e_line;
}

static long erim__tramp_kv_confirm(void *erim__raw)
{
	struct erim__cb_kv_confirm *erim__b = erim__raw;
	char *erim__c = erim__raw;

	erim__b->erim__ret = kv_confirm();
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to keyvault.kv_confirm (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
int kv_confirm_ocall(void)
{
	struct erim__cb_kv_confirm erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_kv_confirm) + 15u) & ~(size_t)15u;
	long erim__r;
	unsigned erim__allow[1] = { erim__tbase + erim__id_kv_rotate };

	if (erim__total > ERIM__CB_MAX)
		erim_refuse("keyvault", "kv_confirm", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("keyvault", "kv_confirm", "out of trusted memory");
	erim__mset(&erim__h, 0, sizeof erim__h);
	erim__mcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_kv_confirm, erim__b, erim__total, erim__allow, 1);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("keyvault", "kv_confirm", "untrusted function returned a block that %s", erim__w);
	}
	erim__mcpy(&erim__h, erim__ub, sizeof erim__h);
	erim__lfence();
	erim_free(erim__b);
	return erim__h.erim__ret;
}

static const struct erim_entry erim__entries[] = {
	{ "keyvault", "kv_generate", erim__entry_kv_generate, ERIM_ENTRY_PUBLIC },
	{ "keyvault", "kv_sign", erim__entry_kv_sign, ERIM_ENTRY_PUBLIC },
	{ "keyvault", "kv_label", erim__entry_kv_label, ERIM_ENTRY_PUBLIC },
	{ "keyvault", "kv_export", erim__entry_kv_export, ERIM_ENTRY_PUBLIC },
	{ "keyvault", "kv_put", erim__entry_kv_put, ERIM_ENTRY_PUBLIC },
	{ "keyvault", "kv_rotate", erim__entry_kv_rotate, 0 /* only inside an allowing callback */ },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: keyvault: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
	erim__tbase = erim__first;
}
