/* SPDX-License-Identifier: MIT */
/* tl_sodium_trusted.c: the trusted side of tl_sodium_state, linked with
 * libsodium.a into a trusted closure (erim-trusted-link). */
#include <sodium.h>

int tls_keypair_impl(unsigned char *pk, unsigned char *sk, const unsigned char *seed);

int tls_keypair_impl(unsigned char *pk, unsigned char *sk, const unsigned char *seed)
{
	return crypto_sign_seed_keypair(pk, sk, seed);
}
