/* SPDX-License-Identifier: MIT */
/* fz_common.h: what the generated trusted implementation (fz_impl.c) and
 * the generated untrusted driver (fz_driver.c) of a fuzz-gates interface
 * share: the checksum, the output pattern, and the log the implementation
 * writes what it received into (an untrusted global the driver reads after
 * the call).  Pure functions and declarations only. */
#ifndef FZ_COMMON_H
#define FZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FZ_LOG_MAX 64

/* defined in fz_driver.c (untrusted memory) */
extern volatile uint64_t fz_log[FZ_LOG_MAX];
extern volatile int fz_nlog;
extern volatile int fz_depth;         /* nesting of trusted implementations */
extern volatile long fz_impl_calls;
extern const char *volatile fz_impl_name;  /* the implementation running */     /* trusted implementations that ran */
extern volatile long fz_cb_calls;       /* untrusted callbacks that ran */
extern volatile int fz_cb_mode;         /* 0 normal, else a hostile callback behaviour */
extern volatile int fz_quiet_checks;    /* racing: contents are not comparable */
extern unsigned char *volatile fz_tblock;   /* an erim_malloc'd trusted block */
void fz_finding(const char *cls, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint64_t fz_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	h *= 0x100000001B3ull;
	return h ^ (h >> 29);
}

static inline uint64_t fz_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = (const unsigned char *)p;

	h = fz_mix(h, n);
	for (size_t i = 0; i < n; i++)
		h = fz_mix(h, b[i]);
	return h;
}

/* the pattern byte I of output SEED: never zero, so "nothing written"
 * (zeros) and "written" are told apart */
static inline unsigned char fz_pat(uint64_t seed, size_t i)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull + (i + 1) * 0xBF58476D1CE4E5B9ull;

	x ^= x >> 31;
	return (unsigned char)(x | 1u);
}

static inline void fz_patfill(void *p, size_t n, uint64_t seed)
{
	unsigned char *b = (unsigned char *)p;

	for (size_t i = 0; i < n; i++)
		b[i] = fz_pat(seed, i);
}

static inline int fz_patok(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = (const unsigned char *)p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != fz_pat(seed, i))
			return 0;
	return 1;
}

static inline int fz_allbytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *b = (const unsigned char *)p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

static inline void fz_rec(uint64_t v)
{
	if (fz_depth == 1 && fz_nlog < FZ_LOG_MAX)
		fz_log[fz_nlog++] = v;
}

#endif
