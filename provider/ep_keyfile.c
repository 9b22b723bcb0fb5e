/* SPDX-License-Identifier: MIT */
/* ep_keyfile.c: the trusted side reads a private-key file itself.  The file
 * is opened, checked (a regular file, owned by us or root, not writable by
 * group/others, not readable by others) and read into erim_malloc'd trusted
 * memory; PEM is decoded and the key parsed with BearSSL (RSA PKCS#1/PKCS#8,
 * EC P-256 SEC1/PKCS#8) or by hand (Ed25519 PKCS#8, one fixed 48-byte form),
 * all in trusted memory.  Every scratch buffer is wiped before it is freed,
 * on success and on every failure: nothing is left half-loaded. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "erim.h"
#include "ep_trusted.h"

/* Scratch state for one load, in trusted memory. */
struct ept_scratch {
	unsigned char file[EP_MAX_KEYFILE + 1];
	unsigned char der[EP_MAX_KEYFILE];
	size_t derlen;
	int der_overflow;
	br_pem_decoder_context pem;
	br_skey_decoder_context skey;
};

static void der_append(void *ctx, const void *data, size_t len)
{
	struct ept_scratch *s = ctx;

	if (len > sizeof s->der - s->derlen) {
		s->der_overflow = 1;
		return;
	}
	ept_copy(s->der + s->derlen, data, len);
	s->derlen += len;
}

/* Open PATH and check who may read or change it.  An fd or a negative errno. */
static int open_checked(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int e = errno;

		ept_logf("cannot open key file %s: errno %d", path, e);   /* strerror reads locale data */
		return -e;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ept_logf("key file %s is not a regular file", path);
		close(fd);
		return -EBADMSG;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		ept_logf("refusing key file %s: owned by uid %u, not by this process (uid %u) or root",
		         path, (unsigned)st.st_uid, (unsigned)geteuid());
		close(fd);
		return -EACCES;
	}
	if (st.st_mode & (S_IWGRP | S_IRWXO)) {
		ept_logf("refusing key file %s: mode %04o lets others read or change it "
		         "(chmod 600, or 640 for a key group)", path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -EACCES;
	}
	if (st.st_size > EP_MAX_KEYFILE) {
		ept_logf("refusing key file %s: larger than %d bytes", path, EP_MAX_KEYFILE);
		close(fd);
		return -EBADMSG;
	}
	return fd;
}

static int read_all(int fd, unsigned char *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap)
			return -EBADMSG;
	}
	*len = n;
	return 0;
}

/* PEM -> DER of the first private-key object; 0 or -EBADMSG/-ENOTSUP. */
static int pem_to_der(struct ept_scratch *s, size_t len, const char *path)
{
	size_t off = 0;
	int inside = 0, done = 0;

	br_pem_decoder_init(&s->pem);
	while (off < len && !done) {
		off += br_pem_decoder_push(&s->pem, s->file + off, len - off);
		switch (br_pem_decoder_event(&s->pem)) {
		case BR_PEM_BEGIN_OBJ: {
			const char *name = br_pem_decoder_name(&s->pem);

			if (ept_streq(name, "ENCRYPTED PRIVATE KEY")) {
				ept_logf("key file %s is encrypted; erim needs an unencrypted key "
				         "readable only by the server (chmod 600)", path);
				return -ENOTSUP;
			}
			if (ept_streq(name, "PRIVATE KEY") || ept_streq(name, "RSA PRIVATE KEY") ||
			    ept_streq(name, "EC PRIVATE KEY")) {
				inside = 1;
				s->derlen = 0;
				br_pem_decoder_setdest(&s->pem, der_append, s);
			} else {
				br_pem_decoder_setdest(&s->pem, NULL, NULL);
			}
			break;
		}
		case BR_PEM_END_OBJ:
			if (inside)
				done = 1;
			break;
		case BR_PEM_ERROR:
			ept_logf("key file %s: malformed PEM", path);
			return -EBADMSG;
		default:
			break;
		}
	}
	if (!done || s->der_overflow || s->derlen == 0) {
		ept_logf("key file %s: no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) in it", path);
		return -EBADMSG;
	}
	return 0;
}

/* PKCS#8 Ed25519 (RFC 8410): 30 2e 02 01 00 30 05 06 03 2b 65 70 04 22 04 20 <seed> */
static int parse_ed25519(const unsigned char *der, size_t len, struct ept_key *k)
{
	static const unsigned char prefix[16] = {
		0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
		0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
	};
	unsigned char pk[32];

	if (len != 48 || memcmp(der, prefix, sizeof prefix) != 0)
		return -ENOENT;   /* not this form: let the other parsers try */
	if (crypto_sign_seed_keypair(pk, k->ed_sk, der + 16) != 0)
		return -EBADMSG;
	k->type = EP_KT_ED25519;
	k->bits = 256;
	return 0;
}

/* One DER element at *P (< END): its tag, and its content in [*C, *C + *N);
 * *P moves past it.  0 or -1. */
static int der_next(const unsigned char **p, const unsigned char *end, int *tag,
                    const unsigned char **c, size_t *n)
{
	const unsigned char *q = *p;
	size_t len, i, nb;

	if (end - q < 2)
		return -1;
	*tag = q[0];
	len = q[1];
	q += 2;
	if (len & 0x80) {
		nb = len & 0x7f;
		if (nb == 0 || nb > 3 || (size_t)(end - q) < nb)
			return -1;
		for (len = 0, i = 0; i < nb; i++)
			len = (len << 8) | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*c = q;
	*n = len;
	*p = q + len;
	return 0;
}

/* The public exponent from RSAPrivateKey (PKCS#1) or PKCS#8 DER.  BearSSL
 * 0.6's br_rsa_i31_compute_pubexp returns 0 for ordinary keys, and the
 * exponent is public anyway, so it is read from the file. */
static uint32_t rsa_pubexp(const unsigned char *der, size_t len)
{
	const unsigned char *p = der, *end = der + len, *c, *q, *qe;
	size_t n;
	int tag, depth;
	uint32_t e = 0;

	for (depth = 0; depth < 2; depth++) {
		if (der_next(&p, end, &tag, &c, &n) < 0 || tag != 0x30)
			return 0;
		q = c;
		qe = c + n;
		if (der_next(&q, qe, &tag, &c, &n) < 0 || tag != 0x02)   /* version */
			return 0;
		if (der_next(&q, qe, &tag, &c, &n) < 0)
			return 0;
		if (tag == 0x30) {        /* PKCS#8 AlgorithmIdentifier: the key is in the OCTET STRING */
			if (der_next(&q, qe, &tag, &c, &n) < 0 || tag != 0x04)
				return 0;
			p = c;
			end = c + n;
			continue;
		}
		if (tag != 0x02 || der_next(&q, qe, &tag, &c, &n) < 0 || tag != 0x02 || n == 0 || n > 5)
			return 0;             /* n, then e */
		while (n--)
			e = (e << 8) | *c++;
		return e;
	}
	return 0;
}

static int copy_rsa(const br_rsa_private_key *src, uint32_t e, struct ept_key *k, const char *path)
{
	unsigned char *p = k->rsa_buf;
	const size_t part = EP_MAX_RSA_BITS / 16 + 1;
	if (src->n_bitlen < 2048 || src->n_bitlen > EP_MAX_RSA_BITS ||
	    src->plen > part || src->qlen > part || src->dplen > part ||
	    src->dqlen > part || src->iqlen > part) {
		ept_logf("key file %s: RSA key of %u bits; erim supports 2048 to %d",
		         path, (unsigned)src->n_bitlen, EP_MAX_RSA_BITS);
		return -ENOTSUP;
	}
	k->rsa.n_bitlen = src->n_bitlen;
#define EP_COPY(f) do { ept_copy(p, src->f, src->f##len); k->rsa.f = p; k->rsa.f##len = src->f##len; p += part; } while (0)
	EP_COPY(p);
	EP_COPY(q);
	EP_COPY(dp);
	EP_COPY(dq);
	EP_COPY(iq);
#undef EP_COPY
	k->nlen = br_rsa_i31_compute_modulus(NULL, &k->rsa);
	if (k->nlen == 0 || k->nlen > sizeof k->n || br_rsa_i31_compute_modulus(k->n, &k->rsa) != k->nlen)
		return -EBADMSG;
	if (e < 3 || !(e & 1)) {
		ept_logf("key file %s: RSA key with an unsupported public exponent", path);
		return -ENOTSUP;
	}
	k->e[0] = (unsigned char)(e >> 24);
	k->e[1] = (unsigned char)(e >> 16);
	k->e[2] = (unsigned char)(e >> 8);
	k->e[3] = (unsigned char)e;
	k->elen = 4;
	k->type = EP_KT_RSA;
	k->bits = src->n_bitlen;
	return 0;
}

static int copy_ec(const br_ec_private_key *src, struct ept_key *k, const char *path)
{
	br_ec_public_key pub;

	if (src->curve != BR_EC_secp256r1 || src->xlen != sizeof k->ec_x) {
		ept_logf("key file %s: EC key on curve %d; erim supports P-256 (prime256v1)", path, src->curve);
		return -ENOTSUP;
	}
	ept_copy(k->ec_x, src->x, sizeof k->ec_x);
	k->ec.curve = BR_EC_secp256r1;
	k->ec.x = k->ec_x;
	k->ec.xlen = sizeof k->ec_x;
	if (br_ec_compute_pub(&br_ec_p256_m31, &pub, k->ec_pub, &k->ec) != sizeof k->ec_pub)
		return -EBADMSG;
	k->type = EP_KT_EC_P256;
	k->bits = 256;
	return 0;
}

static int parse_der(struct ept_scratch *s, struct ept_key *k, const char *path)
{
	int rc = parse_ed25519(s->der, s->derlen, k);

	if (rc != -ENOENT)
		return rc;
	br_skey_decoder_init(&s->skey);
	br_skey_decoder_push(&s->skey, s->der, s->derlen);
	if (br_skey_decoder_last_error(&s->skey) != 0) {
		ept_logf("key file %s: not an RSA, EC P-256 or Ed25519 private key (BearSSL error %d)",
		         path, br_skey_decoder_last_error(&s->skey));
		return -EBADMSG;
	}
	switch (br_skey_decoder_key_type(&s->skey)) {
	case BR_KEYTYPE_RSA:
		return copy_rsa(br_skey_decoder_get_rsa(&s->skey), rsa_pubexp(s->der, s->derlen), k, path);
	case BR_KEYTYPE_EC:
		return copy_ec(br_skey_decoder_get_ec(&s->skey), k, path);
	default:
		ept_logf("key file %s: unsupported key type", path);
		return -ENOTSUP;
	}
}

int ept_keyfile_load(const char *path, struct ept_key *k)
{
	struct ept_scratch *s;
	size_t len = 0;
	int fd, rc;

	fd = open_checked(path);
	if (fd < 0)
		return fd;
	s = erim_calloc(1, sizeof *s);
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	rc = read_all(fd, s->file, sizeof s->file - 1, &len);
	close(fd);
	if (rc < 0)
		ept_logf("cannot read key file %s: errno %d", path, -rc);
	if (rc == 0)
		rc = pem_to_der(s, len, path);
	if (rc == 0)
		rc = parse_der(s, k, path);
	ept_wipe(s, sizeof *s);
	erim_free(s);
	if (rc < 0)
		ept_wipe(k, sizeof *k);
	return rc;
}
