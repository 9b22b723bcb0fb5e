/* SPDX-License-Identifier: MIT */
/* kv_throughput.c: requests per second of the keyvault example service under
 * each erim back end, as ratios to the `none' back end measured in the same
 * run.  The service binary is run as it is deployed (one process, requests on
 * a pipe, one reply line per request); two request kinds bracket the cost:
 * SIGN (an Ed25519 signature per gate call: crypto dominates) and PUBKEY (a
 * gate call with almost no work: switching and I/O dominate).  Each request
 * makes exactly one gate call, i.e. two domain switches; the switch rate is
 * printed with the throughput.  Each cell is the best of three runs, each
 * sized (from a 200-request probe) to take about half a second, so that a
 * slow back end does not make the benchmark slow.
 *
 *   kv_throughput [SERVICE]     (default: the keyvault built in this tree) */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim.h"

#ifndef KV_SERVICE
#define KV_SERVICE "examples/keyvault/keyvault"
#endif

#define KVB_RUNS 3

struct kvb_kind {
	const char *name;
	const char *request;     /* one line, without the newline */
	unsigned n;              /* requests per run */
};

static const struct kvb_kind kvb_kinds[] = {
	{ "SIGN 64 B", "SIGN 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	               "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", 20000 },
	{ "PUBKEY", "PUBKEY", 50000 },
};

static const char *const kvb_backends[] = { "none", "mprotect", "mpk" };

static double kvb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One run: requests/s of N requests REQ to SERVICE under BACKEND; < 0 on
 * failure. */
static double kvb_run(const char *service, const char *backend, const char *req, unsigned n)
{
	int in[2], out[2], st;
	pid_t svc, wr;
	FILE *from, *to;
	char line[512];
	unsigned i, got = 0;
	double t0, t1;

	if (pipe(in) != 0 || pipe(out) != 0)
		return -1;
	svc = fork();
	if (svc < 0)
		return -1;
	if (svc == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		setenv("ERIM_BACKEND", backend, 1);
		setenv("ERIM_QUIET", "1", 1);
		execl(service, service, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	to = fdopen(in[1], "w");
	from = fdopen(out[0], "r");
	if (to == NULL || from == NULL)
		return -1;
	/* one synchronous request first: start-up is not part of the rate */
	if (fputs("PUBKEY\n", to) < 0 || fflush(to) != 0 || fgets(line, sizeof line, from) == NULL ||
	    strncmp(line, "OK ", 3) != 0) {
		fclose(to);
		fclose(from);
		waitpid(svc, &st, 0);
		return -1;
	}
	t0 = kvb_now();
	wr = fork();
	if (wr < 0)
		return -1;
	if (wr == 0) {
		fclose(from);
		for (i = 0; i < n; i++)
			fprintf(to, "%s\n", req);
		fputs("QUIT\n", to);
		fclose(to);
		_exit(0);
	}
	fclose(to);
	while (fgets(line, sizeof line, from) != NULL)
		if (strncmp(line, "OK ", 3) == 0)
			got++;
	t1 = kvb_now();
	fclose(from);
	waitpid(wr, &st, 0);
	waitpid(svc, &st, 0);
	if (got != n || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return n / (t1 - t0);
}

int main(int argc, char **argv)
{
	const char *service = argc > 1 ? argv[1] : KV_SERVICE;
	size_t k, b;
	int r, failures = 0;

	signal(SIGPIPE, SIG_IGN);
	if (access(service, X_OK) != 0) {
		printf("kv_throughput: %s: %s (build examples/ first)\n", service, strerror(errno));
		return 1;
	}
	printf("kv_throughput: keyvault example, requests/s over a pipe (best of %d), ratio to none;\n"
	       "  one gate call (two domain switches) per request\n", KVB_RUNS);
	printf("  %-10s %-9s %12s %8s %14s\n", "request", "back end", "requests/s", "ratio", "switches/s");
	for (k = 0; k < sizeof kvb_kinds / sizeof kvb_kinds[0]; k++) {
		double base = 0;

		for (b = 0; b < sizeof kvb_backends / sizeof kvb_backends[0]; b++) {
			double best = -1;

			if (strcmp(kvb_backends[b], "mpk") == 0 && !erim_pku_available()) {
				printf("  %-10s %-9s not measured (no PKU on this CPU)\n", kvb_kinds[k].name, "mpk");
				continue;
			}
			double probe = kvb_run(service, kvb_backends[b], kvb_kinds[k].request, 200);
			unsigned n = probe <= 0 ? 200 : probe / 2 > kvb_kinds[k].n ? kvb_kinds[k].n
			             : probe / 2 < 200 ? 200 : (unsigned)(probe / 2);

			for (r = 0; r < KVB_RUNS; r++) {
				double rate = kvb_run(service, kvb_backends[b], kvb_kinds[k].request, n);

				if (rate > best)
					best = rate;
			}
			if (best <= 0) {
				printf("  %-10s %-9s FAILED (the service did not answer every request)\n",
				       kvb_kinds[k].name, kvb_backends[b]);
				failures++;
				continue;
			}
			if (b == 0)
				base = best;
			printf("  %-10s %-9s %12.0f %8.2f %14.0f\n", kvb_kinds[k].name, kvb_backends[b], best,
			       base > 0 ? best / base : 0.0, 2 * best);
		}
	}
	return failures ? 1 : 0;
}
