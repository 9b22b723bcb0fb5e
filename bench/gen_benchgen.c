/* SPDX-License-Identifier: MIT */
/* gen_benchgen.c: the generator's side of the benchmarks.  Runs the back
 * ends over a hand-built interface of 5,000 trusted functions (each with an
 * in buffer, a size and an out buffer, like kv_sign) and reports the time
 * (performance.md: "linear, well under a second"); with `erimgen` given it
 * also times the whole command on the same interface written as .erim text.
 * Writes the small `genbench` interface used by gen_bench_marshal into DIR.
 *
 *   gen_benchgen [DIR [ERIMGEN | --only-generate]]
 * (defaults: DIR ".", ERIMGEN "../generator/erimgen" when it exists) */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "gen_handast.h"

extern char **environ;

#define NFUNCS 5000

/* CPU time of this process: the machines these run on are shared, and wall
 * time there measures the neighbours. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_sign_like(struct idl_func **list, const char *name, int with_out)
{
	struct idl_func *fn = ha_func(list, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), name);
	struct idl_param *p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 1)), "msg"));

	p->attrs.dir = IDL_DIR_IN;
	p->attrs.size = ha_id("len");
	ha_add(&fn->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
	if (with_out) {
		p = ha_add(&fn->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "sig"));
		p->attrs.dir = IDL_DIR_OUT;
		p->attrs.size = ha_id("len");
	}
	fn->error = ha_int(1, 1);
}

static struct idl_file *iface(const char *name, size_t n)
{
	struct idl_file *f = ha_new(sizeof *f);
	struct idl_interface *i = ha_new(sizeof *i);
	char fn[64];

	ha_file = "bench.erim";
	f->path = strdup("bench.erim");
	f->interfaces = i;
	i->name = strdup(name);
	if (strcmp(name, "genbench") == 0) {
		add_sign_like(&i->trusted, "gb_in", 0);
		struct idl_func *o = ha_func(&i->trusted, IDL_TRUSTED, 1, ha_scalar("long", 1, 0), "gb_out");
		struct idl_param *p = ha_add(&o->params, ha_param(ha_ptr(ha_scalar("uint8_t", 0, 0)), "buf"));
		p->attrs.dir = IDL_DIR_OUT;
		p->attrs.size = ha_id("len");
		ha_add(&o->params, ha_param(ha_scalar("size_t", 0, 0), "len"));
		return f;
	}
	for (size_t k = 0; k < n; k++) {
		snprintf(fn, sizeof fn, "big_fn_%zu", k);
		add_sign_like(&i->trusted, fn, 1);
	}
	return f;
}

/* Generate every output of F into memory (and into DIR when non-NULL). */
static size_t generate(struct idl_file *f, const char *dir)
{
	struct gen_ctx c = { .file = f, .iface = f->interfaces, .iname = f->interfaces->name,
		.opts = { .source_name = "bench.erim", .version = "bench" } };
	size_t bytes = 0;

	for (size_t k = 0; k < gen_nbackends; k++) {
		if (!gen_backend_wanted(&gen_backends[k], &c.opts))
			continue;   /* --abi=sgx, --split-ocalls files: not asked for */
		struct gen_buf b;
		gen_buf_init(&b, gen_backends[k].suffix);
		gen_backends[k].emit(&c, &b);
		bytes += b.len;
		if (dir) {
			char *path = gen_strf("%s/%s%s", dir, c.iname, gen_backends[k].suffix);
			if (gen_write_atomic(path, &b) != 0) {
				fprintf(stderr, "gen_benchgen: cannot write %s\n", path);
				exit(1);
			}
			free(path);
		}
		gen_buf_free(&b);
	}
	if (c.errors)
		exit(1);
	return bytes;
}

static void time_erimgen(const char *erimgen)
{
	char path[] = "/tmp/erim-genbench-XXXXXX";
	char *erim, *outdir;
	FILE *fp;
	double t0, t1;
	pid_t pid;
	int st;

	if (!mkdtemp(path)) {
		perror("mkdtemp");
		return;
	}
	erim = gen_strf("%s/big.erim", path);
	outdir = gen_strf("%s", path);
	fp = fopen(erim, "w");
	if (!fp)
		return;
	fprintf(fp, "interface big {\n    trusted {\n");
	for (int k = 0; k < NFUNCS; k++)
		fprintf(fp, "        public long big_fn_%d([in, size=len] const uint8_t *msg, size_t len,\n"
		            "                        [out, size=len] uint8_t *sig) error(-1);\n", k);
	fprintf(fp, "    };\n};\n");
	fclose(fp);
	char *argv[] = { (char *)erimgen, (char *)"-o", outdir, erim, NULL };
	struct rusage ru;
	t0 = wall();
	if (posix_spawn(&pid, erimgen, NULL, NULL, argv, environ) != 0 || wait4(pid, &st, 0, &ru) < 0) {
		perror("erimgen");
		return;
	}
	t1 = wall();
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		printf("%-44s %9.1f ms CPU (user+sys; %.1f ms wall)   (parse + checks + generate + write, %d functions)\n",
		       "erimgen big.erim (whole command)",
		       ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) * 1e3 +
		       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e3,
		       (t1 - t0) * 1e3, NFUNCS);
	else
		printf("%-44s failed (status %#x)\n", "erimgen big.erim (whole command)", st);
	char *cmd = gen_strf("rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
	free(cmd);
	free(erim);
	free(outdir);
}

int main(int argc, char **argv)
{
	struct idl_file *big, *half;
	double t0, t1, t2;
	size_t bytes, hbytes;

	const char *dir = argc > 1 ? argv[1] : ".";
	const char *erimgen = argc > 2 ? argv[2] : "../generator/erimgen";

	generate(iface("genbench", 0), dir);
	if (strcmp(erimgen, "--only-generate") == 0)
		return 0;
	big = iface("big", NFUNCS);
	half = iface("big", NFUNCS / 2);
	t0 = now();
	hbytes = generate(half, NULL);
	t1 = now();
	bytes = generate(big, NULL);
	t2 = now();
	printf("erimgen (back ends, in memory; CPU time)\n");
	printf("%-44s %9.1f ms   (%zu bytes of C)\n", "back ends, 2,500 functions", (t1 - t0) * 1e3, hbytes);
	printf("%-44s %9.1f ms   (%zu bytes of C; x%.2f for x2 functions)\n", "back ends, 5,000 functions",
	       (t2 - t1) * 1e3, bytes, (t2 - t1) / (t1 - t0));
	if (access(erimgen, X_OK) == 0)
		time_erimgen(erimgen);
	else
		printf("%-44s not measured: %s not built\n", "erimgen big.erim (whole command)", erimgen);
	return 0;
}
