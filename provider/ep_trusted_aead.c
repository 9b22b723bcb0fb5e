/* SPDX-License-Identifier: MIT */
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
 * tables or getters, which the trusted closure (provider/local.am) keeps in
 * erim_trusted, and is stored in trusted memory. */
#include <errno.h>
#include <stdatomic.h>
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

/* The table of record keys.  Untrusted code chooses the handles and may call
 * from any number of threads at once (a free racing a record on the same
 * handle, two allocations racing for a slot), so every slot has a lock word:
 * a record, a copy or a free holds its slot's lock, and a slot is claimed by
 * taking its lock.  Locks are only ever tried (never waited for) except by
 * ep_aead_free, which waits for the record in flight on its own handle. */
static ERIM_TRUSTED struct ept_aead *ept_aeads[EP_MAX_AEAD];
static ERIM_TRUSTED atomic_int ept_aead_busy[EP_MAX_AEAD];
static ERIM_TRUSTED atomic_int ept_aead_hint;

static int trylock(int h)
{
	int zero = 0;

	return atomic_compare_exchange_strong(&ept_aead_busy[h], &zero, 1);
}

static void unlock(int h)
{
	atomic_store(&ept_aead_busy[h], 0);
}

/* HANDLE's key with its slot locked, or NULL (unlocked) */
static struct ept_aead *lock_key(int h)
{
	if (h < 0 || h >= EP_MAX_AEAD || !trylock(h))
		return NULL;
	if (!ept_aeads[h]) {
		unlock(h);
		return NULL;
	}
	return ept_aeads[h];
}

/* a free slot, returned locked (the caller stores the key, then unlocks) */
static int slot(void)
{
	int i, j, start = atomic_load(&ept_aead_hint);

	for (j = 0; j < EP_MAX_AEAD; j++) {
		i = (start + j) % EP_MAX_AEAD;
		if (ept_aeads[i] || !trylock(i))
			continue;
		if (!ept_aeads[i]) {
			atomic_store(&ept_aead_hint, (i + 1) % EP_MAX_AEAD);
			return i;
		}
		unlock(i);
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
		ept_copy(a->chacha_key, key, 32);
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
	int i, rc;

	a = erim_calloc(1, sizeof *a);
	if (!a)
		return -ENOMEM;
	rc = setup(a, alg, key, keylen);
	if (rc < 0 || (i = slot()) < 0) {
		ept_wipe(a, sizeof *a);
		erim_free(a);
		return rc < 0 ? rc : -ENOSPC;
	}
	ept_aeads[i] = a;
	unlock(i);
	return i;
}

int ep_aead_dup_impl(int handle)
{
	struct ept_aead *a, *n;
	int i;

	n = erim_malloc(sizeof *n);
	if (!n)
		return -ENOMEM;
	a = lock_key(handle);
	if (!a) {
		erim_free(n);
		return -EINVAL;
	}
	ept_copy(n, a, sizeof *n);
	unlock(handle);
	if (n->alg != EP_AEAD_CHACHAPOLY)
		gcm_bind(n);
	i = slot();
	if (i < 0) {
		ept_wipe(n, sizeof *n);
		erim_free(n);
		return -ENOSPC;
	}
	ept_aeads[i] = n;
	unlock(i);
	return i;
}

int ep_aead_free_impl(int handle)
{
	struct ept_aead *a;

	if (handle < 0 || handle >= EP_MAX_AEAD)
		return -EINVAL;
	/* wait for a record in flight on this handle (another thread's) */
	while (!trylock(handle))
		__builtin_ia32_pause();
	a = ept_aeads[handle];
	ept_aeads[handle] = NULL;
	unlock(handle);
	if (!a)
		return -EINVAL;
	ept_wipe(a, sizeof *a);
	erim_free(a);
	return 0;
}

int ep_aead_run_impl(int handle, int mode, const uint8_t *nonce, const uint8_t *aad, size_t aadlen,
                     const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag)
{
	struct ept_aead *a;
	unsigned char t[16];
	int enc = mode == EP_AEAD_SEAL, ok = 1;

	if ((mode != EP_AEAD_OPEN && mode != EP_AEAD_SEAL && mode != EP_AEAD_OPEN_LATE) ||
	    len > EP_AEAD_MAX_DATA || aadlen > EP_AEAD_MAX_AAD)
		return -EINVAL;
	/* busy: another thread runs a record on this very handle (libssl never
	 * does; only a confused or hostile caller) */
	a = lock_key(handle);
	if (!a)
		return handle >= 0 && handle < EP_MAX_AEAD && ept_aeads[handle] ? -EBUSY : -EINVAL;
	ept_copy(out, in, len);
	if (a->alg == EP_AEAD_CHACHAPOLY) {
		a->poly(a->chacha_key, nonce, out, len, aad, aadlen, t, a->chacha, enc);
		if (mode == EP_AEAD_OPEN)
			ok = sodium_memcmp(t, tag, 16) == 0;
		else
			ept_copy(tag, t, 16);
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
	unlock(handle);
	ept_wipe(t, sizeof t);
	if (!ok) {
		/* a forged or damaged record: no byte of its "plaintext" leaves */
		ept_wipe(out, len);
		return -EBADMSG;
	}
	return 0;
}
