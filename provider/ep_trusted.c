/* SPDX-License-Identifier: MIT */
/* ep_trusted.c: the trusted component of erim's OpenSSL provider -- the
 * entries declared in erimprov.erim.  Keys live in erim_malloc'd trusted
 * memory, reached through a table in a trusted global; untrusted code holds
 * only the table index.  All crypto here is BearSSL (RSA, ECDSA P-256, the
 * hashes) and libsodium (Ed25519): neither allocates, so every byte of
 * secret state -- CRT values, the ECDSA nonce (RFC 6979, derived on the
 * stack), intermediate big numbers, the PSS salt -- lives on the trusted
 * stack or in trusted heap blocks.  No function pointer this code calls comes
 * from untrusted memory: the hash vtables and the EC implementation are
 * BearSSL's objects, linked into the trusted closure (provider/local.am), so
 * the copies used here are in erim_trusted. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "erim.h"
#include "ep_trusted.h"
#include "erimprov_trusted.h"

static ERIM_TRUSTED struct ept_key *ept_keys[EP_MAX_KEYS];
/* Untrusted code picks the handles and may call from any thread: each slot
 * counts the calls using its key (signing only reads the key, so any number
 * may run at once); ep_free marks the slot closing, waits for the count to
 * drop to zero, then takes the key out; ep_load claims an empty slot by
 * marking it closing.  (Without this a free racing a signature was a
 * use-after-free inside the trusted heap.) */
#define EPT_CLOSING 0x40000000
static ERIM_TRUSTED atomic_int ept_key_users[EP_MAX_KEYS];

/* HANDLE's key with a use counted (release with put()), or NULL */
static struct ept_key *get(int handle)
{
	int v;

	if (handle < 0 || handle >= EP_MAX_KEYS)
		return NULL;
	v = atomic_load(&ept_key_users[handle]);
	do {
		if (v & EPT_CLOSING)
			return NULL;
	} while (!atomic_compare_exchange_weak(&ept_key_users[handle], &v, v + 1));
	if (!ept_keys[handle]) {
		atomic_fetch_sub(&ept_key_users[handle], 1);
		return NULL;
	}
	return ept_keys[handle];
}

static void put(int handle)
{
	atomic_fetch_sub(&ept_key_users[handle], 1);
}

/* mark HANDLE closing and wait until no call uses it; 0, or -1 if another
 * thread is closing or claiming it */
static int close_slot(int handle)
{
	int v = atomic_load(&ept_key_users[handle]);

	do {
		if (v & EPT_CLOSING)
			return -1;
	} while (!atomic_compare_exchange_weak(&ept_key_users[handle], &v, v | EPT_CLOSING));
	while (atomic_load(&ept_key_users[handle]) != EPT_CLOSING)
		__builtin_ia32_pause();
	return 0;
}

int ep_load_impl(const char *path)
{
	struct ept_key *k;
	int i, rc;

	for (i = 0; i < EP_MAX_KEYS; i++) {
		if (ept_keys[i] || close_slot(i) < 0)
			continue;
		if (!ept_keys[i])
			break;          /* claimed: the slot stays closing until stored */
		atomic_store(&ept_key_users[i], 0);
	}
	if (i == EP_MAX_KEYS) {
		ept_logf("refusing key file %s: %d keys already loaded", path, EP_MAX_KEYS);
		return -ENOSPC;
	}
	k = erim_calloc(1, sizeof *k);
	if (!k) {
		atomic_store(&ept_key_users[i], 0);
		return -ENOMEM;
	}
	rc = ept_keyfile_load(path, k);
	if (rc < 0) {
		erim_free(k);
		atomic_store(&ept_key_users[i], 0);
		return rc;
	}
	/* the i62 code needs 64x64->128 multiplication; BearSSL says at run time */
	k->i62 = br_rsa_i62_private_get() != NULL;
	ept_keys[i] = k;
	atomic_store(&ept_key_users[i], 0);
	return i;
}

static int info_of(struct ept_key *k, uint32_t *info)
{
	info[0] = (uint32_t)k->type;
	info[1] = k->bits;
	info[2] = k->type == EP_KT_RSA ? (uint32_t)(k->nlen + k->elen)
	        : k->type == EP_KT_EC_P256 ? (uint32_t)sizeof k->ec_pub : 32u;
	info[3] = k->type == EP_KT_RSA ? (uint32_t)k->nlen : 0u;
	return 0;
}

static int public_of(struct ept_key *k, uint8_t *buf, size_t cap)
{
	switch (k->type) {
	case EP_KT_RSA:
		if (cap < k->nlen + k->elen)
			return -ENOSPC;
		ept_copy(buf, k->n, k->nlen);
		ept_copy(buf + k->nlen, k->e, k->elen);
		return (int)(k->nlen + k->elen);
	case EP_KT_EC_P256:
		if (cap < sizeof k->ec_pub)
			return -ENOSPC;
		ept_copy(buf, k->ec_pub, sizeof k->ec_pub);
		return (int)sizeof k->ec_pub;
	case EP_KT_ED25519:
		if (cap < 32)
			return -ENOSPC;
		ept_copy(buf, k->ed_sk + 32, 32);
		return 32;
	default:
		return -EINVAL;
	}
}

static const br_hash_class *hash_class(int md, const unsigned char **oid)
{
	switch (md) {
	case EP_MD_SHA1:   *oid = BR_HASH_OID_SHA1;   return &br_sha1_vtable;
	case EP_MD_SHA224: *oid = BR_HASH_OID_SHA224; return &br_sha224_vtable;
	case EP_MD_SHA256: *oid = BR_HASH_OID_SHA256; return &br_sha256_vtable;
	case EP_MD_SHA384: *oid = BR_HASH_OID_SHA384; return &br_sha384_vtable;
	case EP_MD_SHA512: *oid = BR_HASH_OID_SHA512; return &br_sha512_vtable;
	default:           *oid = NULL;               return NULL;
	}
}

static size_t hash_len(const br_hash_class *hc)
{
	return (hc->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;
}

static int sign_rsa(struct ept_key *k, int alg, const br_hash_class *hc, const unsigned char *oid,
                    int saltlen, const uint8_t *tbs, size_t len, uint8_t *sig, size_t cap)
{
	unsigned char x[EP_MAX_SIG];
	size_t hl = hash_len(hc);
	int rc = -EINVAL;

	if (len != hl || cap < k->nlen)
		return -EINVAL;
	if (alg == EP_ALG_RSA_PKCS1) {
		if ((k->i62 ? br_rsa_i62_pkcs1_sign(oid, tbs, len, &k->rsa, x)
		            : br_rsa_i31_pkcs1_sign(oid, tbs, len, &k->rsa, x)) == 1)
			rc = (int)k->nlen;
	} else if (alg == EP_ALG_RSA_PSS) {
		if (saltlen < 0 || saltlen > EP_MAX_SIG)
			return -EINVAL;
		rc = ept_pss_encode(hc, tbs, len, (size_t)saltlen, k->bits, x, k->nlen);
		if (rc == 0)
			rc = (k->i62 ? br_rsa_i62_private(x, &k->rsa) : br_rsa_i31_private(x, &k->rsa)) == 1
			     ? (int)k->nlen : -EIO;
	}
	if (rc > 0)
		ept_copy(sig, x, k->nlen);
	ept_wipe(x, sizeof x);
	return rc;
}

static int sign_with(struct ept_key *k, int alg, int hash, int saltlen, const uint8_t *tbs, size_t len,
                     uint8_t *sig, size_t cap)
{
	const unsigned char *oid;
	const br_hash_class *hc = hash_class(hash, &oid);

	switch (alg) {
	case EP_ALG_RSA_PKCS1:
	case EP_ALG_RSA_PSS:
		if (k->type != EP_KT_RSA || !hc)
			return -EINVAL;
		return sign_rsa(k, alg, hc, oid, saltlen, tbs, len, sig, cap);
	case EP_ALG_ECDSA: {
		unsigned char der[80];
		size_t n;

		if (k->type != EP_KT_EC_P256 || !hc || len != hash_len(hc))
			return -EINVAL;
		n = br_ecdsa_i31_sign_asn1(&br_ec_p256_m31, hc, tbs, &k->ec, der);
		if (n == 0 || n > cap)
			return -EIO;
		ept_copy(sig, der, n);
		return (int)n;
	}
	case EP_ALG_ED25519:
		if (k->type != EP_KT_ED25519 || cap < 64 || hash != EP_MD_NONE)
			return -EINVAL;
		return crypto_sign_detached(sig, NULL, tbs, len, k->ed_sk) == 0 ? 64 : -EIO;
	default:
		return -EINVAL;
	}
}

/* The entries: each holds a counted use of its key for the call. */
int ep_info_impl(int handle, uint32_t *info)
{
	struct ept_key *k = get(handle);
	int rc;

	if (!k)
		return -1;
	rc = info_of(k, info);
	put(handle);
	return rc;
}

int ep_public_impl(int handle, uint8_t *buf, size_t cap)
{
	struct ept_key *k = get(handle);
	int rc;

	if (!k)
		return -EINVAL;
	rc = public_of(k, buf, cap);
	put(handle);
	return rc;
}

int ep_sign_impl(int handle, int alg, int hash, int saltlen, const uint8_t *tbs, size_t len,
                 uint8_t *sig, size_t cap)
{
	struct ept_key *k = get(handle);
	int rc;

	if (!k)
		return -EINVAL;
	rc = sign_with(k, alg, hash, saltlen, tbs, len, sig, cap);
	put(handle);
	return rc;
}

int ep_free_impl(int handle)
{
	struct ept_key *k;

	if (handle < 0 || handle >= EP_MAX_KEYS || close_slot(handle) < 0)
		return -EINVAL;
	k = ept_keys[handle];
	ept_keys[handle] = NULL;
	atomic_store(&ept_key_users[handle], 0);
	if (!k)
		return -EINVAL;
	ept_wipe(k, sizeof *k);
	erim_free(k);
	return 0;
}
