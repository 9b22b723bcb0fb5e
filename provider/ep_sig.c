/* SPDX-License-Identifier: MIT */
/* ep_sig.c: signatures with keys held in erim's trusted domain.  Hashing the
 * message (the TLS transcript: public data) happens here, on the untrusted
 * side; the digest crosses the gate (ep_sign) and only the signature comes
 * back.  Ed25519 hashes inside its signature, so its whole message crosses.
 * Verification is not offered: OpenSSL uses the default provider for it with
 * the exported public half. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bearssl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "ep_prov.h"
#include "erimprov_erim.h"

#define EP_SALT_DIGEST (-1)
#define EP_SALT_MAX    (-2)
#define EP_SALT_AUTO   (-3)

struct ep_sigctx {
	struct ep_key *key;
	int scheme;                 /* EP_ALG_* of this algorithm (RSA: PKCS1 or PSS) */
	int md;                     /* EP_MD_* */
	int mgf1md;                 /* EP_MD_* or EP_MD_NONE = same as md */
	int saltlen;                /* >= 0 or EP_SALT_* */
	int hashing;
	br_hash_compat_context h;
	const br_hash_class *hc;
};

static int md_from_name(const char *name)
{
	char norm[16];
	size_t i, j = 0;

	for (i = 0; name[i] && j + 1 < sizeof norm; i++) {
		if (name[i] == '-')
			continue;
		norm[j++] = (char)toupper((unsigned char)name[i]);
	}
	norm[j] = 0;
	/* SHA2-256 -> SHA2256: drop the "2" after SHA for the SHA-2 family */
	if (strncmp(norm, "SHA2", 4) == 0 && strlen(norm) == 7)
		memmove(norm + 3, norm + 4, 4);
	if (strcmp(norm, "SHA1") == 0)   return EP_MD_SHA1;
	if (strcmp(norm, "SHA224") == 0) return EP_MD_SHA224;
	if (strcmp(norm, "SHA256") == 0) return EP_MD_SHA256;
	if (strcmp(norm, "SHA384") == 0) return EP_MD_SHA384;
	if (strcmp(norm, "SHA512") == 0) return EP_MD_SHA512;
	return -1;
}

static const char *md_name(int md)
{
	static const char *names[] = { "", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };

	return md >= 0 && md <= EP_MD_SHA512 ? names[md] : "";
}

static const br_hash_class *md_class(int md)
{
	switch (md) {
	case EP_MD_SHA1:   return &br_sha1_vtable;
	case EP_MD_SHA224: return &br_sha224_vtable;
	case EP_MD_SHA256: return &br_sha256_vtable;
	case EP_MD_SHA384: return &br_sha384_vtable;
	case EP_MD_SHA512: return &br_sha512_vtable;
	default:           return NULL;
	}
}

static size_t md_len(int md)
{
	const br_hash_class *hc = md_class(md);

	return hc ? (hc->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK : 0;
}

static void *sig_newctx(void *provctx, const char *propq, int scheme)
{
	struct ep_sigctx *c = OPENSSL_zalloc(sizeof *c);

	if (c) {
		c->scheme = scheme;
		c->saltlen = EP_SALT_AUTO;
	}
	return c;
}

static void *sig_rsa_newctx(void *provctx, const char *propq) { return sig_newctx(provctx, propq, EP_ALG_RSA_PKCS1); }
static void *sig_ec_newctx(void *provctx, const char *propq) { return sig_newctx(provctx, propq, EP_ALG_ECDSA); }
static void *sig_ed_newctx(void *provctx, const char *propq) { return sig_newctx(provctx, propq, EP_ALG_ED25519); }

static void sig_freectx(void *ctx)
{
	OPENSSL_clear_free(ctx, sizeof(struct ep_sigctx));
}

static void *sig_dupctx(void *ctx)
{
	struct ep_sigctx *d = OPENSSL_malloc(sizeof *d);

	if (d)
		memcpy(d, ctx, sizeof *d);
	return d;
}

static int sig_set_ctx_params(void *vctx, const OSSL_PARAM params[]);

static int key_fits(const struct ep_sigctx *c, const struct ep_key *k)
{
	switch (c->scheme) {
	case EP_ALG_RSA_PKCS1:
	case EP_ALG_RSA_PSS: return k->type == EP_KT_RSA;
	case EP_ALG_ECDSA:   return k->type == EP_KT_EC_P256;
	default:             return k->type == EP_KT_ED25519;
	}
}

static int sig_sign_init(void *vctx, void *kd, const OSSL_PARAM params[])
{
	struct ep_sigctx *c = vctx;
	struct ep_key *k = kd;

	if (!k || k->handle < 0 || !key_fits(c, k)) {
		ep_error("this key is not usable for %s signatures", c->scheme == EP_ALG_ECDSA ? "ECDSA" :
		         c->scheme == EP_ALG_ED25519 ? "Ed25519" : "RSA");
		return 0;
	}
	c->key = k;
	c->hashing = 0;
	if (c->scheme != EP_ALG_ED25519 && c->md == 0)
		c->md = EP_MD_SHA256;
	return sig_set_ctx_params(c, params);
}

static int resolve_salt(const struct ep_sigctx *c)
{
	size_t hl = md_len(c->md), emlen = (c->key->bits - 1 + 7) / 8;
	int max = (int)emlen - (int)hl - 2;

	if (c->saltlen == EP_SALT_DIGEST)
		return (int)hl;
	if (c->saltlen == EP_SALT_MAX || c->saltlen == EP_SALT_AUTO)
		return max < EP_MAX_SIG ? max : EP_MAX_SIG;
	return c->saltlen;
}

/* Sign a digest (or, for Ed25519, the message). */
static int sig_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                    const unsigned char *tbs, size_t tbslen)
{
	struct ep_sigctx *c = vctx;
	int n, salt = 0;

	if (!c->key)
		return 0;
	if (!sig) {
		*siglen = c->key->type == EP_KT_RSA ? c->key->nlen : c->key->type == EP_KT_EC_P256 ? 72 : 64;
		return 1;
	}
	if (c->scheme == EP_ALG_RSA_PSS) {
		if (c->mgf1md != EP_MD_NONE && c->mgf1md != c->md) {
			ep_error("RSA-PSS with an MGF1 digest other than the message digest is not supported");
			return 0;
		}
		salt = resolve_salt(c);
	}
	if (c->scheme == EP_ALG_ED25519 && tbslen > EP_MAX_TBS) {
		ep_error("Ed25519 message longer than %d bytes", EP_MAX_TBS);
		return 0;
	}
	ep_gate_calls++;
	n = ep_sign(c->key->handle, c->scheme, c->scheme == EP_ALG_ED25519 ? EP_MD_NONE : c->md, salt,
	            tbs, tbslen, sig, sigsize);
	if (n <= 0) {
		ep_error("signing in the trusted domain failed: %s", strerror(-n));
		return 0;
	}
	*siglen = (size_t)n;
	return 1;
}

static int sig_digest_sign_init(void *vctx, const char *mdname, void *kd, const OSSL_PARAM params[])
{
	struct ep_sigctx *c = vctx;

	if (mdname && *mdname) {
		int md = md_from_name(mdname);

		if (md < 0 || c->scheme == EP_ALG_ED25519) {
			ep_error("digest %s is not supported with this key", mdname);
			return 0;
		}
		c->md = md;
	}
	if (!sig_sign_init(vctx, kd, params))
		return 0;
	if (c->scheme != EP_ALG_ED25519) {
		c->hc = md_class(c->md);
		c->hc->init(&c->h.vtable);
		c->hashing = 1;
	}
	return 1;
}

static int sig_digest_sign_update(void *vctx, const unsigned char *data, size_t len)
{
	struct ep_sigctx *c = vctx;

	if (!c->hashing)
		return 0;
	c->hc->update(&c->h.vtable, data, len);
	return 1;
}

static int sig_digest_sign_final(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
	struct ep_sigctx *c = vctx;
	unsigned char dg[64];

	if (!c->hashing)
		return 0;
	if (!sig)
		return sig_sign(vctx, NULL, siglen, sigsize, NULL, 0);
	c->hc->out(&c->h.vtable, dg);
	return sig_sign(vctx, sig, siglen, sigsize, dg, md_len(c->md));
}

static int sig_digest_sign(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize,
                           const unsigned char *tbs, size_t tbslen)
{
	struct ep_sigctx *c = vctx;

	if (c->scheme == EP_ALG_ED25519)
		return sig_sign(vctx, sig, siglen, sigsize, tbs, tbslen);
	if (sig && !sig_digest_sign_update(vctx, tbs, tbslen))
		return 0;
	return sig_digest_sign_final(vctx, sig, siglen, sigsize);
}

static int sig_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	struct ep_sigctx *c = vctx;
	OSSL_PARAM *p;

	if ((p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST)) &&
	    !OSSL_PARAM_set_utf8_string(p, md_name(c->md)))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PAD_MODE))) {
		int pad = c->scheme == EP_ALG_RSA_PSS ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING;

		if (p->data_type == OSSL_PARAM_INTEGER ? !OSSL_PARAM_set_int(p, pad)
		    : !OSSL_PARAM_set_utf8_string(p, pad == RSA_PKCS1_PSS_PADDING ? OSSL_PKEY_RSA_PAD_MODE_PSS
		                                                                   : OSSL_PKEY_RSA_PAD_MODE_PKCSV15))
			return 0;
	}
	return 1;
}

static const OSSL_PARAM *sig_gettable_ctx_params(void *vctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static int set_pad(struct ep_sigctx *c, const OSSL_PARAM *p)
{
	int pad = 0;
	const char *s = NULL;

	if (p->data_type == OSSL_PARAM_INTEGER) {
		if (!OSSL_PARAM_get_int(p, &pad))
			return 0;
	} else if (OSSL_PARAM_get_utf8_string_ptr(p, &s)) {
		pad = strcmp(s, OSSL_PKEY_RSA_PAD_MODE_PSS) == 0 ? RSA_PKCS1_PSS_PADDING
		    : strcmp(s, OSSL_PKEY_RSA_PAD_MODE_PKCSV15) == 0 ? RSA_PKCS1_PADDING : 0;
	}
	if (c->scheme != EP_ALG_RSA_PKCS1 && c->scheme != EP_ALG_RSA_PSS)
		return 0;
	if (pad == RSA_PKCS1_PSS_PADDING)
		c->scheme = EP_ALG_RSA_PSS;
	else if (pad == RSA_PKCS1_PADDING)
		c->scheme = EP_ALG_RSA_PKCS1;
	else {
		ep_error("RSA padding mode %s is not supported (PKCS#1 v1.5 and PSS are)", s ? s : "?");
		return 0;
	}
	return 1;
}

static int set_salt(struct ep_sigctx *c, const OSSL_PARAM *p)
{
	const char *s;

	if (p->data_type == OSSL_PARAM_INTEGER) {
		int v;

		if (!OSSL_PARAM_get_int(p, &v))
			return 0;
		c->saltlen = v == RSA_PSS_SALTLEN_DIGEST ? EP_SALT_DIGEST
		           : v == RSA_PSS_SALTLEN_MAX || v == RSA_PSS_SALTLEN_MAX_SIGN ? EP_SALT_MAX
		           : v == RSA_PSS_SALTLEN_AUTO ? EP_SALT_AUTO : v;
		return v >= RSA_PSS_SALTLEN_MAX;
	}
	if (!OSSL_PARAM_get_utf8_string_ptr(p, &s))
		return 0;
	if (strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST) == 0)
		c->saltlen = EP_SALT_DIGEST;
	else if (strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_MAX) == 0)
		c->saltlen = EP_SALT_MAX;
	else if (strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO) == 0)
		c->saltlen = EP_SALT_AUTO;
	else
		c->saltlen = atoi(s);
	return c->saltlen >= EP_SALT_AUTO;
}

static int sig_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	struct ep_sigctx *c = vctx;
	const OSSL_PARAM *p;
	const char *s;

	if (!params)
		return 1;
	if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST))) {
		int md;

		if (!OSSL_PARAM_get_utf8_string_ptr(p, &s) || (md = md_from_name(s)) < 0 ||
		    c->scheme == EP_ALG_ED25519) {
			ep_error("digest %s is not supported with this key", s ? s : "?");
			return 0;
		}
		c->md = md;
	}
	if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE)) && !set_pad(c, p))
		return 0;
	if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN)) && !set_salt(c, p))
		return 0;
	if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST))) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &s) || (c->mgf1md = md_from_name(s)) < 0)
			return 0;
	}
	return 1;
}

static const OSSL_PARAM *sig_rsa_settable(void *vctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_PROPERTIES, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const OSSL_PARAM *sig_other_settable(void *vctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

#define SIG_DISPATCH(name, newctx, settable) \
const OSSL_DISPATCH name[] = { \
	{ OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))newctx }, \
	{ OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))sig_freectx }, \
	{ OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))sig_dupctx }, \
	{ OSSL_FUNC_SIGNATURE_SIGN_INIT, (void (*)(void))sig_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_SIGN, (void (*)(void))sig_sign }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, (void (*)(void))sig_digest_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, (void (*)(void))sig_digest_sign_update }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, (void (*)(void))sig_digest_sign_final }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN, (void (*)(void))sig_digest_sign }, \
	{ OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))sig_get_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, (void (*)(void))sig_gettable_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))sig_set_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, (void (*)(void))settable }, \
	{ 0, NULL }, \
}

SIG_DISPATCH(ep_sig_rsa_functions, sig_rsa_newctx, sig_rsa_settable);
SIG_DISPATCH(ep_sig_ecdsa_functions, sig_ec_newctx, sig_other_settable);
SIG_DISPATCH(ep_sig_ed25519_functions, sig_ed_newctx, sig_other_settable);
