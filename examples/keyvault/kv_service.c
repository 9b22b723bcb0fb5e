/* SPDX-License-Identifier: MIT */
/* kv_service.c: the untrusted component of the keyvault example, a signing
 * service speaking a line protocol on stdin/stdout or on a loopback TCP port.
 *
 *     PUBKEY                  -> OK <public key, hex>
 *     SIGN <msg hex>          -> OK <signature, hex>
 *     VERIFY <msg hex> <sig>  -> OK valid | ERR invalid signature
 *     ECHO <len> <text>       -> OK <len bytes of text, hex>   (keep-alive probe)
 *     STATS                   -> OK requests=N backend=NAME
 *     QUIT
 *
 * It is deliberately written like ordinary network code, including an ordinary
 * bug: ECHO believes the peer's <len> (exactly Heartbleed's mistake), so a
 * peer can read up to 64 KiB of the process's memory that follows the request
 * buffer.  Without isolation that memory includes the signing key; with erim
 * the key sits in trusted memory and the over-read is stopped at its first
 * byte.  Nothing in this file can touch the key except through the gates
 * declared in keyvault.erim (keyvault_erim.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "erim.h"
#include "keyvault_erim.h"

#define KVS_LINE_MAX 16384          /* longest request line */
#define KVS_ECHO_MAX 65535          /* a 16-bit length, as in TLS heartbeats */
#define KVS_MSG_MAX (KVS_LINE_MAX / 2)

/* Per-connection state.  Initialised statically (banner), so it lives in
 * .data, ahead of everything the linker places after it. */
static struct kvs_session {
	char banner[64];
	unsigned long requests;
	char line[KVS_LINE_MAX];
} kvs_sess = { .banner = "keyvault 0.1 (erim example)" };

static char kvs_out[2 * KVS_ECHO_MAX + 64];   /* reply being built */
static uint8_t kvs_msg[KVS_MSG_MAX];
static uint8_t kvs_sig[crypto_sign_BYTES];

/* The untrusted side's logger; trusted code reaches it through kv_log_ocall. */
void kv_log(const char *line)
{
	fprintf(stderr, "keyvault: %s\n", line);
}

/* Decode the hex string S into at most CAP bytes; the length, or -1. */
static long kvs_unhex(const char *s, size_t slen, uint8_t *buf, size_t cap)
{
	size_t bin_len;

	if (slen % 2 != 0 || slen / 2 > cap)
		return -1;
	if (sodium_hex2bin(buf, cap, s, slen, NULL, &bin_len, NULL) != 0 || bin_len != slen / 2)
		return -1;
	return (long)bin_len;
}

/* "OK " followed by BUF[0..N) in hex, into kvs_out. */
static const char *kvs_reply_hex(const void *buf, size_t n)
{
	memcpy(kvs_out, "OK ", 3);
	sodium_bin2hex(kvs_out + 3, sizeof kvs_out - 3, buf, n);
	return kvs_out;
}

static const char *kvs_cmd_pubkey(char *args)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];

	(void)args;
	if (kv_pubkey(pk) != 0)
		return "ERR no key";
	return kvs_reply_hex(pk, sizeof pk);
}

static const char *kvs_cmd_sign(char *args)
{
	long n = kvs_unhex(args, strlen(args), kvs_msg, sizeof kvs_msg);

	if (n < 0)
		return "ERR usage: SIGN <message in hex>";
	if (kv_sign(kvs_msg, (size_t)n, kvs_sig) != 0)
		return "ERR signing failed";
	return kvs_reply_hex(kvs_sig, sizeof kvs_sig);
}

static const char *kvs_cmd_verify(char *args)
{
	char *sp = strchr(args, ' ');
	long n;

	if (sp == NULL)
		return "ERR usage: VERIFY <message in hex> <signature in hex>";
	n = kvs_unhex(args, (size_t)(sp - args), kvs_msg, sizeof kvs_msg);
	if (n < 0 || kvs_unhex(sp + 1, strlen(sp + 1), kvs_sig, sizeof kvs_sig) != (long)sizeof kvs_sig)
		return "ERR usage: VERIFY <message in hex> <signature in hex>";
	return kv_verify(kvs_msg, (size_t)n, kvs_sig) == 0 ? "OK valid" : "ERR invalid signature";
}

/* ECHO <len> <text>: a keep-alive probe; the peer says how long its text is
 * and gets it back. */
static const char *kvs_cmd_echo(char *args)
{
	char *text;
	unsigned long len = strtoul(args, &text, 10);

	if (text == args || *text != ' ' || len > KVS_ECHO_MAX)
		return "ERR usage: ECHO <len> <text>";
	text++;
	/* The bug: len is what the peer claims, never compared with
	 * strlen(text).  Claiming 65535 and sending 2 bytes returns 65533
	 * bytes of whatever follows the request buffer. */
	return kvs_reply_hex(text, len);
}

static const char *kvs_cmd_stats(char *args)
{
	(void)args;
	snprintf(kvs_out, sizeof kvs_out, "OK requests=%lu backend=%s", kvs_sess.requests,
	         erim_backend_name(erim_backend()));
	return kvs_out;
}

/* The command table. */
static const struct kvs_command {
	const char *name;
	const char *(*run)(char *args);
} kvs_commands[] = {
	{ "PUBKEY", kvs_cmd_pubkey },
	{ "SIGN", kvs_cmd_sign },
	{ "VERIFY", kvs_cmd_verify },
	{ "ECHO", kvs_cmd_echo },
	{ "STATS", kvs_cmd_stats },
};

/* Answer one request line (without its newline); NULL means QUIT. */
static const char *kvs_handle(char *line)
{
	size_t i;
	char *args = strchr(line, ' ');
	size_t cmdlen = args ? (size_t)(args - line) : strlen(line);

	kvs_sess.requests++;
	if (cmdlen == 4 && memcmp(line, "QUIT", 4) == 0)
		return NULL;
	for (i = 0; i < sizeof kvs_commands / sizeof kvs_commands[0]; i++)
		if (strlen(kvs_commands[i].name) == cmdlen && memcmp(line, kvs_commands[i].name, cmdlen) == 0)
			return kvs_commands[i].run(args ? args + 1 : line + cmdlen);
	return "ERR unknown command (PUBKEY, SIGN, VERIFY, ECHO, STATS, QUIT)";
}

/* Serve one connection until QUIT or end of input. */
static void kvs_serve(FILE *in, FILE *out)
{
	while (fgets(kvs_sess.line, sizeof kvs_sess.line, in) != NULL) {
		size_t n = strcspn(kvs_sess.line, "\r\n");
		const char *reply;

		kvs_sess.line[n] = '\0';
		if (n == 0)
			continue;
		reply = kvs_handle(kvs_sess.line);
		if (reply == NULL)
			break;
		fputs(reply, out);
		fputc('\n', out);
		if (fflush(out) != 0)
			break;
	}
}

/* Serve connections to 127.0.0.1:PORT one at a time, forever. */
static int kvs_listen(const char *port_str)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	char *end;
	unsigned long port = strtoul(port_str, &end, 10);
	int one = 1, fd;

	if (*end != '\0' || port == 0 || port > 65535) {
		fprintf(stderr, "keyvault: bad port '%s'\n", port_str);
		return 2;
	}
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 8) != 0) {
		fprintf(stderr, "keyvault: cannot listen on 127.0.0.1:%lu: %s\n", port, strerror(errno));
		return 1;
	}
	fprintf(stderr, "keyvault: listening on 127.0.0.1:%lu\n", port);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		FILE *in, *out;

		if (c < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "keyvault: accept: %s\n", strerror(errno));
			return 1;
		}
		in = fdopen(c, "r");
		out = fdopen(dup(c), "w");
		if (in == NULL || out == NULL) {
			fprintf(stderr, "keyvault: out of memory\n");
			return 1;
		}
		kvs_serve(in, out);
		fclose(in);
		fclose(out);
	}
}

static void kvs_usage(FILE *f)
{
	fprintf(f, "usage: keyvault [--listen PORT | --best-backend | --help]\n"
	           "  Serves the keyvault line protocol on stdin/stdout, or on 127.0.0.1:PORT.\n"
	           "  The erim back end comes from ERIM_BACKEND (mpk, mprotect, none; default: best).\n");
}

int main(int argc, char **argv)
{
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		kvs_usage(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--best-backend") == 0) {
		puts(erim_pku_available() ? "mpk" : "mprotect");
		return 0;
	}
	if (argc != 1 && !(argc == 3 && strcmp(argv[1], "--listen") == 0)) {
		kvs_usage(stderr);
		return 2;
	}
	/* sodium_init() fills libsodium's implementation tables; it runs during
	 * start-up, before erim_init, while everything is still trusted. */
	if (sodium_init() < 0) {
		fprintf(stderr, "keyvault: sodium_init failed\n");
		return 1;
	}
	rc = erim_init(NULL);
	if (rc != 0) {
		fprintf(stderr, "keyvault: erim_init: %s (%s)\n", strerror(-rc), erim_strerror());
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (kv_generate() != 0) {
		fprintf(stderr, "keyvault: cannot generate a key\n");
		return 1;
	}
	fprintf(stderr, "keyvault: ready, erim back end '%s'\n", erim_backend_name(erim_backend()));
	if (argc == 3)
		return kvs_listen(argv[2]);
	kvs_serve(stdin, stdout);
	return 0;
}
