/* SPDX-License-Identifier: MIT */
/* ep_cipher.c: the TLS record layer's AEADs (AES-128-GCM, AES-256-GCM,
 * ChaCha20-Poly1305) with their keys in erim's trusted domain.  The cipher
 * context OpenSSL holds (struct ep_cctx, untrusted memory) keeps only a
 * handle to the record key and public per-record data: the nonce, the AAD
 * (the record header) and the tag.  The key, the AES key schedule, the GHASH
 * key H and the ChaCha20 key are set up once in trusted memory (ep_aead_new);
 * every record is then ONE gate call (ep_aead_run) with the record copied in
 * and out by the generated marshaller.
 *
 * What libssl 3.0 does with these ciphers, and what this file answers:
 *  - TLS 1.3: EVP_CipherInit(key) once per traffic key, then per record
 *    init(IV = static IV ^ sequence), set tag (reading), update(NULL, header)
 *    = AAD, update(record), final, get tag (writing).  AAD is buffered here;
 *    the data update is the gate call; final only reports.
 *  - TLS 1.2 AES-GCM: init(key), IV_FIXED (4 bytes; the 8-byte explicit part
 *    is a counter started at a random value when writing), then per record
 *    TLS1_AAD (13 bytes, returns the 16-byte tag as padding) and one in-place
 *    update over explicit nonce || data || tag.
 *  - TLS 1.2 ChaCha20-Poly1305: IV_FIXED (12 bytes, XORed with the sequence
 *    number from the AAD, RFC 7905), then TLS1_AAD and one update over
 *    data || tag.
 * Lengths returned match OpenSSL's default provider (decrypt: the plaintext
 * length; GCM's plaintext starts after the explicit nonce).
 *
 * A context takes one data update per nonce (one record); a second refuses
 * with a message, because the trusted side runs each record in one call. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "ep_prov.h"
#include "erimprov_erim.h"

#define TLS_AAD_LEN   13   /* EVP_AEAD_TLS1_AAD_LEN */
#define GCM_FIXED_LEN 4
#define GCM_EXPL_LEN  8
#define TAG_LEN       16
#define NONCE_LEN     12

unsigned long ep_record_calls;

struct ep_cctx {
	int alg;                        /* EP_AEAD_* */
	size_t keylen;
	int handle;                     /* trusted record key, or -1 */
	int enc;
	unsigned char iv[NONCE_LEN];
	int iv_set;
	unsigned char aad[EP_AEAD_MAX_AAD];
	size_t aadlen;
	unsigned char tag[TAG_LEN];     /* set (reading) or computed (writing) */
	int tag_set;                    /* the caller gave the tag before the data */
	unsigned char late_tag[TAG_LEN];/* OPEN_LATE: the tag the record should have */
	int late;
	int done;                       /* this nonce's data update ran */
	int ok;                         /* its result */
	/* TLS 1.2 */
	unsigned char tls_aad[TLS_AAD_LEN];
	int tls_aad_set;
	size_t tls_payload;             /* ChaCha20: payload length from the AAD */
	int iv_gen;                     /* GCM: fixed part set, explicit part counts */
};

static int cfail(const char *what)
{
	ep_error("record cipher: %s", what);
	return 0;
}

static void *cnew(int alg, size_t keylen)
{
	struct ep_cctx *c = OPENSSL_zalloc(sizeof *c);

	if (!c)
		return NULL;
	c->alg = alg;
	c->keylen = keylen;
	c->handle = -1;
	return c;
}
static void *new_aes128(void *p) { (void)p; return cnew(EP_AEAD_AES128GCM, 16); }
static void *new_aes256(void *p) { (void)p; return cnew(EP_AEAD_AES256GCM, 32); }
static void *new_chacha(void *p) { (void)p; return cnew(EP_AEAD_CHACHAPOLY, 32); }

static void drop_key(struct ep_cctx *c)
{
	if (c->handle >= 0)
		ep_aead_free(c->handle);
	c->handle = -1;
}

static void cfree(void *vc)
{
	struct ep_cctx *c = vc;

	if (!c)
		return;
	drop_key(c);
	OPENSSL_clear_free(c, sizeof *c);
}

static void *cdup(void *vc)
{
	struct ep_cctx *c = vc, *n = OPENSSL_malloc(sizeof *n);

	if (!n)
		return NULL;
	memcpy(n, c, sizeof *n);
	if (c->handle >= 0) {
		n->handle = ep_aead_dup(c->handle);
		if (n->handle < 0) {
			OPENSSL_free(n);
			cfail("cannot copy the trusted record key");
			return NULL;
		}
	}
	return n;
}

static void new_record(struct ep_cctx *c)
{
	c->aadlen = 0;
	c->tag_set = 0;
	c->late = 0;
	c->done = 0;
	c->ok = 0;
}

static int cset_ctx_params(void *vc, const OSSL_PARAM params[]);

static int cinit(struct ep_cctx *c, const unsigned char *key, size_t keylen, const unsigned char *iv,
                 size_t ivlen, const OSSL_PARAM params[], int enc)
{
	int h;

	c->enc = enc;
	if (key) {
		if (keylen != c->keylen)
			return cfail("wrong key length");
		/* the key crosses once, copied into trusted memory; the caller's
		 * buffer is libssl's (which wipes it) */
		h = ep_aead_new(c->alg, key, keylen);
		ep_record_calls++;
		if (h < 0)
			return cfail(h == -ENOSPC ? "too many record keys in the trusted table"
			                          : "the trusted side refused the record key");
		drop_key(c);
		c->handle = h;
		c->iv_set = 0;
		c->iv_gen = 0;
		c->tls_aad_set = 0;
	}
	if (iv) {
		if (ivlen != NONCE_LEN)
			return cfail("only 12-byte nonces are supported");
		memcpy(c->iv, iv, NONCE_LEN);
		c->iv_set = 1;
	}
	new_record(c);
	return cset_ctx_params(c, params);
}

static int einit(void *vc, const unsigned char *key, size_t keylen, const unsigned char *iv, size_t ivlen,
                 const OSSL_PARAM params[])
{
	return cinit(vc, key, keylen, iv, ivlen, params, 1);
}

static int dinit(void *vc, const unsigned char *key, size_t keylen, const unsigned char *iv, size_t ivlen,
                 const OSSL_PARAM params[])
{
	return cinit(vc, key, keylen, iv, ivlen, params, 0);
}

/* The one gate call of a record. */
static int run(struct ep_cctx *c, int mode, const unsigned char *nonce, const unsigned char *aad, size_t aadlen,
               const unsigned char *in, unsigned char *out, size_t len, unsigned char *tag)
{
	unsigned char none[1] = { 0 };
	int rc;

	if (len > EP_AEAD_MAX_DATA)
		return cfail("record longer than 64 KiB");
	ep_record_calls++;
	rc = ep_aead_run(c->handle, mode, nonce, aadlen ? aad : none, aadlen, len ? in : none,
	                 len ? out : none, len, tag);
	return rc;
}

/* TLS 1.2: one in-place update over the whole record (after TLS1_AAD). */
static int tls12_record(struct ep_cctx *c, unsigned char *out, size_t *outl, const unsigned char *in, size_t len)
{
	unsigned char nonce[NONCE_LEN], tag[TAG_LEN];
	size_t dlen, i;
	int rc;

	c->tls_aad_set = 0;
	if (in != out)
		return cfail("TLS records are processed in place");
	if (c->alg == EP_AEAD_CHACHAPOLY) {
		if (len != c->tls_payload + TAG_LEN || !c->iv_set)
			return cfail("TLS record length does not match its header");
		memcpy(nonce, c->iv, NONCE_LEN);
		for (i = 0; i < 8; i++)
			nonce[4 + i] ^= c->tls_aad[i];
		dlen = c->tls_payload;
		if (c->enc) {
			rc = run(c, EP_AEAD_SEAL, nonce, c->tls_aad, TLS_AAD_LEN, in, out, dlen, tag);
			if (rc < 0)
				return cfail("the trusted side refused the record");
			memcpy(out + dlen, tag, TAG_LEN);
			*outl = len;
			return 1;
		}
		memcpy(tag, in + dlen, TAG_LEN);
		rc = run(c, EP_AEAD_OPEN, nonce, c->tls_aad, TLS_AAD_LEN, in, out, dlen, tag);
		*outl = rc < 0 ? 0 : dlen;
		return rc == 0;
	}
	/* AES-GCM: explicit nonce || data || tag */
	if (len < GCM_EXPL_LEN + TAG_LEN || !c->iv_set)
		return 0;
	dlen = len - GCM_EXPL_LEN - TAG_LEN;
	if (c->enc) {
		if (!c->iv_gen)
			return cfail("TLS 1.2 GCM record without a fixed IV");
		memcpy(nonce, c->iv, NONCE_LEN);
		memcpy(out, c->iv + GCM_FIXED_LEN, GCM_EXPL_LEN);
		/* the explicit part counts up (never repeats under this key) */
		for (i = NONCE_LEN; i-- > GCM_FIXED_LEN;)
			if (++c->iv[i] != 0)
				break;
		rc = run(c, EP_AEAD_SEAL, nonce, c->tls_aad, TLS_AAD_LEN, in + GCM_EXPL_LEN, out + GCM_EXPL_LEN,
		         dlen, tag);
		if (rc < 0)
			return cfail("the trusted side refused the record");
		memcpy(out + GCM_EXPL_LEN + dlen, tag, TAG_LEN);
		*outl = len;
		return 1;
	}
	memcpy(nonce, c->iv, GCM_FIXED_LEN);
	memcpy(nonce + GCM_FIXED_LEN, in, GCM_EXPL_LEN);
	memcpy(tag, in + GCM_EXPL_LEN + dlen, TAG_LEN);
	rc = run(c, EP_AEAD_OPEN, nonce, c->tls_aad, TLS_AAD_LEN, in + GCM_EXPL_LEN, out + GCM_EXPL_LEN, dlen, tag);
	*outl = rc < 0 ? 0 : dlen;
	return rc == 0;
}

static int cupdate(void *vc, unsigned char *out, size_t *outl, size_t outsize, const unsigned char *in, size_t inl)
{
	struct ep_cctx *c = vc;
	int rc;

	*outl = 0;
	if (c->handle < 0)
		return cfail("no key set");
	if (c->tls_aad_set) {
		if (outsize < inl)
			return cfail("output buffer too small");
		return tls12_record(c, out, outl, in, inl);
	}
	if (!out) {     /* additional authenticated data */
		if (c->done)
			return cfail("AAD after the data of a record");
		if (inl > sizeof c->aad - c->aadlen)
			return cfail("more than 256 bytes of AAD");
		memcpy(c->aad + c->aadlen, in, inl);
		c->aadlen += inl;
		*outl = inl;
		return 1;
	}
	if (!c->iv_set)
		return cfail("no nonce set");
	if (c->done)
		return cfail("one data update per nonce (set a new IV for the next record)");
	if (outsize < inl)
		return cfail("output buffer too small");
	c->done = 1;
	if (c->enc) {
		rc = run(c, EP_AEAD_SEAL, c->iv, c->aad, c->aadlen, in, out, inl, c->tag);
	} else if (c->tag_set) {
		rc = run(c, EP_AEAD_OPEN, c->iv, c->aad, c->aadlen, in, out, inl, c->tag);
	} else {
		/* the tag comes later (EVP's usual decrypt order): the trusted side
		 * returns the tag the record must carry; final compares */
		c->late = 1;
		rc = run(c, EP_AEAD_OPEN_LATE, c->iv, c->aad, c->aadlen, in, out, inl, c->late_tag);
	}
	c->ok = rc == 0;
	if (rc < 0)
		return 0;
	*outl = inl;
	return 1;
}

static int cfinal(void *vc, unsigned char *out, size_t *outl, size_t outsize)
{
	struct ep_cctx *c = vc;
	unsigned char dummy[1] = { 0 };
	size_t n;

	(void)out; (void)outsize;
	*outl = 0;
	if (c->handle < 0)
		return cfail("no key set");
	if (!c->done) {         /* a record of AAD only */
		if (!c->iv_set)
			return cfail("no nonce set");
		if (!cupdate(c, dummy, &n, 0, dummy, 0))
			return 0;
	}
	if (c->late) {
		if (!c->tag_set)
			return cfail("no tag set to check the record against");
		return c->ok && CRYPTO_memcmp(c->late_tag, c->tag, TAG_LEN) == 0;
	}
	return c->ok;
}

static int ccipher(void *vc, unsigned char *out, size_t *outl, size_t outsize, const unsigned char *in, size_t inl)
{
	struct ep_cctx *c = vc;

	if (!in)
		return cfinal(vc, out, outl, outsize);
	return cupdate(c, out, outl, outsize, in, inl);
}

/* ---- parameters ---- */

static int get_params_alg(OSSL_PARAM params[], unsigned mode, size_t keylen)
{
	OSSL_PARAM *p;

	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_MODE)) && !OSSL_PARAM_set_uint(p, mode))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN)) && !OSSL_PARAM_set_size_t(p, keylen))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN)) && !OSSL_PARAM_set_size_t(p, NONCE_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_BLOCK_SIZE)) && !OSSL_PARAM_set_size_t(p, 1))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD)) && !OSSL_PARAM_set_int(p, 1))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_CUSTOM_IV)) && !OSSL_PARAM_set_int(p, 1))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_CTS)) && !OSSL_PARAM_set_int(p, 0))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK)) && !OSSL_PARAM_set_int(p, 0))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_HAS_RAND_KEY)) && !OSSL_PARAM_set_int(p, 0))
		return 0;
	return 1;
}
static int gp_aes128(OSSL_PARAM params[]) { return get_params_alg(params, EVP_CIPH_GCM_MODE, 16); }
static int gp_aes256(OSSL_PARAM params[]) { return get_params_alg(params, EVP_CIPH_GCM_MODE, 32); }
static int gp_chacha(OSSL_PARAM params[]) { return get_params_alg(params, 0, 32); }

static const OSSL_PARAM *gettable_params(void *p)
{
	static const OSSL_PARAM t[] = {
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_MODE, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_BLOCK_SIZE, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_AEAD, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_CUSTOM_IV, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_CTS, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_HAS_RAND_KEY, NULL),
		OSSL_PARAM_END,
	};
	(void)p;
	return t;
}

static int cget_ctx_params(void *vc, OSSL_PARAM params[])
{
	struct ep_cctx *c = vc;
	OSSL_PARAM *p;

	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN)) && !OSSL_PARAM_set_size_t(p, c->keylen))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN)) && !OSSL_PARAM_set_size_t(p, NONCE_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAGLEN)) && !OSSL_PARAM_set_size_t(p, TAG_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TLS1_AAD_PAD)) &&
	    !OSSL_PARAM_set_size_t(p, TAG_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IV)) &&
	    !OSSL_PARAM_set_octet_string(p, c->iv, NONCE_LEN) && !OSSL_PARAM_set_octet_ptr(p, c->iv, NONCE_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_UPDATED_IV)) &&
	    !OSSL_PARAM_set_octet_string(p, c->iv, NONCE_LEN) && !OSSL_PARAM_set_octet_ptr(p, c->iv, NONCE_LEN))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAG))) {
		if (!c->enc || !c->done || p->data_size == 0 || p->data_size > TAG_LEN)
			return cfail("the tag is available after encrypting a record");
		if (p->data_type != OSSL_PARAM_OCTET_STRING)
			return 0;
		memcpy(p->data, c->tag, p->data_size);
		p->return_size = p->data_size;
	}
	return 1;
}

static const OSSL_PARAM *gettable_ctx_params(void *vc, void *p)
{
	static const OSSL_PARAM t[] = {
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_TAGLEN, NULL),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_IV, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_TLS1_AAD_PAD, NULL),
		OSSL_PARAM_END,
	};
	(void)vc; (void)p;
	return t;
}

/* TLS1_AAD: the 13-byte record header; its length field is corrected to the
 * payload's (without explicit nonce and, when reading, the tag). */
static int set_tls_aad(struct ep_cctx *c, const unsigned char *aad, size_t n)
{
	size_t len;

	if (n != TLS_AAD_LEN)
		return cfail("TLS AAD must be 13 bytes");
	memcpy(c->tls_aad, aad, TLS_AAD_LEN);
	len = (size_t)aad[11] << 8 | aad[12];
	if (c->alg != EP_AEAD_CHACHAPOLY) {
		if (len < GCM_EXPL_LEN)
			return 0;
		len -= GCM_EXPL_LEN;
	}
	if (!c->enc) {
		if (len < TAG_LEN)
			return 0;
		len -= TAG_LEN;
	}
	c->tls_aad[11] = (unsigned char)(len >> 8);
	c->tls_aad[12] = (unsigned char)len;
	c->tls_payload = len;
	c->tls_aad_set = 1;
	return 1;
}

static int set_iv_fixed(struct ep_cctx *c, const unsigned char *iv, size_t n)
{
	if (n == NONCE_LEN) {
		memcpy(c->iv, iv, NONCE_LEN);
	} else if (c->alg != EP_AEAD_CHACHAPOLY && n == GCM_FIXED_LEN) {
		memcpy(c->iv, iv, GCM_FIXED_LEN);
		/* the explicit part (public, sent with each record) starts at a
		 * random value, as OpenSSL's own provider does */
		if (c->enc && RAND_bytes(c->iv + GCM_FIXED_LEN, GCM_EXPL_LEN) <= 0)
			return cfail("no random bytes for the explicit nonce");
	} else {
		return cfail("unsupported fixed IV length");
	}
	c->iv_set = 1;
	c->iv_gen = 1;
	return 1;
}

static int cset_ctx_params(void *vc, const OSSL_PARAM params[])
{
	struct ep_cctx *c = vc;
	const OSSL_PARAM *p;
	size_t sz;

	if (!params)
		return 1;
	if ((p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TAG))) {
		if (p->data_type != OSSL_PARAM_OCTET_STRING)
			return 0;
		if (p->data) {
			if (p->data_size != TAG_LEN || c->enc)
				return cfail("only 16-byte tags, when decrypting");
			memcpy(c->tag, p->data, TAG_LEN);
			c->tag_set = 1;
		} else if (p->data_size != TAG_LEN) {
			return cfail("only 16-byte tags");
		}
	}
	if ((p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_IVLEN))) {
		if (!OSSL_PARAM_get_size_t(p, &sz) || sz != NONCE_LEN)
			return cfail("only 12-byte nonces are supported");
	}
	if ((p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_KEYLEN))) {
		if (!OSSL_PARAM_get_size_t(p, &sz) || sz != c->keylen)
			return cfail("the key length is fixed");
	}
	if ((p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TLS1_AAD))) {
		if (p->data_type != OSSL_PARAM_OCTET_STRING || !set_tls_aad(c, p->data, p->data_size))
			return 0;
	}
	if ((p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED))) {
		if (p->data_type != OSSL_PARAM_OCTET_STRING || !set_iv_fixed(c, p->data, p->data_size))
			return 0;
	}
	/* others (OSSL_CIPHER_PARAM_TLS_VERSION, TLS_MAC_SIZE from libssl) do
	 * not concern an AEAD */
	return 1;
}

static const OSSL_PARAM *settable_ctx_params(void *vc, void *p)
{
	static const OSSL_PARAM t[] = {
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, NULL),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_AAD, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, NULL, 0),
		OSSL_PARAM_END,
	};
	(void)vc; (void)p;
	return t;
}

#define EP_CIPHER_DISPATCH(NAME, NEW, GP) \
const OSSL_DISPATCH NAME[] = { \
	{ OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))NEW }, \
	{ OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))cfree }, \
	{ OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))cdup }, \
	{ OSSL_FUNC_CIPHER_ENCRYPT_INIT, (void (*)(void))einit }, \
	{ OSSL_FUNC_CIPHER_DECRYPT_INIT, (void (*)(void))dinit }, \
	{ OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))cupdate }, \
	{ OSSL_FUNC_CIPHER_FINAL, (void (*)(void))cfinal }, \
	{ OSSL_FUNC_CIPHER_CIPHER, (void (*)(void))ccipher }, \
	{ OSSL_FUNC_CIPHER_GET_PARAMS, (void (*)(void))GP }, \
	{ OSSL_FUNC_CIPHER_GETTABLE_PARAMS, (void (*)(void))gettable_params }, \
	{ OSSL_FUNC_CIPHER_GET_CTX_PARAMS, (void (*)(void))cget_ctx_params }, \
	{ OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS, (void (*)(void))gettable_ctx_params }, \
	{ OSSL_FUNC_CIPHER_SET_CTX_PARAMS, (void (*)(void))cset_ctx_params }, \
	{ OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS, (void (*)(void))settable_ctx_params }, \
	{ 0, NULL }, \
}

EP_CIPHER_DISPATCH(ep_cipher_aes128gcm_functions, new_aes128, gp_aes128);
EP_CIPHER_DISPATCH(ep_cipher_aes256gcm_functions, new_aes256, gp_aes256);
EP_CIPHER_DISPATCH(ep_cipher_chachapoly_functions, new_chacha, gp_chacha);
