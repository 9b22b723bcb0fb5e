/* SPDX-License-Identifier: MIT */
/* idl_fuzz_replay.c: replays every file of the fuzzing corpus and of the
 * crashers directory through the fuzz harness (idl_fuzz.c), built as a normal
 * program -- so inputs that once crashed, hung or leaked stay regression tests
 * in every build, with or without clang.  Each file is one test; a crash
 * fails the whole run (run-suite.sh counts it), ASan builds also catch leaks.
 *
 *     idl_fuzz_replay DIR...   (files of each directory, sorted) */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erim_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return -1;
	do {
		if (cap - n < 4096) {
			uint8_t *nb = realloc(buf, cap + 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
			cap += 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static const char *cur_dir;

TEST(every_saved_input_parses_without_crashing)
{
	DIR *dir = opendir(cur_dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	CHECK(dir != NULL, "cannot open %s", cur_dir);
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof path, "%s/%s", cur_dir, names[i]);
		printf("  replay %s\n", path);
		fflush(stdout);
		CHECK(replay_file(path) == 0, "cannot read %s", path);
		free(names[i]);
	}
	free(names);
	printf("  %zu inputs from %s\n", n, cur_dir);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		cur_dir = argv[i];
		RUN(every_saved_input_parses_without_crashing);
	}
	return check_done("idl_fuzz_replay");
}
