/* SPDX-License-Identifier: MIT */
/* ep_prov.c: the entry point of erim's OpenSSL provider (OSSL_provider_init),
 * its algorithm tables, and erim's start-up.
 *
 * erim_init runs here, when OpenSSL loads the provider from OPENSSL_CONF --
 * for a server that is during configuration, before it accepts a connection,
 * so the server binary needs no change.  The gates' entries were registered
 * by the generated constructor when the module was loaded, just before.  If
 * the process already runs erim (ERIM_AUTOINIT, or a program that called
 * erim_init itself) registration was refused and the provider refuses to load
 * rather than run without isolation.  ERIM_BACKEND and the other ERIM_*
 * variables choose the back end as for every erim program. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "erim.h"
#include "ep_prov.h"
#include "erimprov_erim.h"

#define EP_PROPS "provider=erim"

static const OSSL_ALGORITHM ep_keymgmt[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", EP_PROPS, ep_keymgmt_rsa_functions, "erim RSA" },
	{ "EC:id-ecPublicKey:1.2.840.10045.2.1", EP_PROPS, ep_keymgmt_ec_functions, "erim EC P-256" },
	{ "ED25519:1.3.101.112", EP_PROPS, ep_keymgmt_ed25519_functions, "erim Ed25519" },
	{ NULL, NULL, NULL, NULL },
};

static const OSSL_ALGORITHM ep_signature[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", EP_PROPS, ep_sig_rsa_functions, "erim RSA" },
	{ "ECDSA", EP_PROPS, ep_sig_ecdsa_functions, "erim ECDSA" },
	{ "ED25519:1.3.101.112", EP_PROPS, ep_sig_ed25519_functions, "erim Ed25519" },
	{ NULL, NULL, NULL, NULL },
};

static const OSSL_ALGORITHM ep_decoder[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", EP_PROPS ",input=pem", ep_decoder_rsa_functions, "erim key reference" },
	{ "EC:id-ecPublicKey:1.2.840.10045.2.1", EP_PROPS ",input=pem", ep_decoder_ec_functions, "erim key reference" },
	{ "ED25519:1.3.101.112", EP_PROPS ",input=pem", ep_decoder_ed25519_functions, "erim key reference" },
	{ NULL, NULL, NULL, NULL },
};

/* The record layer's AEADs.  Besides provider=erim they carry
 * erim.record=yes, so that a configuration can prefer them without touching
 * how any other algorithm is chosen: "default_properties = ?erim.record=yes"
 * (openssl-erim.cnf) makes libssl's fetches of these three names pick erim's,
 * while every other fetch scores all providers equally and keeps the default
 * provider, as before. */
#define EP_CIPHER_PROPS EP_PROPS ",erim.record=yes"
static const OSSL_ALGORITHM ep_cipher[] = {
	{ "AES-128-GCM:id-aes128-GCM:2.16.840.1.101.3.4.1.6", EP_CIPHER_PROPS, ep_cipher_aes128gcm_functions,
	  "erim AES-128-GCM (key schedule in trusted memory)" },
	{ "AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46", EP_CIPHER_PROPS, ep_cipher_aes256gcm_functions,
	  "erim AES-256-GCM (key schedule in trusted memory)" },
	{ "ChaCha20-Poly1305", EP_CIPHER_PROPS, ep_cipher_chachapoly_functions,
	  "erim ChaCha20-Poly1305 (key in trusted memory)" },
	{ NULL, NULL, NULL, NULL },
};

static int ep_stats;

/* ERIM_PROVIDER_STATS=1 (read when the provider starts: servers clear the
 * environment of their workers): each process reports its gate calls when
 * it exits. */
__attribute__((destructor)) static void ep_report_stats(void)
{
	if (ep_stats)
		fprintf(stderr, "erim-provider: pid %d: %lu signing gate calls, %lu record gate calls\n", (int)getpid(),
		        ep_gate_calls, ep_record_calls);
}

static const OSSL_ALGORITHM ep_store[] = {
	{ "erim", EP_PROPS, ep_store_functions, "erim: URIs (key files read into trusted memory)" },
	{ NULL, NULL, NULL, NULL },
};

static const OSSL_ALGORITHM *ep_query(void *provctx, int op, int *no_cache)
{
	*no_cache = 0;
	switch (op) {
	case OSSL_OP_KEYMGMT:   return ep_keymgmt;
	case OSSL_OP_SIGNATURE: return ep_signature;
	case OSSL_OP_DECODER:   return ep_decoder;
	case OSSL_OP_STORE:     return ep_store;
	case OSSL_OP_CIPHER:    return ep_cipher;
	default:                return NULL;
	}
}

static const OSSL_PARAM *ep_gettable_params(void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_NAME, NULL, 0),
		OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_VERSION, NULL, 0),
		OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_BUILDINFO, NULL, 0),
		OSSL_PARAM_int(OSSL_PROV_PARAM_STATUS, NULL),
		OSSL_PARAM_ulong(EP_PARAM_SIGN_CALLS, NULL),
		OSSL_PARAM_ulong(EP_PARAM_RECORD_CALLS, NULL),
		OSSL_PARAM_END,
	};
	return p;
}

static int ep_get_params(void *provctx, OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	if ((p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME)) &&
	    !OSSL_PARAM_set_utf8_ptr(p, "erim provider: private keys in erim's trusted domain"))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION)) && !OSSL_PARAM_set_utf8_ptr(p, PACKAGE_VERSION))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO)) &&
	    !OSSL_PARAM_set_utf8_ptr(p, erim_backend_name(erim_backend())))
		return 0;
	if ((p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS)) && !OSSL_PARAM_set_int(p, erim_initialized()))
		return 0;
	if ((p = OSSL_PARAM_locate(params, EP_PARAM_SIGN_CALLS)) && !OSSL_PARAM_set_ulong(p, ep_gate_calls))
		return 0;
	if ((p = OSSL_PARAM_locate(params, EP_PARAM_RECORD_CALLS)) && !OSSL_PARAM_set_ulong(p, ep_record_calls))
		return 0;
	return 1;
}

static void ep_teardown(void *provctx)
{
	OPENSSL_free(provctx);
}

static const OSSL_DISPATCH ep_dispatch[] = {
	{ OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))ep_teardown },
	{ OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))ep_gettable_params },
	{ OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))ep_get_params },
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))ep_query },
	{ 0, NULL },
};

/* Initialise erim once per process; 1 on success. */
static int ep_start_erim(void)
{
	static int started;
	struct erim_config cfg;
	int rc;

	if (started)
		return 1;
	if (erim_initialized()) {
		ep_error("erim was initialised before the provider loaded (ERIM_AUTOINIT?); "
		         "its trusted entries could not be registered -- load the provider "
		         "from OPENSSL_CONF without ERIM_AUTOINIT");
		return 0;
	}
	/* Load-time inspection looks for WRPKRU/XRSTOR byte sequences that untrusted
	 * code could jump to.  Debian's libcrypto 3.0 has one inside a call's
	 * displacement (OSSL_DECODER code); erim_init retargets that call through
	 * a trampoline (runtime/inspect_disp.c), so inspection stays on under
	 * every back end.  ERIM_INSPECT still overrides this choice. */
	memset(&cfg, 0, sizeof cfg);
	cfg.backend = ERIM_BACKEND_AUTO;
	cfg.inspect = ERIM_INSPECT_REFUSE;
	cfg.quiet = getenv("ERIM_QUIET") != NULL;
	rc = erim_init(&cfg);
	if (rc < 0) {
		ep_error("erim_init failed: %s", erim_strerror());
		return 0;
	}
	started = 1;
	ep_stats = getenv("ERIM_PROVIDER_STATS") && strcmp(getenv("ERIM_PROVIDER_STATS"), "1") == 0;
	if (!getenv("ERIM_QUIET"))
		fprintf(stderr, "erim-provider: private keys are kept in erim's trusted domain (back end %s)\n",
		        erim_backend_name(erim_backend()));
	return 1;
}

int OSSL_provider_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in,
                       const OSSL_DISPATCH **out, void **provctx);

int OSSL_provider_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in,
                       const OSSL_DISPATCH **out, void **provctx)
{
	struct ep_provctx *ctx;

	if (!ep_start_erim())
		return 0;
	ctx = OPENSSL_zalloc(sizeof *ctx);
	if (!ctx)
		return 0;
	ctx->handle = handle;
	for (; in->function_id != 0; in++) {
		if (in->function_id == OSSL_FUNC_BIO_READ_EX)
			ctx->bio_read_ex = OSSL_FUNC_BIO_read_ex(in);
	}
	if (!ctx->bio_read_ex) {
		ep_error("the OpenSSL core offers no BIO_read_ex; cannot read key references");
		OPENSSL_free(ctx);
		return 0;
	}
	*out = ep_dispatch;
	*provctx = ctx;
	return 1;
}
