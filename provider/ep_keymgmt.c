/* SPDX-License-Identifier: MIT */
/* ep_keymgmt.c: key management for keys held in erim's trusted domain.
 * OpenSSL gets the public half (for certificate matching, key sizes, the
 * TLS group checks) and a handle; export hands out the public half only, so
 * an EVP_PKEY copied into another provider can verify but never sign. */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "ep_prov.h"
#include "erimprov_erim.h"

const char *ep_keytype_name(int type)
{
	switch (type) {
	case EP_KT_RSA:      return "RSA";
	case EP_KT_EC_P256:  return "EC";
	case EP_KT_ED25519:  return "ED25519";
	default:             return "?";
	}
}

static const char *errno_text(int e)
{
	switch (e) {
	case EACCES:  return "refused: unsafe ownership or permissions of the key file";
	case ENOENT:  return "the key file does not exist";
	case EBADMSG: return "the key file is malformed";
	case ENOTSUP: return "unsupported key (type, size or encryption)";
	case ENOSPC:  return "too many keys loaded";
	case ENOMEM:  return "out of trusted memory";
	default:      return strerror(e);
	}
}

struct ep_key *ep_key_load(const char *path, int want_type)
{
	struct ep_key *k;
	uint32_t info[4];
	int h = ep_load(path), n;

	if (h < 0) {
		ep_error("cannot load private key %s into trusted memory: %s", path, errno_text(-h));
		return NULL;
	}
	k = OPENSSL_zalloc(sizeof *k);
	if (!k || ep_info(h, info) != 0) {
		ep_free(h);
		OPENSSL_free(k);
		ep_error("cannot load private key %s: out of memory", path);
		return NULL;
	}
	k->handle = h;
	k->type = (int)info[0];
	k->bits = info[1];
	k->nlen = info[3];
	n = ep_public(h, k->pub, sizeof k->pub);
	if (n <= 0 || (uint32_t)n != info[2]) {
		ep_error("cannot read the public half of %s", path);
		ep_key_free(k);
		return NULL;
	}
	k->publen = (size_t)n;
	if (want_type && k->type != want_type) {
		ep_error("key reference says %s but %s holds a %s key", ep_keytype_name(want_type), path,
		         ep_keytype_name(k->type));
		ep_key_free(k);
		return NULL;
	}
	return k;
}

void ep_key_free(struct ep_key *k)
{
	if (!k)
		return;
	if (k->handle >= 0)
		ep_free(k->handle);
	OPENSSL_free(k);
}

/* ---- the functions common to the three key types ---------------------------- */

static void *km_new(void *provctx)
{
	struct ep_key *k = OPENSSL_zalloc(sizeof *k);

	if (k)
		k->handle = -1;
	return k;
}

static void km_free(void *kd)
{
	ep_key_free(kd);
}

static void *km_load(const void *ref, size_t ref_sz)
{
	struct ep_ref r;
	struct ep_key *k;

	if (!ref || ref_sz != sizeof r)
		return NULL;
	memcpy(&r, ref, sizeof r);
	if (r.magic != EP_REF_MAGIC || !r.key)
		return NULL;
	k = r.key;
	if (k->claimed) {
		*k->claimed = 1;
		k->claimed = NULL;
	}
	return k;
}

static int km_has(const void *kd, int selection)
{
	const struct ep_key *k = kd;

	if (!k || k->handle < 0)
		return 0;
	/* public and private halves both exist (the private one in trusted memory) */
	return 1;
}

static int km_match(const void *a, const void *b, int selection)
{
	const struct ep_key *x = a, *y = b;

	return x->type == y->type && x->publen == y->publen && memcmp(x->pub, y->pub, x->publen) == 0;
}

static int km_security_bits(const struct ep_key *k)
{
	if (k->type == EP_KT_RSA)
		return BN_security_bits((int)k->bits, -1);
	return 128;
}

static int km_max_size(const struct ep_key *k)
{
	switch (k->type) {
	case EP_KT_RSA:     return (int)k->nlen;
	case EP_KT_EC_P256: return 72;
	default:            return 64;
	}
}

static int set_bn(OSSL_PARAM *p, const unsigned char *be, size_t n)
{
	BIGNUM *bn = BN_bin2bn(be, (int)n, NULL);
	int ok = bn && OSSL_PARAM_set_BN(p, bn);

	BN_free(bn);
	return ok;
}

static int km_get_params(void *kd, OSSL_PARAM params[])
{
	struct ep_key *k = kd;
	OSSL_PARAM *p;

	if (!k || k->handle < 0)
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_BITS)) && !OSSL_PARAM_set_int(p, (int)k->bits))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_SECURITY_BITS)) &&
	    !OSSL_PARAM_set_int(p, km_security_bits(k)))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_MAX_SIZE)) && !OSSL_PARAM_set_int(p, km_max_size(k)))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_DEFAULT_DIGEST)) && k->type != EP_KT_ED25519 &&
	    !OSSL_PARAM_set_utf8_string(p, "SHA256"))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_MANDATORY_DIGEST)) && k->type == EP_KT_ED25519 &&
	    !OSSL_PARAM_set_utf8_string(p, ""))
		return 0;
	switch (k->type) {
	case EP_KT_RSA:
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_RSA_N)) && !set_bn(p, k->pub, k->nlen))
			return 0;
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_RSA_E)) &&
		    !set_bn(p, k->pub + k->nlen, k->publen - k->nlen))
			return 0;
		break;
	case EP_KT_EC_P256:
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_GROUP_NAME)) &&
		    !OSSL_PARAM_set_utf8_string(p, "prime256v1"))
			return 0;
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT)) &&
		    !OSSL_PARAM_set_utf8_string(p, "uncompressed"))
			return 0;
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_EC_ENCODING)) &&
		    !OSSL_PARAM_set_utf8_string(p, "named_curve"))
			return 0;
		/* the encoded public key follows */
		__attribute__((fallthrough));
	case EP_KT_ED25519:
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY)) &&
		    !OSSL_PARAM_set_octet_string(p, k->pub, k->publen))
			return 0;
		if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_PUB_KEY)) &&
		    !OSSL_PARAM_set_octet_string(p, k->pub, k->publen))
			return 0;
		break;
	default:
		break;
	}
	return 1;
}

#define KM_COMMON_GETTABLE \
	OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, NULL), \
	OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, NULL), \
	OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, NULL)

static const OSSL_PARAM *km_rsa_gettable(void *provctx)
{
	static const OSSL_PARAM p[] = {
		KM_COMMON_GETTABLE,
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const OSSL_PARAM *km_ec_gettable(void *provctx)
{
	static const OSSL_PARAM p[] = {
		KM_COMMON_GETTABLE,
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const OSSL_PARAM *km_ed_gettable(void *provctx)
{
	static const OSSL_PARAM p[] = {
		KM_COMMON_GETTABLE,
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_MANDATORY_DIGEST, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

/* Export: the public half and the domain parameters, never the private key.
 * A request that includes the private key is refused rather than answered
 * with the public half: OpenSSL would otherwise copy the key into the default
 * provider and try to sign there with a key that has no private part. */
static int km_export(void *kd, int selection, OSSL_CALLBACK *cb, void *cbarg)
{
	struct ep_key *k = kd;
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params = NULL;
	BIGNUM *n = NULL, *e = NULL;
	int ok = 0;

	if (!k || k->handle < 0 || !(selection & OSSL_KEYMGMT_SELECT_ALL) ||
	    (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY))
		return 0;
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return 0;
	switch (k->type) {
	case EP_KT_RSA:
		n = BN_bin2bn(k->pub, (int)k->nlen, NULL);
		e = BN_bin2bn(k->pub + k->nlen, (int)(k->publen - k->nlen), NULL);
		ok = n && e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
		break;
	case EP_KT_EC_P256:
		ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
		if (ok && (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY))
			ok = OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->pub, k->publen);
		break;
	case EP_KT_ED25519:
		ok = OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->pub, k->publen);
		break;
	default:
		break;
	}
	if (ok)
		params = OSSL_PARAM_BLD_to_param(bld);
	ok = params && cb(params, cbarg);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ok;
}

static const OSSL_PARAM *km_rsa_export_types(int selection)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const OSSL_PARAM *km_ec_export_types(int selection)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const OSSL_PARAM *km_ed_export_types(int selection)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
		OSSL_PARAM_END,
	};
	return p;
}

static const char *km_rsa_opname(int op) { return op == OSSL_OP_SIGNATURE ? "RSA" : NULL; }
static const char *km_ec_opname(int op) { return op == OSSL_OP_SIGNATURE ? "ECDSA" : NULL; }
static const char *km_ed_opname(int op) { return op == OSSL_OP_SIGNATURE ? "ED25519" : NULL; }

#define KM_DISPATCH(name, gettable, export_types, opname) \
const OSSL_DISPATCH name[] = { \
	{ OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))km_new }, \
	{ OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))km_free }, \
	{ OSSL_FUNC_KEYMGMT_LOAD, (void (*)(void))km_load }, \
	{ OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))km_has }, \
	{ OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))km_match }, \
	{ OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))km_get_params }, \
	{ OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))gettable }, \
	{ OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))km_export }, \
	{ OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))export_types }, \
	{ OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))opname }, \
	{ 0, NULL }, \
}

KM_DISPATCH(ep_keymgmt_rsa_functions, km_rsa_gettable, km_rsa_export_types, km_rsa_opname);
KM_DISPATCH(ep_keymgmt_ec_functions, km_ec_gettable, km_ec_export_types, km_ec_opname);
KM_DISPATCH(ep_keymgmt_ed25519_functions, km_ed_gettable, km_ed_export_types, km_ed_opname);
