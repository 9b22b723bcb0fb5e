/* SPDX-License-Identifier: MIT */
/* ep_keyscan.c: an honest stand-in for a Heartbleed-class bug inside a TLS
 * server -- code running in the server process with an arbitrary-read
 * primitive.  LD_PRELOADed into the server, it wraps SSL_read; when a request
 * carries the trigger "X-Keyscan: 1" it reads every readable page of the
 * process (as listed in /proc/self/maps, with ordinary loads, exactly what an
 * over-read can reach) looking for the bytes of a private-key secret (the
 * RSA prime p, the EC private scalar, the Ed25519 seed) in big-endian (as in
 * the key file) and little-endian (OpenSSL's BIGNUM limbs) order, and appends
 * one line to $KEYSCAN_OUT:
 *
 *     FOUND the secret (big|little-endian) at ADDR in REGION   or
 *     NOT FOUND (scanned N bytes in M readable regions; K regions unreadable)
 *
 * KEYSCAN_HEX: the secret in hex.  KEYSCAN_HEXFILE: a file read when the
 * scan is triggered, one secret in hex per line, one result line each (for
 * secrets that exist only once a connection is up: the TLS record keys that
 * the client derived from its key log).  KEYSCAN_ALL=1: also read the regions the
 * maps show unreadable -- under erim's mprotect back end those are the trusted pages,
 * and the read faults (the process stops; under mpk the trusted pages are
 * mapped readable and it is the protection key that stops the read, with
 * erim's violation report). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct ssl_st SSL;
int SSL_read(SSL *ssl, void *buf, int num);

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static size_t parse_hex(const char *h, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (h[0] && h[1] && n < cap) {
		int a = hexval(h[0]), b = hexval(h[1]);

		if (a < 0 || b < 0)
			break;
		out[n++] = (unsigned char)(a << 4 | b);
		h += 2;
	}
	return n;
}

/* The settings, read when the library is loaded: servers such as nginx clear
 * the environment of their worker processes. */
static char ks_hex[2100], ks_out[1024], ks_hexfile[1024];
static int ks_all;

__attribute__((constructor)) static void ks_settings(void)
{
	const char *v;

	if ((v = getenv("KEYSCAN_HEX")))
		snprintf(ks_hex, sizeof ks_hex, "%s", v);
	if ((v = getenv("KEYSCAN_HEXFILE")))
		snprintf(ks_hexfile, sizeof ks_hexfile, "%s", v);
	if ((v = getenv("KEYSCAN_OUT")))
		snprintf(ks_out, sizeof ks_out, "%s", v);
	ks_all = (v = getenv("KEYSCAN_ALL")) && strcmp(v, "1") == 0;
}

static void scan(const char *hex)
{
	/* the needles live in their own mapping, which the scan skips (it would
	 * otherwise find its own copy of p) */
	unsigned char *be, *le;
	const char *outp = ks_out;
	int all = ks_all;
	size_t n, i, scanned = 0;
	unsigned long lo, hi;
	char perms[8], line[512], found[600] = "";
	int regions = 0, skipped = 0;
	FILE *maps, *out;

	be = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (be == MAP_FAILED)
		return;
	le = be + 2048;
	if (!outp[0] || (n = parse_hex(hex, be, 1024)) < 16) {
		munmap(be, 4096);
		return;
	}
	for (i = 0; i < n; i++)
		le[i] = be[n - 1 - i];
	maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return;
	while (!found[0] && fgets(line, sizeof line, maps)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
			continue;
		if (lo <= (unsigned long)be && (unsigned long)be < hi)
			continue;
		if (perms[0] != 'r' && !all) {
			skipped++;
			continue;
		}
		regions++;
		if (hi - lo >= n) {
			const unsigned char *p = (const unsigned char *)lo;
			size_t len = hi - lo;
			const unsigned char *hit = memmem(p, len, be, n);
			const char *order = "big";

			if (!hit) {
				hit = memmem(p, len, le, n);
				order = "little";
			}
			scanned += len;
			if (hit) {
				line[strcspn(line, "\n")] = 0;
				snprintf(found, sizeof found, "FOUND the secret (%s-endian) at %p in %s", order, (const void *)hit, line);
			}
		}
	}
	fclose(maps);
	munmap(be, 4096);
	out = fopen(outp, "a");
	if (!out)
		return;
	if (found[0])
		fprintf(out, "%s\n", found);
	else
		fprintf(out, "NOT FOUND (scanned %zu bytes in %d readable regions; %d regions unreadable)\n",
		        scanned, regions, skipped);
	fclose(out);
}

int SSL_read(SSL *ssl, void *buf, int num)
{
	static int (*real)(SSL *, void *, int);
	int r;

	if (!real)
		real = (int (*)(SSL *, void *, int))dlsym(RTLD_NEXT, "SSL_read");
	r = real(ssl, buf, num);
	if (r > 0 && memmem(buf, (size_t)r, "X-Keyscan: 1", 12)) {
		if (ks_hexfile[0]) {
			FILE *f = fopen(ks_hexfile, "r");

			while (f && fgets(ks_hex, sizeof ks_hex, f)) {
				ks_hex[strcspn(ks_hex, "\n")] = 0;
				scan(ks_hex);
			}
			if (f)
				fclose(f);
		} else {
			scan(ks_hex);
		}
	}
	return r;
}
