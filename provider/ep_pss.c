/* SPDX-License-Identifier: MIT */
/* ep_pss.c: EMSA-PSS encoding (RFC 8017, 9.1.1) on the trusted side.
 * BearSSL 0.6 has no RSA-PSS signer, only the raw private-key operation; TLS
 * 1.3 needs PSS for every RSA key, so the encoding is done here, in trusted
 * memory (the trusted stack), and the caller applies the private operation. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "erim.h"
#include "ep_trusted.h"

/* OUT[0..n) ^= MGF1(seed, n) */
static void mgf1_xor(const br_hash_class *hc, const unsigned char *seed, size_t slen,
                     unsigned char *out, size_t n)
{
	br_hash_compat_context hctx;
	unsigned char buf[64], ctr[4];
	size_t hlen = (hc->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;
	uint32_t c;

	for (c = 0; n > 0; c++) {
		size_t i, take = n < hlen ? n : hlen;

		ctr[0] = (unsigned char)(c >> 24);
		ctr[1] = (unsigned char)(c >> 16);
		ctr[2] = (unsigned char)(c >> 8);
		ctr[3] = (unsigned char)c;
		hc->init(&hctx.vtable);
		hc->update(&hctx.vtable, seed, slen);
		hc->update(&hctx.vtable, ctr, 4);
		hc->out(&hctx.vtable, buf);
		for (i = 0; i < take; i++)
			out[i] ^= buf[i];
		out += take;
		n -= take;
	}
	ept_wipe(&hctx, sizeof hctx);
	ept_wipe(buf, sizeof buf);
}

static int fill_random(unsigned char *p, size_t n)
{
	while (n > 0) {
		/* raw system call: glibc's getrandom is a cancellation point */
		long got = erim_getrandom(p, n, 0);

		if (got < 0) {
			if (got == -EINTR)
				continue;
			return -EIO;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int ept_pss_encode(const br_hash_class *hc, const unsigned char *mhash, size_t hlen,
                   size_t saltlen, uint32_t modbits, unsigned char *out, size_t k)
{
	static const unsigned char zeros[8];
	br_hash_compat_context hctx;
	unsigned char salt[EP_MAX_SIG], h[64];
	uint32_t embits = modbits - 1;
	size_t emlen = (embits + 7) / 8, dblen;
	unsigned char *em, *db;
	int rc;

	if (hlen != ((hc->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK) ||
	    saltlen > sizeof salt || emlen > k || emlen < hlen + saltlen + 2)
		return -EINVAL;
	rc = fill_random(salt, saltlen);
	if (rc < 0)
		return rc;
	ept_fill(out, 0, k);
	em = out + (k - emlen);
	dblen = emlen - hlen - 1;
	db = em;
	/* H = Hash(00*8 || mHash || salt) */
	hc->init(&hctx.vtable);
	hc->update(&hctx.vtable, zeros, 8);
	hc->update(&hctx.vtable, mhash, hlen);
	hc->update(&hctx.vtable, salt, saltlen);
	hc->out(&hctx.vtable, h);
	/* DB = PS || 0x01 || salt, then masked */
	db[dblen - saltlen - 1] = 0x01;
	ept_copy(db + dblen - saltlen, salt, saltlen);
	mgf1_xor(hc, h, hlen, db, dblen);
	db[0] &= (unsigned char)(0xFFu >> (8 * emlen - embits));
	ept_copy(em + dblen, h, hlen);
	em[emlen - 1] = 0xbc;
	ept_wipe(&hctx, sizeof hctx);
	ept_wipe(salt, sizeof salt);
	return 0;
}
