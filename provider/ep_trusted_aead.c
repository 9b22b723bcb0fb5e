/* ep_trusted_aead.c: the trusted half of the TLS record layer (erimprov.erim,
 * ep_aead_*).  A record key, its AES key schedule, the GHASH key H and the
 * ChaCha20 key live in an erim_calloc'd block reached through a table in a
 * trusted global; untrusted code holds the table index.  Each record is one
 * call: the generated gate has already copied the nonce, the AAD and the
 * record into fresh trusted memory and copies OUT and TAG back afterwards.
 *
 * Crypto: BearSSL's AES-CTR (AES-NI when the CPU has it, else the constant-
 * time ct64 code) with its GCM (GHASH with PCLMULQDQ, else ctmul64), and
 * BearSSL's ChaCha20 (SSE2, else ct) + Poly1305 (ctmulq, else ctmul).  None
 * of them allocates or keeps global state: the per-record state (counter
 * blocks, GHASH accumulator, Poly1305 key) is on the trusted stack or in the
 * key's block, and every function pointer followed here comes from BearSSL's
 * const tables or getters, stored in trusted memory. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "erim.h"
#include "ep_trusted.h"
#include "erimprov_trusted.h"

struct ept_aead {
	int alg;                        /* EP_AEAD_* */
	size_t keylen;
	union {
		const br_block_ctr_class *vtable;
		br_aes_x86ni_ctr_keys ni;
		br_aes_ct64_ctr_keys ct64;
	} aes;
	br_ghash ghash;
	br_gcm_context gcm;             /* holds H; bctx points at aes */
	unsigned char chacha_key[32];
	br_chacha20_run chacha;
	br_poly1305_run poly;
};

static ERIM_TRUSTED struct ept_aead *ept_aeads[EP_MAX_AEAD];
static ERIM_TRUSTED int ept_aead_hint;

static struct ept_aead *lookup(int h)
{
	if (h < 0 || h >= EP_MAX_AEAD)
		return NULL;
	return ept_aeads[h];
}

static int slot(void)
{
	int i, j;

	for (j = 0; j < EP_MAX_AEAD; j++) {
		i = (ept_aead_hint + j) % EP_MAX_AEAD;
		if (!ept_aeads[i]) {
			ept_aead_hint = (i + 1) % EP_MAX_AEAD;
			return i;
		}
	}
	return -1;
}

/* (Re)point the GCM context at this block's own AES keys (after a copy). */
static void gcm_bind(struct ept_aead *a)
{
	br_gcm_init(&a->gcm, &a->aes.vtable, a->ghash);
}

static int setup(struct ept_aead *a, int alg, const uint8_t *key, size_t keylen)
{
	const br_block_ctr_class *vt;

	a->alg = alg;
	a->keylen = keylen;
	switch (alg) {
	case EP_AEAD_AES128GCM:
	case EP_AEAD_AES256GCM:
		if (keylen != (alg == EP_AEAD_AES128GCM ? 16u : 32u))
			return -EINVAL;
		vt = br_aes_x86ni_ctr_get_vtable();
		if (!vt)
			vt = &br_aes_ct64_ctr_vtable;
		if (vt->context_size > sizeof a->aes)
			return -ENOTSUP;
		vt->init(&a->aes.vtable, key, keylen);
		a->ghash = br_ghash_pclmul_get();
		if (!a->ghash)
			a->ghash = &br_ghash_ctmul64;
		gcm_bind(a);
		return 0;
	case EP_AEAD_CHACHAPOLY:
		if (keylen != 32)
			return -EINVAL;
		memcpy(a->chacha_key, key, 32);
		a->chacha = br_chacha20_sse2_get();
		if (!a->chacha)
			a->chacha = &br_chacha20_ct_run;
		a->poly = br_poly1305_ctmulq_get();
		if (!a->poly)
			a->poly = &br_poly1305_ctmul_run;
		return 0;
	default:
		return -EINVAL;
	}
}

int ep_aead_new_impl(int alg, const uint8_t *key, size_t keylen)
{
	struct ept_aead *a;
	int i = slot(), rc;

	if (i < 0)
		return -ENOSPC;
	a = erim_calloc(1, sizeof *a);
	if (!a)
		return -ENOMEM;
	rc = setup(a, alg, key, keylen);
	if (rc < 0) {
		ept_wipe(a, sizeof *a);
		erim_free(a);
		return rc;
	}
	ept_aeads[i] = a;
	return i;
}

int ep_aead_dup_impl(int handle)
{
	struct ept_aead *a = lookup(handle), *n;
	int i = slot();

	if (!a)
		return -EINVAL;
	if (i < 0)
		return -ENOSPC;
	n = erim_malloc(sizeof *n);
	if (!n)
		return -ENOMEM;
	memcpy(n, a, sizeof *n);
	if (n->alg != EP_AEAD_CHACHAPOLY)
		gcm_bind(n);
	ept_aeads[i] = n;
	return i;
}

int ep_aead_free_impl(int handle)
{
	struct ept_aead *a = lookup(handle);

	if (!a)
		return -EINVAL;
	ept_aeads[handle] = NULL;
	ept_wipe(a, sizeof *a);
	erim_free(a);
	return 0;
}

int ep_aead_run_impl(int handle, int mode, const uint8_t *nonce, const uint8_t *aad, size_t aadlen,
                     const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag)
{
	struct ept_aead *a = lookup(handle);
	unsigned char t[16];
	int enc = mode == EP_AEAD_SEAL, ok = 1;

	if (!a || (mode != EP_AEAD_OPEN && mode != EP_AEAD_SEAL && mode != EP_AEAD_OPEN_LATE) ||
	    len > EP_AEAD_MAX_DATA || aadlen > EP_AEAD_MAX_AAD)
		return -EINVAL;
	memcpy(out, in, len);
	if (a->alg == EP_AEAD_CHACHAPOLY) {
		a->poly(a->chacha_key, nonce, out, len, aad, aadlen, t, a->chacha, enc);
		if (mode == EP_AEAD_OPEN)
			ok = sodium_memcmp(t, tag, 16) == 0;
		else
			memcpy(tag, t, 16);
	} else {
		br_gcm_reset(&a->gcm, nonce, 12);
		br_gcm_aad_inject(&a->gcm, aad, aadlen);
		br_gcm_flip(&a->gcm);
		br_gcm_run(&a->gcm, enc, out, len);
		if (mode == EP_AEAD_OPEN)
			ok = br_gcm_check_tag(&a->gcm, tag) == 1;
		else
			br_gcm_get_tag(&a->gcm, tag);
	}
	ept_wipe(t, sizeof t);
	if (!ok) {
		/* a forged or damaged record: no byte of its "plaintext" leaves */
		ept_wipe(out, len);
		return -EBADMSG;
	}
	return 0;
}
