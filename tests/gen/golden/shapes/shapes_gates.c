/* generated from shapes.erim by erimgen 0.1.0 — do not edit */
/* shapes_gates.c: the trust boundary of interface shapes -- gates, argument
 * checks and copies, callback proxies, and the registration of the trusted
 * entries.  Link it into the program together with liberim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim.h"
#include "erim_gen.h"
#include "shapes_erim.h"
#include "shapes_trusted.h"

#if !defined(ERIM_GEN_ABI) || ERIM_GEN_ABI != 2
#error "shapes_gates.c was generated for erim_gen.h ABI 2: regenerate it with the erimgen of the installed erim"
#endif

/* entry ids: erim__base plus the index */
static unsigned erim__base;
enum {
	erim__id_sh_center = 0,
	erim__id_sh_scale = 1,
	erim__id_sh_ids = 2,
	erim__id_sh_fixed = 3,
	erim__id_sh_lookup = 4,
	erim__id_sh_hygiene = 5,
};

struct erim__args_sh_center {
	const struct sh_poly *p;
	struct sh_point erim__ret;
};

struct erim__args_sh_scale {
	struct sh_poly *polys;
	size_t n;
	int32_t factor;
	int erim__ret;
};

struct erim__args_sh_ids {
	sh_id *ids;
};

struct erim__args_sh_fixed {
	const void *key;
	void *mac;
	int erim__ret;
};

struct erim__args_sh_lookup {
	void *handle;
	const void *hint;
	int erim__ret;
};

struct erim__args_sh_hygiene {
	const uint8_t *memcpy;
	size_t len;
	int args;
	int raw;
	int id;
	int st;
	int free;
	int malloc;
	const char *strlen;
	long erim__ret;
};

struct erim__cb_sh_progress {
	uint32_t done;
	uint32_t total;
	char erim__pad;
};

static __attribute__((unused)) void erim__put_sh_point(struct sh_point *erim__d, const struct sh_point *erim__s)
{
	erim__d->x = erim__s->x;
	erim__d->y = erim__s->y;
}

static __attribute__((unused)) void erim__put_sh_poly(struct sh_poly *erim__d, const struct sh_poly *erim__s)
{
	erim__d->id = erim__s->id;
	erim__d->kind = erim__s->kind;
	erim__put_sh_point(&erim__d->origin, &erim__s->origin);
	erim__mcpy(erim__d->tag, erim__s->tag, sizeof erim__d->tag);
	erim__d->npts = erim__s->npts;
	erim__d->pts = erim__s->pts;
}

static __attribute__((unused)) const char *erim__in_sh_poly(struct sh_poly *erim__k, const struct sh_poly *erim__u, int erim__copy, const char **erim__mem)
{
	erim__mset(erim__k, 0, sizeof *erim__k);
	if (erim__copy)
		erim__k->id = erim__u->id;
	if (erim__copy)
		erim__k->kind = erim__u->kind;
	if (erim__copy)
		erim__k->origin = erim__u->origin;
	if (erim__copy)
		erim__mcpy(erim__k->tag, erim__u->tag, sizeof erim__k->tag);
	erim__k->npts = erim__u->npts;
	{
		size_t erim__n;
		void *erim__t = NULL;
		size_t erim__t1 = (size_t)erim__u->npts;
		if (__builtin_mul_overflow(erim__t1, sizeof(struct sh_point), &erim__n))
			{ *erim__mem = "pts"; return "has a size that overflows size_t"; }
		if (erim__u->pts) {
			const char *erim__w = erim__copy_in(erim__u->pts, erim__n, NULL, erim__copy, &erim__t);
			if (erim__w) { *erim__mem = "pts"; return erim__w; }
			erim__k->pts = erim__t;
		}
	}
	return NULL;
}

static __attribute__((unused)) void erim__free_sh_poly(struct sh_poly *erim__k)
{
	erim_free((void *)erim__k->pts);
}

static __attribute__((unused)) const char *erim__out_sh_poly(struct sh_poly *erim__d, const struct sh_poly *erim__p, const struct sh_poly *erim__k, const struct sh_poly *erim__u, const char **erim__mem)
{
	erim__d->id = erim__p->id;
	erim__d->kind = erim__p->kind;
	erim__put_sh_point(&erim__d->origin, &erim__p->origin);
	erim__mcpy(erim__d->tag, erim__p->tag, sizeof erim__d->tag);
	erim__d->npts = erim__u->npts;
	if (erim__u->pts && erim__k->pts) {
		size_t erim__n;
		size_t erim__t2 = (size_t)erim__u->npts;
		if (__builtin_mul_overflow(erim__t2, sizeof(struct sh_point), &erim__n))
			{ *erim__mem = "pts"; return "has a size that overflows size_t"; }
		for (size_t erim__i = 0; erim__i < erim__n / sizeof(struct sh_point); erim__i++) {
			struct sh_point erim__e;
			erim__mset(&erim__e, 0, sizeof erim__e);
			erim__put_sh_point(&erim__e, (const struct sh_point *)(const void *)erim__k->pts + erim__i);
			erim__mcpy((struct sh_point *)(void *)erim__u->pts + erim__i, &erim__e, sizeof erim__e);
		}
	}
	erim__d->pts = erim__u->pts;
	(void)erim__p;
	(void)erim__mem;
	return NULL;
}

/* trusted entry of shapes.sh_center: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_center(void *erim__raw)
{
	struct erim__args_sh_center erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	struct sh_point erim__r;
	struct sh_poly *erim__u_p = NULL, *erim__k_p = NULL, *erim__p_p = NULL;
	size_t erim__n_p = 0, erim__e_p = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("shapes", "sh_center", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* p: struct sh_poly, deep copy with frozen lengths */
	{
		erim__n_p = sizeof(struct sh_poly);
		erim__e_p = 1;
		if (erim__v.p) {
			const char *erim__w = erim__check(erim__v.p, erim__n_p);
			if (erim__w) { erim__arg = "p"; erim__why = erim__w; goto erim__refused; }
			erim__lfence();   /* copy only after the check retired */
			erim__u_p = erim_malloc(erim__n_p ? erim__n_p : 1);
			erim__k_p = erim_calloc(1, erim__n_p ? erim__n_p : 1);
			erim__p_p = erim_calloc(1, erim__n_p ? erim__n_p : 1);
			if (!erim__u_p || !erim__k_p || !erim__p_p)
				{ erim__arg = "p"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			erim__cpy(erim__u_p, erim__v.p, erim__n_p);
			for (size_t erim__i = 0; erim__i < erim__n_p / sizeof(struct sh_poly); erim__i++) {
				erim__w = erim__in_sh_poly(&erim__k_p[erim__i], &erim__u_p[erim__i], 1, &erim__mem);
				if (erim__w) { erim__arg = "p"; erim__why = erim__w; goto erim__refused; }
				erim__p_p[erim__i] = erim__k_p[erim__i];
			}
		}
	}
	erim__lfence();
	erim__r = sh_center_impl(erim__p_p);
	erim_scrub_registers();
	{
		struct sh_point erim__d;
		erim__mset(&erim__d, 0, sizeof erim__d);
		erim__put_sh_point(&erim__d, &erim__r);
		erim__mcpy(&((struct erim__args_sh_center *)erim__raw)->erim__ret, &erim__d, sizeof erim__d);
	}
	erim__st = 0;
erim__refused:
	for (size_t erim__i = 0; erim__k_p && erim__i < erim__n_p / sizeof(struct sh_poly); erim__i++)
		erim__free_sh_poly(&erim__k_p[erim__i]);
	erim_free(erim__u_p);
	erim_free(erim__k_p);
	erim_free(erim__p_p);
	(void)erim__e_p;
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_center", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of shapes.sh_scale: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_scale(void *erim__raw)
{
	struct erim__args_sh_scale erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	struct sh_poly *erim__u_polys = NULL, *erim__k_polys = NULL, *erim__p_polys = NULL;
	size_t erim__n_polys = 0, erim__e_polys = 0;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("shapes", "sh_scale", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* polys: struct sh_poly, deep copy with frozen lengths */
	{
		size_t erim__t1 = (size_t)erim__v.n;
		if (__builtin_mul_overflow(erim__t1, sizeof(struct sh_poly), &erim__n_polys))
			{ erim__arg = "polys"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_polys = erim__t1;
		if (erim__v.polys) {
			const char *erim__w = erim__check(erim__v.polys, erim__n_polys);
			if (erim__w) { erim__arg = "polys"; erim__why = erim__w; goto erim__refused; }
			erim__lfence();   /* copy only after the check retired */
			erim__u_polys = erim_malloc(erim__n_polys ? erim__n_polys : 1);
			erim__k_polys = erim_calloc(1, erim__n_polys ? erim__n_polys : 1);
			erim__p_polys = erim_calloc(1, erim__n_polys ? erim__n_polys : 1);
			if (!erim__u_polys || !erim__k_polys || !erim__p_polys)
				{ erim__arg = "polys"; erim__why = "cannot be copied: out of trusted memory"; goto erim__refused; }
			erim__cpy(erim__u_polys, erim__v.polys, erim__n_polys);
			for (size_t erim__i = 0; erim__i < erim__n_polys / sizeof(struct sh_poly); erim__i++) {
				erim__w = erim__in_sh_poly(&erim__k_polys[erim__i], &erim__u_polys[erim__i], 1, &erim__mem);
				if (erim__w) { erim__arg = "polys"; erim__why = erim__w; goto erim__refused; }
				erim__p_polys[erim__i] = erim__k_polys[erim__i];
			}
		}
	}
	erim__lfence();
	erim__r = sh_scale_impl(erim__p_polys, erim__v.n, erim__v.factor);
	erim_scrub_registers();
	for (size_t erim__i = 0; erim__p_polys && erim__i < erim__n_polys / sizeof(struct sh_poly); erim__i++) {
		struct sh_poly erim__d;
		const char *erim__m2;
		erim__mset(&erim__d, 0, sizeof erim__d);
		erim__out_sh_poly(&erim__d, &erim__p_polys[erim__i], &erim__k_polys[erim__i], &erim__u_polys[erim__i], &erim__m2);
		erim__mcpy((struct sh_poly *)(void *)erim__v.polys + erim__i, &erim__d, sizeof erim__d);
	}
	((struct erim__args_sh_scale *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	for (size_t erim__i = 0; erim__k_polys && erim__i < erim__n_polys / sizeof(struct sh_poly); erim__i++)
		erim__free_sh_poly(&erim__k_polys[erim__i]);
	erim_free(erim__u_polys);
	erim_free(erim__k_polys);
	erim_free(erim__p_polys);
	(void)erim__e_polys;
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_scale", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of shapes.sh_ids: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_ids(void *erim__raw)
{
	struct erim__args_sh_ids erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	void *erim__p_ids = NULL;
	size_t erim__n_ids = 0, erim__e_ids = 0;
	unsigned char erim__s_ids[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("shapes", "sh_ids", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* ids: out buffer */
	{
		size_t erim__t1 = (size_t)4u;
		if (__builtin_mul_overflow(erim__t1, sizeof(sh_id), &erim__n_ids))
			{ erim__arg = "ids"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_ids = erim__t1;
		if (erim__v.ids) {
			const char *erim__w = erim__copy_in(erim__v.ids, erim__n_ids, erim__s_ids, 0, &erim__p_ids);
			if (erim__w) { erim__arg = "ids"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__lfence();
	sh_ids_impl(erim__p_ids);
	erim_scrub_registers();
	if (erim__p_ids)
		erim__cpy((void *)erim__v.ids, erim__p_ids, erim__n_ids);
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_ids, erim__s_ids);
	(void)erim__e_ids;
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_ids", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of shapes.sh_fixed: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_fixed(void *erim__raw)
{
	struct erim__args_sh_fixed erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;
	void *erim__p_key = NULL;
	size_t erim__n_key = 0, erim__e_key = 0;
	unsigned char erim__s_key[ERIM__SMALL] __attribute__((aligned(16)));
	void *erim__p_mac = NULL;
	size_t erim__n_mac = 0, erim__e_mac = 0;
	unsigned char erim__s_mac[ERIM__SMALL] __attribute__((aligned(16)));

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("shapes", "sh_fixed", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* key: in buffer */
	{
		size_t erim__t1 = (size_t)32u;
		if (__builtin_mul_overflow(erim__t1, sizeof(uint8_t), &erim__n_key))
			{ erim__arg = "key"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_key = erim__t1;
		if (erim__v.key) {
			const char *erim__w = erim__copy_in(erim__v.key, erim__n_key, erim__s_key, 1, &erim__p_key);
			if (erim__w) { erim__arg = "key"; erim__why = erim__w; goto erim__refused; }
		}
	}
	/* mac: out buffer */
	{
		size_t erim__t2 = (size_t)16u;
		if (__builtin_mul_overflow(erim__t2, sizeof(uint8_t), &erim__n_mac))
			{ erim__arg = "mac"; erim__why = "has a size that overflows size_t"; goto erim__refused; }
		erim__e_mac = erim__t2;
		if (erim__v.mac) {
			const char *erim__w = erim__copy_in(erim__v.mac, erim__n_mac, erim__s_mac, 0, &erim__p_mac);
			if (erim__w) { erim__arg = "mac"; erim__why = erim__w; goto erim__refused; }
		}
	}
	erim__lfence();
	erim__r = sh_fixed_impl(erim__p_key, erim__p_mac);
	erim_scrub_registers();
	if (erim__p_mac)
		erim__cpy((void *)erim__v.mac, erim__p_mac, erim__n_mac);
	((struct erim__args_sh_fixed *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_key, erim__s_key);
	(void)erim__e_key;
	erim__copy_free(erim__p_mac, erim__s_mac);
	(void)erim__e_mac;
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_fixed", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of shapes.sh_lookup: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_lookup(void *erim__raw)
{
	struct erim__args_sh_lookup erim__v;
	const char *erim__arg = NULL, *erim__mem = NULL, *erim__why = NULL;
	long erim__st = 1;
	int erim__r;

	erim__cld();
	/* the args block itself must be untrusted memory; then one fetch */
	erim__why = erim__check(erim__raw, sizeof erim__v);
	if (erim__why)
		erim_refuse("shapes", "sh_lookup", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	erim__lfence();
	erim__r = sh_lookup_impl(erim__v.handle, erim__v.hint);
	erim_scrub_registers();
	((struct erim__args_sh_lookup *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_lookup", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* trusted entry of shapes.sh_hygiene: runs in the trusted domain on the trusted stack */
static long erim__entry_sh_hygiene(void *erim__raw)
{
	struct erim__args_sh_hygiene erim__v;
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
		erim_refuse("shapes", "sh_hygiene", "argument block %s", erim__why);
	erim__mcpy(&erim__v, erim__raw, sizeof erim__v);
	/* memcpy: in buffer */
	{
		size_t erim__t1 = (size_t)erim__v.len;
		if (erim__t1 % sizeof(uint8_t) != 0)
			{ erim__arg = "memcpy"; erim__why = "has a size= that is not a multiple of its element size"; goto erim__refused; }
		erim__n_memcpy = erim__t1;
		erim__e_memcpy = erim__t1 / sizeof(uint8_t);
		if (erim__v.memcpy) {
			const char *erim__w = erim__copy_in(erim__v.memcpy, erim__n_memcpy, erim__s_memcpy, 1, &erim__p_memcpy);
			if (erim__w) { erim__arg = "memcpy"; erim__why = erim__w; goto erim__refused; }
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
	erim__lfence();
	erim__r = sh_hygiene_impl(erim__p_memcpy, erim__v.len, erim__v.args, erim__v.raw, erim__v.id, erim__v.st, erim__v.free, erim__v.malloc, erim__p_strlen);
	erim_scrub_registers();
	((struct erim__args_sh_hygiene *)erim__raw)->erim__ret = erim__r;
	erim__st = 0;
erim__refused:
	erim__copy_free(erim__p_memcpy, erim__s_memcpy);
	(void)erim__e_memcpy;
	erim_free(erim__p_strlen);
	if (erim__st != 0) {
		erim_refuse("shapes", "sh_hygiene", "argument '%s'%s%s%s %s", erim__arg,
		            erim__mem ? " member '" : "", erim__mem ? erim__mem : "",
		            erim__mem ? "'" : "", erim__why);
	}
	return 0;
}

/* gate of shapes.sh_center (untrusted side) */
struct sh_point sh_center(const struct sh_poly *p)
{
	struct erim__args_sh_center erim__a;

	erim__a.p = p;
	(void)erim_gate_call(erim__base + erim__id_sh_center, &erim__a);
	return erim__a.erim__ret;
}

/* gate of shapes.sh_scale (untrusted side) */
int sh_scale(struct sh_poly *polys, size_t n, int32_t factor)
{
	struct erim__args_sh_scale erim__a;

	erim__a.polys = polys;
	erim__a.n = n;
	erim__a.factor = factor;
	(void)erim_gate_call(erim__base + erim__id_sh_scale, &erim__a);
	return erim__a.erim__ret;
}

/* gate of shapes.sh_ids (untrusted side) */
void sh_ids(sh_id *ids)
{
	struct erim__args_sh_ids erim__a;

	erim__a.ids = ids;
	(void)erim_gate_call(erim__base + erim__id_sh_ids, &erim__a);
}

/* gate of shapes.sh_fixed (untrusted side) */
int sh_fixed(const uint8_t key[32], uint8_t mac[16])
{
	struct erim__args_sh_fixed erim__a;

	erim__a.key = key;
	erim__a.mac = mac;
	(void)erim_gate_call(erim__base + erim__id_sh_fixed, &erim__a);
	return erim__a.erim__ret;
}

/* gate of shapes.sh_lookup (untrusted side) */
int sh_lookup(void *handle, const void *hint)
{
	struct erim__args_sh_lookup erim__a;

	erim__a.handle = handle;
	erim__a.hint = hint;
	(void)erim_gate_call(erim__base + erim__id_sh_lookup, &erim__a);
	return erim__a.erim__ret;
}

/* gate of shapes.sh_hygiene (untrusted side) */
long sh_hygiene(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int free, int malloc, const char *strlen)
{
	struct erim__args_sh_hygiene erim__a;

	erim__a.memcpy = memcpy;
	erim__a.len = len;
	erim__a.args = args;
	erim__a.raw = raw;
	erim__a.id = id;
	erim__a.st = st;
	erim__a.free = free;
	erim__a.malloc = malloc;
	erim__a.strlen = strlen;
	(void)erim_gate_call(erim__base + erim__id_sh_hygiene, &erim__a);
	return erim__a.erim__ret;
}

static long erim__tramp_sh_progress(void *erim__raw)
{
	struct erim__cb_sh_progress *erim__b = erim__raw;
	char *erim__c = erim__raw;

	sh_progress(erim__b->done, erim__b->total);
	(void)erim__b;
	(void)erim__c;
	return (long)(uintptr_t)erim__raw;
}

/* proxy to shapes.sh_progress (trusted side): the untrusted function gets a copy
 * of every input; whatever comes back is checked before use */
void sh_progress_ocall(uint32_t done, uint32_t total)
{
	struct erim__cb_sh_progress erim__h;
	unsigned char *erim__b;
	const unsigned char *erim__ub;
	size_t erim__total = (sizeof(struct erim__cb_sh_progress) + 15u) & ~(size_t)15u;
	long erim__r;

	if (erim__total > ERIM__CB_MAX)
		erim_refuse("shapes", "sh_progress", "arguments too large to cross to the untrusted stack");
	erim__b = erim_calloc(1, erim__total);   /* zeroed: no trusted bytes leak */
	if (!erim__b)
		erim_refuse("shapes", "sh_progress", "out of trusted memory");
	erim__mset(&erim__h, 0, sizeof erim__h);
	erim__h.done = done;
	erim__h.total = total;
	erim__mcpy(erim__b, &erim__h, sizeof erim__h);
	erim__r = erim_callback_call(erim__tramp_sh_progress, erim__b, erim__total, NULL, 0);
	erim__cld();
	/* Iago: the returned block address is untrusted; check it, fetch once */
	erim__ub = (const unsigned char *)(uintptr_t)erim__r;
	if (erim__ub != erim__b) {
		const char *erim__w = erim__check(erim__ub, erim__total);
		if (erim__w)
			erim_refuse("shapes", "sh_progress", "untrusted function returned a block that %s", erim__w);
	}
	erim__mcpy(&erim__h, erim__ub, sizeof erim__h);
	erim__lfence();
	erim_free(erim__b);
}

static const struct erim_entry erim__entries[] = {
	{ "shapes", "sh_center", erim__entry_sh_center, ERIM_ENTRY_PUBLIC },
	{ "shapes", "sh_scale", erim__entry_sh_scale, ERIM_ENTRY_PUBLIC },
	{ "shapes", "sh_ids", erim__entry_sh_ids, ERIM_ENTRY_PUBLIC },
	{ "shapes", "sh_fixed", erim__entry_sh_fixed, ERIM_ENTRY_PUBLIC },
	{ "shapes", "sh_lookup", erim__entry_sh_lookup, ERIM_ENTRY_PUBLIC },
	{ "shapes", "sh_hygiene", erim__entry_sh_hygiene, ERIM_ENTRY_PUBLIC },
};

/* Runs before main(), hence before erim_init(): registration is refused
 * after init, and trusted globals are still writable now. */
__attribute__((constructor)) static void erim__register(void)
{
	unsigned erim__first = 0;
	int erim__rc = erim_register_entries(erim__entries, sizeof erim__entries / sizeof erim__entries[0], &erim__first);

	if (erim__rc != 0) {
		fprintf(stderr, "erim: shapes: cannot register the trusted entries (error %d)\n", -erim__rc);
		abort();
	}
	erim__base = erim__first;
}
