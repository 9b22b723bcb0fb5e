/* SPDX-License-Identifier: MIT */
/* kv_trusted.c: the trusted component of the keyvault example.  It owns the
 * Ed25519 key pair, which lives in a trusted global (ERIM_TRUSTED: tagged with
 * the trusted protection key by erim_init, so the untrusted request parser
 * cannot read it even with an arbitrary-read bug).  Every function here runs
 * in the trusted domain, on the trusted stack, reached only through the gates
 * erimgen generates from keyvault.erim.
 *
 * Rules this file follows because it runs with trusted rights (see README.md):
 * it calls no function pointer that untrusted code could have written, reads
 * no configuration from untrusted memory, and uses only libsodium's pure
 * Ed25519 functions (no randombytes_buf: its implementation pointer lives in
 * libsodium's writable .data, which untrusted code can overwrite -- unless,
 * as the build does when libsodium.a is installed, this file and libsodium.a
 * are linked by erim-trusted-link into a trusted closure, whose .data is
 * trusted memory and whose imports are checked).  Key
 * material is taken straight from getrandom(2), as a raw system call
 * (erim_getrandom: glibc's getrandom is a cancellation point). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "erim.h"
#include "keyvault_trusted.h"

/* One key pair.  sk is libsodium's 64-byte secret key (seed || public key). */
struct kvt_keypair {
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	int have;
};

static ERIM_TRUSTED struct kvt_keypair kvt_key;

/* Fill BUF with N bytes from the kernel's CSPRNG; 0 or -1. */
static int kvt_random(uint8_t *buf, size_t n)
{
	while (n > 0) {
		/* raw system call: glibc's getrandom is a cancellation point */
		long got = erim_getrandom(buf, n, 0);

		if (got < 0) {
			if (got == -EINTR)
				continue;
			return -1;
		}
		buf += got;
		n -= (size_t)got;
	}
	return 0;
}

int kv_generate_impl(void)
{
	uint8_t seed[crypto_sign_SEEDBYTES];
	int rc = -1;

	if (kvt_random(seed, sizeof seed) == 0 &&
	    crypto_sign_seed_keypair(kvt_key.pk, kvt_key.sk, seed) == 0) {
		kvt_key.have = 1;
		rc = 0;
	}
	sodium_memzero(seed, sizeof seed);
	kv_log_ocall(rc == 0 ? "trusted: new Ed25519 key generated in trusted memory"
	                     : "trusted: key generation failed");
	return rc;
}

int kv_pubkey_impl(uint8_t *pk)
{
	if (!kvt_key.have)
		return -1;
	memcpy(pk, kvt_key.pk, sizeof kvt_key.pk);
	return 0;
}

int kv_sign_impl(const uint8_t *msg, size_t len, uint8_t *sig)
{
	if (!kvt_key.have)
		return -1;
	return crypto_sign_detached(sig, NULL, msg, len, kvt_key.sk) == 0 ? 0 : -1;
}

int kv_verify_impl(const uint8_t *msg, size_t len, const uint8_t *sig)
{
	if (!kvt_key.have)
		return -1;
	return crypto_sign_verify_detached(sig, msg, len, kvt_key.pk) == 0 ? 0 : -1;
}
