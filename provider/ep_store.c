/* SPDX-License-Identifier: MIT */
/* ep_store.c: an OSSL_STORE loader for the "erim:" scheme, for programs that
 * open keys through OSSL_STORE rather than the PEM decoder (openssl s_server
 * -key, openssl pkeyutl -inkey, ...):
 *
 *     erim:/etc/ssl/private/site.key     the key file itself, or
 *     erim:/etc/ssl/private/site.erimref an erim key reference naming it
 *
 * Either way the trusted side reads the key file (ep_load); the loader hands
 * OpenSSL the same object reference as the decoder. */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "ep_prov.h"

struct ep_storectx {
	char *path;
	int done;
};

static void *st_open(void *provctx, const char *uri)
{
	struct ep_storectx *c;

	if (strncmp(uri, "erim:", 5) != 0)
		return NULL;
	uri += 5;
	if (strncmp(uri, "//", 2) == 0)   /* erim:///path */
		uri += 2;
	if (uri[0] != '/') {
		ep_error("erim: URI needs an absolute path (erim:/path/to/key.pem)");
		return NULL;
	}
	c = OPENSSL_zalloc(sizeof *c);
	if (c && !(c->path = OPENSSL_strdup(uri))) {
		OPENSSL_free(c);
		c = NULL;
	}
	return c;
}

/* If PATH is an erim key reference, its key's path and type; else PATH itself. */
static int resolve(const char *path, char *keypath, size_t cap, int *type)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	*type = 0;
	snprintf(keypath, cap, "%s", path);
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	if (!strstr(buf, "-----BEGIN ERIM KEY REFERENCE-----"))
		return 0;
	return ep_ref_parse(buf, keypath, cap, type);
}

static int st_load(void *vctx, OSSL_CALLBACK *object_cb, void *object_cbarg,
                   OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
	struct ep_storectx *c = vctx;
	char keypath[4096];
	int type;

	c->done = 1;
	if (resolve(c->path, keypath, sizeof keypath, &type) < 0)
		return 0;
	return ep_ref_offer(keypath, type, object_cb, object_cbarg);
}

static int st_eof(void *vctx)
{
	return ((struct ep_storectx *)vctx)->done;
}

static int st_close(void *vctx)
{
	struct ep_storectx *c = vctx;

	OPENSSL_free(c->path);
	OPENSSL_free(c);
	return 1;
}

static int st_export_object(void *vctx, const void *ref, size_t ref_sz, OSSL_CALLBACK *cb, void *cbarg)
{
	return 0;   /* keys never leave this provider */
}

const OSSL_DISPATCH ep_store_functions[] = {
	{ OSSL_FUNC_STORE_OPEN, (void (*)(void))st_open },
	{ OSSL_FUNC_STORE_LOAD, (void (*)(void))st_load },
	{ OSSL_FUNC_STORE_EOF, (void (*)(void))st_eof },
	{ OSSL_FUNC_STORE_CLOSE, (void (*)(void))st_close },
	{ OSSL_FUNC_STORE_EXPORT_OBJECT, (void (*)(void))st_export_object },
	{ 0, NULL },
};
