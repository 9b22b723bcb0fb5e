/* SPDX-License-Identifier: MIT */
/* ep_trusted.h: the trusted side's internal interface (key storage, key-file
 * parsing, EMSA-PSS).  Everything declared here runs in the trusted domain
 * and touches only trusted memory (erim_malloc, the trusted stack, the
 * ERIM_TRUSTED table in ep_trusted.c). */
#ifndef EP_TRUSTED_H
#define EP_TRUSTED_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "ep_common.h"

/* Copies, fills and compares for the trusted side, inline: glibc's memcpy,
 * memmove and memset read tuning variables from libc's writable .bss
 * (above 256 bytes), and untrusted code can rewrite them (doc/security.md,
 * "Not covered"; red team round 10).  These read nothing but their
 * arguments.  (The trusted closure, provider/local.am, would also redirect a
 * memcpy call to liberim's erim_memcpy; tests/provider/trusted_imports.sh
 * checks that none is left.) */
static inline void ept_copy(void *d, const void *s, size_t n)
{
	__asm__ volatile("cld\n\trep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static inline void ept_fill(void *d, int c, size_t n)
{
	__asm__ volatile("cld\n\trep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
}

static inline int ept_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* One loaded key; always erim_malloc'd, wiped before it is freed. */
struct ept_key {
	int type;                       /* EP_KT_* */
	int i62;                        /* BearSSL's 64-bit RSA code works on this CPU */
	uint32_t bits;
	/* RSA: the CRT private key points into rsa_buf; n and e are public */
	br_rsa_private_key rsa;
	unsigned char rsa_buf[5 * (EP_MAX_RSA_BITS / 16 + 1)];
	unsigned char n[EP_MAX_RSA_BITS / 8];
	size_t nlen;
	unsigned char e[4];
	size_t elen;
	/* EC P-256 */
	br_ec_private_key ec;
	unsigned char ec_x[32];
	unsigned char ec_pub[65];
	/* Ed25519: libsodium's seed || public key */
	unsigned char ed_sk[64];
};

/* ep_keyfile.c: read PATH (after the permission checks) and parse it into K.
 * 0 or a negative errno; on failure K holds nothing (wiped) and the reason
 * has been logged. */
int ept_keyfile_load(const char *path, struct ept_key *k);

/* ep_pss.c: EM = EMSA-PSS-ENCODE(mhash, modbits - 1) with MGF1 over the same
 * hash, written right-aligned into out[0..k) (k = modulus length).  0 or a
 * negative errno. */
int ept_pss_encode(const br_hash_class *hc, const unsigned char *mhash, size_t hlen,
                   size_t saltlen, uint32_t modbits, unsigned char *out, size_t k);

/* ep_trusted_util.c: wipe N bytes at P (not optimised away). */
void ept_wipe(void *p, size_t n);

/* ep_trusted_util.c: log a line through the untrusted side (no secrets!). */
void ept_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
