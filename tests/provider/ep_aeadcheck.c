/* SPDX-License-Identifier: MIT */
/* ep_aeadcheck.c: erim's record-layer AEADs against OpenSSL's default
 * provider (OPENSSL_CONF loads both).  For AES-128-GCM, AES-256-GCM and
 * ChaCha20-Poly1305, with random keys, nonces, AAD and messages of several
 * lengths (0 .. 16 KiB + 1):
 *   - erim encrypts, default decrypts (and the ciphertext and tag are the
 *     default provider's own, byte for byte), and the other way round;
 *   - a flipped bit in the tag, the ciphertext or the AAD makes erim's
 *     decryption fail and leaves no plaintext in the output;
 *   - the tag given after the data (EVP's usual order) works too;
 *   - TLS 1.2 record mode (EVP_CTRL_AEAD_SET_IV_FIXED, EVP_CTRL_AEAD_TLS1_AAD,
 *     one in-place update) in both directions between the providers, and a
 *     tampered record refused;
 *   - the provider's record gate counter ("erim-record-gate-calls") counts
 *     one gate call per record.
 * One line per check, "ok" or "FAIL"; exit status 0 if all passed. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

static int failures, checks;

static void report(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	printf("%s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		failures++;
		ERR_print_errors_fp(stdout);
	}
	ERR_clear_error();
}

static unsigned long record_calls(OSSL_PROVIDER *p)
{
	unsigned long n = 0;
	OSSL_PARAM params[] = { OSSL_PARAM_ulong("erim-record-gate-calls", &n), OSSL_PARAM_END };

	if (!OSSL_PROVIDER_get_params(p, params))
		return (unsigned long)-1;
	return n;
}

/* seal with C: ct and tag; 1 on success */
static int seal(EVP_CIPHER *c, const unsigned char *key, const unsigned char *iv, const unsigned char *aad,
                size_t aadlen, const unsigned char *pt, size_t len, unsigned char *ct, unsigned char *tag)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int ok, n = 0, f = 0;

	ok = EVP_EncryptInit_ex(x, c, NULL, key, iv) &&
	     (aadlen == 0 || EVP_EncryptUpdate(x, NULL, &n, aad, (int)aadlen)) &&
	     EVP_EncryptUpdate(x, ct, &n, pt, (int)len) &&
	     EVP_EncryptFinal_ex(x, ct + n, &f) && (size_t)(n + f) == len &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(x);
	return ok;
}

/* open with C; TAG_FIRST: set the tag before the data (libssl's order) */
static int open_(EVP_CIPHER *c, const unsigned char *key, const unsigned char *iv, const unsigned char *aad,
                 size_t aadlen, const unsigned char *ct, size_t len, const unsigned char *tag, unsigned char *pt,
                 int tag_first)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int ok, n = 0, f = 0;

	ok = EVP_DecryptInit_ex(x, c, NULL, key, iv) &&
	     (!tag_first || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag)) &&
	     (aadlen == 0 || EVP_DecryptUpdate(x, NULL, &n, aad, (int)aadlen)) &&
	     EVP_DecryptUpdate(x, pt, &n, ct, (int)len) &&
	     (tag_first || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag)) &&
	     EVP_DecryptFinal_ex(x, pt + n, &f) > 0 && (size_t)(n + f) == len;
	EVP_CIPHER_CTX_free(x);
	return ok;
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* TLS 1.2 record: a fresh context, fixed IV, AAD with sequence SEQ, one
 * in-place update over BUF (GCM: explicit nonce || data || tag; ChaCha20:
 * data || tag).  The output length, or -1. */
static int tls12(EVP_CIPHER *c, int enc, const unsigned char *key, const unsigned char *fixed, size_t fixedlen,
                 unsigned seq, unsigned char *buf, size_t len)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	unsigned char aad[13] = { 0 };
	int n = -1, pad;

	aad[7] = (unsigned char)seq;
	aad[8] = 23; aad[9] = 3; aad[10] = 3;
	/* the header's length: the whole record when opening, without the tag
	 * when sealing (libssl's convention; GCM's explicit nonce counts) */
	aad[11] = (unsigned char)((enc ? len - 16 : len) >> 8);
	aad[12] = (unsigned char)(enc ? len - 16 : len);
	if (EVP_CipherInit_ex(x, c, NULL, key, NULL, enc) &&
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IV_FIXED, (int)fixedlen, (void *)fixed) > 0 &&
	    (pad = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_TLS1_AAD, 13, aad)) == 16 &&
	    !EVP_CipherUpdate(x, buf, &n, buf, (int)len))
		n = -1;
	EVP_CIPHER_CTX_free(x);
	return n;
}

/* Threads that each make, use and free their own record keys at the same
 * time: the trusted table's slots are claimed and given back concurrently,
 * and each thread's records must still open with its own key. */
struct worker { int iters; int bad; };

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	EVP_CIPHER *e = EVP_CIPHER_fetch(NULL, "AES-128-GCM", "provider=erim");
	unsigned char key[16], iv[12], pt[100], ct[100], out[100], tag[16];
	int k;

	if (!e) {
		w->bad = w->iters;
		return NULL;
	}
	for (k = 0; k < w->iters; k++) {
		RAND_bytes(key, sizeof key); RAND_bytes(iv, sizeof iv); RAND_bytes(pt, sizeof pt);
		if (!seal(e, key, iv, NULL, 0, pt, sizeof pt, ct, tag) ||
		    !open_(e, key, iv, NULL, 0, ct, sizeof ct, tag, out, 1) || memcmp(out, pt, sizeof pt) != 0)
			w->bad++;
	}
	EVP_CIPHER_free(e);
	return NULL;
}

int main(void)
{
	static const char *names[] = { "AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305" };
	static const size_t lens[] = { 0, 1, 15, 16, 17, 100, 1000, 16384, 16385 };
	static unsigned char pt[17000], ct[17000], ct2[17000], out[17000], buf[17100], keep[17100];
	unsigned char key[32], iv[12], aad[40], tag[16], tag2[16];
	OSSL_PROVIDER *erim = OSSL_PROVIDER_load(NULL, "erim");
	size_t i, j;

	if (!erim || !OSSL_PROVIDER_available(NULL, "default")) {
		printf("FAIL the erim and default providers are not both loaded (OPENSSL_CONF?)\n");
		ERR_print_errors_fp(stdout);
		return 1;
	}
	for (i = 0; i < 3; i++) {
		EVP_CIPHER *e = EVP_CIPHER_fetch(NULL, names[i], "provider=erim");
		EVP_CIPHER *d = EVP_CIPHER_fetch(NULL, names[i], "provider=default");
		EVP_CIPHER *pref = EVP_CIPHER_fetch(NULL, names[i], "?erim.record=yes");

		report(e && d, "%s: fetched from erim and default", names[i]);
		if (!e || !d)
			continue;
		report(pref && EVP_CIPHER_get0_provider(pref) == erim,
		       "%s: the query ?erim.record=yes (openssl-erim.cnf) picks erim's", names[i]);
		EVP_CIPHER_free(pref);
		report(EVP_CIPHER_get_mode(e) == EVP_CIPHER_get_mode(d) &&
		       EVP_CIPHER_get_flags(e) == EVP_CIPHER_get_flags(d) &&
		       EVP_CIPHER_get_key_length(e) == EVP_CIPHER_get_key_length(d) &&
		       EVP_CIPHER_get_iv_length(e) == EVP_CIPHER_get_iv_length(d),
		       "%s: mode, flags, key and IV length as the default provider's", names[i]);
		for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
			size_t n = lens[j], aadlen = j % 3 == 0 ? 0 : 13 + j;
			unsigned long before, after;

			RAND_bytes(key, sizeof key); RAND_bytes(iv, sizeof iv); RAND_bytes(aad, sizeof aad);
			RAND_bytes(pt, (int)n + 1);
			before = record_calls(erim);
			report(seal(e, key, iv, aad, aadlen, pt, n, ct, tag) &&
			       seal(d, key, iv, aad, aadlen, pt, n, ct2, tag2) &&
			       memcmp(ct, ct2, n) == 0 && memcmp(tag, tag2, 16) == 0,
			       "%s: erim's ciphertext and tag are the default provider's (%zu bytes)", names[i], n);
			after = record_calls(erim);
			report(after - before == 2, "%s: sealing took 2 gate calls, key + record (%zu bytes)", names[i], n);
			report(open_(d, key, iv, aad, aadlen, ct, n, tag, out, 0) && memcmp(out, pt, n) == 0,
			       "%s: default opens erim's record (%zu bytes)", names[i], n);
			report(seal(d, key, iv, aad, aadlen, pt, n, ct, tag) &&
			       open_(e, key, iv, aad, aadlen, ct, n, tag, out, 1) && memcmp(out, pt, n) == 0,
			       "%s: erim opens default's record, tag first (%zu bytes)", names[i], n);
			memset(out, 0, n);
			report(open_(e, key, iv, aad, aadlen, ct, n, tag, out, 0) && memcmp(out, pt, n) == 0,
			       "%s: erim opens default's record, tag after the data (%zu bytes)", names[i], n);
			tag[j % 16] ^= 0x10;
			memset(out, 0xee, n);
			report(!open_(e, key, iv, aad, aadlen, ct, n, tag, out, 1) && all_zero(out, n),
			       "%s: flipped tag bit refused, no plaintext out (%zu bytes)", names[i], n);
			report(!open_(e, key, iv, aad, aadlen, ct, n, tag, out, 0),
			       "%s: flipped tag bit refused, tag after the data (%zu bytes)", names[i], n);
			tag[j % 16] ^= 0x10;
			if (n > 0) {
				ct[n / 2] ^= 1;
				memset(out, 0xee, n);
				report(!open_(e, key, iv, aad, aadlen, ct, n, tag, out, 1) && all_zero(out, n),
				       "%s: flipped ciphertext bit refused, no plaintext out (%zu bytes)", names[i], n);
				ct[n / 2] ^= 1;
			}
			if (aadlen > 0) {
				aad[0] ^= 0x80;
				report(!open_(e, key, iv, aad, aadlen, ct, n, tag, out, 1),
				       "%s: flipped AAD bit refused (%zu bytes)", names[i], n);
				aad[0] ^= 0x80;
			}
		}
		/* TLS 1.2 record mode, both directions, then a tampered record */
		{
			size_t fixedlen = i == 2 ? 12 : 4, over = 16 + (i == 2 ? 0 : 8), n = 1000, off = i == 2 ? 0 : 8;
			int r;

			RAND_bytes(key, sizeof key); RAND_bytes(iv, sizeof iv); RAND_bytes(pt, (int)n);
			memcpy(buf + off, pt, n);
			r = tls12(e, 1, key, iv, fixedlen, 5, buf, n + over);
			memcpy(keep, buf, n + over);
			report(r == (int)(n + over) && tls12(d, 0, key, iv, fixedlen, 5, buf, n + over) == (int)n &&
			       memcmp(buf + off, pt, n) == 0,
			       "%s: TLS 1.2 record sealed by erim, opened by default (%zu bytes)", names[i], n);
			memcpy(buf + off, pt, n);
			r = tls12(d, 1, key, iv, fixedlen, 6, buf, n + over);
			report(r == (int)(n + over) && tls12(e, 0, key, iv, fixedlen, 6, buf, n + over) == (int)n &&
			       memcmp(buf + off, pt, n) == 0,
			       "%s: TLS 1.2 record sealed by default, opened by erim (%zu bytes)", names[i], n);
			keep[off + 7] ^= 4;
			report(tls12(e, 0, key, iv, fixedlen, 5, keep, n + over) < 0,
			       "%s: tampered TLS 1.2 record refused by erim (%zu bytes)", names[i], n);
			keep[off + 7] ^= 4;
			report(tls12(e, 0, key, iv, fixedlen, 7, keep, n + over) < 0,
			       "%s: TLS 1.2 record replayed under another sequence number refused (%zu bytes)", names[i], n);
		}
		EVP_CIPHER_free(e);
		EVP_CIPHER_free(d);
	}
	{
		const char *be = getenv("ERIM_BACKEND");
		int iters = be && strcmp(be, "none") == 0 ? 2000 : 100, k, bad = 0;
		struct worker w[4];
		pthread_t th[4];

		for (k = 0; k < 4; k++) {
			w[k].iters = iters;
			w[k].bad = 0;
			pthread_create(&th[k], NULL, worker_run, &w[k]);
		}
		for (k = 0; k < 4; k++) {
			pthread_join(th[k], NULL);
			bad += w[k].bad;
		}
		report(bad == 0, "4 threads x %d record keys made, used and freed at once: %d wrong", iters, bad);
	}
	/* more contexts than the trusted table has slots (EP_MAX_AEAD = 16384),
	 * each keyed and freed: a freed context must give its slot back.  Under
	 * none only (under mprotect 34,000 gate calls take minutes). */
	if (getenv("ERIM_BACKEND") && strcmp(getenv("ERIM_BACKEND"), "none") == 0) {
		EVP_CIPHER *e = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", "provider=erim");
		int k, ok = e != NULL;

		for (k = 0; ok && k < 17000; k++) {
			EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

			ok = EVP_EncryptInit_ex(x, e, NULL, key, iv) == 1;
			EVP_CIPHER_CTX_free(x);
		}
		report(ok, "17000 record keys made and freed one after another: the trusted table does not fill");
		EVP_CIPHER_free(e);
	} else {
		printf("skipped: 17000 record keys (only under ERIM_BACKEND=none: slow under mprotect)\n");
	}
	printf("ep_aeadcheck: %d checks, %d failed\n", checks, failures);
	OSSL_PROVIDER_unload(erim);
	return failures != 0;
}
