/* SPDX-License-Identifier: MIT */
/* ep_decoder.c: the decoder of erim key references.  A server's
 * configuration names a small PEM file instead of its private key:
 *
 *     -----BEGIN ERIM KEY REFERENCE-----
 *     base64 of "erim-key-reference 1\ntype=RSA\npath=/etc/ssl/private/k.pem\n"
 *     -----END ERIM KEY REFERENCE-----
 *
 * (provider/erim-keyref writes one).  The decoder reads the reference (here,
 * untrusted: it holds no secret), asks the trusted side to load the named key
 * file (ep_load), and hands OpenSSL an object reference to the resulting
 * ep_key, which this provider's keymgmt "load" takes over.  PEM input that is
 * not an erim reference is left to the other decoders. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "ep_prov.h"

#define REF_BEGIN "-----BEGIN ERIM KEY REFERENCE-----"
#define REF_END   "-----END ERIM KEY REFERENCE-----"
#define REF_MAX   8192

struct ep_decctx {
	struct ep_provctx *prov;
	int type;              /* EP_KT_* this decoder produces */
};

static void *dec_newctx(void *provctx, int type)
{
	struct ep_decctx *c = OPENSSL_zalloc(sizeof *c);

	if (c) {
		c->prov = provctx;
		c->type = type;
	}
	return c;
}

static void *dec_rsa_newctx(void *provctx) { return dec_newctx(provctx, EP_KT_RSA); }
static void *dec_ec_newctx(void *provctx) { return dec_newctx(provctx, EP_KT_EC_P256); }
static void *dec_ed_newctx(void *provctx) { return dec_newctx(provctx, EP_KT_ED25519); }

static void dec_freectx(void *ctx)
{
	OPENSSL_free(ctx);
}

static int dec_does_selection(void *provctx, int selection)
{
	return selection == 0 || (selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0;
}

static int type_from_name(const char *s)
{
	if (strcmp(s, "RSA") == 0)     return EP_KT_RSA;
	if (strcmp(s, "EC") == 0)      return EP_KT_EC_P256;
	if (strcmp(s, "ED25519") == 0) return EP_KT_ED25519;
	return 0;
}

/* Parse the reference's text; 1 with TYPE and PATH filled, 0 if malformed. */
static int parse_ref(char *text, int *type, char **path)
{
	char *line, *save = NULL;
	int version_ok = 0;

	*type = 0;
	*path = NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strcmp(line, "erim-key-reference 1") == 0)
			version_ok = 1;
		else if (strncmp(line, "type=", 5) == 0)
			*type = type_from_name(line + 5);
		else if (strncmp(line, "path=", 5) == 0)
			*path = line + 5;
	}
	return version_ok && *type && *path && (*path)[0] == '/';
}

/* Base64 between the markers -> NUL-terminated text in OUT (cap bytes). */
static int ref_text(const char *pem, char *out, size_t cap)
{
	const char *b = strstr(pem, REF_BEGIN), *e;
	char b64[REF_MAX];
	size_t n = 0;
	int len;

	if (!b)
		return -1;
	b += strlen(REF_BEGIN);
	e = strstr(b, REF_END);
	if (!e)
		return -1;
	for (; b < e && n + 1 < sizeof b64; b++)
		if (*b != '\n' && *b != '\r' && *b != ' ' && *b != '\t')
			b64[n++] = *b;
	b64[n] = 0;
	if (n == 0 || n % 4 != 0 || (n / 4) * 3 + 1 > cap)
		return -1;
	len = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)b64, (int)n);
	if (len < 0)
		return -1;
	while (len > 0 && out[len - 1] == 0)   /* padding bytes */
		len--;
	out[len] = 0;
	return (int)strlen(out) == len ? 0 : -1;
}

int ep_ref_parse(const char *pem, char *keypath, size_t cap, int *type)
{
	char text[REF_MAX];
	char *path;

	if (ref_text(pem, text, sizeof text) < 0 || !parse_ref(text, type, &path) || strlen(path) >= cap) {
		ep_error("malformed erim key reference (expected base64 of \"erim-key-reference 1\", "
		         "type=RSA|EC|ED25519, path=/absolute/path; write one with erim-keyref)");
		return -1;
	}
	memcpy(keypath, path, strlen(path) + 1);
	return 0;
}

int ep_ref_offer(const char *keypath, int type, OSSL_CALLBACK *cb, void *cbarg)
{
	int ok, claimed = 0, objtype = OSSL_OBJECT_PKEY;
	struct ep_key *k = ep_key_load(keypath, type);
	struct ep_ref ref;
	OSSL_PARAM params[4];

	if (!k)
		return 0;
	k->claimed = &claimed;
	ref.magic = EP_REF_MAGIC;
	ref.key = k;
	params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &objtype);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE,
	                                             (char *)ep_keytype_name(k->type), 0);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, &ref, sizeof ref);
	params[3] = OSSL_PARAM_construct_end();
	ok = cb(params, cbarg);
	if (!claimed) {    /* nobody took the key: wipe it from trusted memory */
		k->claimed = NULL;
		ep_key_free(k);
	}
	return ok;
}

static int dec_decode(void *vctx, OSSL_CORE_BIO *cin, int selection, OSSL_CALLBACK *data_cb,
                      void *data_cbarg, OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
	struct ep_decctx *c = vctx;
	char buf[REF_MAX + 1], path[4096];
	size_t got = 0, n;
	int type;

	while (got < REF_MAX && c->prov->bio_read_ex(cin, buf + got, REF_MAX - got, &n) && n > 0)
		got += n;
	buf[got] = 0;
	if (!strstr(buf, REF_BEGIN))
		return 1;             /* not ours: let the next decoder try */
	if (ep_ref_parse(buf, path, sizeof path, &type) < 0)
		return 0;
	if (type != c->type)
		return 1;             /* another of our decoders produces this type */
	return ep_ref_offer(path, type, data_cb, data_cbarg);
}

static int dec_export_object(void *vctx, const void *ref, size_t ref_sz, OSSL_CALLBACK *cb, void *cbarg)
{
	return 0;   /* keys never leave this provider */
}

#define DEC_DISPATCH(name, newctx) \
const OSSL_DISPATCH name[] = { \
	{ OSSL_FUNC_DECODER_NEWCTX, (void (*)(void))newctx }, \
	{ OSSL_FUNC_DECODER_FREECTX, (void (*)(void))dec_freectx }, \
	{ OSSL_FUNC_DECODER_DOES_SELECTION, (void (*)(void))dec_does_selection }, \
	{ OSSL_FUNC_DECODER_DECODE, (void (*)(void))dec_decode }, \
	{ OSSL_FUNC_DECODER_EXPORT_OBJECT, (void (*)(void))dec_export_object }, \
	{ 0, NULL }, \
}

DEC_DISPATCH(ep_decoder_rsa_functions, dec_rsa_newctx);
DEC_DISPATCH(ep_decoder_ec_functions, dec_ec_newctx);
DEC_DISPATCH(ep_decoder_ed25519_functions, dec_ed_newctx);
