/* SPDX-License-Identifier: MIT */
/* ep_common.h: constants shared by both sides of erim's OpenSSL provider
 * (key types, signature schemes, hashes, limits).  No code. */
#ifndef EP_COMMON_H
#define EP_COMMON_H

enum ep_keytype { EP_KT_RSA = 1, EP_KT_EC_P256 = 2, EP_KT_ED25519 = 3 };
enum ep_alg { EP_ALG_RSA_PKCS1 = 1, EP_ALG_RSA_PSS = 2, EP_ALG_ECDSA = 3, EP_ALG_ED25519 = 4 };
enum ep_md { EP_MD_NONE = 0, EP_MD_SHA1, EP_MD_SHA224, EP_MD_SHA256, EP_MD_SHA384, EP_MD_SHA512 };

#define EP_MAX_KEYS     64     /* keys loaded at once per process */
#define EP_MAX_RSA_BITS 4096
#define EP_MAX_SIG      (EP_MAX_RSA_BITS / 8)
#define EP_MAX_PUB      (EP_MAX_RSA_BITS / 8 + 8)
#define EP_MAX_KEYFILE  (64 * 1024)
#define EP_MAX_TBS      (64 * 1024)   /* Ed25519 message (TLS: ~130 bytes) */

/* record-layer AEADs (ep_cipher.c, ep_trusted_aead.c) */
enum ep_aead_alg { EP_AEAD_AES128GCM = 1, EP_AEAD_AES256GCM = 2, EP_AEAD_CHACHAPOLY = 3 };
enum ep_aead_mode { EP_AEAD_OPEN = 0, EP_AEAD_SEAL = 1, EP_AEAD_OPEN_LATE = 2 };
#define EP_MAX_AEAD      16384          /* record keys at once per process (2 per connection) */
#define EP_AEAD_MAX_DATA (64 * 1024)    /* one record: TLS's are at most 16 KiB + 256 */
#define EP_AEAD_MAX_AAD  256
/* provider parameters (OSSL_PROVIDER_get_params): this process's gate calls */
#define EP_PARAM_SIGN_CALLS   "erim-sign-gate-calls"
#define EP_PARAM_RECORD_CALLS "erim-record-gate-calls"


#endif
