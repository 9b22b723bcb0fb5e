/* SPDX-License-Identifier: MIT */
/* gen_bench_marshal.c: what erimgen's marshalling costs.  A generated gate
 * with an [in, size=len] buffer (and one with an [out] buffer) against memcpy
 * of the same bytes in the same run, at 64 B, 4 KiB and 1 MiB
 * (performance.md: large copies at >= 90% of memcpy bandwidth).  Runs under
 * ERIM_BACKEND=none unless the environment chooses another back end, so the
 * numbers are the generated code's, not the domain switch's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "erim.h"
#include "genbench_erim.h"
#include "genbench_trusted.h"

long gb_in_impl(const uint8_t *msg, size_t len)
{
	return len ? msg[len - 1] : 0;
}

long gb_out_impl(uint8_t *buf, size_t len)
{
	if (len)
		buf[0] = 1;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile long sink;

int main(void)
{
	static const size_t sizes[] = { 64, 4096, 1 << 20 };
	uint8_t *src, *dst;
	int rc;

	setenv("ERIM_BACKEND", "none", 0);
	setenv("ERIM_QUIET", "1", 0);
	rc = erim_init(NULL);
	if (rc != 0) {
		printf("gen_bench_marshal: erim_init failed: %s\n", erim_strerror());
		return 1;
	}
	src = malloc(1 << 20);
	dst = malloc(1 << 20);
	if (!src || !dst)
		return 1;
	memset(src, 7, 1 << 20);
	memset(dst, 0, 1 << 20);
	printf("erimgen marshalling (back end %s), best of 5 rounds; %% = memcpy time / gate time\n",
	       erim_backend_name(erim_backend()));
	printf("%-10s %14s %14s %8s %14s %8s\n", "size", "memcpy ns", "in-gate ns", "in %", "out-gate ns", "out %");
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k], iters = (size_t)(256u << 20) / n;
		double best[3] = { 1e9, 1e9, 1e9 };

		if (iters > 1000000)
			iters = 1000000;
		for (int round = 0; round < 5; round++) {
			double t0 = now();
			for (size_t i = 0; i < iters; i++) {
				memcpy(dst, src, n);
				__asm__ __volatile__("" : : "r"(dst) : "memory");
			}
			double t1 = now();
			for (size_t i = 0; i < iters; i++)
				sink += gb_in(src, n);
			double t2 = now();
			for (size_t i = 0; i < iters; i++)
				sink += gb_out(dst, n);
			double t3 = now();
			if (t1 - t0 < best[0]) best[0] = t1 - t0;
			if (t2 - t1 < best[1]) best[1] = t2 - t1;
			if (t3 - t2 < best[2]) best[2] = t3 - t2;
		}
		printf("%-10zu %14.1f %14.1f %7.0f%% %14.1f %7.0f%%\n", n,
		       best[0] / (double)iters * 1e9, best[1] / (double)iters * 1e9, 100.0 * best[0] / best[1],
		       best[2] / (double)iters * 1e9, 100.0 * best[0] / best[2]);
	}
	free(src);
	free(dst);
	return 0;
}
