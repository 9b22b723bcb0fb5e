/* SPDX-License-Identifier: MIT */
/* scan_throughput.c: how fast load-time inspection is, against baselines
 * measured in the same run.
 *
 *  1. scanner throughput over real machine code (the executable segments this
 *     process maps, repeated to 64 MiB) vs a memchr pass over the same bytes
 *     (memchr for a byte value that does not occur, so it reads everything)
 *     and vs memmem for the 3-byte WRPKRU; target >= 50% of memchr;
 *  2. in-process start-up inspection of everything this process maps
 *     (inspect_process_run, dry run): MB, ms and ms/MB;
 *  3. `erim-inspect -r DIR` vs `cat` of the same files (DIR defaults to
 *     /usr/lib/x86_64-linux-gnu; ERIM_BENCH_DIR overrides; ERIM_BENCH_NODIR=1
 *     skips it), each run once to warm the page cache and then timed.
 * Each figure is the best of several repetitions (least disturbed by the
 * other jobs on a shared machine). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "erim_hooks.h"
#include "inspect.h"
#include "inspect_maps.h"
#include "scan.h"

#ifndef ERIM_INSPECT_PATH
#define ERIM_INSPECT_PATH "../runtime/erim-inspect"
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int count_found(size_t off, enum scan_kind kind, void *arg)
{
	(void)off;
	(void)kind;
	(*(size_t *)arg)++;
	return 0;
}

static int count_hit(const struct scan_hit *h, void *arg)
{
	(void)h;
	(*(size_t *)arg)++;
	return 0;
}

/* The process's own executable code (libc, ld.so, liberim, this program). */
static uint8_t *code_sample(size_t want, size_t *got)
{
	struct inspect_map *m;
	long n = inspect_maps_exec(0, &m);
	if (n <= 0)
		return NULL;
	uint8_t *b = malloc(want);
	if (!b) {
		free(m);
		return NULL;
	}
	size_t at = 0;
	while (at < want) {
		size_t before = at;
		for (long i = 0; i < n && at < want; i++) {
			if (!(m[i].prot & PROT_READ) || m[i].path[0] == '[')
				continue;
			size_t len = (size_t)(m[i].end - m[i].start);
			if (len > want - at)
				len = want - at;
			memcpy(b + at, (const void *)(uintptr_t)m[i].start, len);
			at += len;
		}
		if (at == before)
			break;
	}
	free(m);
	*got = at;
	return b;
}

#define REPS 7

int main(void)
{
	size_t n;
	uint8_t *buf = code_sample((size_t)64 << 20, &n);
	if (!buf || n == 0) {
		printf("scan_throughput: cannot sample this process's code\n");
		return 1;
	}
	double mb = (double)n / 1e6;

	/* the memchr baseline needs a byte value absent from the data */
	size_t hist[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		hist[buf[i]]++;
	int rare = 0;
	for (int v = 1; v < 256; v++)
		if (hist[v] < hist[rare])
			rare = v;
	uint8_t *base = buf;
	uint8_t *copy = NULL;
	if (hist[rare] != 0) {
		/* every value occurs: run memchr on a copy with the rarest one
		 * replaced (same length, same memory behaviour) */
		copy = malloc(n);
		memcpy(copy, buf, n);
		for (size_t i = 0; i < n; i++)
			if (copy[i] == rare)
				copy[i] = (uint8_t)(rare ^ 1);
		base = copy;
	}

	double t_memchr = 1e9, t_memmem = 1e9, t_avx2 = 1e9, t_mc = 1e9, t_stream = 1e9, t_whole = 1e9;
	size_t hits_avx2 = 0, hits_mc = 0, hits_stream = 0;
	volatile uintptr_t sink = 0;
	for (int r = 0; r < REPS; r++) {
		double t = now();
		sink += (uintptr_t)memchr(base, rare, n);
		t = now() - t;
		if (t < t_memchr) t_memchr = t;

		t = now();
		sink += (uintptr_t)memmem(base, n, "\x0f\x01\xef\xf1", 4);
		t = now() - t;
		if (t < t_memmem) t_memmem = t;

		if (scan_have_avx2()) {
			size_t h = 0;
			t = now();
			scan_search_avx2(buf, 0, n, n, count_found, &h);
			t = now() - t;
			if (t < t_avx2) t_avx2 = t;
			hits_avx2 = h;
		}
		size_t h = 0;
		t = now();
		scan_search_memchr(buf, 0, n, n, count_found, &h);
		t = now() - t;
		if (t < t_mc) t_mc = t;
		hits_mc = h;

		/* the full stream (what inspection runs), in 4 KiB pages */
		struct scan_stream s;
		h = 0;
		scan_init(&s, count_hit, &h, NULL, 0);
		t = now();
		for (size_t off = 0; off < n; off += 4096)
			scan_feed(&s, buf + off, n - off < 4096 ? n - off : 4096, 0x100000 + off);
		scan_end(&s);
		t = now() - t;
		if (t < t_stream) t_stream = t;
		hits_stream = h;

		/* one feed per range, as in-process inspection and erim-inspect do */
		h = 0;
		t = now();
		scan_buffer(buf, n, 0x100000, count_hit, &h);
		t = now() - t;
		if (t < t_whole) t_whole = t;
	}
	(void)sink;

	printf("load-time inspection: scanner throughput over %.1f MB of this process's machine code (best of %d)\n", mb, REPS);
	printf("  %-44s %9s %9s\n", "pass", "MB/s", "vs memchr");
	printf("  %-44s %9.0f %8.0f%%\n", "memchr (baseline, full pass)", mb / t_memchr, 100.0);
	printf("  %-44s %9.0f %8.0f%%\n", "memmem 4-byte needle", mb / t_memmem, 100.0 * t_memchr / t_memmem);
	if (scan_have_avx2())
		printf("  %-44s %9.0f %8.0f%%   (%zu hits)\n", "scanner, AVX2 search (default here)", mb / t_avx2,
		       100.0 * t_memchr / t_avx2, hits_avx2);
	printf("  %-44s %9.0f %8.0f%%   (%zu hits)\n", "scanner, memchr-driven search", mb / t_mc,
	       100.0 * t_memchr / t_mc, hits_mc);
	printf("  %-44s %9.0f %8.0f%%   (%zu hits)\n", "scanner stream, one feed, classified", mb / t_whole,
	       100.0 * t_memchr / t_whole, hits_stream);
	printf("  %-44s %9.0f %8.0f%%   (%zu hits)\n", "scanner stream, 4 KiB feeds, classified", mb / t_stream,
	       100.0 * t_memchr / t_stream, hits_stream);
	double best = scan_have_avx2() ? t_avx2 : t_mc;
	printf("  target >= 50%% of memchr: %s\n", t_memchr / best >= 0.5 ? "met" : "NOT met");

	/* 2. start-up inspection of this process */
	struct inspect_stats st, bst;
	memset(&bst, 0, sizeof bst);
	double bt = 1e9;
	const uintptr_t *gates = NULL;
	size_t ngates = erim__gate_sites(&gates);   /* as erim_init passes them */
	for (int r = 0; r < REPS; r++) {
		if (inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, gates, ngates, &st) != 0) {
			printf("  in-process inspection failed\n");
			break;
		}
		if ((double)st.nsec * 1e-9 < bt) {
			bt = (double)st.nsec * 1e-9;
			bst = st;
		}
	}
	if (bt < 1e9) {
		double pmb = (double)bst.bytes / 1e6;
		printf("\nload-time inspection: in-process start-up inspection (all executable mappings, best of %d)\n", REPS);
		printf("  %zu mappings, %.2f MB of code, %.3f ms total (%.3f ms/MB, including /proc/self/maps and dl_iterate_phdr), %zu hits\n",
		       bst.ranges, pmb, bt * 1e3, bt * 1e3 / pmb, bst.hits);
	}

	/* 3. erim-inspect over a system library directory vs cat */
	const char *dir = getenv("ERIM_BENCH_DIR");
	if (!dir)
		dir = "/usr/lib/x86_64-linux-gnu";
	if (getenv("ERIM_BENCH_NODIR")) {
		printf("\nerim-inspect over a directory: skipped (ERIM_BENCH_NODIR)\n");
	} else {
		char cmd_i[4096], cmd_c[4096];
		snprintf(cmd_i, sizeof cmd_i, "%s -q -r '%s' >/dev/null 2>&1", ERIM_INSPECT_PATH, dir);
		snprintf(cmd_c, sizeof cmd_c, "find '%s' -type f -print0 | xargs -0 cat >/dev/null 2>&1", dir);
		double ti = 1e9, tc = 1e9;
		if (system(cmd_c) == -1 || system(cmd_i) == -1) {  /* warm the page cache */
			printf("\nerim-inspect over a directory: cannot run commands\n");
		} else {
			for (int r = 0; r < 3; r++) {
				double t = now();
				(void)!system(cmd_i);
				t = now() - t;
				if (t < ti) ti = t;
				t = now();
				(void)!system(cmd_c);
				t = now() - t;
				if (t < tc) tc = t;
			}
			printf("\nerim-inspect -r %s vs cat of the same files (warm page cache, best of 3)\n", dir);
			printf("  erim-inspect: %.2f s   cat: %.2f s   ratio %.2fx (erim-inspect maps the files and reads only executable segments)\n",
			       ti, tc, ti / tc);
		}
	}
	free(copy);
	free(buf);
	return 0;
}
