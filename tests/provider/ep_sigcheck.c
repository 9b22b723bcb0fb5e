/* SPDX-License-Identifier: MIT */
/* ep_sigcheck.c: checks erim's OpenSSL provider against OpenSSL itself.
 *
 *     ep_sigcheck [--refuse N BAD.pem] REF.pem PUB.pem [scheme ...]
 *     ep_sigcheck --refuse N BAD.pem
 *
 * loads the private key through the erim key reference REF.pem the way nginx
 * does (PEM_read_bio_PrivateKey, OPENSSL_CONF loads the provider), signs a
 * message with each scheme (pkcs1-sha256, pss-sha384, ecdsa-sha256, ed25519,
 * ...) and verifies every signature with OpenSSL's default provider against
 * the public key PUB.pem (exported from the real key file by `openssl pkey
 * -pubout`).  It also checks that the key came from the erim provider and that
 * its public half equals PUB.pem.  --refuse first loads BAD.pem N times,
 * each of which must fail: with N above the trusted key table's size (64) a
 * refused load that left anything behind would make the good load fail.
 * One line per check, "ok" or "FAIL";
 * exit status 0 if all passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>

static int failures;

static void report(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok) {
		failures++;
		ERR_print_errors_fp(stdout);
	}
	ERR_clear_error();
}

static int sign_verify(EVP_PKEY *priv, EVP_PKEY *pub, const char *scheme)
{
	static const unsigned char msg[] = "erim provider check: the quick brown fox";
	const char *md = NULL;
	int pss = 0, ok = 0;
	unsigned char sig[1024];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *s = EVP_MD_CTX_new(), *v = EVP_MD_CTX_new();
	EVP_PKEY_CTX *sp = NULL, *vp = NULL;
	const char *dash = strchr(scheme, '-');

	if (dash)
		md = dash + 1;
	pss = strncmp(scheme, "pss", 3) == 0;
	if (!s || !v || EVP_DigestSignInit_ex(s, &sp, md, NULL, NULL, priv, NULL) != 1)
		goto out;
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(sp, RSA_PKCS1_PSS_PADDING) != 1 ||
	            EVP_PKEY_CTX_set_rsa_pss_saltlen(sp, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out;
	if (EVP_DigestSign(s, sig, &siglen, msg, sizeof msg - 1) != 1)
		goto out;
	if (strcmp(OSSL_PROVIDER_get0_name(EVP_PKEY_CTX_get0_provider(sp)), "erim") != 0) {
		printf("  signed by provider %s, not erim\n", OSSL_PROVIDER_get0_name(EVP_PKEY_CTX_get0_provider(sp)));
		goto out;
	}
	if (EVP_DigestVerifyInit_ex(v, &vp, md, NULL, "provider=default", pub, NULL) != 1)
		goto out;
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(vp, RSA_PKCS1_PSS_PADDING) != 1 ||
	            EVP_PKEY_CTX_set_rsa_pss_saltlen(vp, RSA_PSS_SALTLEN_DIGEST) != 1))
		goto out;
	ok = EVP_DigestVerify(v, sig, siglen, msg, sizeof msg - 1) == 1;
	/* and a flipped bit must not verify */
	if (ok) {
		sig[siglen / 2] ^= 1;
		EVP_MD_CTX_reset(v);
		vp = NULL;
		if (EVP_DigestVerifyInit_ex(v, &vp, md, NULL, "provider=default", pub, NULL) == 1 &&
		    (!pss || (EVP_PKEY_CTX_set_rsa_padding(vp, RSA_PKCS1_PSS_PADDING) == 1 &&
		              EVP_PKEY_CTX_set_rsa_pss_saltlen(vp, RSA_PSS_SALTLEN_DIGEST) == 1)))
			ok = EVP_DigestVerify(v, sig, siglen, msg, sizeof msg - 1) != 1;
		else
			ok = 0;
	}
out:
	EVP_MD_CTX_free(s);
	EVP_MD_CTX_free(v);
	return ok;
}

int main(int argc, char **argv)
{
	EVP_PKEY *priv = NULL, *pub = NULL;
	BIO *b;
	char what[256];
	int i;

	if (argc >= 4 && strcmp(argv[1], "--refuse") == 0) {
		int n = atoi(argv[2]), refused = 0;

		for (i = 0; i < n; i++) {
			b = BIO_new_file(argv[3], "r");
			priv = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
			BIO_free(b);
			if (!priv)
				refused++;
			EVP_PKEY_free(priv);
			priv = NULL;
			if (i == 0)
				ERR_print_errors_fp(stderr);
			ERR_clear_error();
		}
		snprintf(what, sizeof what, "%s refused %d times out of %d", argv[3], refused, n);
		report(refused == n, what);
		argc -= 3;
		argv += 3;
		if (argc < 2)
			return failures ? 1 : 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: ep_sigcheck [--refuse N BAD.pem] REF.pem PUB.pem [scheme ...]\n");
		return 2;
	}
	b = BIO_new_file(argv[1], "r");
	if (b)
		priv = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	snprintf(what, sizeof what, "load %s through the erim provider", argv[1]);
	report(priv && strcmp(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(priv)), "erim") == 0, what);
	b = BIO_new_file(argv[2], "r");
	if (b)
		pub = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!priv || !pub) {
		report(0, "public key readable");
		return 1;
	}
	report(EVP_PKEY_eq(pub, priv) == 1, "public half matches the real key (EVP_PKEY_eq)");
	report(EVP_PKEY_get_bits(priv) == EVP_PKEY_get_bits(pub), "key size matches");
	for (i = 3; i < argc; i++) {
		snprintf(what, sizeof what, "%s: signed in trusted memory, verified by the default provider", argv[i]);
		report(sign_verify(priv, pub, argv[i]), what);
	}
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pub);
	return failures ? 1 : 0;
}
