/* SPDX-License-Identifier: MIT */
/* ep_prov.h: the untrusted side of erim's OpenSSL provider -- the glue that
 * OpenSSL calls (provider entry, key management, signatures, the decoder of
 * key references).  It holds key handles and public halves only; every
 * private-key operation is a gate call into erimprov.erim's trusted side. */
#ifndef EP_PROV_H
#define EP_PROV_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/core.h>
#include <openssl/core_dispatch.h>

#include "ep_common.h"

struct ep_provctx {
	const OSSL_CORE_HANDLE *handle;
	OSSL_FUNC_BIO_read_ex_fn *bio_read_ex;
};

/* A key as OpenSSL sees it: a handle into the trusted key table and the
 * public half.  handle < 0: an empty key (keymgmt new). */
struct ep_key {
	int handle;
	int type;          /* EP_KT_* */
	uint32_t bits;
	size_t nlen;       /* RSA: modulus length; pub = n || e */
	size_t publen;
	unsigned char pub[EP_MAX_PUB];
	int *claimed;      /* decoder's flag, set when keymgmt load takes the key */
};

/* The object reference the decoder hands OpenSSL and keymgmt "load" takes.
 * Its size differs from a bare pointer's, so that another provider's load
 * (which takes a pointer-sized reference to its own key type) refuses it
 * instead of misreading it, and the magic is checked before use. */
#define EP_REF_MAGIC 0x6572696d6b657931ull   /* "erimkey1" */
struct ep_ref {
	uint64_t magic;
	struct ep_key *key;
};

/* ep_keymgmt.c */
extern const OSSL_DISPATCH ep_keymgmt_rsa_functions[];
extern const OSSL_DISPATCH ep_keymgmt_ec_functions[];
extern const OSSL_DISPATCH ep_keymgmt_ed25519_functions[];
struct ep_key *ep_key_load(const char *path, int want_type);
void ep_key_free(struct ep_key *k);
const char *ep_keytype_name(int type);

/* ep_sig.c */
extern const OSSL_DISPATCH ep_sig_rsa_functions[];
extern const OSSL_DISPATCH ep_sig_ecdsa_functions[];
extern const OSSL_DISPATCH ep_sig_ed25519_functions[];

/* ep_decoder.c */
extern const OSSL_DISPATCH ep_decoder_rsa_functions[];
extern const OSSL_DISPATCH ep_decoder_ec_functions[];
extern const OSSL_DISPATCH ep_decoder_ed25519_functions[];

/* ep_decoder.c: parse the text of an erim key reference (PEM) into the key's
 * path and type; 0, or -1 (reported) if malformed */
int ep_ref_parse(const char *pem, char *keypath, size_t cap, int *type);
/* ep_decoder.c: load the key at KEYPATH (of TYPE) into trusted memory and
 * hand CB the object reference to it; the key is wiped again unless
 * keymgmt's load took it.  0 if it cannot be loaded, else CB's result. */
int ep_ref_offer(const char *keypath, int type, OSSL_CALLBACK *cb, void *cbarg);

/* ep_store.c */
extern const OSSL_DISPATCH ep_store_functions[];

/* ep_cipher.c: the record layer's AEADs; record gate calls (key set-up and
 * one per record) */
extern const OSSL_DISPATCH ep_cipher_aes128gcm_functions[];
extern const OSSL_DISPATCH ep_cipher_aes256gcm_functions[];
extern const OSSL_DISPATCH ep_cipher_chachapoly_functions[];
extern unsigned long ep_record_calls;

/* ep_log.c: gate calls made by this process (for ERIM_PROVIDER_STATS=1,
 * printed on stderr at exit; `make bench-tls` reads them) */
extern unsigned long ep_gate_calls;

/* ep_log.c: report an error both to OpenSSL's error queue and to stderr
 * (which a server's start-up log shows) */
void ep_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
